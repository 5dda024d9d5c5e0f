"""Sanitized semantic HTML for the article body.

Nothing from the page is copied as markup: a new tree is built from an
allow-list of tags (p, h2–h4, blockquote, ul/ol/li, a, em/strong, b/i, br,
code, sub/sup) whose only attribute is a checked ``href``. Scripts, styles,
event handlers, ``javascript:``/``data:`` URLs and CSS cannot survive
because nothing but text and allowed tags is ever written.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from tasks.clean.body import SourceBlock, list_items
from tasks.clean.boilerplate import DROP_TAGS
from tasks.clean.image_urls import image_url
from tasks.clean.parse import element_text
from tasks.models import Block

_INLINE = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code",
           "sub": "sub", "sup": "sup", "br": "br", "a": "a", "q": "q", "cite": "cite", "mark": "mark"}
_SAFE_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def safe_href(href: str | None, base_url: str | None) -> str | None:
    """An absolute http(s)/mailto URL, or None for anything else."""
    if not href:
        return None
    # Browsers ignore control characters and spaces inside a scheme
    # ("jav&#x09;ascript:"), so compare without them.
    compact = _CONTROL.sub("", href)
    if not compact or compact.startswith("#"):
        return None
    absolute = urljoin(base_url or "", compact) if base_url else compact
    scheme = urlsplit(absolute).scheme.lower()
    if scheme not in _SAFE_SCHEMES:
        return None
    return absolute


def web_url(url: str | None, base_url: str | None = None) -> str | None:
    """An absolute http(s) URL (a page or an image), or None for anything else."""
    href = safe_href(url, base_url)
    return href if href and urlsplit(href).scheme.lower() in ("http", "https") else None


def _copy_inline(source: html.HtmlElement, target: etree._Element, base_url: str | None) -> None:
    """Copy text and allowed inline markup of ``source`` into ``target``."""
    _append_text(target, source.text)
    for child in source:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None or tag in DROP_TAGS:
            _append_text(target, child.tail)  # comments, scripts: keep only the tail
            continue
        out_tag = _INLINE.get(tag)
        if out_tag is None:
            _copy_inline(child, target, base_url)  # unwrap span, font, etc.
        else:
            new = etree.SubElement(target, out_tag)
            if out_tag == "a":
                href = safe_href(child.get("href"), base_url)
                if href:
                    new.set("href", href)
                    new.set("rel", "nofollow noopener")
            if out_tag != "br":
                _copy_inline(child, new, base_url)
        _append_text(target, child.tail)


def _append_text(target: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def _normalise_space(element: etree._Element) -> None:
    for node in element.iter():
        if node.text:
            node.text = re.sub(r"\s+", " ", node.text)
        if node.tail:
            node.tail = re.sub(r"\s+", " ", node.tail)
    if element.text:
        element.text = element.text.lstrip()
    last = element
    while len(last):
        last = last[-1]
    if last is element:
        element.text = (element.text or "").rstrip()
    elif last.tail:
        last.tail = last.tail.rstrip()


def to_blocks(found: list[SourceBlock], base_url: str | None) -> list[Block]:
    """The body model of the blocks read from the page: each item's text and
    its sanitized HTML, built from the same source element."""
    blocks = []
    # Pieces of one <br>-split element share it: its text is computed once,
    # not once per piece (quadratic on a long legacy page).
    whole_texts: dict[int, str] = {}
    for source in found:
        block = _to_block(source, base_url, whole_texts)
        if block is not None and block.items:
            blocks.append(block)
    return blocks


def _to_block(source: SourceBlock, base_url: str | None, whole_texts: dict[int, str]) -> Block | None:
    element = source.element
    if source.tag in ("ul", "ol"):
        return _block("list", list_items(element), base_url, source.tag)
    if source.tag == "dl":
        return _block("list", list_items(element), base_url, "ul")
    if source.tag == "table":
        return _table(element, base_url)
    if source.tag == "blockquote":
        paragraphs = [p for p in element.iter("p") if element_text(p)]
        if paragraphs and sum(len(element_text(p)) for p in paragraphs) >= 0.9 * len(source.text):
            return _block("quote", paragraphs, base_url, "blockquote")
        return Block("quote", (source.text,), (_inner_or_text(source, base_url, whole_texts),), "blockquote")
    if source.tag == "figure":
        return _figure(source, base_url)
    if source.tag in _HEADINGS:
        return Block("heading", (source.text,), (_inner_or_text(source, base_url, whole_texts),), _HEADINGS[source.tag])
    return Block("paragraph", (source.text,), (_inner_or_text(source, base_url, whole_texts),), "p")


_HEADINGS = {"h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}


def _figure(source: SourceBlock, base_url: str | None) -> Block | None:
    """A picture in the story: its image (an absolute web URL) and caption."""
    img = source.element.find(".//img")
    src = image_url(img, base_url) if img is not None else None
    if not src:
        return None
    alt = " ".join((img.get("alt") or "").split())
    markup = f'<img src="{escape(src)}" alt="{escape(alt)}">'
    caption = source.element.find(".//figcaption")
    if source.text and caption is not None:
        markup += f"<figcaption>{inner_html(caption, base_url)}</figcaption>"
    elif source.text:  # a picture's box with no figcaption: its text is the caption
        markup += f"<figcaption>{escape(source.text)}</figcaption>"
    return Block("figure", (source.text,), (markup,), "figure")


def _block(kind: str, elements: list, base_url: str | None, tag: str) -> Block:
    return Block(kind, tuple(element_text(e) for e in elements), tuple(inner_html(e, base_url) for e in elements), tag)


def _table(table: html.HtmlElement, base_url: str | None) -> Block:
    texts, rows = [], []
    for row in table.iter("tr"):
        cells = [c for c in row if c.tag in ("td", "th")]
        words = [element_text(c) for c in cells]
        if not any(words):
            continue
        texts.append(" | ".join(w for w in words if w))
        rows.append("".join(f"<{c.tag}>{inner_html(c, base_url)}</{c.tag}>" for c in cells))
    return Block("table", tuple(texts), tuple(rows), "table")


def _inner_or_text(source: SourceBlock, base_url: str | None, whole_texts: dict[int, str]) -> str:
    """The element's own markup when its text is the block's, else the text
    alone (a piece of a <br>-split legacy block, a paragraph without its cards)."""
    key = id(source.element)
    if key not in whole_texts:
        whole_texts[key] = element_text(source.element)
    if whole_texts[key] == source.text:
        return inner_html(source.element, base_url)
    return escape(source.text, quote=False)


def inner_html(source: html.HtmlElement, base_url: str | None) -> str:
    """Sanitized inner HTML of an element: its text and allowed inline markup."""
    holder = etree.Element("div")
    _copy_inline(source, holder, base_url)
    _normalise_space(holder)
    return escape(holder.text or "", quote=False) + "".join(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in holder)


def text_blocks(paragraphs: list[str]) -> list[Block]:
    """Blocks for a body known only as text (JSON-LD articleBody)."""
    return [Block("paragraph", (text,), (escape(text, quote=False),), "p") for text in paragraphs if text]
