"""The bucket's feed, news sitemap and index, rendered from the catalog's entries."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
from lxml import etree

from tasks.catalog import (
    FEED_ENTRIES,
    NEWS,
    NEWS_ENTRIES,
    SITEMAP,
    CatalogEntry,
    StoryChange,
    apply_change,
    index_root,
    news_language,
    render_atom,
    render_index,
    render_news_sitemap,
    shard_of,
    stories_from_index,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def entry(n: int, *, hours_ago: float = 1.0, version: int = 1, headline: str | None = None) -> CatalogEntry:
    at = (NOW - timedelta(hours=hours_ago)).isoformat()
    return CatalogEntry(story_id=f"story-{n:05d}", url=f"https://news.example/{n}", headline=headline or f"Story {n}",
                        version=version, published=at, updated=at, summary=f"What happened in {n}.",
                        language="en-GB", page=f"https://cdn.example/stories/story-{n:05d}/v0001/article.html")


def test_a_correction_replaces_the_entry_and_moves_it_to_the_top():
    entries = [entry(1, hours_ago=3), entry(2, hours_ago=2)]
    corrected = CatalogEntry(**{**entry(1).as_dict(), "version": 2, "updated": NOW.isoformat(), "headline": "Fixed"})
    after = apply_change(entries, StoryChange(corrected, "usable"))
    assert [(e.story_id, e.version, e.headline) for e in after] == [("story-00001", 2, "Fixed"),
                                                                   ("story-00002", 1, "Story 2")]


def test_a_kill_or_an_embargo_takes_the_story_out():
    entries = [entry(1, hours_ago=2), entry(2, hours_ago=1)]
    killed = CatalogEntry(**{**entry(1).as_dict(), "version": 2})
    assert [e.story_id for e in apply_change(entries, StoryChange(killed, "canceled"))] == ["story-00002"]
    assert [e.story_id for e in apply_change(entries, StoryChange(entry(3), "withheld"))] == ["story-00002",
                                                                                            "story-00001"]


def test_a_late_older_version_never_replaces_a_newer_one():
    newer = CatalogEntry(**{**entry(1).as_dict(), "version": 3, "headline": "v3"})
    stale = CatalogEntry(**{**entry(1).as_dict(), "version": 2, "headline": "v2"})
    assert apply_change([newer], StoryChange(stale, "usable")) == [newer]
    assert apply_change([newer], StoryChange(stale, "canceled")) == [newer]


def test_the_recent_list_is_bounded():
    entries: list[CatalogEntry] = []
    for n in range(30):
        entries = apply_change(entries, StoryChange(entry(n, hours_ago=30 - n), "usable"), limit=10)
    assert len(entries) == 10
    assert entries[0].story_id == "story-00029"


def test_the_atom_feed_parses_and_holds_the_newest_hundred():
    entries = [entry(n, hours_ago=n / 10) for n in range(150)]
    raw = render_atom(entries, feed_id="urn:newsroom:latest", title="Latest stories",
                      self_url="https://cdn.example/feeds/latest.xml")
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == FEED_ENTRIES
    first = feed.entries[0]
    assert first.id == "https://news.example/0" and first.title == "Story 0"
    assert first.summary == "What happened in 0."
    assert first.published_parsed and first.updated_parsed
    assert feed.feed.updated.startswith("2026-12-01T12:00:00")


def test_a_headline_with_characters_xml_cannot_hold_still_renders():
    raw = render_atom([entry(1, headline="Bad\x00 \x1bheadline <b>&")], feed_id="f", title="t", self_url="s")
    parsed = feedparser.parse(raw)
    assert not parsed.bozo
    assert parsed.entries[0].title == "Bad headline <b>&"


def test_an_empty_catalog_is_still_a_valid_feed():
    feed = feedparser.parse(render_atom([], feed_id="f", title="t", self_url="s", now=NOW))
    assert not feed.bozo and feed.entries == []


def test_the_news_sitemap_keeps_the_last_48_hours_and_at_most_1000():
    entries = [entry(n, hours_ago=n * 0.04) for n in range(1300)]  # 0 … 52 hours ago
    entries.append(entry(9999, hours_ago=49))
    root = etree.fromstring(render_news_sitemap(entries, publication="The Example Times", now=NOW))
    assert root.tag == f"{{{SITEMAP}}}urlset"
    urls = root.findall(f"{{{SITEMAP}}}url")
    assert len(urls) == NEWS_ENTRIES
    locs = [u.findtext(f"{{{SITEMAP}}}loc") for u in urls]
    assert "https://news.example/9999" not in locs
    first = urls[0]
    assert first.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication/{{{NEWS}}}name") == "The Example Times"
    assert first.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication/{{{NEWS}}}language") == "en"
    assert first.findtext(f"{{{NEWS}}}news/{{{NEWS}}}title") == "Story 0"
    dates = [u.findtext(f"{{{NEWS}}}news/{{{NEWS}}}publication_date") for u in urls]
    for value in dates:
        assert NOW - datetime.fromisoformat(value.replace("Z", "+00:00")) <= timedelta(hours=48)


def test_shards_are_stable_and_spread():
    ids = [f"story-{n:05d}" for n in range(10_000)]
    counts: dict[int, int] = {}
    for story_id in ids:
        counts[shard_of(story_id)] = counts.get(shard_of(story_id), 0) + 1
    assert shard_of("story-00042") == shard_of("story-00042")
    assert len(counts) == 64 and max(counts.values()) < 2 * 10_000 / 64


def test_an_index_shard_round_trips():
    entries = [entry(2), entry(1)]
    raw = render_index(entries, shard=5)
    assert [e.story_id for e in stories_from_index(raw)] == ["story-00001", "story-00002"]
    assert stories_from_index(raw)[0] == entry(1)
    root = json.loads(index_root({5: 2, 1: 7}, "index/shards/{shard:02d}.json"))
    assert root["count"] == 9 and root["shards"][0] == {"shard": 1, "key": "index/shards/01.json", "count": 7}


SCHEMAS = Path(__file__).parent / "sitemap_schemas"


def sitemap_schema() -> etree.XMLSchema:
    """The sitemap protocol's schema, with the news extension it imports."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))


def test_the_news_sitemap_is_valid_under_the_protocols_schemas():
    schema = sitemap_schema()
    languages = ["en-GB", "pt-BR", "zh-TW", "zh-Hans-CN", "de", "", "und", "x-klingon", "EN_us"]
    entries = [replace(entry(n, headline=f"Story {n} & <more> \u00e9t\u00e9"), language=language)
               for n, language in enumerate(languages)]
    document = etree.fromstring(render_news_sitemap(entries, publication="The Example Times", now=NOW))
    assert schema.validate(document), schema.error_log.last_error
    assert len(document) == len(entries)
    # The schema refuses what the protocol refuses.
    broken = etree.fromstring(render_news_sitemap(entries[:1], publication="The Example Times", now=NOW))
    broken.find(f".//{{{NEWS}}}language").text = "English"
    assert not schema.validate(broken)


def test_an_empty_news_sitemap_is_valid_under_the_protocols_schemas():
    assert sitemap_schema().validate(etree.fromstring(render_news_sitemap([], publication="The Example Times",
                                                                        now=NOW)))


def test_news_languages_are_the_codes_google_news_takes():
    assert [news_language(tag) for tag in ("en-GB", "pt_BR", "DE", "zh-TW", "zh-Hant", "zh-HK", "zh", "zh-Hans")] \
        == ["en", "pt", "de", "zh-tw", "zh-tw", "zh-tw", "zh-cn", "zh-cn"]
    assert [news_language(tag, "fr") for tag in (None, "", "und", "x-private", "1234", "english")] == ["fr"] * 6


def test_the_default_language_is_read_as_a_tag_too():
    rendered = render_news_sitemap([replace(entry(1), language=None)], publication="The Example Times",
                                   default_language="pt-BR", now=NOW)
    assert etree.fromstring(rendered).findtext(f".//{{{NEWS}}}language") == "pt"
