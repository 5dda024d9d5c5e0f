"""What a page says about itself: JSON-LD, OpenGraph, ``article:*``, microdata.

Machine-readable metadata is more trustworthy than visible markup for the
headline, dates, author, canonical URL and tags, so it is read first and the
markup only fills the gaps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html

from tasks.clean.boilerplate import STRONG, boilerplate_strength
from tasks.clean.parse import clean_text, element_text, tokens

# Site-wide link lists that use rel=tag without being the story's tags.
_NOT_TAGS = re.compile(r"trending|popular|hot-topics|most-|tagcloud|tag-cloud")

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "report", "scholarlyarticle", "techarticle", "socialmediaposting",
    "webpage", "posting",
}
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:story|words|text|written|reporting|report|posted|compiled|interview)\s+)?"
    r"(?:by|von|par|por|di|door|av)\s*[:\-]?\s+",
    re.IGNORECASE,
)
# A comma-separated part of a byline that names a role, not a person.
_ROLE_WORDS = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|contributor|columnist|producer|journalist|staff"
    r"|bureau|chief|analyst|critic|associated\s+press|reuters|afp|for\s+the\b|special\s+to\b"
    r"|updated|published|posted|\d{4}|\d{1,2}:\d{2})",
    re.IGNORECASE,
)
_ROLE_SUFFIX = re.compile(
    r"\s+(?:staff\s+writer|staff\s+reporter|correspondent|reporter|editor|contributor|columnist)\s*$",
    re.IGNORECASE,
)
# "Jane Doe in Kyiv": where the reporter filed from, not part of the name.
_PLACE_SUFFIX = re.compile(r"^(\S+\s+\S.*?)\s+in\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?\s*$")
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:·•]\s+[^|\-–—:·•]{2,60}$")


@dataclass
class PageMetadata:
    canonical_url: str | None = None
    headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    ld_published: str | None = None  # JSON-LD datePublished, to cross-check the meta tags
    ld_keywords: list[str] = field(default_factory=list)
    ld_script: html.HtmlElement | None = None  # where the JSON-LD article sits, for page order
    modified: str | None = None
    language: str | None = None
    image_url: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    tags: list[str] = field(default_factory=list)
    article_body: str | None = None  # JSON-LD articleBody, when the page has one
    publisher: str | None = None
    site_name: str | None = None


class _MetaTags:
    """Every <meta> tag's (key, value), read once per page: the metadata is
    asked for a dozen times."""

    def __init__(self, root: html.HtmlElement) -> None:
        self.pairs = []
        for meta in root.iter("meta"):
            key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
            value = clean_text(meta.get("content")) if key else ""
            if value:
                self.pairs.append((key, value))

    def __call__(self, *names: str) -> list[str]:
        """Values of the named tags (property/name/itemprop), in page order."""
        wanted = {n.lower() for n in names}
        return [value for key, value in self.pairs if key in wanted]


def _first(*candidates: str | None) -> str | None:
    for candidate in candidates:
        if candidate:
            return candidate
    return None


def _json_ld_objects(root: html.HtmlElement) -> list[tuple[html.HtmlElement, dict]]:
    """Every JSON-LD object of the page, with the <script> that holds it."""
    objects: list[tuple[html.HtmlElement, dict]] = []
    script = None

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            objects.append((script, node))
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in node:
                    walk(node[key])

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            walk(json.loads(script.text or "", strict=False))
        except (ValueError, RecursionError):
            continue  # a broken block must not cost us the rest of the page
    return objects


def _types(obj: dict) -> set[str]:
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _names(value: object) -> list[str]:
    """Names from a JSON-LD person/organisation value (str, dict or list)."""
    if isinstance(value, str):
        return [clean_text(value)] if clean_text(value) else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _image_url(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _image_url(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _image_url(value[0])
    return None


def _keywords(value: object) -> list[str]:
    if isinstance(value, str):
        return [clean_text(v) for v in value.split(",") if clean_text(v)]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    if isinstance(value, dict):
        return _keywords(value.get("name"))
    return []


def _from_json_ld(root: html.HtmlElement, meta: PageMetadata) -> None:
    script, article = next(((s, o) for s, o in _json_ld_objects(root) if _types(o) & ARTICLE_TYPES - {"webpage"}),
                           (None, None))
    if article is None:
        return
    meta.ld_script = script
    meta.headline = meta.headline or clean_text(str(article.get("headline") or "")) or None
    meta.ld_published = _as_str(article.get("datePublished"))
    meta.published = meta.published or meta.ld_published
    meta.modified = meta.modified or _as_str(article.get("dateModified"))
    meta.authors = meta.authors or _names(article.get("author") or article.get("creator"))
    meta.language = meta.language or _as_str(article.get("inLanguage"))
    meta.description = meta.description or _as_str(article.get("description"))
    meta.ld_keywords = _keywords(article.get("keywords"))
    meta.publisher = meta.publisher or next(iter(_names(article.get("publisher"))), None)
    image = article.get("image")
    meta.image_url = meta.image_url or _image_url(image)
    if isinstance(image, dict):
        meta.image_caption = meta.image_caption or _as_str(image.get("caption"))
        meta.image_credit = meta.image_credit or next(
            iter(_names(image.get("creditText") or image.get("author"))), None
        )
    body = article.get("articleBody")
    if isinstance(body, str) and body.strip():
        meta.article_body = body
    page = article.get("mainEntityOfPage")
    url = article.get("url") or (page.get("@id") if isinstance(page, dict) else page)
    meta.canonical_url = meta.canonical_url or _as_str(url)


def _as_str(value: object) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    text = clean_text(str(value)) if isinstance(value, (str, int, float)) else ""
    return text or None


def _microdata(root: html.HtmlElement, prop: str) -> str | None:
    for element in root.xpath(f'//*[@itemprop="{prop}"]'):
        value = element.get("content") or element.get("datetime") or element_text(element)
        if value and clean_text(value):
            return clean_text(value)
    return None


def _tags_in_page_order(root: html.HtmlElement, meta: PageMetadata) -> list[str]:
    """Tags from article:tag, keywords, the JSON-LD article and rel=tag links,
    in the order they appear in the page, each once."""
    tags: list[str] = []
    for element in root.iter("meta", "script", "a"):
        if element.tag == "meta":
            key = (element.get("property") or element.get("name") or "").lower()
            if key == "article:tag":
                tags.append(clean_text(element.get("content")))
            elif key in ("keywords", "news_keywords"):
                tags.extend(_keywords(element.get("content") or ""))
        elif element.tag == "script":
            if element is meta.ld_script:
                tags.extend(meta.ld_keywords)
        elif " tag " in f" {element.get('rel') or ''} " and _is_story_tag_link(element):
            tags.append(element_text(element))
    return _dedupe(tags)


def _is_story_tag_link(link: html.HtmlElement) -> bool:
    """rel=tag links of the story, not of "trending" bars or navigation."""
    return not any(ancestor.tag in ("nav", "header", "footer", "aside") or boilerplate_strength(ancestor) == STRONG
                   or _NOT_TAGS.search(tokens(ancestor)) for ancestor in link.iterancestors())


def read_metadata(root: html.HtmlElement, base_url: str | None) -> PageMetadata:
    meta = PageMetadata()
    _meta = _MetaTags(root)
    canonical = root.xpath('//link[@rel="canonical"]/@href')
    meta.canonical_url = _first(canonical[0].strip() if canonical else None, *_meta("og:url"))
    meta.headline = _first(*_meta("og:title", "twitter:title"))
    meta.published = _first(*_meta(*_PUBLISHED_META))
    meta.modified = _first(*_meta("article:modified_time", "og:updated_time", "datemodified"))
    meta.authors = _meta("author", "article:author", "sailthru.author", "dc.creator")
    meta.authors = [a for a in meta.authors if not a.startswith("http")]
    meta.description = _first(*_meta("og:description", "description", "twitter:description"))
    meta.image_url = _first(*_meta("og:image", "og:image:url", "twitter:image", "twitter:image:src"))
    meta.site_name = _first(*_meta("og:site_name"))
    _from_json_ld(root, meta)
    meta.tags = _tags_in_page_order(root, meta)
    meta.published = _with_zone(meta.published, [*_meta(*_PUBLISHED_META), meta.ld_published,
                                                 _microdata(root, "datePublished"), _time_pubdate(root)])
    meta.modified = meta.modified or _microdata(root, "dateModified")
    meta.language = _language(root, meta.language, _meta)
    if not meta.headline:
        meta.headline = _microdata(root, "headline")
    if base_url:
        meta.canonical_url = urljoin(base_url, meta.canonical_url) if meta.canonical_url else base_url
        meta.image_url = urljoin(base_url, meta.image_url) if meta.image_url else None
    # A page can declare anything as its address or picture; only web URLs count.
    if not _is_web_url(meta.canonical_url):
        meta.canonical_url = base_url if _is_web_url(base_url) else None
    if not _is_web_url(meta.image_url):
        meta.image_url = None
    return meta


def _is_web_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme.lower() in ("http", "https") and bool(urlsplit(url).netloc)


_PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time",
                   "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
                   "article.published", "parsely-pub-date", "date", "dc.date.issued", "dc.date",
                   "dcterms.created", "dcterms.issued", "sailthru.date", "citation_publication_date")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def _with_zone(chosen: str | None, candidates: list[str | None]) -> str | None:
    """The publication time, with its time zone when any source gives one
    for the same moment (a meta tag often drops the offset JSON-LD keeps)."""
    chosen = chosen or next((c for c in candidates if c), None)
    if not chosen or _ZONE.search(chosen):
        return chosen
    local = chosen.replace(" ", "T")[:16]
    for candidate in candidates:
        if candidate and _ZONE.search(candidate) and candidate.replace(" ", "T")[:16] == local:
            return candidate
    return chosen


_UPDATED = re.compile(r"updat|modif|edited|aktualisiert|mis\s+à\s+jour|actualiz", re.IGNORECASE)
_PUBLISHED = re.compile(r"publish|posted|pubdate|veröffentlicht|publié|publicad", re.IGNORECASE)


def _time_pubdate(root: html.HtmlElement) -> str | None:
    """A <time> marked as the publication time, else the earliest of the
    first few the page shows that is not an update time (a story is
    published before it is updated; comment and teaser times do not count)."""
    for element in root.xpath("//time[@pubdate or @itemprop='datePublished']"):
        if element.get("datetime"):
            return element.get("datetime").strip()
    shown = []
    for element in root.xpath("//time[@datetime]"):
        if any(boilerplate_strength(a) == STRONG and a.tag not in ("html", "body") for a in element.iterancestors()):
            continue
        label = f"{tokens(element)} {element.get('itemprop') or ''} {element_text(element)} " \
                f"{clean_text((element.getparent().text or '') if element.getparent() is not None else '')}"
        if _UPDATED.search(label) and not _PUBLISHED.search(label):
            continue
        value = element.get("datetime").strip()
        if _PUBLISHED.search(label):
            return value
        shown.append(value)
        if len(shown) == 3:
            break
    dated = [v for v in shown if re.match(r"\d{4}-\d{2}-\d{2}", v)]
    return min(dated) if dated else None


def _language(root: html.HtmlElement, from_json_ld: str | None, _meta: _MetaTags) -> str | None:
    value = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    value = value or from_json_ld or _first(*_meta("og:locale", "content-language", "language"))
    if not value:
        equiv = root.xpath('//meta[translate(@http-equiv, "CONTENT-LANGUAGE", "content-language")'
                           '="content-language"]/@content')
        value = equiv[0] if equiv else None
    if not value:
        return None
    value = value.strip().replace("_", "-").split(",")[0]
    return value if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value) else None


def _dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def clean_byline(names: list[str]) -> str | None:
    """'By Jane Doe, Staff Writer' and ['Jane Doe', 'John Roe'] → 'Jane Doe and John Roe'."""
    cleaned: list[str] = []
    for value in names:
        for name in _person_names(value):
            if name.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(name)
    if not cleaned:
        return None
    return cleaned[0] if len(cleaned) == 1 else ", ".join(cleaned[:-1]) + " and " + cleaned[-1]


def _person_names(value: str) -> list[str]:
    """The people in one byline string, without "By", roles, dates or outlets."""
    text = clean_text(value)
    if re.match(r"https?://|www\.|\S+@\S+\.\w+$", text):
        return []  # an author page or address, not a name
    text = re.split(r"\s[|•·]\s|\s[-–—]\s(?=updated|published|posted|\w{3}\.? \d)", text, maxsplit=1,
                    flags=re.IGNORECASE)[0]
    text = _BY_PREFIX.sub("", text)
    parts = [p.strip(" ,;|-–—") for p in text.split(",")]
    names = []
    for index, part in enumerate(parts):
        part = _BY_PREFIX.sub("", part)
        if not part or (index and _ROLE_WORDS.search(part)):
            continue  # ", Staff Writer", ", Senior Correspondent in Rome"
        if index == 0:
            part = _ROLE_SUFFIX.sub("", part)
        names.extend(n for n in re.split(r"\s+(?:and|&|und|et|y)\s+", part) if n)
    return [_name_case(_PLACE_SUFFIX.sub(r"\1", n.strip())) for n in names if n.strip()]


def _name_case(name: str) -> str:
    # Wire-style bylines shout ("By JANE DOE"); names are written in title case.
    return name.title() if name.isupper() and len(name) > 3 else name


def clean_headline(title: str | None, site_name: str | None) -> str | None:
    """Drop a site-name suffix ('Headline | The Daily') from <title>-like values."""
    if not title:
        return None
    title = clean_text(title)
    if site_name and title.endswith(site_name) and len(title) > len(site_name) + 3:
        return _TITLE_SUFFIX.sub("", title) or title
    return title
