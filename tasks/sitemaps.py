"""Sitemaps and sitemap indexes, read as a stream.

A sitemap can name far more URLs than a poll wants: the protocol allows
50,000 per file and 50 MB uncompressed, and hostile ones exceed both. So the
document is decompressed and parsed incrementally (lxml's iterparse, under a
parser that never resolves entities or touches the network), each entry is
dropped from the tree once read, only the source's ``limit`` newest links
are kept, and reading stops at the protocol's limits: what a poll costs
does not grow with what a site lists.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from tasks.errors import PipelineError
from tasks.links import Newest, StoryLink

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS_PER_FILE = 50_000  # the protocol's limit; entries after it are not read
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # the protocol's limit, after gzip
_URL, _SITEMAP = f"{{{SITEMAP_NS}}}url", f"{{{SITEMAP_NS}}}sitemap"
_LOC, _LASTMOD = f"{{{SITEMAP_NS}}}loc", f"{{{SITEMAP_NS}}}lastmod"
_NEWS = f"{{{NEWS_NS}}}news"
_TITLE, _PUBLISHED, _KEYWORDS = (f"{{{NEWS_NS}}}{name}" for name in ("title", "publication_date", "keywords"))


class FeedError(PipelineError):
    """A feed or sitemap that cannot be read as one."""


@dataclass
class Sitemap:
    links: list[StoryLink]  # newest first, at most the limit
    children: list[str] = field(default_factory=list)  # an index's child sitemaps, at most max_children
    entries: int = 0  # <url> or <sitemap> entries read
    cut: str | None = None  # which protocol limit stopped the reading, if one did

    @property
    def is_index(self) -> bool:
        return bool(self.children)


class _Capped(io.RawIOBase):
    """A stream that ends at ``limit`` bytes (and says so), gunzipping if asked."""

    def __init__(self, data: bytes, url: str, limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
        self._raw = gzip.GzipFile(fileobj=io.BytesIO(data)) if data[:2] == b"\x1f\x8b" else io.BytesIO(data)
        self._url, self._left = url, limit
        self.reached_limit = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - io's signature
        if self._left <= 0:
            self.reached_limit = True
            return 0
        try:
            chunk = self._raw.read(min(len(buffer), self._left))
        except (OSError, EOFError, zlib.error) as exc:
            raise FeedError(f"{self._url}: broken gzip sitemap ({exc})") from None
        self._left -= len(chunk)
        buffer[:len(chunk)] = chunk
        return len(chunk)


def parse_sitemap(data: bytes, sitemap_url: str, source: str, tags: tuple[str, ...] = (), *,
                  limit: int = 50, max_children: int = 5) -> Sitemap:
    """The ``limit`` newest story links of a urlset, or the first child sitemaps of an index.

    In a news sitemap only the ``<news:news>`` entries are stories.
    """
    stream = _Capped(data, sitemap_url)
    events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    every, news = Newest(limit), Newest(limit)
    result = Sitemap([])
    root: etree._Element | None = None
    try:
        for event, element in _checked(events, sitemap_url):
            if root is None:
                root = element
                _check_root(root, sitemap_url)
                continue
            if event != "end" or element.getparent() is not root:
                continue  # the parts of an entry are read with it, at its end
            if element.tag in (_URL, _SITEMAP):
                if result.entries >= MAX_URLS_PER_FILE:
                    result.cut = f"more than {MAX_URLS_PER_FILE} entries; the rest were not read"
                    break
                result.entries += 1
                _read_entry(element, result, every, news, sitemap_url, source, tags, max_children)
            # Whatever was read leaves the tree: memory holds one entry, not the document.
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del root[0]
    except FeedError:
        if not stream.reached_limit:
            raise
        result.cut = f"larger than {MAX_UNCOMPRESSED_BYTES // 2**20} MB uncompressed; the rest was not read"
    if root is None:
        raise FeedError(f"{sitemap_url}: not a readable sitemap (no XML element in it)")
    result.links = news.links() or every.links()
    return result


def _read_entry(element: etree._Element, result: Sitemap, every: Newest, news: Newest, sitemap_url: str,
                source: str, tags: tuple[str, ...], max_children: int) -> None:
    if element.tag == _SITEMAP:
        loc = (element.findtext(_LOC) or "").strip()
        if loc and len(result.children) < max_children:
            result.children.append(urljoin(sitemap_url, loc))
        return
    link = _link(element, sitemap_url, source, tags)
    if link is not None:
        (news if element.find(_NEWS) is not None else every).add(link)


def _checked(events, url: str):  # noqa: ANN001, ANN202 - an lxml iterparse
    try:
        yield from events
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"{url}: not a readable sitemap ({' '.join(str(exc).split())[:200]})") from None


def _check_root(root: etree._Element, url: str) -> None:
    local = etree.QName(root).localname
    if local not in ("urlset", "sitemapindex"):
        raise FeedError(f"{url}: not a sitemap (root element <{local}>)")


def _link(entry: etree._Element, sitemap_url: str, source: str, tags: tuple[str, ...]) -> StoryLink | None:
    # One pass over the entry's children: it is read for every entry of the file.
    fields: dict[str, str] = {}
    for child in entry:
        if child.tag == _NEWS:
            for part in child:
                fields.setdefault(part.tag, part.text or "")
        else:
            fields.setdefault(child.tag, child.text or "")
    loc = fields.get(_LOC, "").strip()
    if not loc:
        return None
    url = loc if loc.startswith(("http://", "https://")) else urljoin(sitemap_url, loc)
    if not url.startswith(("http://", "https://")):
        return None
    keywords = fields.get(_KEYWORDS, "")
    extra = tuple(k.strip() for k in keywords.split(",") if k.strip())
    known = {t.casefold() for t in tags}
    return StoryLink(
        url=url,
        source=source,
        title=fields.get(_TITLE, "").strip() or None,
        published=fields.get(_PUBLISHED, "").strip() or None,
        updated=fields.get(_LASTMOD, "").strip() or None,
        tags=tags + tuple(k for k in extra if k.casefold() not in known),
    )
