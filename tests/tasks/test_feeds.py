from __future__ import annotations

import gzip

import pytest

from config.settings import Settings
from config.sources import Source
from tasks.feeds import FeedError, StoryLink, discover, merge_duplicates, parse_feed
from tests.conftest import FIXTURES

LOCAL = Settings(fetch_allowed_hosts=["127.0.0.1"])


def _source(url: str, **kw) -> Source:
    return Source(name="test", url=url, **kw)


def test_rss_items_newest_first_with_source_tags(site):
    links = discover(_source(f"{site}/feeds/news.rss", tags=["Local"]), LOCAL)
    assert [l.url.rsplit("/", 1)[1].split("?")[0] for l in links] == [
        "river-flood-warning.html", "library-digitises-archive.html", "harbour-bridge-reopens.html"]
    assert links[0].title == "Flood warning issued as river rises after record rainfall"
    assert links[0].published == "2026-11-22T18:45:00+00:00"
    assert all(l.tags == ("Local",) and l.source == "test" for l in links)


def test_atom_entries_carry_updated_marker(site):
    (link,) = discover(_source(f"{site}/feeds/world.atom"), LOCAL)
    assert link.url == f"{site}/pages/aleppo-offensive.html"
    assert link.updated == "2016-09-23T08:47:35+00:00" and link.marker == link.updated


def test_news_sitemap_keeps_only_news_entries_and_their_keywords(site):
    links = discover(_source(f"{site}/feeds/news-sitemap.xml", kind="auto", tags=["Local"]), LOCAL)
    assert [l.url.rsplit("/", 1)[1] for l in links] == ["river-flood-warning.html",
                                                         "library-digitises-archive.html"]
    assert links[0].tags == ("Local", "Weather", "Flooding")


def test_limit_keeps_the_newest(site):
    links = discover(_source(f"{site}/feeds/news.rss", limit=1), LOCAL)
    assert len(links) == 1 and "river-flood-warning" in links[0].url


@pytest.mark.parametrize("path, message", [
    ("feeds/broken.rss", "not a readable feed"),
    ("pages/aleppo-offensive.html", "not"),
])
def test_broken_or_wrong_documents_are_clear_errors(site, path, message):
    with pytest.raises(FeedError, match=message):
        discover(_source(f"{site}/{path}", kind="feed"), LOCAL)


def test_sitemap_that_is_not_xml_or_not_a_sitemap(site):
    with pytest.raises(FeedError, match="sitemap"):
        discover(_source(f"{site}/feeds/news.rss", kind="sitemap"), LOCAL)


def test_gzip_sitemap_and_entity_tricks_are_safe():
    from tasks.feeds import parse_sitemap

    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://n.example/a&b;&xxe;'
            b'</loc></url></urlset>')
    links = parse_sitemap(gzip.compress(bomb), "https://n.example/s.xml.gz", "s").links
    assert len(links) == 1 and "root:" not in links[0].url and len(links[0].url) < 100


def test_feed_without_links_and_not_a_feed():
    with pytest.raises(FeedError, match="not a readable feed"):
        parse_feed(b"just some text", "https://n.example/feed", "s")


def test_a_story_in_two_sources_is_merged_with_both_tag_sets():
    a = StoryLink(url="https://n.example/x?utm_source=rss", source="rss", tags=("Local",))
    b = StoryLink(url="https://n.example/x", source="map", tags=("local", "Weather"))
    (merged,) = merge_duplicates([a, b]).values()
    assert merged.tags == ("Local", "Weather")


def test_an_unchanged_source_answers_304_and_is_not_parsed():
    from tasks.feeds import discover_changes
    from tests.httpstub import Reply, http_stub

    feed = (FIXTURES / "feeds" / "world.atom").read_bytes().replace(b"{{SITE}}", b"https://news.example")
    with http_stub() as stub:
        url = stub.route("/feed.atom", Reply(body=feed, headers={"Content-Type": "application/atom+xml",
                                                                  "ETag": '"v1"', "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT"}),
                         Reply(status=304, body=b"", headers={"ETag": '"v1"'}))
        first = discover_changes(_source(url), LOCAL)
        again = discover_changes(_source(url), LOCAL, **first.validators)
    assert len(first.links) == 1 and first.validators == {"etag": '"v1"', "last_modified": "Tue, 24 Nov 2026 10:00:00 GMT"}
    assert again.not_modified and again.links == [] and again.validators == first.validators
    sent = stub.headers_seen[-1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert "If-None-Match" not in stub.headers_seen[0]


def test_a_304_to_an_unconditional_request_is_an_error():
    from tasks.errors import FetchError
    from tasks.feeds import discover_changes
    from tests.httpstub import Reply, http_stub

    with http_stub() as stub:
        url = stub.route("/feed.rss", Reply(status=304, body=b""))
        with pytest.raises(FetchError, match="304 Not Modified to a request that was not conditional"):
            discover_changes(_source(url), LOCAL)


def test_a_sitemap_index_is_always_read_in_full():
    """Its child sitemaps can gain stories while the index stays the same."""
    from tasks.feeds import discover_changes
    from tests.httpstub import Reply, http_stub

    xml = {"Content-Type": "application/xml", "ETag": '"index-v1"'}
    with http_stub() as stub:
        child = stub.route("/sitemap-news.xml", Reply(headers=xml, body=(
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>https://news.example/a.html</loc><lastmod>2026-11-24T10:00:00Z</lastmod></url></urlset>")))
        index = stub.route("/sitemap.xml", Reply(headers=xml, body=(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{child}</loc></sitemap></sitemapindex>").encode()))
        found = discover_changes(_source(index), LOCAL)
    assert [link.url for link in found.links] == ["https://news.example/a.html"]
    assert found.validators == {} and not found.not_modified
