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

from flows.publish_story import StoryURL
from flows.report import story_markdown
from tasks.bundle import render_bundle
from tasks.errors import retry_if_retryable
from tasks.models import Bundle, PublishResult
from tasks.publish import publish_task
from tasks.stored import load_story
from tasks.storykeys import story_id_for


@task(name="withdrawn-bundle", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10],
      retry_condition_fn=retry_if_retryable)
def withdrawn_bundle(story_id: str, note: str) -> Bundle:
    stored = load_story(story_id)
    return render_bundle(stored.article, stored.image, (), stored.manifest.get("source_url") or stored.article.url,
                         stored.manifest.get("fetched_at") or "", pub_status="canceled",
                         notes=(f"withdrawn: {note}",))


@flow(name="kill-story")
def kill_story(
    url: StoryURL = Field(..., description="The story's canonical URL, as published."),
    note: Annotated[str, Field(min_length=3, max_length=500)] = Field(
        ..., description="Why the story is withdrawn: kept in the correction log."
    ),
) -> PublishResult:
    logger = get_run_logger()
    story_id = story_id_for(url)
    bundle = withdrawn_bundle(story_id, note)
    result = publish_task(bundle, note=f"withdrawn: {note}")
    logger.info("%s: %s as version %d", story_id, "withdrawn" if result.status == "published"
                else "already withdrawn", result.version)
    create_markdown_artifact(markdown=story_markdown(bundle, result), key=f"story-{story_id}"[:100],
                             description=f"withdrawn: {bundle.article.headline}"[:500])
    return result
