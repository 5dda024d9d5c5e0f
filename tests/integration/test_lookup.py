"""A story is found by its id, its canonical URL, or any URL it was fetched from (SeaweedFS)."""

from __future__ import annotations

import uuid

import pytest

from tasks.lookup import StoryNotFoundError, alias_key, find_story, record_aliases
from tasks.storage import ObjectStore
from tasks.storykeys import story_id_for, story_prefix

CANONICAL = "https://news.example/world/2016/sep/23/aleppo-offensive"
FETCHED = "https://m.news.example/a/12345?utm_source=feed"
REDIRECTED = "https://news.example/a/12345"


@pytest.fixture
def store(seaweedfs) -> ObjectStore:
    client = seaweedfs.client()
    bucket = f"lookup-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return ObjectStore(client, bucket)


def publish(store: ObjectStore, story_id: str) -> None:
    store.swap_json(f"{story_prefix('stories', story_id)}/latest.json", {"version": 1}, None)


@pytest.mark.timeout(120)
def test_found_by_id_canonical_url_and_every_fetched_url(store):
    story_id = story_id_for(CANONICAL)
    publish(store, story_id)
    written = record_aliases(store, "stories", story_id, (FETCHED, REDIRECTED, CANONICAL))
    assert len(written) == 2  # the canonical URL needs no alias
    assert find_story(store, "stories", story_id).how == "story id"
    assert find_story(store, "stories", CANONICAL).how == "canonical URL"
    found = find_story(store, "stories", FETCHED)
    assert (found.story_id, found.how) == (story_id, "fetched URL")
    # The fetched URL as an editor pastes it, tracking parameters dropped or not.
    assert find_story(store, "stories", "https://m.news.example/a/12345").story_id == story_id
    assert find_story(store, "stories", REDIRECTED).story_id == story_id


@pytest.mark.timeout(120)
def test_an_alias_is_never_taken_over_by_a_later_story(store):
    first, second = story_id_for(CANONICAL), story_id_for(CANONICAL + "-2")
    publish(store, first)
    publish(store, second)
    record_aliases(store, "stories", first, (FETCHED,))
    assert record_aliases(store, "stories", second, (FETCHED,)) == []
    assert store.read_json(alias_key("stories", FETCHED))[0]["story_id"] == first


@pytest.mark.timeout(120)
def test_an_unknown_story_names_what_was_looked_up_and_how(store):
    with pytest.raises(StoryNotFoundError) as raised:
        find_story(store, "stories", "https://news.example/never-published")
    message = str(raised.value)
    assert "no published story for 'https://news.example/never-published'" in message
    assert "by canonical URL (story id never-published-" in message
    assert "by URLs stories were fetched from" in message and "\n" not in message
    with pytest.raises(StoryNotFoundError, match="by story id missing-story-123"):
        find_story(store, "stories", "missing-story-123")
    with pytest.raises(StoryNotFoundError, match="neither a story id nor an http"):
        find_story(store, "stories", "ftp://x/../etc")
