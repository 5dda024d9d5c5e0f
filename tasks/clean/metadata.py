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

from tasks.clean.datelines import (CLOCK, UPDATED, date_line, date_under_headline, htmldate_guess, shown_times,
                                  time_pubdate)
from tasks.clean.dates import pick_published, url_date
from tasks.clean.names import clean_byline  # noqa: F401 - part of this module's API
from tasks.clean.explain import Candidate
from tasks.clean.headline import host_labels
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
    ld_authors_are_people: bool = False  # typed as persons, not organisations standing in for them
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
    keyword_tags: frozenset[str] = frozenset()  # casefolded tags only the keywords meta tags give
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


def _people(value: object, by_id: dict[str, dict]) -> tuple[list[str], bool]:
    """The persons of a JSON-LD author value, and whether they are persons:
    "@id" references are looked up in the page's graph, and organisations
    only count when no person is named."""
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
    return (people, True) if people else (organisations, False)


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
    meta.ld_authors, meta.ld_authors_are_people = _people(article.get("author") or article.get("creator"), by_id)
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


def _site_labels(meta: PageMetadata, base_url: str | None) -> set[str]:
    """The site's names and its host's labels ("harbourtimes"), casefolded."""
    return host_labels(meta.canonical_url or base_url) | {n.casefold() for n in (meta.site_name, meta.publisher) if n}


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
    meta.tags, meta.keyword_tags = pick_tags(root, meta.ld_script, meta.ld_keywords,
                                             [t for t in (meta.og_title, meta.ld_headline, meta.description) if t],
                                             _site_labels(meta, base_url))
    meta.language = _language(root, meta.language, _meta)
    meta.published = pick_published(_published_candidates(root, meta, _meta, base_url),
                                    second_opinion=lambda: htmldate_guess(root, base_url, meta.modified),
                                    shown=lambda: shown_times(root) + _meta_wall_times(_meta))
    meta.modified = meta.modified or _microdata(root, "dateModified")
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
                "parsely-author", "sailthru.author", "byl", "citation_author")


def _meta_authors(_meta: _MetaTags) -> list[str]:
    for name in _AUTHOR_TAGS:
        found = [a for a in _meta(name) if not a.startswith("http")]
        if found:
            return [_name_order(a) for a in found] if name.startswith(("dc", "citation")) else found
    return []


# Dublin Core and citation tags write a person "Last, First": "Jong, Michiel de".
_INVERTED_NAME = re.compile(r"^((?:(?:de|da|van|von|der|den|del|di|le|la)\s)*[^\W\d_][\w'’-]+),\s+((?:[^\W\d_][\w'’.-]*\s?){1,3})$")


def _name_order(value: str) -> str:
    """'Jong, Michiel de' → 'Michiel de Jong'; an organisation in capitals or two names stay as written."""
    match = _INVERTED_NAME.match(value.strip())
    if match is None or match.group(1).isupper() or match.group(2).isupper() \
            or re.search(r"\b(?:and|und|et|y|e)\b", value):
        return value
    return f"{match.group(2).strip()} {match.group(1)}"


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
    shown = time_pubdate(root, meta.language)
    if shown:
        candidates.append(Candidate(shown, "markup <time>"))
    # The printed date line only where the page states no date for machines: reading
    # it costs a pass over the page's text, and metadata is the CMS's own record.
    line = date_line(root, meta.language) if not candidates else None
    if line:
        candidates.append(Candidate(line, "markup date line"))
    under = date_under_headline(root, meta.language) if not candidates else None
    if under:
        candidates.append(Candidate(under, "markup date under the headline"))
    in_url = url_date(meta.canonical_url) or url_date(base_url)
    if in_url:
        candidates.append(Candidate(in_url, "the story's URL"))
    return candidates


def _meta_wall_times(_meta: _MetaTags) -> list[str]:
    """Local publication times some meta tags give beside a UTC stamp
    (``article_date_original: Monday, November 18, 2019, 08:19 PM``)."""
    return [value for key, value in _meta.pairs
            if ("date" in key or "time" in key) and CLOCK.search(value) and not UPDATED.search(key)][:3]


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
