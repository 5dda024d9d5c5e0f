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

from tasks.clean.boilerplate import STRONG, boilerplate_strength, marks_date
from tasks.clean.names import clean_byline  # noqa: F401 - part of this module's API
from tasks.clean.dates import pick_published, to_iso, url_date
from tasks.clean.explain import Candidate
from tasks.clean.parse import clean_text, element_text, tokens
from tasks.clean.tags import keywords as _keywords, pick_tags

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "report", "scholarlyarticle", "techarticle", "socialmediaposting",
    "webpage", "posting",
}
@dataclass
class PageMetadata:
    canonical_url: str | None = None
    headline: str | None = None
    ld_headline: str | None = None  # the JSON-LD article's headline
    og_title: str | None = None  # og:title, else twitter:title
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    ld_authors: list[str] = field(default_factory=list)  # the JSON-LD article's author persons
    meta_authors: list[str] = field(default_factory=list)  # name=author, article:author, ...
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
            keys = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
            value = clean_text(meta.get("content")) if keys else ""
            # RDFa lets one tag carry several properties: property="dc:creator twitter:creator".
            for key in keys.split() if value else ():
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


# Some pages wrap their JSON-LD in an XML CDATA section (often behind a // comment).
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


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
            walk(json.loads(_CDATA.sub("", script.text or ""), strict=False))
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


def _people(value: object, by_id: dict[str, dict]) -> list[str]:
    """The persons of a JSON-LD author value; "@id" references are looked up
    in the page's graph, and organisations only count when no person is named."""
    items = value if isinstance(value, list) else [value]
    people, organisations = [], []
    for item in items:
        if isinstance(item, dict) and set(item) <= {"@id"} and item.get("@id") in by_id:
            item = by_id[item["@id"]]
        names = _names(item)
        if isinstance(item, dict) and _types(item) & {"organization", "newsmediaorganization", "corporation"}:
            organisations.extend(names)
        else:
            people.extend(names)
    return people or organisations


def _image_url(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _image_url(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _image_url(value[0])
    return None


def _from_json_ld(root: html.HtmlElement, meta: PageMetadata) -> None:
    objects = _json_ld_objects(root)
    script, article = next(((s, o) for s, o in objects if _types(o) & ARTICLE_TYPES - {"webpage"}), (None, None))
    if article is None:
        return
    by_id = {o["@id"]: o for _s, o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    meta.ld_script = script
    meta.ld_headline = clean_text(str(article.get("headline") or "")) or None
    meta.headline = meta.headline or meta.ld_headline
    meta.ld_published = _as_str(article.get("datePublished"))
    meta.modified = meta.modified or _as_str(article.get("dateModified"))
    meta.ld_authors = _people(article.get("author") or article.get("creator"), by_id)
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
        # <abbr title="2016-05-08T00:55:00-07:00">12:55 AM</abbr>: the microformat keeps the value in the title.
        value = element.get("content") or element.get("datetime") or \
            (element.get("title") if element.tag == "abbr" else None) or element_text(element)
        if value and clean_text(value):
            return clean_text(value)
    return None


def read_metadata(root: html.HtmlElement, base_url: str | None) -> PageMetadata:
    meta = PageMetadata()
    _meta = _MetaTags(root)
    canonical = root.xpath('//link[@rel="canonical"]/@href')
    meta.canonical_url = _first(canonical[0].strip() if canonical else None, *_meta("og:url"))
    meta.og_title = _first(*_meta("og:title", "twitter:title"))
    meta.headline = meta.og_title
    meta.modified = _first(*_meta("article:modified_time", "og:updated_time", "datemodified"))
    meta.meta_authors = _meta_authors(_meta)
    meta.description = _first(*_meta("og:description", "description", "twitter:description"))
    meta.image_url = _first(*_meta("og:image", "og:image:url", "twitter:image", "twitter:image:src"))
    meta.site_name = _first(*_meta("og:site_name"))
    _from_json_ld(root, meta)
    meta.authors = meta.ld_authors or meta.meta_authors
    meta.tags = pick_tags(root, meta.ld_script, meta.ld_keywords,
                          [t for t in (meta.og_title, meta.ld_headline, meta.description) if t])
    meta.published = pick_published(_published_candidates(root, meta, _meta, base_url),
                                    second_opinion=lambda: _htmldate(root, base_url, meta.modified),
                                    shown=lambda: _shown_times(root) + _meta_wall_times(_meta))
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


# Author meta tags, the most deliberate first. Several values of one tag are
# co-authors; the same byline in two vocabularies (name=author and
# dc.creator) is one author, so only the first tag present is read.
_AUTHOR_TAGS = ("dc:creator", "dc.creator", "dcterms:creator", "dcterms.creator", "author", "article:author",
                "parsely-author", "sailthru.author", "byl")


def _meta_authors(_meta: _MetaTags) -> list[str]:
    for name in _AUTHOR_TAGS:
        found = [a for a in _meta(name) if not a.startswith("http")]
        if found:
            return found
    return []


def _is_web_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme.lower() in ("http", "https") and bool(urlsplit(url).netloc)


_PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time",
                   "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
                   "article.published", "parsely-pub-date", "date", "dc.date.issued", "dc.date",
                   "dcterms.created", "dcterms.issued", "sailthru.date", "citation_publication_date")


_VENDOR_PUBLISHED = re.compile(r"(?:^|[:._-])(?:publish(?:ed)?[-_]?(?:time|date|at|on)|pub[-_]?(?:date|time)"
                               r"|public[-_]?date|publication[-_]?(?:date|time)|first[-_]?published)$")


def _published_candidates(root: html.HtmlElement, meta: PageMetadata, _meta: _MetaTags,
                          base_url: str | None) -> list[Candidate]:
    """Every stated publication date, most trusted source first (see dates.pick_published)."""
    candidates = [Candidate(meta.ld_published, "json-ld datePublished")] if meta.ld_published else []
    candidates += [Candidate(value, f"meta {key}") for key in _PUBLISHED_META for value in _meta(key)]
    # Vendors' own names for the same field ("cXenseParse:recs:publishtime",
    # "analytics.pubtime"), after every name we know.
    candidates += [Candidate(value, f"meta {key}") for key, value in _meta.pairs
                   if key not in _PUBLISHED_META and _VENDOR_PUBLISHED.search(key)]
    microdata = _microdata(root, "datePublished")
    if microdata:
        candidates.append(Candidate(microdata, "microdata datePublished"))
    shown = _time_pubdate(root)
    if shown:
        candidates.append(Candidate(shown, "markup <time>"))
    in_url = url_date(meta.canonical_url) or url_date(base_url)
    if in_url:
        candidates.append(Candidate(in_url, "the story's URL"))
    return candidates


_EXTENSIVE_DATE_SEARCH_ELEMENTS = 20_000  # a long story page holds a few thousand


def _htmldate(root: html.HtmlElement, url: str | None, modified: str | None) -> str | None:
    """htmldate's reading of the page (its markup, visible text and URL): a
    second opinion, asked only when the page states no date we can read. The
    day the page says it was modified is not its publication day."""
    import htmldate

    # Extensive (the page's visible text too): it only runs on pages whose
    # metadata and markup name no date at all. Its text scan costs a second
    # per few thousand elements, so a page far larger than any story gets
    # the markup-only search.
    extensive = sum(1 for _ in root.iter()) <= _EXTENSIVE_DATE_SEARCH_ELEMENTS
    try:
        found = htmldate.find_date(root, extensive_search=extensive, original_date=True, url=url,
                                   outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a second opinion that fails is no opinion
        return None
    modified_day = to_iso(modified)
    if found and modified_day and found == modified_day[:10]:
        return None
    if found and found.endswith("-01-01") and not _NEW_YEAR.search(root.text_content()):
        # Left with a bare year ("until 2009", a copyright line), htmldate
        # answers January 1st of it: a year is not the day a story went out.
        return None
    return found


# Some written form of January 1st, which a date htmldate gives for that day must rest on.
_NEW_YEAR = re.compile(r"\b0?1[-/.]0?1\b|\b0?1\.?\s*(?:jan|janv|ene|gen)|\bjan(?:uary|vier|uar)?\.?\s+0?1\b"
                       r"|1er\s+janvier|\b1\s+de\s+enero|\d{4}0101|1月1日", re.IGNORECASE)


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
        if any(boilerplate_strength(a) == STRONG and a.tag not in ("html", "body") and not marks_date(a)
               for a in element.iterancestors()):
            continue  # a comment's or another story's time; a date line's is the story's
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
    dated = [iso for iso in map(to_iso, shown) if iso]
    return min(dated, key=lambda iso: iso[:19]) if dated else None


_CLOCK = re.compile(r"\d:\d\d")
_ELSEWHERE = re.compile(r"comment|related|recirc|teaser|promo|sidebar|recommend|most-?read|trending|latest|rail")
_LOWER = "translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"


def _shown_times(root: html.HtmlElement, limit: int = 3) -> list[str]:
    """The first few publication times the page shows its readers, as
    written (``Nov. 19, 2019 5:50 PM``): a <time>'s text, a date line's. They
    are local times, which give a UTC stamp its zone (dates.in_local_zone)."""
    shown = []
    for element in root.xpath(f"//time | //*[contains({_LOWER}, 'date') or contains({_LOWER}, 'time')]"):
        text = clean_text(" ".join(element.itertext()))  # a day and an hour in two boxes are one line
        if not 6 <= len(text) <= 60 or not _CLOCK.search(text) or (_UPDATED.search(text) and not _PUBLISHED.search(text)):
            continue
        if any(_ELSEWHERE.search(tokens(a)) for a in element.iterancestors()):
            continue  # a comment's or another story's time (a byline box's is the story's)
        shown.append(text)
        if len(shown) == limit:
            break
    return shown


def _meta_wall_times(_meta: _MetaTags) -> list[str]:
    """Local publication times some meta tags give beside a UTC stamp
    (``article_date_original: Monday, November 18, 2019, 08:19 PM``)."""
    return [value for key, value in _meta.pairs
            if ("date" in key or "time" in key) and _CLOCK.search(value) and not _UPDATED.search(key)][:3]


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
