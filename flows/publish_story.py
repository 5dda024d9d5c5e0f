"""Flow ``publish-story``: one story URL in, one published bundle out.

fetch → clean → dedupe → (lead image) → bundle → publish, then a markdown
artifact for the Prefect UI. The parameters are flat and typed so the UI's
Run form explains itself and refuses bad input before any work starts.
"""

from __future__ import annotations

from typing import Annotated

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import deployment
from pydantic import Field

from flows.report import story_markdown
from tasks.bundle import bundle_task
from tasks.clean import clean_task
from tasks.dedupe import dedupe_task
from tasks.errors import BlockedURLError, PipelineError
from tasks.fetch import fetch_image_task, fetch_page_task
from tasks.models import PublishResult
from tasks.publish import publish_task

StoryURL = Annotated[str, Field(pattern=r"^https?://[^\s/?#]+[^\s]*$", max_length=2048)]


@flow(name="publish-story", log_prints=False)
def publish_story(
    url: StoryURL = Field(..., description="The story's address (http or https)."),
    extra_tags: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default=[], description="Tags to add to those the page gives. They stay with the story: later"
        " polls keep them (with force, they replace the tags editors added before).",
    ),
    force: bool = Field(False, description="Publish a new version even if the content is unchanged."),
    note: Annotated[str, Field(max_length=500)] | None = Field(
        None, description="Why this version: kept in the correction log."
    ),
    source_file: str | None = Field(
        None, description="Local runs only: read the page from this file instead of fetching the URL."
    ),
) -> PublishResult:
    logger = get_run_logger()
    if source_file and deployment.id:
        # A deployment's runs come from the UI or API: reading files on the
        # worker is for local runs (`newsroom publish FILE`) only.
        raise BlockedURLError("source_file is for local runs only; a deployment fetches the story by its URL")
    page = fetch_page_task(source_file or url, url if source_file else None)
    article = clean_task(page)
    deduped = dedupe_task(article)
    for removed in deduped.removed:
        logger.info("dedupe removed paragraph %d (%s repeat of %d)", removed.index, removed.reason,
                    removed.duplicate_of)

    image, notes = None, ()
    if deduped.article.image is not None:
        try:
            image = fetch_image_task(deduped.article.image.url)
        except PipelineError as exc:  # retries exhausted
            image = str(exc)
        if isinstance(image, str):
            # A missing picture never holds back a story.
            notes = (f"lead image not bundled: {image}",)
            logger.warning("lead image not bundled: %s", image)
            image = None

    bundle = bundle_task(deduped, page, image, extra_tags, notes)
    result = publish_task(bundle, force=force, note=note, editor_tags=extra_tags)
    logger.info("%s %s version %d at %s", result.status, result.story_id, result.version, result.prefix)
    create_markdown_artifact(
        markdown=story_markdown(bundle, result),
        key=f"story-{result.story_id}"[:100],
        description=f"{result.status}: {bundle.article.headline}"[:500],
    )
    return result
