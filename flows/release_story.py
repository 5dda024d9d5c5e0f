"""Flow ``release-story``: an embargoed story goes public when its embargo ends.

Holding a story under embargo (``publish-story`` with ``embargo_until``)
schedules one run of this flow for the embargo's end; nobody needs to press
Run. The run publishes the held draft as the story's next version, puts it
in the feed, the news sitemap and the index, and emits
``newsroom.story.released`` (tasks/release.py). A run whose embargo was
cancelled or replaced since (a kill, a newer version) releases nothing.
"""

from __future__ import annotations

from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import Field

from config.settings import Settings
from flows.publish_story import LOCAL_SETTINGS, refuse_local_only
from flows.report import story_markdown
from tasks.release import Release, release_embargo
from tasks.resources import Resources


# No task retries: storage requests were retried by botocore, and a release
# that is not due must not be repeated until it is.
@task(name="release-embargo", cache_policy=NO_CACHE, timeout_seconds=900)
def release_task(story_id: str, embargo_id: str, resources: Resources) -> Release:
    resources.ensure_bucket()
    return release_embargo(resources.store, resources.settings, story_id, embargo_id)


@flow(name="release-story")
def release_story(
    story_id: Annotated[str, Field(min_length=3, max_length=200, pattern=r"^[a-z0-9][a-z0-9-]*$")] = Field(
        ..., description="The embargoed story's id."),
    embargo_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")] = Field(
        ..., description="Which embargo of the story this run releases (another one releases nothing)."),
    settings: Settings | None = Field(None, description=LOCAL_SETTINGS),
) -> str:
    logger = get_run_logger()
    refuse_local_only(settings=settings)
    resources = Resources.build(settings)
    release = release_task(story_id, embargo_id, resources)
    logger.info("%s: %s: %s", story_id, release.outcome, release.reason)
    if release.draft is not None and release.result is not None:
        create_markdown_artifact(markdown=story_markdown(release.draft, release.result),
                                 key=f"story-{story_id}"[:100],
                                 description=f"{release.outcome}: {release.draft.article.headline}"[:500])
    return release.outcome
