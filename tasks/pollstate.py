"""What poll-feeds has already handled, kept in the bucket, not on local disk.

One JSON object per source under ``{prefix}/_state/sources/{name}.json``
(story ids never start with ``_``, so it cannot collide with a story). Any
worker can run a poll; concurrent polls merge their updates through
conditional writes instead of overwriting each other.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone

from config.settings import Settings
from tasks.documents import CorruptObjectError, PollState, parse_document
from tasks.errors import PublishConflictError
from tasks.feeds import StoryLink
from tasks.models import StoryOutcome, StoryStatus
from tasks.storage import ObjectStore
from tasks.storykeys import normalise_url

# Entries not seen in a feed for this many polls are forgotten.
MAX_ENTRIES = 5000
_ROUNDS = 8
# What a source told us to ask next time (ETag, Last-Modified) for a conditional GET.
VALIDATORS = ("etag", "last_modified")
_HEADER_VALUE = re.compile(r"[\x20-\x7e]{1,1024}")
log = logging.getLogger(__name__)


def state_key(source_name: str, settings: Settings) -> str:
    prefix = "/".join(seg for seg in settings.s3_prefix.split("/") if seg and seg not in (".", ".."))
    return f"{prefix}/_state/sources/{source_name}.json" if prefix else f"_state/sources/{source_name}.json"


def read_state(store: ObjectStore, key: str, on_problem: Callable[[str], None] | None = None, *,
               keep_aside: bool = True) -> tuple[dict | None, str | None]:
    """(the source's state as the pollers wrote it, its ETag); (None, ETag) when
    it was corrupt. A corrupt state is validated, never trusted: it is set
    aside at ``<key>.corrupt-<time>`` for inspection, and the source is read
    as if new (its stories are republished only where they changed: publish
    is idempotent)."""
    found = store.read(key)
    if found is None:
        return None, None
    try:
        state = parse_document(PollState, key, found.data)
    except CorruptObjectError as error:
        if keep_aside:
            aside = store.set_aside(key, found.data)
            (on_problem or log.warning)(f"{error}; set aside at {aside}, and the source is read as new")
        return None, found.etag
    return state.model_dump(), found.etag


def load_state(source_name: str, settings: Settings, store: ObjectStore | None = None,
               on_problem: Callable[[str], None] | None = None) -> tuple[dict[str, dict], dict[str, str]]:
    """(entries already handled, normalised URL → record; the source's
    validators from the last poll)."""
    store = store or ObjectStore.for_settings(settings)
    document, _etag = read_state(store, state_key(source_name, settings), on_problem)
    document = document or {}
    validators = document.get("validators") or {}
    # They go back to the site as request headers: only what a header can hold.
    usable = {k: v for k, v in validators.items() if k in VALIDATORS and _HEADER_VALUE.fullmatch(v)}
    return dict(document.get("entries", {})), usable


def is_settled(status: str | None) -> bool:
    """Whether a story needs nothing more while its source is unchanged: a
    failure needs a retry. (A story robots.txt disallowed is asked again
    whenever its source changes.)"""
    return status in (*StoryStatus.done(), StoryStatus.DISALLOWED)


def is_new_or_changed(link: StoryLink, seen: dict[str, dict]) -> bool:
    record = seen.get(normalise_url(link.url))
    if record is None or record.get("status") not in StoryStatus.done():
        return True  # never handled, or it failed last time: try again
    return record.get("marker") != link.marker


def seen_version(link: StoryLink, seen: dict[str, dict]) -> int | None:
    return (seen.get(normalise_url(link.url)) or {}).get("version")


def record_results(source_name: str, results: list[tuple[StoryLink, StoryOutcome]], settings: Settings,
                   validators: dict[str, str] | None = None, store: ObjectStore | None = None) -> None:
    """Merge this poll's outcomes (and the source's new validators) into the
    source's state, racing other pollers safely."""
    if not results and validators is None:
        return
    store = store or ObjectStore.for_settings(settings)
    key = state_key(source_name, settings)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for _round in range(_ROUNDS):
        # A corrupt state was set aside when the poll loaded it: replace it.
        document, etag = read_state(store, key, keep_aside=False)
        entries = dict((document or {}).get("entries", {}))
        for link, outcome in results:
            entries[normalise_url(link.url)] = {
                "marker": link.marker,
                "status": outcome.status,
                "story_id": outcome.story_id,
                "version": outcome.version,
                "at": now,
            }
        if len(entries) > MAX_ENTRIES:
            newest = sorted(entries.items(), key=lambda kv: kv[1].get("at") or "", reverse=True)
            entries = dict(newest[:MAX_ENTRIES])
        kept = (document or {}).get("validators") or {}
        state = {"source": source_name, "updated_at": now, "entries": entries,
                 "validators": kept if validators is None else validators}
        if (document or {}).get("entries") == entries and state["validators"] == kept:
            return  # nothing new to record
        if store.swap_json(key, state, etag):
            return
    raise PublishConflictError(f"poll state for source {source_name}: kept losing the race to update it")
