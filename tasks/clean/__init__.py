"""Clean step: from a page's markup to an ``Article``.

``extract_article`` is the public API: plain Python, no Prefect, usable from
benchmarks and other programs. The flows run ``clean_page`` as a Prefect
task in a child process (tasks/steps.py, tasks/isolation.py).
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace

from lxml import etree, html
from tasks.clean.body import SourceBlock, read_blocks
from tasks.clean.names import ROLE_TAIL, byline_names, is_role_line
from tasks.clean.containers import find_containers, is_marked_body
from tasks.clean.datelines import is_date, is_date_line, is_labelled_date_line
from tasks.clean.explain import mark_uncertain, recording, uncertain_fields
from tasks.clean.fields import pick_fields, untitled_headline
from tasks.clean.headline import title_parts
from tasks.clean.image_urls import image_url
from tasks.clean.images import same_picture
from tasks.clean.labels import MORE_STORIES_LABEL
from tasks.clean.metadata import PageMetadata, clean_byline, read_metadata
from tasks.clean.parse import clean_text, element_text, parse_html
from tasks.clean.reconcile import is_prose, is_weak, json_ld_text, prefer_second, with_json_ld
from tasks.clean.reconcile import second_opinion as reconcile_second_opinion
from tasks.clean.sanitize import text_blocks, to_blocks
from tasks.clean.threads import drop_comments
from tasks.errors import ExtractionError
from tasks.models import Article, Block, FetchedPage, body_text

__all__ = ["extract_article", "clean_page"]

_NEVER_TEXT = ("script", "style", "template", "svg", "math", "canvas", "object", "embed", "applet")
_SCRIPT_SHELL = re.compile(r"enable javascript|requires javascript|javascript is (?:disabled|required)",
                           re.IGNORECASE)


def extract_article(html_text: bytes | str, url: str | None = None, second_opinion: bool = True,
                    max_chars: int | None = None) -> Article:
    """Extract the article from a page. Raises ExtractionError when there is none.

    ``second_opinion`` lets trafilatura read the page where our own reading
    is weak (see ``reconcile``); ``max_chars`` is the run's ``parse_max_chars``
    (see ``parse_html``)."""
    with recording() as choices:
        article = _extract(html_text, url, second_opinion, max_chars)
    return replace(article, uncertain=uncertain_fields(choices))


def _extract(html_text: bytes | str, url: str | None, second_opinion: bool, max_chars: int | None) -> Article:
    root = parse_html(html_text, max_chars)
    base_url = _base_url(root, url)
    meta = read_metadata(root, base_url)
    had_scripts = root.find(".//script") is not None
    _formulas_as_text(root)
    # Code and drawings are never text; stripping them once (after JSON-LD is
    # read) keeps them out of every text_content() below.
    etree.strip_elements(root, *_NEVER_TEXT, with_tail=False)
    # Reader comments known by their shape, whatever their classes: a long
    # thread would outscore a short story, and no field is read from it.
    drop_comments(root)
    containers = find_containers(root, json_ld_text(meta.article_body) if meta.article_body else None)
    scope = _article_scope(root, containers)

    fields = pick_fields(root, scope, meta, base_url)
    headline, byline, image = fields.headline, fields.byline, fields.image

    skip = {_words(t) for t in (headline, byline, image.caption if image else None, *title_parts(headline)) if t}
    blocks, source = _body(root, containers, meta, base_url, skip, byline, second_opinion,
                           image.url if image else None)
    if not body_text(tuple(blocks)):
        raise ExtractionError(_why_empty(root, had_scripts))
    if not headline:
        # Readable prose with no headline anywhere: the story still goes out,
        # headed by its first heading or the opening words of its text.
        headline = untitled_headline(scope, list(body_text(tuple(blocks))))
        if not headline:
            headline = _headline_from_body(blocks)
            mark_uncertain("headline", headline, "the body's opening words")
        source += "; headline from the body"
    return Article.from_blocks(
        blocks,
        url=meta.canonical_url or base_url or "",
        headline=headline,
        byline=byline,
        published=meta.published,
        language=meta.language,
        image=image,
        tags=fields.tags,
        description=meta.description,
        modified=meta.modified,
        publisher=meta.publisher or meta.site_name,
        body_source=source,
    )


def _body(root: html.HtmlElement, containers: list, meta: PageMetadata, base_url: str | None,
          skip: set[str], byline: str | None, second_opinion: bool,
          lead_image: str | None) -> tuple[list[Block], str]:
    """The body blocks and why they were chosen."""
    def kept(found: list[SourceBlock]) -> list[Block]:
        # A caption is never a body paragraph, nor are the headline and byline.
        story, after_byline = [], False
        for index, block in enumerate(found):
            if not story and _is_kicker(block, found[index + 1:index + 4], skip):
                continue  # "Viewpoint", "Your Company": the section label above the story
            if block.tag == "figure" and _shows(block.element, lead_image, base_url):
                continue  # the lead picture goes with the story, not again inside its body
            if _is_byline_line(block.text, byline, meta.language):
                after_byline = True
                continue
            if block.tag == "p" and (is_labelled_date_line(block.text, meta.language) if story else
                                     index < _DATE_LINE_REACH and is_date_line(block.text, meta.language)):
                continue  # the date line above the story, or a labelled one anywhere
            if after_byline and is_role_line(block.text):
                after_byline = False  # the author's title, on its own line under the byline
                continue
            after_byline = False
            if _words(block.text) not in skip:
                story.append(block)
        return to_blocks(story, base_url)

    blocks = kept(read_blocks(containers)) if containers else []
    blocks, ld_paragraphs, source = with_json_ld(blocks, meta.article_body)
    if ld_paragraphs is not None:
        return text_blocks(ld_paragraphs), source
    # A body the page's own JSON-LD copy confirms needs no second opinion.
    # Never on a page without running text: noise or symbols make no story.
    # A body the page itself marks as the story, read whole, is short because
    # the story is: a second opinion would only add the promos around it.
    found_some = bool(body_text(tuple(blocks)))
    marked = found_some and all(is_marked_body(c) for c in containers)
    if second_opinion and source == "markup" and not marked and is_weak(blocks, _page_prose(root)) \
            and is_prose(root.text_content()):
        # Its fallback extractors are the costly part: only worth it when
        # we found nothing at all. Then, if its precise reading is no story
        # (the menu, when the story sits in an <aside> or <footer> it skips
        # whole), its reading that favours recall is asked too.
        for favor_recall in (False,) if found_some else (False, True):
            other = reconcile_second_opinion(copy.deepcopy(root), base_url, fast=found_some, favor_recall=favor_recall)
            if other is None:
                continue
            theirs = kept(read_blocks([_before_promos(other)]))
            why = prefer_second(blocks, theirs, " ".join(c.text_content() for c in containers),
                                links="" if blocks else _link_labels(root))
            if why and favor_recall:
                # Read from a box a story does not usually sit in: published, and flagged as a guess.
                why += ", favouring recall"
                mark_uncertain("body", body_text(tuple(theirs))[0], why)
            if why:
                return theirs, why
        source += "; trafilatura consulted, markup kept"
    return blocks, source


# "Read more" opens the rest of this story, not other stories.
_READ_ON = re.compile(r"(?:read|see)\s+more\b", re.IGNORECASE)


def _before_promos(reading: html.HtmlElement) -> html.HtmlElement:
    """The second opinion's reading up to a label of other stories after the
    story's prose: it reads on into the teasers below the story, which it
    gives as plain paragraphs with no box around them to skip. Cut in the
    tree, before the blocks are read: reading them drops the label itself
    ("Related coverage", "Most read" are boilerplate lines too)."""
    while len(reading) == 1 and reading[0].tag in ("div", "section", "main", "article"):
        reading = reading[0]
    children = [child for child in reading if isinstance(child.tag, str)]
    after_prose = False
    for index, child in enumerate(children):
        text = element_text(child)
        if after_prose and len(text) <= 40 and MORE_STORIES_LABEL.match(text) and not _READ_ON.match(text):
            for later in children[index:]:
                reading.remove(later)
            break
        after_prose = after_prose or (child.tag == "p" and bool(text))
    return reading


# The date line is among the first blocks; each one read costs a dateparser call.
_DATE_LINE_REACH = 8


def _words(text: str) -> str:
    """Text as its words: "Linde: Gasekonzern …" printed again as "Linde Gasekonzern …" is the same line."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _is_kicker(block: SourceBlock, after: list[SourceBlock], skip: set[str]) -> bool:
    """The story's first block, a label of a word or three with no sentence
    in it, right before a paragraph of prose (the headline, the byline and
    other such labels may come between): a kicker ("Viewpoint"), or a
    template's field label ("Episode Description:", "Last Modified:" whose
    date is gone), not the story. A label with a colon over a list or table
    introduces it ("What you'll need:")."""
    if not _is_label(block):
        return False
    following = next((b for b in after if _words(b.text) not in skip and not _is_label(b)), None)
    if following is None or following.tag == "figure" or len(following.text) < 80:
        return False
    return not block.text.endswith(":") or following.tag not in ("ul", "ol", "dl", "table", "pre")


def _is_label(block: SourceBlock) -> bool:
    words = block.text.split()
    return block.tag in ("p", "div", "span") and 0 < len(words) <= 3 and len(block.text) <= 30 \
        and not re.search(r"[.!?:;,\d]", block.text.removesuffix(":"))


def _shows(figure: html.HtmlElement, picture: str | None, base_url: str | None) -> bool:
    img = figure.find(".//img")
    src = image_url(img, base_url) if img is not None and picture else None
    return bool(src) and (src == picture or same_picture(src, picture))


def _link_labels(root: html.HtmlElement) -> str:
    """The labels of the page's links to other pages (not script links),
    and its headline, which a menu's reading may run into."""
    links = [a.text_content() for a in root.iter("a")
             if not (a.get("href") or "javascript:").strip().lower().startswith(("javascript:", "#"))]
    return " ".join(links + [h.text_content() for h in root.iter("h1")])


def _page_prose(root: html.HtmlElement) -> int:
    """Characters of paragraph prose on the whole page: how much a body could hold."""
    return sum(n for n in (len(p.text_content()) for p in root.iter("p")) if n >= 80)


def _formulas_as_text(root: html.HtmlElement) -> None:
    """A MathML formula becomes its text (the symbols a reader sees, else its
    alttext or TeX annotation), so a sentence does not lose it when markup
    is stripped."""
    for math in list(root.iter("math")):
        tex = math.xpath('.//*[local-name()="annotation"][contains(@encoding, "tex")]')
        tex = tex[0].text_content() if tex else None
        for annotation in math.xpath('.//*[local-name()="annotation" or local-name()="annotation-xml"]'):
            annotation.drop_tree()
        for operator, mark in (("mfrac", "/"), ("msup", "^")):
            for node in math.iter(operator):
                if len(node) == 2:
                    node[0].tail = f" {mark} " + (node[0].tail or "")
        text = " ".join(" ".join(math.itertext()).split()) or math.get("alttext") or tex or ""
        span = html.Element("span")
        span.text = clean_text(text)
        span.tail = math.tail
        parent = math.getparent()
        if parent is not None:
            parent.replace(math, span)


def _headline_from_body(blocks: list[Block]) -> str:
    first = next((b for b in blocks if b.kind == "heading"), next(b for b in blocks if b.kind != "figure"))
    words = first.items[0].split()
    return " ".join(words[:14]) + ("…" if len(words) > 14 else "")


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
    for ancestor in (containers[0], *containers[0].iterancestors()):
        if ancestor.tag in ("article", "main"):
            return ancestor
    return containers[0].getparent() if containers[0].getparent() is not None else containers[0]


# A date printed before or after the byline on its own line: "November 20, 2019 Ann Lee", "Ann Lee | 2019-11-20".
_DATE_BESIDE = re.compile(
    r"^\s*(?:[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?\s+\d{4}|\d{4}-\d{2}-\d{2})[\s|·•,–—-]+"
    r"|[\s|·•,–—-]+(?:[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?\s+\d{4}|\d{4}-\d{2}-\d{2})\s*$")


def _is_byline_line(text: str, byline: str | None, language: str | None) -> bool:
    """'By MARTHA KELL, Herald Staff Writer' printed in the body, alone or beside the date."""
    if not byline or len(text) >= len(byline) + 80:
        return False
    folded, names = text.casefold(), byline_names(byline)
    if not all(name.split()[-1].casefold() in folded for name in names):
        return False  # a line without every writer's surname: no need to read it as a byline
    return clean_byline([text]) == byline or clean_byline([_DATE_BESIDE.sub("", text)]) == byline \
        or _names_place_date(text, names, language)


# "Madrid", "NEW YORK,", "Rio de Janeiro -": the place a story was filed from, before its date.
_PLACE = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:de|del|da|do|di|am|an|sur|on)?\s*[A-ZÀ-Þ][\w'’.-]*){0,2})\s*[,–—-]?\s*")


def _names_place_date(text: str, names: list[str], language: str | None) -> bool:
    """'María R. Sahuquillo / Emilio de Benito Madrid 27 OCT 2012 - 12:14 CET': every
    writer, then at most a place and the date line. A sentence naming them is not."""
    rest = text
    for name in names:
        rest, found = re.subn(re.escape(name), " ", rest, count=1, flags=re.IGNORECASE)
        if not found:
            return False
    rest = re.sub(r"^\s*(?:by|por|par|von|di|door|av|af)\b", " ", rest, flags=re.IGNORECASE)
    rest = re.sub(r"^(?:[\s/,;|·•&–—-]|\b(?:and|y|e|et|und|en|og|och)\b)+", "", rest).strip()
    # "Tom Davies Associated Press", the name and the title in tags of their own; "LAURIE OAKES IS THE
    # NINE NETWORK POLITICAL EDITOR" is a sentence about the writer.
    return bool(rest) and (is_date(rest, language) or is_date(_PLACE.sub("", rest, count=1), language)
                           or not _VERB.match(rest) and (is_role_line(rest) or bool(ROLE_TAIL.match(" " + rest))))


_VERB = re.compile(r"(?:is|was|are|were|has|had|writes|wrote|reports|reported|covers|covered)\b", re.IGNORECASE)


def _why_empty(root: html.HtmlElement, had_scripts: bool) -> str:
    text = element_text(root.find("body")) if root.find("body") is not None else ""
    if _SCRIPT_SHELL.search(text) or (len(text) < 200 and had_scripts):
        return "the page has no article text: its body is rendered by JavaScript"
    if not text:
        return "the page has no text at all"
    return "the page has no article: no story body was found"


def clean_page(page: FetchedPage, max_chars: int | None = None) -> Article:
    """The clean step on a fetched page: links resolve against its final URL."""
    return extract_article(page.text, page.final_url, max_chars=max_chars)
