"""Clean step: from a page's markup to an ``Article``.

``extract_article`` is the public API: plain Python, no Prefect, usable from
benchmarks and other programs. ``clean_task`` wraps it for flows.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

from lxml import etree, html
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.clean.body import Block, read_blocks
from tasks.clean.containers import find_containers
from tasks.clean.boilerplate import is_boilerplate_text
from tasks.clean.fields import pick_fields, untitled_headline
from tasks.clean.metadata import PageMetadata, clean_byline, read_metadata
from tasks.clean.parse import clean_text, element_text, parse_html
from tasks.clean.textmatch import common, coverage, shingles
from tasks.clean.sanitize import blocks_to_html, text_to_html
from tasks.errors import ExtractionError
from tasks.models import Article, FetchedPage

__all__ = ["extract_article", "clean_page", "clean_task"]

_NEVER_TEXT = ("script", "style", "template", "svg", "math", "canvas", "object", "embed", "applet")
_SCRIPT_SHELL = re.compile(r"enable javascript|requires javascript|javascript is (?:disabled|required)",
                           re.IGNORECASE)


def extract_article(html_text: bytes | str, url: str | None = None) -> Article:
    """Extract the article from a page. Raises ExtractionError when there is none."""
    root = parse_html(html_text)
    base_url = _base_url(root, url)
    meta = read_metadata(root, base_url)
    had_scripts = root.find(".//script") is not None
    # Code and drawings are never text; stripping them once (after JSON-LD is
    # read) keeps them out of every text_content() below.
    etree.strip_elements(root, *_NEVER_TEXT, with_tail=False)
    containers = find_containers(root, _plain(meta.article_body) if meta.article_body else None)
    scope = _article_scope(root, containers)

    fields = pick_fields(root, scope, meta, base_url)
    headline, byline, image = fields.headline, fields.byline, fields.image

    blocks = read_blocks(containers) if containers else []
    # A caption is never a body paragraph, nor are the headline and byline.
    skip = {t.casefold() for t in (headline, byline, image.caption if image else None) if t}
    blocks = [b for b in blocks if b.text.casefold() not in skip and not _is_byline_line(b.text, byline)]
    blocks = _without_pull_quotes(blocks)
    paragraphs, body_html = _choose_body(blocks, meta, base_url)
    if not paragraphs:
        raise ExtractionError(_why_empty(root, had_scripts))
    headline = headline or untitled_headline(scope, paragraphs)
    if not headline:
        raise ExtractionError("the page has no headline (no og:title, JSON-LD headline, <h1> or <title>)")
    return Article(
        url=meta.canonical_url or base_url or "",
        headline=headline,
        byline=byline,
        published=meta.published,
        language=meta.language,
        paragraphs=tuple(paragraphs),
        image=image,
        tags=tuple(meta.tags),
        body_html=body_html,
        description=meta.description,
        modified=meta.modified,
        publisher=meta.publisher or meta.site_name,
    )


def _choose_body(blocks: list[Block], meta: PageMetadata, base_url: str | None) -> tuple[list[str], str]:
    """Markup blocks, checked against the page's JSON-LD articleBody: the
    JSON-LD copy wins when it is clearly more complete, and when it is
    complete, markup blocks it never mentions (promos, asides) go."""
    if meta.article_body:
        ld_paragraphs = [clean_text(p) for p in re.split(r"\n\s*\n|\r?\n", _plain(meta.article_body))]
        ld_paragraphs = [p for p in ld_paragraphs if p and not is_boilerplate_text(p)]
        ld_text = sum(len(p) for p in ld_paragraphs)
        markup_text = sum(len(b.text) for b in blocks)
        reference = shingles("\n".join(ld_paragraphs))
        # The page's own clean copy wins when the markup is far shorter, or
        # when it is long and the markup we found holds hardly any of it
        # (not "the markup is longer": many JSON-LD bodies are cut short).
        if ld_paragraphs and (not blocks or ld_text > 1.5 * markup_text + 200 or (
                ld_text > 500 and _share_of(reference, "\n".join(b.text for b in blocks)) < 0.3)):
            return ld_paragraphs, text_to_html(ld_paragraphs)
        blocks = _agreeing_blocks(blocks, reference)
    paragraphs = [line for b in blocks for line in b.text.split("\n") if line.strip()]
    return paragraphs, blocks_to_html(blocks, base_url)


def _agreeing_blocks(blocks: list[Block], reference: Counter) -> list[Block]:
    # Only a complete reference may veto blocks: the markup holds nearly all
    # of it, and it is nearly as long as the markup (many JSON-LD bodies are
    # cut after a paragraph). Short lines (subheads) cannot be judged by 4-grams.
    markup = "\n".join(b.text for b in blocks)
    size = sum(reference.values())
    if size < 60 or size < 0.8 * sum(shingles(markup).values()) or _share_of(reference, markup) < 0.85:
        return blocks
    return [b for b in blocks if len(b.text.split()) < 8 or coverage(reference, b.text) >= 0.2]


def _share_of(reference: Counter, text: str) -> float:
    """How much of the reference the text contains."""
    total = sum(reference.values())
    return common(reference, shingles(text)) / total if total else 0.0


def _plain(body: str) -> str:
    """JSON-LD bodies sometimes carry HTML, even escaped: keep its text and paragraph breaks."""
    if "&lt;" in body:
        body = unescape(body)
    if not re.search(r"<(?:p|br|div|span|a|strong|em)\b", body, re.IGNORECASE):
        return body
    body = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>", "\n\n", body)
    return unescape(re.sub(r"<[^>]+>", "", body))


def _base_url(root: html.HtmlElement, url: str | None) -> str | None:
    from urllib.parse import urljoin

    base = root.xpath("//base/@href")
    if base and url:
        return urljoin(url, base[0].strip())
    return url


def _article_scope(root: html.HtmlElement, containers: list[html.HtmlElement]) -> html.HtmlElement | None:
    """The <article> (or main) around the body: where its image and byline live."""
    if not containers:
        return next(iter(root.iter("article", "main")), None)
    for ancestor in containers[0].iterancestors():
        if ancestor.tag in ("article", "main"):
            return ancestor
    return containers[0].getparent() if containers[0].getparent() is not None else containers[0]


# Characters scanned looking for pull-quotes; a long article needs ~10^7.
_PULL_QUOTE_BUDGET = 200_000_000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»]?\s*$|^[\"“‘«„]")
_QUOTE_MARKS = re.compile(r"[\"'“”‘’«»„]|^\W+|\W+$")


def _without_pull_quotes(blocks: list[Block]) -> list[Block]:
    """A pull-quote repeats a sentence of the story in larger type: a short
    block whose words all reappear inside a longer paragraph goes, whatever
    its markup is called."""
    keys = [_QUOTE_MARKS.sub("", b.text.casefold()).strip() for b in blocks]
    # Only sentences: short labels and list lines legitimately recur in
    # longer items. Exact repeats are dedupe's business, so they do not count:
    # each distinct text appears once in the haystack, and a candidate found
    # twice there sits inside another paragraph.
    candidates = {key for block, key in zip(blocks, keys)
                  if len(key) >= 40 and block.tag not in ("ul", "ol") and _SENTENCE_END.search(block.text)}
    haystack = "\n".join(dict.fromkeys(keys))
    if not candidates or len(candidates) * len(haystack) > _PULL_QUOTE_BUDGET:
        return blocks  # no candidates, or a page far beyond any article's size: keep time linear
    repeated = {key for key in candidates if haystack.count(key) > 1}
    return [block for block, key in zip(blocks, keys) if key not in repeated]


def _is_byline_line(text: str, byline: str | None) -> bool:
    """'By MARTHA KELL, Herald Staff Writer' printed in the body."""
    return bool(byline) and len(text) < len(byline) + 80 and clean_byline([text]) == byline


def _why_empty(root: html.HtmlElement, had_scripts: bool) -> str:
    text = element_text(root.find("body")) if root.find("body") is not None else ""
    if _SCRIPT_SHELL.search(text) or (len(text) < 200 and had_scripts):
        return "the page has no article text: its body is rendered by JavaScript"
    if not text:
        return "the page has no text at all"
    return "the page has no article: no story body was found"


def clean_page(page: FetchedPage) -> Article:
    """The clean step on a fetched page: links resolve against its final URL."""
    return extract_article(page.text, page.final_url)


@task(name="clean", cache_policy=NO_CACHE)
def clean_task(page: FetchedPage) -> Article:
    return clean_page(page)
