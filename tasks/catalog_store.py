"""Keeping the bucket's feed, news sitemap and index current, with conditional writes.

After every publish, correction, kill and release the publisher calls
``update_catalog`` with what changed. The cost of one update does not grow
with the bucket: nothing is listed or scanned.

* ``catalog/recent.json`` holds the newest stories (at most 1,000: all the
  feed and the sitemap can show) and a revision number. It is updated by
  compare-and-swap (``If-Match``), so concurrent publishers serialise on it
  and none loses another's change.
* The feed and the sitemap are rendered from the recent list just written
  and carry its revision in their metadata. One is only replaced by a
  rendering of a higher revision (again by ``If-Match``), so whichever
  publisher writes last, the files converge on the newest list.
* The index is sharded by story id (64 shards); a change rewrites its
  story's shard (compare-and-swap) and, when a shard's count changes, the
  small root document that lists the shards.

So an update reads and writes O(1,000 + N/64) entries for N live stories:
at 10,000 stories, about 1,160.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from botocore.exceptions import ClientError

from tasks.catalog import (
    RECENT_ENTRIES,
    SHARDS,
    CatalogEntry,
    StoryChange,
    apply_change,
    index_root,
    render_atom,
    render_index,
    render_news_sitemap,
    shard_of,
)
from tasks.documents import CorruptObjectError
from tasks.errors import PublishConflictError
from tasks.storage import ObjectStore, is_missing, is_precondition_failure, storage_error

ROUNDS = 16
FEED_CACHE = "public, max-age=60"


@dataclass(frozen=True)
class CatalogLocations:
    """Where the catalog's objects live in the bucket, and how readers name it."""

    recent: str = "catalog/recent.json"
    feed: str = "feeds/latest.xml"
    sitemap: str = "sitemaps/news.xml"
    index: str = "index/stories.json"
    index_shard: str = "index/shards/{shard:02d}.json"
    public_base_url: str = ""  # e.g. https://cdn.example: the feed's self link and ids
    publication: str = "Newsroom"
    feed_title: str = "Latest stories"

    def public(self, key: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/{key}" if self.public_base_url else key


@dataclass(frozen=True)
class CatalogUpdate:
    revision: int
    recent: int  # stories in the recent list
    shard: int
    shard_count: int  # stories in the changed shard


def update_catalog(store: ObjectStore, change: StoryChange, locations: CatalogLocations = CatalogLocations(),
                   *, now: datetime | None = None) -> CatalogUpdate:
    """Apply ``change`` to the recent list, the feed, the sitemap and the index."""
    now = now or datetime.now(timezone.utc)
    revision, recent = _swap_recent(store, locations.recent, change)
    _write_rendering(store, locations.feed, revision, "application/atom+xml", render_atom(
        recent, feed_id=locations.public(locations.feed), title=locations.feed_title,
        self_url=locations.public(locations.feed), now=now))
    _write_rendering(store, locations.sitemap, revision, "application/xml", render_news_sitemap(
        recent, publication=locations.publication, now=now))
    shard, count, changed_count = _swap_shard(store, locations, change)
    if changed_count:
        _swap_root(store, locations, shard, count)
    return CatalogUpdate(revision=revision, recent=len(recent), shard=shard, shard_count=count)


def refresh_renderings(store: ObjectStore, locations: CatalogLocations = CatalogLocations(), *,
                       now: datetime | None = None) -> CatalogUpdate:
    """Render the feed and the sitemap again from the recent list as stored.

    Nothing changes the list, so a story it holds is never lost; the
    renderings are replaced unless a newer revision is already there. This
    completes an update cut short between the list and its renderings, and
    lets the news sitemap drop stories that aged past 48 hours with no
    publish since (the ``refresh-catalog`` flow runs it after every kill).
    """
    now = now or datetime.now(timezone.utc)
    revision, recent, _etag = read_recent(store, locations.recent)
    _write_rendering(store, locations.feed, revision, "application/atom+xml", render_atom(
        recent, feed_id=locations.public(locations.feed), title=locations.feed_title,
        self_url=locations.public(locations.feed), now=now), same_revision=True)
    _write_rendering(store, locations.sitemap, revision, "application/xml", render_news_sitemap(
        recent, publication=locations.publication, now=now), same_revision=True)
    return CatalogUpdate(revision=revision, recent=len(recent), shard=-1, shard_count=0)


def catalog_holds(store: ObjectStore, locations: CatalogLocations, story_id: str, version: int) -> bool:
    """Whether the index already lists this version of the story (or a newer one)."""
    key = locations.index_shard.format(shard=shard_of(story_id, SHARDS))
    found = store.read(key)
    entries = _shard_entries(key, found.data) if found else []
    return any(e.story_id == story_id and e.version >= version for e in entries)


def read_recent(store: ObjectStore, key: str) -> tuple[int, list[CatalogEntry], str | None]:
    document, etag = store.read_json(key)
    if document is None:
        return 0, [], None
    stories = document.get("stories")
    revision = document.get("revision")
    if not isinstance(stories, list) or not isinstance(revision, int):
        raise CorruptObjectError(key, "field 'stories' or 'revision' is not what the catalog writes")
    try:
        return revision, [CatalogEntry.from_dict(item) for item in stories], etag
    except (TypeError, AttributeError) as error:
        raise CorruptObjectError(key, f"a story entry is malformed ({error})") from None


def _swap_recent(store: ObjectStore, key: str, change: StoryChange) -> tuple[int, list[CatalogEntry]]:
    for _round in range(ROUNDS):
        revision, entries, etag = read_recent(store, key)
        updated = apply_change(entries, change, limit=RECENT_ENTRIES)
        document = {"revision": revision + 1, "stories": [e.as_dict() for e in updated]}
        if store.swap_json(key, document, etag):
            return revision + 1, updated
    raise PublishConflictError(f"catalog {key}: kept losing the race to update it; the next publish retries")


def _write_rendering(store: ObjectStore, key: str, revision: int, content_type: str, body: bytes, *,
                     same_revision: bool = False) -> None:
    """Replace ``key`` with this rendering unless a newer revision is already there
    (or, without ``same_revision``, the same one: a concurrent publisher rendered it)."""
    for _round in range(ROUNDS):
        try:
            head = store.client.head_object(Bucket=store.bucket, Key=key)
        except ClientError as error:
            if not is_missing(error):
                raise storage_error("reading", key, error) from None
            condition = {"IfNoneMatch": "*"}
        else:
            held = (head.get("Metadata") or {}).get("catalog-revision", "0")
            if held.isdigit() and (int(held) > revision or (int(held) == revision and not same_revision)):
                return  # a publisher after us already wrote a newer list
            condition = {"IfMatch": head["ETag"]}
        try:
            store.client.put_object(Bucket=store.bucket, Key=key, Body=body, ContentType=content_type,
                                    CacheControl=FEED_CACHE, Metadata={"catalog-revision": str(revision)},
                                    **condition)
            return
        except ClientError as error:
            if is_precondition_failure(error) or (condition.get("IfMatch") and is_missing(error)):
                continue  # someone wrote in between: look again
            raise storage_error("writing", key, error) from None
    raise PublishConflictError(f"catalog {key}: kept losing the race to replace it")


def _swap_shard(store: ObjectStore, locations: CatalogLocations, change: StoryChange) -> tuple[int, int, bool]:
    shard = shard_of(change.entry.story_id, SHARDS)
    key = locations.index_shard.format(shard=shard)
    for _round in range(ROUNDS):
        found = store.read(key)
        entries = _shard_entries(key, found.data) if found else []
        updated = apply_change(entries, change)
        document = json.loads(render_index(updated, shard=shard))
        if store.swap_json(key, document, found.etag if found else None):
            return shard, len(updated), len(updated) != len(entries)
    raise PublishConflictError(f"catalog {key}: kept losing the race to update it")


def _shard_entries(key: str, data: bytes) -> list[CatalogEntry]:
    try:
        document = json.loads(data)
        return [CatalogEntry.from_dict(item) for item in document["stories"]]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CorruptObjectError(key, f"not an index shard ({type(error).__name__})") from None


def _swap_root(store: ObjectStore, locations: CatalogLocations, shard: int, count: int) -> None:
    for _round in range(ROUNDS):
        document, etag = store.read_json(locations.index)
        counts = {item["shard"]: item["count"] for item in (document or {}).get("shards", [])
                  if isinstance(item, dict) and isinstance(item.get("shard"), int)}
        counts[shard] = count
        counts = {n: c for n, c in counts.items() if c}
        if store.swap_json(locations.index, json.loads(index_root(counts, locations.index_shard)), etag):
            return
    raise PublishConflictError(f"catalog {locations.index}: kept losing the race to update it")
