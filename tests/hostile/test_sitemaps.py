"""Sitemaps of any size cost a poll the protocol's 50,000 entries and the source's limit.

The peak memory of these cases, each in its own process, is what
``python -m tests.hostile.sitemap_memory`` prints; here the behaviour is
asserted: where reading stops, and how many links come back.
"""

from __future__ import annotations

import pytest

from config.settings import Settings
from config.sources import Source
from tasks.feeds import discover
from tasks.sitemaps import MAX_URLS_PER_FILE, parse_sitemap
from tests.hostile.sitemap_memory import CHILDREN, URLS, huge_sitemap, index_of
from tests.httpstub import Reply, http_stub

LOCAL = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_retries=0)
XML = {"Content-Type": "application/xml"}


@pytest.fixture(scope="module")
def huge() -> bytes:
    return huge_sitemap(URLS)


@pytest.mark.timeout(300)
def test_a_sitemap_of_900000_urls_is_read_to_the_protocols_50000(huge):
    sitemap = parse_sitemap(huge, "https://news.example/sitemap.xml.gz", "huge", limit=20)
    assert sitemap.entries == MAX_URLS_PER_FILE == 50_000
    assert sitemap.cut == "more than 50000 entries; the rest were not read"
    # undated entries keep the listing's order: the first 20 of it
    assert [link.url for link in sitemap.links] == [
        f"https://news.example/2026/story-{i:07d}.html" for i in range(20)]


@pytest.mark.timeout(300)
def test_an_index_of_five_huge_children_yields_the_source_limit(huge):
    with http_stub() as stub:
        children = [stub.route(f"/child-{i}.xml.gz", Reply(body=huge, headers=XML)) for i in range(CHILDREN + 2)]
        index = stub.route("/sitemap.xml", Reply(body=index_of(children), headers=XML))
        links = discover(Source(name="huge", url=index, kind="sitemap", limit=75), LOCAL)
    assert len(links) == 75 and len({link.url for link in links}) == 75
    # five children followed, each once; the two beyond MAX_CHILD_SITEMAPS never asked
    assert [stub.hits.get(f"/child-{i}.xml.gz", 0) for i in range(CHILDREN + 2)] == [1] * CHILDREN + [0, 0]
