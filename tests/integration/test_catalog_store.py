"""The bucket's feed, sitemap and index kept current on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from lxml import etree

from tasks.catalog import SITEMAP, CatalogEntry, StoryChange
from tasks.catalog_store import CatalogLocations, read_recent, refresh_renderings, update_catalog
from tasks.documents import CorruptObjectError
from tasks.storage import ObjectStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
LOCATIONS = CatalogLocations(public_base_url="https://cdn.example", publication="The Example Times")


@pytest.fixture
def store(seaweedfs) -> ObjectStore:
    client = seaweedfs.client()
    bucket = f"catalog-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return ObjectStore(client, bucket)


def entry(n: int, version: int = 1, minutes_ago: int = 0) -> CatalogEntry:
    at = (NOW - timedelta(minutes=minutes_ago)).isoformat()
    return CatalogEntry(story_id=f"story-{n:04d}", url=f"https://news.example/{n}", headline=f"Story {n}",
                        version=version, published=at, updated=at, summary=f"Summary {n}", language="en")


def feed(store: ObjectStore):
    return feedparser.parse(store.read(LOCATIONS.feed).data)


def sitemap_locs(store: ObjectStore) -> list[str]:
    root = etree.fromstring(store.read(LOCATIONS.sitemap).data)
    return [u.findtext(f"{{{SITEMAP}}}loc") for u in root.findall(f"{{{SITEMAP}}}url")]


def index_ids(store: ObjectStore) -> set[str]:
    root = json.loads(store.read(LOCATIONS.index).data)
    ids: set[str] = set()
    for shard in root["shards"]:
        stories = json.loads(store.read(shard["key"]).data)["stories"]
        assert len(stories) == shard["count"]
        ids |= {s["story_id"] for s in stories}
    return ids


@pytest.mark.timeout(300)
def test_publish_correct_and_kill_show_in_the_feed_sitemap_and_index(store):
    update_catalog(store, StoryChange(entry(1, minutes_ago=10), "usable"), LOCATIONS, now=NOW)
    update_catalog(store, StoryChange(entry(2, minutes_ago=5), "usable"), LOCATIONS, now=NOW)
    parsed = feed(store)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["Story 2", "Story 1"]
    assert parsed.feed.links[0].href == "https://cdn.example/feeds/latest.xml"
    assert sitemap_locs(store) == ["https://news.example/2", "https://news.example/1"]
    assert index_ids(store) == {"story-0001", "story-0002"}

    corrected = CatalogEntry(**{**entry(1).as_dict(), "version": 2, "headline": "Story 1, corrected",
                                "updated": NOW.isoformat()})
    update_catalog(store, StoryChange(corrected, "usable"), LOCATIONS, now=NOW)
    assert [e.title for e in feed(store).entries] == ["Story 1, corrected", "Story 2"]

    killed = CatalogEntry(**{**entry(2).as_dict(), "version": 2})
    update_catalog(store, StoryChange(killed, "canceled"), LOCATIONS, now=NOW)
    assert [e.title for e in feed(store).entries] == ["Story 1, corrected"]
    assert sitemap_locs(store) == ["https://news.example/1"]
    assert index_ids(store) == {"story-0001"}

    embargoed = entry(3)
    update_catalog(store, StoryChange(embargoed, "withheld"), LOCATIONS, now=NOW)
    assert "story-0003" not in index_ids(store)
    assert "https://news.example/3" not in sitemap_locs(store)


@pytest.mark.timeout(600)
def test_concurrent_publishers_converge_on_one_feed_with_every_story(store):
    stories = 24
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def publisher(worker: int) -> None:
        try:
            barrier.wait()
            for n in range(worker, stories, 6):
                update_catalog(store, StoryChange(entry(n, minutes_ago=stories - n), "usable"), LOCATIONS, now=NOW)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=publisher, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    revision, recent, _etag = read_recent(store, LOCATIONS.recent)
    assert revision == stories and len(recent) == stories
    titles = [e.title for e in feed(store).entries]
    assert titles == [f"Story {n}" for n in reversed(range(stories))]
    assert len(sitemap_locs(store)) == stories
    assert index_ids(store) == {f"story-{n:04d}" for n in range(stories)}
    head = store.client.head_object(Bucket=store.bucket, Key=LOCATIONS.feed)
    assert head["Metadata"]["catalog-revision"] == str(stories)


@pytest.mark.timeout(120)
def test_a_corrupt_recent_list_is_named_not_overwritten(store):
    store.client.put_object(Bucket=store.bucket, Key=LOCATIONS.recent, Body=b'{"revision": "x"}')
    with pytest.raises(CorruptObjectError, match="catalog/recent.json is corrupt"):
        update_catalog(store, StoryChange(entry(1), "usable"), LOCATIONS, now=NOW)
    assert store.read(LOCATIONS.recent).data == b'{"revision": "x"}'



@pytest.mark.timeout(120)
def test_a_refresh_renders_the_stored_list_again_without_changing_it(store):
    update_catalog(store, StoryChange(entry(1, minutes_ago=10), "usable"), LOCATIONS, now=NOW)
    revision, stories, _etag = read_recent(store, LOCATIONS.recent)
    # An update cut short after the list was swapped, before its renderings: the feed is gone.
    store.client.delete_object(Bucket=store.bucket, Key=LOCATIONS.feed)
    refreshed = refresh_renderings(store, LOCATIONS, now=NOW)
    assert refreshed.revision == revision
    assert [e.title for e in feed(store).entries] == ["Story 1"]
    assert read_recent(store, LOCATIONS.recent)[:2] == (revision, stories)  # the list is untouched
    # Two days on with nothing published: the news sitemap lets the story go; the feed keeps it.
    refresh_renderings(store, LOCATIONS, now=NOW + timedelta(hours=49))
    assert sitemap_locs(store) == []
    assert [e.title for e in feed(store).entries] == ["Story 1"]
