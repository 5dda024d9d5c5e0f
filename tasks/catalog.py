"""What the bucket publishes about its stories: an Atom feed, a news sitemap, an index.

Readers and partners find stories without listing keys:

* ``feeds/latest.xml``: Atom, the newest stories (at most 100), with their
  first-published and updated times and their summaries;
* ``sitemaps/news.xml``: a Google News sitemap of the stories first
  published in the last 48 hours (at most 1,000), as Google's rules say;
* ``index/stories.json``: every live story (id, URL, headline, version,
  times), split into shards by story id once it grows.

This module holds the pure part: the catalog's entries, how a change to a
story changes them, and how each file is rendered from them. Withdrawn and
embargoed stories are never in any of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
FEED_ENTRIES = 100
NEWS_WINDOW = timedelta(hours=48)
NEWS_ENTRIES = 1000
# The recent list the feed and sitemap are rendered from: everything either can show.
RECENT_ENTRIES = NEWS_ENTRIES
SHARDS = 64
LIVE = "usable"
# Characters XML 1.0 cannot carry at all; a headline with one must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class CatalogEntry:
    """One live story as the catalog lists it."""

    story_id: str
    url: str  # canonical
    headline: str
    version: int
    published: str  # ISO 8601: when the story first appeared
    updated: str  # ISO 8601: its current version
    summary: str = ""
    language: str | None = None
    page: str = ""  # the current version's article.html, as a URL or key readers can open

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> CatalogEntry:
        fields = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**fields)


@dataclass(frozen=True)
class StoryChange:
    """What just happened to a story, as the catalog needs to hear it."""

    entry: CatalogEntry
    pub_status: str  # usable (published, corrected, released), withheld (embargoed), canceled (killed)

    @property
    def is_live(self) -> bool:
        return self.pub_status == LIVE


def shard_of(story_id: str, shards: int = SHARDS) -> int:
    """The index shard a story lives in: stable, spread evenly, independent of order."""
    return int.from_bytes(hashlib.sha256(story_id.encode()).digest()[:4], "big") % shards


def apply_change(entries: Iterable[CatalogEntry], change: StoryChange, *, limit: int | None = None) -> list[CatalogEntry]:
    """The entries after ``change``, newest update first, at most ``limit``.

    A live story replaces its earlier entry; a withdrawn or embargoed one
    leaves. A change older than the entry already held (a slow publisher
    arriving late) never replaces a newer version.
    """
    kept: list[CatalogEntry] = []
    for entry in entries:
        if entry.story_id != change.entry.story_id:
            kept.append(entry)
        elif entry.version > change.entry.version:
            return _ordered(entries, limit)  # we already know a newer version
    if change.is_live:
        kept.append(change.entry)
    return _ordered(kept, limit)


def _ordered(entries: Iterable[CatalogEntry], limit: int | None) -> list[CatalogEntry]:
    ordered = sorted(entries, key=lambda e: (_instant(e.updated), e.story_id), reverse=True)
    return ordered if limit is None else ordered[:limit]


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _rfc3339(value: str) -> str:
    return _instant(value).astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def render_atom(entries: Iterable[CatalogEntry], *, feed_id: str, title: str, self_url: str,
                now: datetime | None = None) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of the newest stories."""
    newest = _ordered(entries, FEED_ENTRIES)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    updated = newest[0].updated if newest else (now or datetime.now(timezone.utc)).isoformat()
    _text(feed, "updated", _rfc3339(updated))
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    for story in newest:
        item = etree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(item, "id", story.url)  # the canonical URL is the story's lasting identity
        _text(item, "title", story.headline)
        etree.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=xml_safe(story.url))
        if story.page:
            etree.SubElement(item, f"{{{ATOM}}}link", rel="related", href=xml_safe(story.page), type="text/html")
        _text(item, "published", _rfc3339(story.published))
        _text(item, "updated", _rfc3339(story.updated))
        if story.summary:
            _text(item, "summary", story.summary)
        if story.language:
            item.set("{http://www.w3.org/XML/1998/namespace}lang", story.language)
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def render_news_sitemap(entries: Iterable[CatalogEntry], *, publication: str, default_language: str = "en",
                        now: datetime | None = None) -> bytes:
    """A Google News sitemap: stories first published in the last 48 hours, at most 1,000."""
    now = now or datetime.now(timezone.utc)
    recent = [e for e in entries if now - _instant(e.published) <= NEWS_WINDOW]
    recent = sorted(recent, key=lambda e: (_instant(e.published), e.story_id), reverse=True)[:NEWS_ENTRIES]
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "news": NEWS})
    fallback = news_language(default_language)  # the default is a tag too ("en-GB" gives "en")
    for story in recent:
        url = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        etree.SubElement(url, f"{{{SITEMAP}}}loc").text = xml_safe(story.url)
        etree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = _rfc3339(story.updated)
        news = etree.SubElement(url, f"{{{NEWS}}}news")
        source = etree.SubElement(news, f"{{{NEWS}}}publication")
        etree.SubElement(source, f"{{{NEWS}}}name").text = xml_safe(publication)
        etree.SubElement(source, f"{{{NEWS}}}language").text = news_language(story.language, fallback)
        etree.SubElement(news, f"{{{NEWS}}}publication_date").text = _rfc3339(story.published)
        etree.SubElement(news, f"{{{NEWS}}}title").text = xml_safe(story.headline)
    return etree.tostring(urlset, xml_declaration=True, encoding="utf-8", pretty_print=True)


# Chinese is the one language Google News names by script: zh-cn (simplified), zh-tw (traditional).
_CHINESE = {"tw": "zh-tw", "hk": "zh-tw", "mo": "zh-tw", "hant": "zh-tw", "cn": "zh-cn", "sg": "zh-cn", "hans": "zh-cn"}


def news_language(tag: str | None, default: str = "en") -> str:
    """The code a news sitemap takes for a BCP 47 tag: its ISO 639 primary subtag
    ("en" of "en-GB"), zh-cn or zh-tw for Chinese, and the default where the
    tag says nothing usable ("", "und", "x-…", not letters)."""
    parts = (tag or "").strip().lower().replace("_", "-").split("-")
    primary = parts[0]
    if primary == "zh":
        return next((_CHINESE[p] for p in parts[1:] if p in _CHINESE), "zh-cn")
    if not primary.isascii() or not primary.isalpha() or len(primary) not in (2, 3) or primary == "und":
        return default
    return primary


def render_index(entries: Iterable[CatalogEntry], *, shard: int | None = None) -> bytes:
    """One shard of the JSON index (or the whole of a small one), sorted by story id."""
    stories = sorted(entries, key=lambda e: e.story_id)
    document = {"shard": shard, "count": len(stories),
                "stories": [e.as_dict() for e in stories]}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def index_root(shard_counts: dict[int, int], shard_key: str) -> bytes:
    """``index/stories.json``: where each shard is and how many stories it holds."""
    document = {"shards": [{"shard": n, "key": shard_key.format(shard=n), "count": count}
                           for n, count in sorted(shard_counts.items())],
                "count": sum(shard_counts.values())}
    return json.dumps(document, indent=1).encode("utf-8")


def stories_from_index(data: bytes) -> list[CatalogEntry]:
    document = json.loads(data)
    return [CatalogEntry.from_dict(item) for item in document.get("stories", []) if isinstance(item, dict)]


def with_page(entry: CatalogEntry, page: str) -> CatalogEntry:
    return replace(entry, page=page)


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = xml_safe(value)
    return element


def xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)
