from __future__ import annotations

import gzip
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.links import Newest, StoryLink, newest_first
from tasks.sitemaps import FeedError, parse_sitemap

URLSET = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' \
         b' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">%s</urlset>'


def _entry(i: int, date: str | None = None, news: bool = False) -> bytes:
    extra = (b"<news:news><news:title>Story %d</news:title><news:publication_date>%s</news:publication_date>"
             b"</news:news>" % (i, date.encode())) if news and date else b""
    return b"<url><loc>https://news.example/s/%d.html</loc>%s</url>" % (i, extra)


def test_the_limit_is_applied_while_reading_and_keeps_the_newest():
    days = list(range(1, 29)) * 10
    random.Random(7).shuffle(days)
    entries = b"".join(_entry(i, f"2026-02-{day:02d}T10:00:00Z", news=True) for i, day in enumerate(days))
    sitemap = parse_sitemap(URLSET % entries, "https://news.example/sitemap.xml", "s", limit=4)
    assert [link.published for link in sitemap.links] == ["2026-02-28T10:00:00Z"] * 4
    # among equal dates, the listing's order
    expected = [i for i, day in enumerate(days) if day == 28][:4]
    assert [link.url for link in sitemap.links] == [f"https://news.example/s/{i}.html" for i in expected]
    assert sitemap.entries == len(days) and sitemap.cut is None


def test_in_a_news_sitemap_only_news_entries_are_stories():
    entries = _entry(1) + _entry(2, "2026-02-01", news=True) + _entry(3)
    links = parse_sitemap(URLSET % entries, "https://news.example/sitemap.xml", "s").links
    assert [link.url for link in links] == ["https://news.example/s/2.html"]
    assert links[0].title == "Story 2"


def test_reading_stops_at_50_mb_uncompressed():
    padding = b"<url><loc>https://news.example/pad</loc><extra>" + b"x" * 1_000_000 + b"</extra></url>"
    data = gzip.compress(URLSET % (_entry(1) + padding * 60), 1)
    assert len(data) < 1_000_000
    sitemap = parse_sitemap(data, "https://news.example/s.xml.gz", "s")
    assert sitemap.cut == "larger than 50 MB uncompressed; the rest was not read"
    assert [link.url for link in sitemap.links] == ["https://news.example/s/1.html", "https://news.example/pad"]
    assert sitemap.entries < 60


def test_an_index_names_at_most_the_children_asked_for():
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + b"".join(b"<sitemap><loc>/map-%d.xml</loc></sitemap>" % i for i in range(9)) + b"</sitemapindex>")
    sitemap = parse_sitemap(index, "https://news.example/index.xml", "s", max_children=3)
    assert sitemap.children == [f"https://news.example/map-{i}.xml" for i in range(3)]
    assert sitemap.entries == 9 and sitemap.links == [] and sitemap.is_index


@pytest.mark.parametrize("data, message", [
    (b"<rss><channel/></rss>", "root element <rss>"),
    (b"not xml at all", "not a readable sitemap"),
    (b"\x1f\x8b\x08\x00broken", "broken gzip sitemap"),
    (URLSET[:60] + b"<url><loc>https://x.example/1</loc>", "not a readable sitemap"),
])
def test_what_is_not_a_sitemap_is_one_clear_error(data, message):
    with pytest.raises(FeedError, match=message):
        parse_sitemap(data, "https://news.example/sitemap.xml", "s")


# --- the newest links of a listing, kept as it is read ------------------------

def _reference(links: list[StoryLink], limit: int) -> list[StoryLink]:
    """What a listing read whole and sorted gives: one per URL (its first listing),
    dated newest first in a stable sort, then the undated in order."""
    seen, unique = set(), []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    dated = sorted((l for l in unique if l.published), key=lambda l: l.published, reverse=True)
    return (dated + [l for l in unique if not l.published])[:limit]


_LINKS = st.lists(st.builds(
    lambda n, day: StoryLink(url=f"https://news.example/{n}", source="s",
                             published=f"2026-01-{day:02d}T00:00:00+00:00" if day else None),
    st.integers(0, 30), st.integers(0, 9)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(links=_LINKS, limit=st.integers(1, 12))
def test_keeping_the_newest_while_reading_equals_sorting_the_whole_listing(links, limit):
    assert newest_first(links, limit) == _reference(links, limit)


def test_the_collector_holds_no_more_than_its_limit():
    newest = Newest(3).extend(StoryLink(url=f"https://n.example/{i}", source="s",
                                        published=f"2026-01-01T00:00:{i % 60:02d}+00:00") for i in range(10_000))
    assert len(newest._dated) == 3 and len(newest.links()) == 3
