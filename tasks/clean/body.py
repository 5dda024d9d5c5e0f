"""Find the story body in a page and read it as a list of blocks.

Container choice, most trusted first: ``itemprop=articleBody``, common CMS
body classes, the ``<article>`` with the most paragraph text, and finally a
content score over paragraph parents (readability's idea: the element whose
children hold the most prose wins). Pages split into several body containers
keep all of them, in page order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html

from tasks.clean.boilerplate import CHROME_TAGS, is_boilerplate_element, is_boilerplate_text
from tasks.clean.parse import clean_text, element_text, tokens

BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre"})
# Containers of layout, walked through rather than taken as blocks.
_SKIP_TAGS = frozenset({"figure", "figcaption", "picture", "img", "amp-img", "header", "h1",
                        "table", "dl"}) | CHROME_TAGS
_BODY_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:article[-_]?body|articlebody|story[-_]?body|entry[-_]?content|post[-_]?content"
    r"|article[-_]?content|story[-_]?content|body[-_]?text|article[-_]?text|content[-_]?body"
    r"|main[-_]?text|rich[-_]?text|field[-_]?name[-_]?body|node[-_]?body|story[-_]?text"
    r"|article__body|c-article-body|paywall-content|text[-_]?body)(?:$|[\s_-])"
)


@dataclass(frozen=True)
class Block:
    """One body block: its tag and the source element it was read from."""

    tag: str
    text: str
    element: html.HtmlElement


def _drop_boilerplate(root: html.HtmlElement, keep: set) -> None:
    for element in list(root.iter()):
        if element in keep or not isinstance(element.tag, str):
            continue
        if element.getparent() is None:
            continue
        if is_boilerplate_element(element) or element.tag in CHROME_TAGS:
            if any(k is element or _is_ancestor(element, k) for k in keep):
                continue
            element.drop_tree()


def _is_ancestor(candidate: html.HtmlElement, element: html.HtmlElement) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is candidate:
            return True
        parent = parent.getparent()
    return False


def _outermost(elements: list[html.HtmlElement]) -> list[html.HtmlElement]:
    chosen = [e for e in elements if not any(o is not e and _is_ancestor(o, e) for o in elements)]
    return chosen


def _paragraph_text_length(element: html.HtmlElement) -> int:
    return sum(len(element_text(p)) for p in element.iter("p"))


def find_containers(root: html.HtmlElement) -> list[html.HtmlElement]:
    """The elements that hold the story body, in page order."""
    marked = root.xpath('//*[@itemprop="articleBody" or @itemprop="articlebody"]')
    marked = [e for e in marked if _paragraph_text_length(e) or len(element_text(e)) > 200]
    if marked:
        return _outermost(marked)
    by_class = [e for e in root.iter() if isinstance(e.tag, str) and e.tag not in ("html", "body")
                and _BODY_CLASSES.search(tokens(e)) and _paragraph_text_length(e) > 80]
    if by_class:
        return _outermost(by_class)
    articles = [a for a in root.iter("article") if _paragraph_text_length(a) > 200]
    if articles:
        return [max(articles, key=_paragraph_text_length)]
    best = _best_scored(root)
    return [best] if best is not None else []


def _best_scored(root: html.HtmlElement) -> html.HtmlElement | None:
    """The element whose paragraphs carry the most prose (readability-style)."""
    scores: dict[html.HtmlElement, float] = {}
    for p in root.iter("p", "br"):
        parent = p.getparent()
        if parent is None:
            continue
        text = element_text(p) if p.tag == "p" else clean_text(p.tail)
        if len(text) < 25:
            continue
        score = 1 + text.count(",") + min(len(text) / 100, 3)
        scores[parent] = scores.get(parent, 0) + score
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0) + score / 2
    if not scores:
        return None
    return max(scores, key=lambda e: scores[e] * (1 - _link_density(e)))


def _link_density(element: html.HtmlElement) -> float:
    text = len(element_text(element)) or 1
    links = sum(len(element_text(a)) for a in element.iter("a"))
    return min(links / text, 1.0)


def read_blocks(containers: list[html.HtmlElement], root: html.HtmlElement) -> list[Block]:
    _drop_boilerplate(root, keep=set(containers))
    blocks: list[Block] = []
    for container in containers:
        _walk(container, blocks)
    return blocks


def _walk(element: html.HtmlElement, blocks: list[Block]) -> None:
    for child in element:
        if not isinstance(child.tag, str) or child.tag in _SKIP_TAGS:
            continue
        if is_boilerplate_element(child):
            continue
        if child.tag in BLOCK_TAGS:
            _take(child, blocks)
        elif _is_text_block(child):
            _take_text_div(child, blocks)
        else:
            _walk(child, blocks)


def _is_text_block(element: html.HtmlElement) -> bool:
    """A div or span used as a paragraph (legacy and CMS markup)."""
    if any(isinstance(d.tag, str) and (d.tag in BLOCK_TAGS or d.tag in ("div", "section", "article", "table"))
           for d in element.iterdescendants()):
        return False
    return len(element_text(element)) >= 1


def _take_text_div(element: html.HtmlElement, blocks: list[Block]) -> None:
    # <br><br> inside a div separates paragraphs on legacy pages.
    pieces = re.split(r"\n\s*\n", _text_with_breaks(element))
    for piece in pieces:
        text = clean_text(piece)
        if text and not is_boilerplate_text(text):
            blocks.append(Block("p", text, element))


def _text_with_breaks(element: html.HtmlElement) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append("\n\n")
        elif isinstance(child.tag, str):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _take(element: html.HtmlElement, blocks: list[Block]) -> None:
    if element.tag in ("ul", "ol"):
        items = [li for li in element if li.tag == "li" and element_text(li)]
        if not items or _link_density(element) > 0.6:
            return  # a list of links: related stories, tags, share targets
        blocks.append(Block(element.tag, "\n".join(element_text(li) for li in items), element))
        return
    if element.tag == "p" and element.find(".//br") is not None and "\n\n" in _text_with_breaks(element):
        _take_text_div(element, blocks)
        return
    text = element_text(element)
    if not text or is_boilerplate_text(text):
        return
    if element.tag == "p" and _link_density(element) > 0.8 and len(text) < 160:
        return  # "Read more: <a>…</a>" promos and link-only lines
    blocks.append(Block(element.tag, text, element))
