"""Discover story URLs from RSS/Atom feeds and (news) sitemaps.

Feeds are parsed with feedparser, which copes with decades of feed dialects
and damage; sitemaps as a stream by ``tasks.sitemaps``, which keeps only the
newest links and stops at the protocol's limits. Either way the result is a list of ``StoryLink``s,
newest first, capped by the source's ``limit``.
"""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser

from config.settings import Settings
from config.sources import Source
from tasks.fetch import fetch_if_changed, fetch_resource
from tasks.links import Newest, StoryLink, newest_first
from tasks.sitemaps import FeedError, parse_sitemap
from tasks.storykeys import normalise_url

__all__ = ["Discovery", "FeedError", "StoryLink", "discover", "discover_changes", "merge_duplicates",
           "parse_feed", "parse_sitemap"]

# Child sitemaps followed from a sitemap index, per poll.
MAX_CHILD_SITEMAPS = 5


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


def discover_changes(source: Source, settings: Settings, *, etag: str | None = None,
                     last_modified: str | None = None) -> Discovery:
    """Fetch a source with a conditional GET and list its stories, newest first.

    Unchanged since the given validators, the source costs one 304 and no parsing.
    """
    response = fetch_if_changed(source.url, settings, etag=etag, last_modified=last_modified)
    if response.status == 304:
        return Discovery([], etag, last_modified, not_modified=True)
    links, children = _links(source, response.url, response.body, settings)
    if children:
        # A sitemap index can stay the same while its child sitemaps gain
        # stories: such a source is always read in full.
        return Discovery(links)
    return Discovery(links, response.etag, response.last_modified)


def discover(source: Source, settings: Settings) -> list[StoryLink]:
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
        links = newest_first(parse_feed(data, final_url, source.name, source.tags), source.limit)
    else:
        links, children = _sitemap_links(source, data, final_url, settings)
    return [replace(link, robots=source.robots) for link in links], len(children)


def _sitemap_links(source: Source, data: bytes, final_url: str,
                   settings: Settings) -> tuple[list[StoryLink], list[str]]:
    """A sitemap's newest links or, for an index, its first children's, within the source's limit."""
    sitemap = parse_sitemap(data, final_url, source.name, source.tags, limit=source.limit,
                            max_children=MAX_CHILD_SITEMAPS)
    newest = Newest(source.limit).extend(sitemap.links)
    for child in sitemap.children:
        child_url, child_data, _ = fetch_resource(child, settings)
        newest.extend(parse_sitemap(child_data, child_url, source.name, source.tags, limit=source.limit,
                                    max_children=0).links)
        del child_data  # one child's body in memory at a time
    return newest.links(), sitemap.children

