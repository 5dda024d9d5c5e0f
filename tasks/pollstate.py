"""What poll-feeds has already handled, kept in the bucket, not on local disk.

One JSON object per source under ``{prefix}/_state/sources/{name}.json``
(story ids never start with ``_``, so it cannot collide with a story). Any
worker can run a poll; concurrent polls merge their updates through
conditional writes instead of overwriting each other.
"""

from __future__ import annotations

from datetime import datetime, timezone

from config.settings import Settings, get_settings
from tasks.errors import PublishConflictError
from tasks.feeds import StoryLink
from tasks.models import StoryOutcome
from tasks.publish import _Store, s3_client
from tasks.storykeys import normalise_url

# Entries not seen in a feed for this many polls are forgotten.
MAX_ENTRIES = 5000
_ROUNDS = 8


def state_key(source_name: str, settings: Settings) -> str:
    prefix = "/".join(seg for seg in settings.s3_prefix.split("/") if seg and seg not in (".", ".."))
    return f"{prefix}/_state/sources/{source_name}.json" if prefix else f"_state/sources/{source_name}.json"


def _store(settings: Settings) -> _Store:
    return _Store(s3_client(settings), settings.s3_bucket)


def load_seen(source_name: str, settings: Settings | None = None) -> dict[str, dict]:
    """Entries already handled for a source: normalised URL → record."""
    settings = settings or get_settings()
    document, _etag = _store(settings).read_json(state_key(source_name, settings))
    return dict((document or {}).get("entries", {}))


def is_new_or_changed(link: StoryLink, seen: dict[str, dict]) -> bool:
    record = seen.get(normalise_url(link.url))
    if record is None or record.get("status") not in ("published", "unchanged", "withdrawn"):
        return True  # never handled, or it failed last time: try again
    return record.get("marker") != link.marker


def seen_version(link: StoryLink, seen: dict[str, dict]) -> int | None:
    return (seen.get(normalise_url(link.url)) or {}).get("version")


def record_results(source_name: str, results: list[tuple[StoryLink, StoryOutcome]],
                   settings: Settings | None = None) -> None:
    """Merge this poll's outcomes into the source's state, racing other pollers safely."""
    settings = settings or get_settings()
    if not results:
        return
    store = _store(settings)
    key = state_key(source_name, settings)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for _round in range(_ROUNDS):
        document, etag = store.read_json(key)
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
        if store.swap_pointer(key, {"source": source_name, "updated_at": now, "entries": entries}, etag):
            return
    raise PublishConflictError(f"poll state for source {source_name}: kept losing the race to update it")
