from __future__ import annotations

import pytest

from tasks.storykeys import is_story_id, normalise_url, story_id_for, story_prefix


@pytest.mark.parametrize("url", [
    "https://news.example/world/2016/sep/23/aleppo-offensive",
    "https://news.example/../../etc/passwd",
    "https://news.example/%2e%2e/%2F%2Fx",
    "https://news.example/a\x00b/\n\r../",
    "https://news.example/" + "x" * 5000,
    "https://news.example/ünïcödé/标题",
    "https://news.example/",
])
def test_story_ids_are_safe_key_segments(url):
    story_id = story_id_for(url)
    assert is_story_id(story_id)
    assert ".." not in story_id and "/" not in story_id and len(story_id) <= 80
    key = story_prefix("stories", story_id)
    assert key.startswith("stories/") and key.count("/") == 1


def test_same_story_same_id_whatever_the_tracking():
    a = story_id_for("https://News.Example:443/world/story-one/?utm_source=x#top")
    b = story_id_for("https://news.example/world/story-one")
    assert a == b
    assert story_id_for("https://news.example/world/story-two") != b
    assert normalise_url("HTTP://A.example:80/x/?b=1&utm_medium=y") == "http://a.example/x?b=1"


@pytest.mark.parametrize("bad", ["../x", "/abs", "a/b", "", "x\ny", "A-UPPER"])
def test_prefix_refuses_anything_but_a_story_id(bad):
    with pytest.raises(ValueError):
        story_prefix("stories", bad)


def test_prefix_setting_cannot_climb_out():
    assert story_prefix("/../stories/./", "abc-123") == "stories/abc-123"
