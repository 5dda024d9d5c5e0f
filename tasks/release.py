"""Releasing an embargoed story when its time comes.

The release flow run that holding a story scheduled (tasks/releases.py)
calls ``release_embargo``. It publishes exactly the draft that was held, now
``pubStatus`` usable (``embargoedUntil`` stays in its ninjs, as a fact), as
the story's next public version; then the feed, sitemap and index take it
and ``newsroom.story.released`` is emitted (tasks/announce.py); then the
embargo's private files go.

It checks the stored embargo first, so that it never releases what was
withdrawn or replaced, whatever became of the run's cancellation:

* no embargo in force, or another one: nothing to release;
* not yet due: a run started a little early (a worker's prefetch) waits for
  the time; one started far too early fails, releasing nothing;
* a newer public version than the one the embargo followed: that version
  superseded it, and the embargo is ended unreleased.

Every step is idempotent: a release cut short finds its version published
(unchanged) and completes the catalog and the clean-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from config.settings import Settings
from tasks.announce import announce
from tasks.documents import PendingEmbargo, Pointer, parse_document
from tasks.embargo import EmbargoError, end_embargo, held_draft, read_pending
from tasks.models import Draft, PublishResult, PubStatus, StoryStatus
from tasks.publish import publish_draft
from tasks.storage import ObjectStore
from tasks.storykeys import story_prefix

# A run may start this early (workers submit runs a little ahead of time);
# it waits. Any earlier means a clock is wrong: it releases nothing.
EARLY_GRACE_SECONDS = 300.0


class EmbargoNotDueError(EmbargoError):
    """The release ran before the embargo's end."""


@dataclass(frozen=True)
class Release:
    outcome: str  # "released", "nothing to release", "superseded"
    reason: str
    draft: Draft | None = None
    result: PublishResult | None = None
    embargo: PendingEmbargo | None = None


def release_embargo(store: ObjectStore, settings: Settings, story_id: str, embargo_id: str, *,
                    clock: Callable[[], datetime] | None = None,
                    sleep: Callable[[float], None] = time.sleep) -> Release:
    """Publish the draft embargo ``embargo_id`` holds, if it is still in force and due."""
    clock = clock or (lambda: datetime.now(timezone.utc))
    pending, _etag = read_pending(store, settings, story_id)
    if pending is None or pending.embargo_id != embargo_id:
        now_held = f"embargo {pending.embargo_id} is" if pending else "no embargo is"
        return Release("nothing to release", f"embargo {embargo_id} of story {story_id} was cancelled or"
                       f" replaced ({now_held} in force)")
    until = datetime.fromisoformat(pending.until)
    early = (until - clock()).total_seconds()
    if early > EARLY_GRACE_SECONDS:
        raise EmbargoNotDueError(f"embargo {embargo_id} of story {story_id} is not due until {pending.until}"
                                 f" ({early:.0f} s from now): nothing released")
    if early > 0:
        sleep(early)
    draft = replace(held_draft(store, pending), pub_status=PubStatus.USABLE)
    pointer_key = f"{story_prefix(settings.s3_prefix, story_id)}/latest.json"
    latest, _etag = store.read_json(pointer_key)
    pointer = parse_document(Pointer, pointer_key, latest) if latest is not None else None
    if pointer and pointer.version > pending.base_version and pointer.content_sha256 != draft.content_sha256:
        # A newer version (or a kill) landed after the embargo began and did
        # not end it (its publisher was cut short): it wins.
        end_embargo(store, settings, pending)  # this run is its release: nothing to cancel
        return Release("superseded", f"version {pointer.version} was published after the embargo began",
                       embargo=pending)
    # A killed story an editor restored under embargo (a hold with force
    # after the kill): the release restores it, as that publish would have.
    restores = pointer is not None and pointer.pub_status == PubStatus.CANCELED and \
        pointer.version == pending.base_version
    result = publish_draft(draft, settings, force=restores, note=f"released from embargo (until {pending.until})",
                           client=store.client)
    if result.status not in (StoryStatus.PUBLISHED, StoryStatus.UNCHANGED):
        # A withdrawn story stays withdrawn (its kill should have ended the embargo).
        end_embargo(store, settings, pending)
        return Release("superseded", f"the story is {result.status}", draft, result, pending)
    # An unchanged result is this release cut short after its publish: complete the catalog, no second event.
    announce(store, settings, draft, result, released=True, repair=result.status == StoryStatus.UNCHANGED)
    end_embargo(store, settings, pending)
    return Release("released", f"version {result.version} is public", draft, result, pending)

