"""Sanitized semantic HTML for the article body.

Nothing from the page is copied as markup: a new tree is built from an
allow-list of tags (p, h2–h4, blockquote, ul/ol/li, a, em/strong, b/i, br,
code, sub/sup) whose only attribute is a checked ``href``. Scripts, styles,
event handlers, ``javascript:``/``data:`` URLs and CSS cannot survive
because nothing but text and allowed tags is ever written.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from tasks.clean.body import Block
from tasks.clean.boilerplate import DROP_TAGS

_INLINE = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code",
           "sub": "sub", "sup": "sup", "br": "br", "a": "a", "q": "q", "cite": "cite", "mark": "mark"}
_BLOCK_OUT = {"p": "p", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4",
              "blockquote": "blockquote", "pre": "p", "ul": "ul", "ol": "ol"}
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


def blocks_to_html(blocks: list[Block], base_url: str | None, keep_text: list[str] | None = None) -> str:
    """Serialize body blocks as sanitized HTML, one element per block.

    ``keep_text`` (if given) is the list of block texts that survived dedupe;
    blocks whose text is not in it are left out.
    """
    wanted = None if keep_text is None else list(keep_text)
    root = etree.Element("div")
    for block in blocks:
        if wanted is not None:
            if block.text not in wanted:
                continue
            wanted.remove(block.text)
        out_tag = _BLOCK_OUT.get(block.tag, "p")
        new = etree.SubElement(root, out_tag)
        if out_tag in ("ul", "ol"):
            for li in block.element:
                if li.tag == "li":
                    item = etree.SubElement(new, "li")
                    _copy_inline(li, item, base_url)
                    _normalise_space(item)
        elif block.element.tag in ("p", "blockquote") or block.element.tag == block.tag:
            if block.tag == "blockquote" and block.element.find("p") is not None:
                for p in block.element.iter("p"):
                    para = etree.SubElement(new, "p")
                    _copy_inline(p, para, base_url)
                    _normalise_space(para)
            elif _text_matches(block):
                _copy_inline(block.element, new, base_url)
                _normalise_space(new)
            else:
                new.text = block.text
        else:
            new.text = block.text  # a piece of a <br>-split legacy block: text only
    return "\n".join(etree.tostring(child, method="html", encoding="unicode").strip() for child in root)


def _text_matches(block: Block) -> bool:
    from tasks.clean.parse import element_text

    return element_text(block.element) == block.text


def text_to_html(paragraphs: list[str]) -> str:
    """HTML for a body known only as text (JSON-LD articleBody)."""
    root = etree.Element("div")
    for text in paragraphs:
        etree.SubElement(root, "p").text = text
    return "\n".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
