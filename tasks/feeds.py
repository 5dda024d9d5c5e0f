"""Discover story URLs from RSS/Atom feeds and (news) sitemaps.

Feeds are parsed with feedparser, which copes with decades of feed dialects
and damage; sitemaps with lxml under a parser that never resolves entities or
touches the network. Either way the result is a list of ``StoryLink``s,
newest first, capped by the source's ``limit``.
"""

from __future__ import annotations

import calendar
import gzip
import io
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser
from lxml import etree
from prefect import task

from config.settings import Settings, get_settings
from config.sources import Source
from tasks.errors import PipelineError
from tasks.fetch import DEFAULT_NETWORK_TASK_OPTIONS, fetch_if_changed, fetch_resource
from tasks.storykeys import normalise_url

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_NS = {"sm": _SITEMAP_NS, "news": _NEWS_NS}
# Child sitemaps followed from a sitemap index, per poll.
MAX_CHILD_SITEMAPS = 5
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              remove_comments=True, remove_pis=True)


class FeedError(PipelineError):
    """A feed or sitemap that cannot be read as one."""


@dataclass(frozen=True)
class StoryLink:
    url: str
    source: str
    title: str | None = None
    published: str | None = None
    updated: str | None = None  # changes when the publisher updates the story
    guid: str | None = None
    tags: tuple[str, ...] = ()
    robots: bool = True  # respect the site's robots.txt before fetching the story

    @property
    def marker(self) -> str:
        """What tells one edition of the entry from the next."""
        return self.updated or self.published or self.guid or ""


def _iso(parsed: object) -> str | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def parse_feed(data: bytes, feed_url: str, source: str, tags: tuple[str, ...] = ()) -> list[StoryLink]:
    """Entries of an RSS or Atom feed; FeedError when it is not a readable feed."""
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": feed_url},
                              sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and not parsed.get("bozo") and not parsed.get("version"):
        raise FeedError(f"{feed_url}: not an RSS or Atom feed")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if not link:
            continue
        link = urljoin(feed_url, link.strip())
        if not link.startswith(("http://", "https://")):
            continue
        links.append(StoryLink(
            url=link,
            source=source,
            title=(entry.get("title") or "").strip() or None,
            published=_iso(entry.get("published_parsed")),
            updated=_iso(entry.get("updated_parsed")),
            guid=entry.get("id"),
            tags=tags,
        ))
    if not links and parsed.get("bozo"):
        # feedparser recovers what it can; a damaged feed with nothing usable is an error.
        reason = " ".join(str(parsed.get("bozo_exception", "malformed")).split())[:200]
        raise FeedError(f"{feed_url}: not a readable feed ({reason})")
    return links


def _parse_xml(data: bytes, url: str) -> etree._Element:
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(50 * 1024 * 1024 + 1)
        except (OSError, EOFError) as exc:
            raise FeedError(f"{url}: broken gzip sitemap ({exc})") from None
        if len(data) > 50 * 1024 * 1024:
            raise FeedError(f"{url}: sitemap larger than 50 MB uncompressed (the protocol's limit)")
    try:
        return etree.fromstring(data, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"{url}: not a readable sitemap ({exc})") from None


def parse_sitemap(root: etree._Element, sitemap_url: str, source: str,
                  tags: tuple[str, ...] = ()) -> tuple[list[StoryLink], list[str]]:
    """(story links, child sitemap URLs) of a urlset or a sitemapindex."""
    local = etree.QName(root).localname
    if local == "sitemapindex":
        children = [urljoin(sitemap_url, loc.strip()) for loc in root.xpath("sm:sitemap/sm:loc/text()", namespaces=_NS)]
        return [], children
    if local != "urlset":
        raise FeedError(f"{sitemap_url}: not a sitemap (root element <{local}>)")
    urls = root.xpath("sm:url", namespaces=_NS)
    # In a news sitemap only the <news:news> entries are stories.
    if any(u.find(f"{{{_NEWS_NS}}}news") is not None for u in urls):
        urls = [u for u in urls if u.find(f"{{{_NEWS_NS}}}news") is not None]
    links = []
    for entry in urls:
        loc = (entry.findtext(f"{{{_SITEMAP_NS}}}loc") or "").strip()
        if not loc:
            continue
        url = urljoin(sitemap_url, loc)
        if not url.startswith(("http://", "https://")):
            continue
        keywords = entry.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}keywords") or ""
        extra = tuple(k.strip() for k in keywords.split(",") if k.strip())
        links.append(StoryLink(
            url=url,
            source=source,
            title=(entry.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}title") or "").strip() or None,
            published=(entry.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}publication_date") or "").strip() or None,
            updated=(entry.findtext(f"{{{_SITEMAP_NS}}}lastmod") or "").strip() or None,
            tags=tags + tuple(k for k in extra if k.casefold() not in {t.casefold() for t in tags}),
        ))
    return links, []


def _newest_first(links: list[StoryLink], limit: int) -> list[StoryLink]:
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    # Undated entries keep their document order, after the dated ones.
    dated = sorted((l for l in unique if l.published), key=lambda l: _sort_key(l.published), reverse=True)
    undated = [l for l in unique if not l.published]
    return (dated + undated)[:limit]


def _sort_key(value: str | None) -> float:
    try:
        parsed = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def merge_duplicates(links: list[StoryLink]) -> dict[str, StoryLink]:
    """One link per story (by normalised URL), carrying the tags of every listing
    (and robots.txt respected if any listing asks for it)."""
    merged: dict[str, StoryLink] = {}
    for link in links:
        key = normalise_url(link.url)
        if key in merged:
            known = merged[key]
            extra = tuple(t for t in link.tags if t.casefold() not in {k.casefold() for k in known.tags})
            merged[key] = replace(known, tags=known.tags + extra, robots=known.robots or link.robots)
        else:
            merged[key] = link
    return merged


@dataclass(frozen=True)
class Discovery:
    """What a source lists now, and the validators to ask next time whether it changed."""

    links: list[StoryLink]
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # the source answered 304: nothing to list

    @property
    def validators(self) -> dict[str, str]:
        return {k: v for k, v in (("etag", self.etag), ("last_modified", self.last_modified)) if v}


def discover_changes(source: Source, settings: Settings | None = None, *, etag: str | None = None,
                     last_modified: str | None = None) -> Discovery:
    """Fetch a source with a conditional GET and list its stories, newest first.

    Unchanged since the given validators, the source costs one 304 and no parsing.
    """
    settings = settings or get_settings()
    response = fetch_if_changed(source.url, settings, etag=etag, last_modified=last_modified)
    if response.status == 304:
        return Discovery([], etag, last_modified, not_modified=True)
    links, children = _links(source, response.url, response.body, settings)
    if children:
        # A sitemap index can stay the same while its child sitemaps gain
        # stories: such a source is always read in full.
        return Discovery(links)
    return Discovery(links, response.etag, response.last_modified)


def discover(source: Source, settings: Settings | None = None) -> list[StoryLink]:
    """Fetch a source and list its stories, newest first."""
    return discover_changes(source, settings).links


def _links(source: Source, final_url: str, data: bytes, settings: Settings) -> tuple[list[StoryLink], int]:
    """(the source's stories, newest first; how many child sitemaps it named)."""
    if not data.strip():
        raise FeedError(f"{source.url}: the response is empty")
    kind = source.kind
    if kind == "auto":
        head = data.lstrip()[:600].lower()
        kind = "sitemap" if (b"<urlset" in head or b"<sitemapindex" in head or data[:2] == b"\x1f\x8b") else "feed"
    children: list[str] = []
    if kind == "feed":
        links = parse_feed(data, final_url, source.name, source.tags)
    else:
        links, children = _sitemap_links(source, data, final_url, settings)
    return [replace(link, robots=source.robots) for link in _newest_first(links, source.limit)], len(children)


def _sitemap_links(source: Source, data: bytes, final_url: str,
                   settings: Settings) -> tuple[list[StoryLink], list[str]]:
    links, children = parse_sitemap(_parse_xml(data, final_url), final_url, source.name, source.tags)
    for child in children[:MAX_CHILD_SITEMAPS]:
        child_url, child_data, _ = fetch_resource(child, settings)
        child_links, _nested = parse_sitemap(_parse_xml(child_data, child_url), child_url, source.name, source.tags)
        links.extend(child_links)
    return links, children


# Options as the fetch tasks' (tasks.fetch.network_task_options, with with_options at call time).
@task(name="discover", **DEFAULT_NETWORK_TASK_OPTIONS)
def discover_task(source: Source, etag: str | None = None, last_modified: str | None = None) -> Discovery:
    return discover_changes(source, etag=etag, last_modified=last_modified)
