"""After a publish: make the story findable and tell the world.

Once a version is current (its pointer swapped), four things follow, in
this order, each idempotent so that a retried step converges:

0. an embargo the story was under ends: a newer version or a kill takes
   its place, so its scheduled release is cancelled (tasks/embargo.py);
1. the URLs the page was fetched from become aliases of the story
   (tasks/lookup.py), so an editor can name it by the address they have;
2. the bucket's feed, news sitemap and index take the change
   (tasks/catalog_store.py); a withdrawn or embargoed story leaves them;
3. a Prefect event says what happened (tasks/events.py).

An unchanged republish emits nothing, and writes only to complete a catalog
update that an earlier attempt left undone.
"""

from __future__ import annotations

import logging

from config.settings import Settings
from tasks.catalog import CatalogEntry, StoryChange
from tasks.catalog_store import CatalogLocations, catalog_holds, update_catalog
from tasks.documents import Pointer, parse_document
from tasks.embargo import cancel_embargo
from tasks.events import StoryEvent, emit_story_event, kind_of_change
from tasks.lookup import record_aliases
from tasks.models import Draft, PublishResult, StoryStatus
from tasks.releases import PrefectReleases, Releases
from tasks.storage import ObjectStore
from tasks.storykeys import story_prefix

log = logging.getLogger(__name__)
SUMMARY_CHARS = 300


def catalog_locations(settings: Settings) -> CatalogLocations:
    index = settings.catalog_index_key
    return CatalogLocations(recent=settings.catalog_recent_key, feed=settings.catalog_feed_key,
                            sitemap=settings.catalog_sitemap_key, index=index,
                            index_shard=index.rsplit("/", 1)[0] + "/shards/{shard:02d}.json" if "/" in index
                            else "shards/{shard:02d}.json",
                            public_base_url=settings.public_base_url, publication=settings.publication_name)


def announce(store: ObjectStore, settings: Settings, draft: Draft, result: PublishResult, *,
             released: bool = False, repair: bool = False, releases: Releases | None = None) -> StoryEvent | None:
    """Aliases, catalog and event for a version that was just published; the event emitted, if any.

    ``repair``: the version was published earlier (a rerun of a step that was
    cut short): bring the catalog up to date with it, and emit nothing.
    """
    if result.status not in (StoryStatus.PUBLISHED, StoryStatus.UNCHANGED):
        return None
    if (result.status == StoryStatus.PUBLISHED or repair) and not released:
        cancel_embargo(store, settings, releases or PrefectReleases(settings.release_deployment), result.story_id,
                       f"version {result.version} ({draft.pub_status}) was published")
    base = story_prefix(settings.s3_prefix, result.story_id)
    pointer_key = f"{base}/latest.json"
    found = store.read(pointer_key)
    if found is None:
        return None  # a kill or a newer publish moved it on; theirs to announce
    pointer = parse_document(Pointer, pointer_key, found.data)
    if pointer.version != result.version:
        return None  # a newer version is already current: its publisher announces it
    if result.status == StoryStatus.UNCHANGED:
        # Nothing new, unless an earlier attempt published and then failed to
        # update the catalog: then this retry completes it, without an event.
        if not repair and (not settings.catalog_enabled or pointer.pub_status != "usable" or catalog_holds(
                store, catalog_locations(settings), result.story_id, pointer.version)):
            return None
    if draft.fetched_urls:
        record_aliases(store, settings.s3_prefix, result.story_id, draft.fetched_urls)
    previous = pointer.history[-2].pub_status if len(pointer.history) > 1 else None
    folder = f"{base}/v{pointer.version:04d}"
    if settings.catalog_enabled:
        locations = catalog_locations(settings)
        entry = CatalogEntry(
            story_id=result.story_id, url=pointer.canonical_url or draft.article.url,
            headline=pointer.headline or draft.article.headline, version=pointer.version,
            published=pointer.first_created or pointer.updated_at or "", updated=pointer.updated_at or "",
            summary=_summary(draft), language=draft.article.language,
            page=locations.public(f"{folder}/article.html"))
        update_catalog(store, StoryChange(entry, pointer.pub_status), locations)
    event = StoryEvent(
        kind=kind_of_change(pub_status=pointer.pub_status, version=pointer.version, previous_status=previous,
                            released=released),
        story_id=result.story_id, url=pointer.canonical_url or draft.article.url, version=pointer.version,
        headline=pointer.headline or draft.article.headline, bucket=store.bucket, latest_key=pointer_key,
        manifest_key=pointer.manifest, objects=result.objects)
    if result.status == StoryStatus.UNCHANGED:
        return None
    emit_story_event(event)
    return event


def _summary(draft: Draft) -> str:
    text = draft.article.description or next(iter(draft.article.paragraphs), "")
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
