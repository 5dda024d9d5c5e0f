"""Boxes set inside a story's container that are not its text, whatever
their class: sign-up boxes, a chart's or a player's labels, the list of other stories
under a "Related coverage" label; and the one list of links that is the
article's own, its references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree, html

from tasks.clean.labels import MORE_STORIES_LABEL
from tasks.clean.parse import clean_text, element_text, previous_element, text_within


def is_signup_box(element: html.HtmlElement) -> bool:
    """A small box around a form (newsletter sign-up, comment box), whatever
    its class: the pitch around the form is not story text."""
    has_form = element.find(".//form") is not None or element.find(".//input") is not None
    return has_form and len(element_text(element)) < 400


def is_label_box(element: html.HtmlElement) -> bool:
    """A box of label scraps rather than text: a chart drawn in HTML, or a
    player's or reader's controls. Its text pieces are read once for both,
    and only until neither can be: a box of prose stops at its first
    sentence, so boxes nested in boxes cost little more than their text."""
    chart = element.tag != "table"
    # Highlighted code is scraps of tokens too.
    controls = element.find(".//pre") is None and element.find(".//code") is None
    scraps: list[str] = []
    size = 0
    for piece in _visible_text(element):
        if piece is None:
            return False  # a table's rows: data (standings, a budget), however short its cells
        text = clean_text(piece)
        if not text:
            continue
        scraps.append(text)
        size += len(text)
        controls = controls and not (text[-1] in ".!?…。" or len(text) > 40)
        chart = chart and size <= _CHART_CHARS
        if not chart and not controls:
            return False
    return (chart and _is_chart_labels(scraps, size)) or (controls and _is_control_labels(scraps, size))


_CHART_CHARS = 2000


def _is_chart_labels(scraps: list[str], size: int) -> bool:
    """The labels of a chart drawn in HTML ("$915", "billion", "’17", "’18"):
    many scraps of a word or two, most of them numbers."""
    if len(scraps) < 8 or size > 12 * len(scraps):
        return False
    return sum(any(c.isdigit() for c in t) for t in scraps) >= 0.5 * len(scraps)


def _is_control_labels(scraps: list[str], size: int) -> bool:
    """The labels of a player's or a reader's controls ("Mute", "Playback
    Rate", "Captions", "Georgia", "Arial"): a dozen or more scraps of a word
    or two, none of them a sentence."""
    return len(scraps) >= 12 and size <= 12 * len(scraps)


def _visible_text(element: html.HtmlElement) -> Iterator[str | None]:
    """The element's text pieces, without the style and script a chart ships;
    None at a table's row."""
    for node in element.iter():
        if node.tag == "tr":
            yield None
        if node.tag in ("style", "script", "noscript"):
            if node is not element and node.tail:
                yield node.tail
            continue
        if isinstance(node.tag, str) and node.text:
            yield node.text
        if node is not element and node.tail:
            yield node.tail


# A citation: a retrieval or archive date, an ISBN or DOI, page numbers, a year in brackets.
_CITATION = re.compile(r"\b(?:retrieved|archived|accessed|isbn|doi|issn|pmid|arxiv)\b|\bpp?\.\s*\d|\(\d{4}[a-z]?\)"
                       r"|\b(?:abgerufen|consulté|consultado|recuperado|dostęp)\b", re.IGNORECASE)


def is_reference_list(element: html.HtmlElement) -> bool:
    """An ordered list of citations ("^ Doe, Jane (2017). "Title". Retrieved …"),
    most of its items citing a source: the article's references, not links
    to other stories."""
    items = [li for ol in element.iter("ol") for li in ol if li.tag == "li"]
    return len(items) >= 3 and sum(bool(_CITATION.search(li.text_content())) for li in items) >= 0.6 * len(items)


_LABEL_TAGS = {"div", "p", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "label"}


def under_more_label(listing: html.HtmlElement) -> bool:
    """A list right after a "More Great Stories" / "Related coverage" label
    (or the wrapper it fills, two levels up at most): other stories' links,
    which go with their label."""
    node = listing
    for _ in range(3):
        label = previous_element(node)
        if label is not None:
            return _is_more_label(label)
        parent = node.getparent()
        if parent is None or len(_children(parent)) != 1:
            return False
        node = parent
    return False


def _children(element: html.HtmlElement) -> list[html.HtmlElement]:
    return list(element.iterchildren(tag=etree.Element))


def _is_more_label(label: html.HtmlElement) -> bool:
    return _is_label(label, MORE_STORIES_LABEL, 60)


def _is_label(element: html.HtmlElement, pattern: re.Pattern, chars: int) -> bool:
    """A short label element (its text and up to two inline tags) whose words ``pattern`` names."""
    return element.tag in _LABEL_TAGS and len(element) <= 2 and text_within(element, chars) \
        and bool(pattern.match(element_text(element)))


def is_promo_box(element: html.HtmlElement) -> bool:
    """A box that opens with a "Recommended for You" / "Related coverage"
    label over three or more teasers built alike (each a link and a short
    blurb), directly or inside a wrapper or two: other stories, however
    much prose their blurbs add up to. A story under a "Latest News"
    kicker is not one: its paragraphs are not each a link."""
    children = _children(element)
    if len(children) < 2 or not _is_more_label(children[0]):
        return False
    entries = children[1:]
    for _ in range(2):  # the entries inside a wrapper or two of their own
        # Not the empty slots beside them; a few are enough to tell (a long row stops there).
        entries = list(islice((entry for entry in entries if not text_within(entry, 0)), 8))
        if len(entries) != 1:
            break
        entries = _children(entries[0])
    teasers = (entry for entry in entries if entry.tag == entries[0].tag and _is_teaser(entry))
    return next(islice(teasers, 2, None), None) is not None  # three are enough: a long row stops there


def _is_teaser(entry: html.HtmlElement) -> bool:
    """A link to another story with at most a blurb: a story's own
    paragraphs under a kicker are rarely each a link."""
    return entry.find(".//a[@href]") is not None and text_within(entry, 800)


# The label over a story's summary points, in English and the languages the
# other labels cover: "STORY HIGHLIGHTS", "Key points", "Das Wichtigste in Kürze".
_HIGHLIGHTS_LABEL = re.compile(
    r"^(?:(?:story\s+)?highlights|key\s+(?:points|takeaways|facts)|summary|at\s+a\s+glance|the\s+gist"
    r"|das\s+wichtigste(?:\s+in\s+kürze)?|auf\s+einen\s+blick|l['’]essentiel|en\s+bref|puntos\s+clave|claves"
    r"|em\s+resumo|in\s+sintesi)\s*[:：]?$", re.IGNORECASE)
_POINT_CHARS = 250  # one point: a sentence or two; a paragraph of the story is longer
_SUMMARY_CHARS = 1200


def is_highlights_box(element: html.HtmlElement) -> bool:
    """A box of a story's summary points under their label, set above or
    beside its text: the points are the story's summary, said again by the
    text itself, not a part of it."""
    children = _children(element)
    if len(children) < 2 or not _is_label(children[0], _HIGHLIGHTS_LABEL, 40) \
            or not text_within(element, _SUMMARY_CHARS):
        return False
    points = [p for child in children[1:] for p in (_children(child) if child.tag in ("ul", "ol", "div") and
                                                    len(child) else [child])]
    # Points are items (a list's, or a field's divs); paragraphs under such a heading are a section of the story.
    return all(point.tag != "p" and text_within(point, _POINT_CHARS) for point in points) \
        and any(element_text(p) for p in points)


# What stands between the links of a topic line: commas, bars, dots, "and".
_LINK_SEPARATORS = re.compile(r"[\s,;:|·•/–—-]+|\b(?:and|und|et|y|e)\b", re.IGNORECASE)
# A listing page's address: no file to download at the end ("blanket.js", "report.pdf").
_FILE_LINK = re.compile(r"\.(?!(?:s?html?|php|aspx?|jsp)\b)[a-z0-9]{1,5}(?:[?#].*)?$", re.IGNORECASE)


def is_labelled_link_line(element: html.HtmlElement, text: str) -> bool:
    """A line of a short label before two or more short links to the site's
    own pages, and nothing else: "Sujets associés Ferries Port", "Read more
    about: Ferries, Harbour". A list of topics or tags, whatever words its
    label uses. Not a sentence with a word between its links ("Call Ana Ruiz
    or Bo Li"), nor links to files or other sites ("Source files: a.js, b.js")."""
    if len(text) >= 160:
        return False
    links = [(name, a.get("href") or "") for a in element.iter("a") if (name := element_text(a))]
    if len(links) < 2 or any(len(name.split()) > 4 for name, _href in links):
        return False
    site = _canonical_host(element) if any(urlsplit(href).netloc for _name, href in links) else ""
    if not all(_on_this_site(href, site) for _name, href in links):
        return False
    label, _, rest = text.partition(links[0][0])
    for name, _href in links[1:]:
        between, found, rest = rest.partition(name)
        if not found or _LINK_SEPARATORS.sub("", between):
            return False
    return not _LINK_SEPARATORS.sub("", rest) and 0 < len(_LINK_SEPARATORS.sub(" ", label).split()) <= 3


def _canonical_host(element: html.HtmlElement) -> str:
    """The host of the page's canonical address (or og:url), without "www."; read once per line."""
    canonical = element.getroottree().getroot().xpath("string((//link[@rel='canonical']/@href | "
                                                      "//meta[@property='og:url']/@content)[1])")
    return urlsplit(canonical).netloc.removeprefix("www.") if canonical else ""


def _on_this_site(href: str, site: str) -> bool:
    """A link to one of the site's own pages: a path, or a page on the canonical address's host."""
    if not href or _FILE_LINK.search(href.split("?")[0].split("#")[0]):
        return False
    host = urlsplit(href).netloc
    if not host:
        return not href.startswith(("javascript:", "mailto:", "tel:", "#"))
    return bool(site) and host.removeprefix("www.") == site
