"""Flow ``publish-story``: one story URL in, one published bundle out.

The story pipeline (tasks/pipeline.py) with every step a Prefect task, then
a markdown artifact for the Prefect UI. The parameters are flat and typed so
the UI's Run form explains itself and refuses bad input before any work starts.
"""

from __future__ import annotations

from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import deployment
from pydantic import AwareDatetime, Field

from config.settings import Settings
from flows.report import story_markdown
from tasks.embargo import parse_embargo_time
from tasks.errors import BlockedURLError
from tasks.models import PublishResult
from tasks.pipeline import run_story
from tasks.resources import Resources
from tasks.steps import task_steps

StoryURL = Annotated[str, Field(pattern=r"^https?://[^\s/?#]+[^\s]*$", max_length=2048)]
LOCAL_SETTINGS = ("Local runs only: the settings to run with, instead of those from the environment"
                  " (NEWSROOM_*).")


def refuse_local_only(*, source_file: str | None = None, settings: Settings | None = None) -> None:
    """A deployment's runs come from the UI or API: reading files on the
    worker, or replacing its settings (and with them its network guard), is
    for local runs only."""
    if not deployment.id:
        return
    if source_file:
        raise BlockedURLError("source_file is for local runs only; a deployment fetches the story by its URL")
    if settings is not None:
        raise BlockedURLError("settings are for local runs only; a deployment runs with its worker's settings")


@flow(name="publish-story", log_prints=False)
def publish_story(
    url: StoryURL = Field(..., description="The story's address (http or https)."),
    # Printable, one line, no bidi overrides: a tag ends up in feeds, pages and the UI.
    extra_tags: list[Annotated[str, Field(min_length=1, max_length=100,
                                          pattern=r"^[^\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]+$")]] = Field(
        default=[], description="Tags to add to those the page gives. They stay with the story: later"
        " polls keep them (with force, they replace the tags editors added before).",
    ),
    force: bool = Field(False, description="Publish a new version even if the content is unchanged."),
    note: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="Why this version: kept in the correction log."
    ),
    embargo_until: AwareDatetime | None = Field(
        None, description="Hold the story until this time (with its time zone): it is stored privately, out of"
        " latest.json, the feed, the sitemap and the index, and released then by a scheduled run. Empty:"
        " publish now (and end an embargo the story is under).",
    ),
    source_file: str | None = Field(
        None, description="Local runs only: read the page from this file instead of fetching the URL."
    ),
    settings: Settings | None = Field(None, description=LOCAL_SETTINGS),
) -> PublishResult:
    logger = get_run_logger()
    refuse_local_only(source_file=source_file, settings=settings)
    until = parse_embargo_time(embargo_until) if embargo_until is not None else None  # before any work
    resources = Resources.build(settings)
    draft, result = run_story(source_file or url, task_steps(resources), url=url if source_file else None,
                              extra_tags=tuple(extra_tags), editor_tags=tuple(extra_tags), force=force, note=note,
                              embargo_until=until, log=logger)
    for removed in draft.removed:
        logger.info("dedupe removed paragraph %d (%s repeat of %d)", removed.index, removed.reason,
                    removed.duplicate_of)
    logger.info("%s %s version %d at %s", result.status, result.story_id, result.version, result.prefix)
    create_markdown_artifact(
        markdown=story_markdown(draft, result, embargo_until=until.isoformat() if until else None),
        key=f"story-{result.story_id}"[:100],
        description=f"{result.status}: {draft.article.headline}"[:500],
    )
    return result
