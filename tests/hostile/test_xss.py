"""No XSS vector survives extraction and bundling.

Every vector of ``fixtures/hostile/xss_vectors.py`` (written from the OWASP
XSS filter-evasion cheat sheet's categories) is placed in an article body,
inside a paragraph and between paragraphs; every URL vector is placed where
a page names URLs (links, canonical, og:image, the lead image, JSON-LD).
The output is parsed with lxml and every element and attribute is checked
against what a script-free page may hold; substrings alone prove nothing.
"""

from __future__ import annotations

import json
import re
import sys
from html import escape
from pathlib import Path

import pytest
from lxml import etree, html

from tasks.bundle import build_draft
from tasks.clean import extract_article
from tasks.dedupe import dedupe_article
from tasks.errors import ExtractionError
from tasks.models import FetchedPage
from tasks.render import render_bundle

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures" / "hostile"))
from xss_vectors import URL_VECTORS, VECTORS  # noqa: E402

PAGE_URL = "https://news.example/world/2026/xss-story"
PROSE = ("The council voted on Tuesday to reopen the old market hall, ending a dispute that had divided"
         " the town for more than a decade, and traders said they expected the first stalls to open soon.")

# What article.html may hold: the page skeleton and the sanitized body's tags.
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "article", "h1", "p", "time", "figure", "img",
                "figcaption", "span", "a", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "em", "strong",
                "code", "sub", "sup", "br", "q", "cite", "mark", "div"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "srcset", "data", "cite",
                  "dynsrc", "lowsrc", "xlink:href", "codebase", "longdesc", "usemap", "ping", "manifest"}
SAFE_SCHEMES = ("http", "https", "mailto")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u2028\u2029\ufeff]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _page_style() -> str:
    """The one <style> article.html may carry: the bundle's own, in <head>."""
    from tasks.render import article_page
    from tasks.models import Article

    page = html.document_fromstring(article_page(Article(url=PAGE_URL, headline="h", byline=None,
                                                         published=None, language=None, paragraphs=("p",),
                                                         image=None, tags=(), body_html="<p>p</p>"), None))
    return page.find(".//style").text


OWN_STYLE = _page_style()
OWN_META = {("charset", "utf-8"), ("name", "viewport"), ("http-equiv", "Content-Security-Policy")}


def unsafe_parts(document: str, *, whole_page: bool) -> list[str]:
    """Everything in ``document`` that could run script or load active content."""
    if whole_page:
        root = html.document_fromstring(document)
    else:
        root = html.fragment_fromstring(document, create_parent="div") if document.strip() else html.Element("div")
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Comment):
                found.append(f"comment {element.text!r}")  # conditional comments run in old IE
            continue
        tag = element.tag.lower()
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        if tag == "style" and not (whole_page and element.text == OWN_STYLE
                                   and element.getparent().tag == "head"):
            found.append(f"<style> {element.text!r}")
        if tag == "meta" and not any(element.get(k, "").startswith(v) or (k == "name" and element.get(k) == v)
                                     for k, v in OWN_META):
            found.append(f"<meta {dict(element.attrib)}>")
        if not whole_page and tag in ("html", "head", "body", "meta", "title", "style"):
            found.append(f"<{tag}> in body")
        for name, value in element.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                found.append(f"<{tag} {name}>")
            if lname == "style" or lname.startswith(("xmlns", "xlink")) or lname in ("srcdoc", "formaction"):
                found.append(f"<{tag} {name}={value!r}>")
            if lname in URL_ATTRIBUTES:
                compact = _IGNORED_IN_SCHEME.sub("", value)
                scheme = _SCHEME.match(compact)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}>")
                if not scheme and tag in ("a", "img") and not (tag == "img" and value.startswith("image.")):
                    found.append(f"<{tag} {name}={value!r}> (relative: resolves against the bundle)")
            if re.search(r"expression\s*\(|url\s*\(", value, re.IGNORECASE) and lname not in ("alt", "title"):
                found.append(f"<{tag} {name}={value!r}> (CSS)")
    return found


def _bundle_outputs(page_html: str) -> dict[str, str] | None:
    """body_html, article.html and the ninjs HTML body, or None if the page yields no article."""
    try:
        article = extract_article(page_html, PAGE_URL)
    except ExtractionError:
        return None
    page = FetchedPage(url=PAGE_URL, final_url=PAGE_URL, text=page_html, encoding="utf-8",
                       content_type="text/html", fetched_at="2026-01-01T00:00:00+00:00")
    draft = build_draft(dedupe_article(article), page)
    files = {f.name: f.data for f in render_bundle(draft).files}
    ninjs = json.loads(files["article.json"])
    html_body = next(b["value"] for b in ninjs["bodies"] if b["contentType"] == "text/html")
    return {"body_html": article.body_html, "deduped body_html": draft.article.body_html,
            "ninjs html body": html_body, "article.html": files["article.html"].decode("utf-8")}


def _story(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang=en><head><title>Market hall to reopen</title>{head}</head><body>"
            f"<article><h1>Market hall to reopen</h1><div class=\"article-body\">{body}</div></article>"
            "</body></html>")


def _placements(vector: str) -> dict[str, str]:
    return {
        "inside a paragraph": _story(f"<p>{PROSE}</p><p>Before {vector} after, and more words here.</p>"
                                     f"<p>{PROSE} Again.</p>"),
        "between paragraphs": _story(f"<p>{PROSE}</p>{vector}<p>{PROSE} Again.</p>"),
        "in a list": _story(f"<p>{PROSE}</p><ul><li>One {vector}</li><li>Two</li></ul><p>{PROSE} Again.</p>"),
    }


def _url_placements(url: str) -> dict[str, str]:
    quoted = escape(url, quote=True)
    raw_json = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Market hall",
                           "url": url, "image": {"url": url, "caption": "Hall"}})
    return {
        "link": _story(f"<p>{PROSE}</p><p>See <a href=\"{quoted}\">the plan</a> for details.</p>"),
        "canonical": _story(f"<p>{PROSE}</p>", head=f"<link rel=\"canonical\" href=\"{quoted}\">"),
        "og:image": _story(f"<p>{PROSE}</p>", head=f"<meta property=\"og:image\" content=\"{quoted}\">"),
        "figure": _story(f"<figure><img src=\"{quoted}\" alt=\"Hall\"><figcaption>The hall</figcaption></figure>"
                         f"<p>{PROSE}</p>"),
        "json-ld": _story(f"<p>{PROSE}</p>", head=f"<script type=\"application/ld+json\">{raw_json}</script>"),
    }


CASES = [(f"vector {i} {where}", page) for i, vector in enumerate(VECTORS)
         for where, page in _placements(vector).items()]
CASES += [(f"url {i} {where}", page) for i, url in enumerate(URL_VECTORS)
          for where, page in _url_placements(url).items()]


def test_the_corpus_is_large_enough():
    assert len(VECTORS) >= 100 and len(set(VECTORS)) == len(VECTORS)


def test_the_checker_catches_what_it_should():
    page = _story("<p>x</p>")
    for bad in ('<script>alert(1)</script>', '<a href=" jav&#9;ascript:x">a</a>', '<p onclick="x">p</p>',
                '<img src="data:image/svg+xml,x">', '<p style="width:expression(alert(1))">p</p>',
                '<iframe src="https://x.example"></iframe>', '<style>p{}</style>', '<embed src="x">'):
        assert unsafe_parts(bad, whole_page=False), bad
        assert unsafe_parts(page.replace("<p>x</p>", bad), whole_page=True), bad
    assert unsafe_parts('<p><a href="https://ok.example/" rel="nofollow noopener">ok</a></p>', whole_page=False) == []


def test_no_vector_survives():
    survivors: dict[str, list[str]] = {}
    bundled = 0
    for label, page in CASES:
        outputs = _bundle_outputs(page)
        if outputs is None:
            continue
        bundled += 1
        for name, document in outputs.items():
            found = unsafe_parts(document, whole_page=name == "article.html")
            if found:
                survivors[f"{label} / {name}"] = found
    print(f"\nXSS: {len(VECTORS)} vectors x 3 placements + {len(URL_VECTORS)} URL vectors x 5 placements"
          f" = {len(CASES)} pages, {bundled} bundled, {len(survivors)} with a survivor")
    assert survivors == {}, json.dumps(dict(list(survivors.items())[:20]), indent=1)
    assert bundled >= len(CASES) * 0.9  # the vectors were really carried through to a bundle
