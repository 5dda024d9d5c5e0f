"""Flow ``kill-story``: withdraw a published story.

A kill is a new version whose ninjs ``pubStatus`` is ``canceled`` (and whose
page says so); ``latest.json`` moves to it and every earlier version stays,
so the record of what was published is never lost.
"""

from __future__ import annotations

from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import Field

from config.settings import Settings
from flows.publish_story import LOCAL_SETTINGS, StoryURL, refuse_local_only
from flows.report import story_markdown
from tasks.models import Draft, PublishResult
from tasks.resources import Resources
from tasks.steps import publish_task
from tasks.stored import load_story
from tasks.storykeys import story_id_for


# No task retries: botocore has already retried each storage read (tasks/storage.py).
@task(name="withdrawn-draft", cache_policy=NO_CACHE)
def withdrawn_draft(story_id: str, note: str, resources: Resources) -> Draft:
    return load_story(story_id, resources.settings, resources.store).withdrawn(note)


@flow(name="kill-story")
def kill_story(
    url: StoryURL = Field(..., description="The story's canonical URL, as published."),
    note: Annotated[str, Field(min_length=3, max_length=500)] = Field(
        ..., description="Why the story is withdrawn: kept in the correction log."
    ),
    settings: Settings | None = Field(None, description=LOCAL_SETTINGS),
) -> PublishResult:
    logger = get_run_logger()
    refuse_local_only(settings=settings)
    resources = Resources.build(settings)
    story_id = story_id_for(url)
    draft = withdrawn_draft(story_id, note, resources)
    result = publish_task(draft, resources, note=f"withdrawn: {note}")
    logger.info("%s: %s as version %d", story_id, "withdrawn" if result.status == "published"
                else "already withdrawn", result.version)
    create_markdown_artifact(markdown=story_markdown(draft, result), key=f"story-{story_id}"[:100],
                             description=f"withdrawn: {draft.article.headline}"[:500])
    return result
