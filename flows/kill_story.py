"""Flow ``kill-story``: withdraw a published story, and stop serving it.

A kill is a tombstone version: the headline and a kill notice (the editor's
note and the time), ninjs ``pubStatus`` canceled, with nothing of the story's
body, image or caption. ``latest.json`` moves to it first, so readers never
meet a missing object; then the earlier versions leave the public prefix
(archived privately, or taken down: ``NEWSROOM_KILL_MODE``), the story leaves
the bucket's feed, sitemap and index, and ``newsroom.story.withdrawn`` is
emitted. Rerunning a kill completes one that was cut short.
"""

from __future__ import annotations

from typing import Annotated

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import Field

from config.settings import Settings
from flows.publish_story import LOCAL_SETTINGS, refuse_local_only
from flows.report import markdown_text as _md, story_markdown
from tasks.announce import announce
from tasks.embargo import withdraw_held
from tasks.errors import PublishError
from tasks.lookup import find_story
from tasks.models import Draft, PublishResult, StoryStatus
from tasks.resources import Resources
from tasks.steps import publish_task
from tasks.stored import load_story
from tasks.storykeys import story_prefix
from tasks.takedown import take_down_versions

StoryName = Annotated[str, Field(min_length=3, max_length=2048, pattern=r"^\S+$")]


# No task retries: botocore has already retried each storage read (tasks/storage.py).
@task(name="withdrawn-draft", cache_policy=NO_CACHE)
def withdrawn_draft(story_id: str, note: str, resources: Resources) -> Draft:
    return load_story(story_id, resources.settings, resources.store).withdrawn(note)


@task(name="take-down-earlier-versions", cache_policy=NO_CACHE)
def take_down_task(result: PublishResult, note: str, requested_by: str, resources: Resources):  # noqa: ANN201
    settings = resources.settings
    return take_down_versions(resources.store, story_prefix(settings.s3_prefix, result.story_id), result.version,
                              story_id=result.story_id, mode=settings.kill_mode,
                              archive_root=settings.archive_prefix, audit_root=settings.audit_prefix,
                              requested_by=requested_by, reason=note)


@task(name="end-embargo", cache_policy=NO_CACHE)
def withdraw_held_task(story_id: str, note: str, requested_by: str, resources: Resources) -> PublishResult:
    held = withdraw_held(resources.store, resources.settings, resources.releases, story_id, note=note,
                         requested_by=requested_by)
    if held is None:  # released or ended between the lookup and now
        raise PublishError(f"story {story_id}: its embargo ended meanwhile; run the kill again")
    return held


@flow(name="kill-story")
def kill_story(
    url: StoryName = Field(..., description="The story: its canonical URL, any URL it was fetched from, or"
                                           " its story id."),
    note: Annotated[str, Field(min_length=3, max_length=500, pattern=r"^[^\x00-\x1f\x7f]+$")] = Field(
        ..., description="Why the story is withdrawn: shown on its tombstone page and kept in the audit record."
    ),
    requested_by: Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")] = Field(
        "", description="Who ordered the kill (kept in the audit record)."
    ),
    settings: Settings | None = Field(None, description=LOCAL_SETTINGS),
) -> PublishResult:
    logger = get_run_logger()
    refuse_local_only(settings=settings)
    resources = Resources.build(settings)
    found = find_story(resources.store, resources.settings.s3_prefix, url,
                       embargo_prefix=resources.settings.embargo_prefix)
    logger.info("%s is story %s (found by its %s)", url, found.story_id, found.how)
    if not found.public:
        # Held under embargo and never published: nothing to take down; the embargo ends unreleased.
        held = withdraw_held_task(found.story_id, note, requested_by or "unknown", resources)
        logger.info("%s: was held under embargo, never public; the embargo ended and its release was cancelled",
                    found.story_id)
        create_markdown_artifact(markdown=f"# Embargo ended: story `{found.story_id}`\n\n**Status:** withdrawn"
                                 f" before release · **note** {_md(note)}\n", key=f"story-{found.story_id}"[:100],
                                 description=f"withdrawn before release: {found.story_id}"[:500])
        return held
    draft = withdrawn_draft(found.story_id, note, resources)
    result = publish_task(draft, resources, note=f"withdrawn: {note}")
    removed = take_down_task(result, note, requested_by or "unknown", resources)
    if result.status != StoryStatus.PUBLISHED:
        # Already withdrawn: the catalog still drops it, should an earlier kill have been cut short.
        announce(resources.store, resources.settings, draft, result, repair=True, releases=resources.releases)
    logger.info("%s: %s as version %d; %d earlier objects %s", found.story_id,
                "withdrawn" if result.status == StoryStatus.PUBLISHED else "already withdrawn", result.version,
                len(removed.moved), "archived" if removed.mode == "archive" else "taken down")
    create_markdown_artifact(markdown=story_markdown(draft, result), key=f"story-{found.story_id}"[:100],
                             description=f"withdrawn: {draft.article.headline}"[:500])
    return result
