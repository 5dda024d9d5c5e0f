"""Turn page text into an lxml tree, safely, and small text helpers.

The parser never touches the network, never expands external entities and
keeps libxml2's depth and size limits (no ``huge_tree``): a hostile page
costs bounded time and memory.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree, html

from tasks.errors import ExtractionError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_PARSER = html.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    recover=True,
    default_doctype=False,
)


def parse_html(text: str | bytes) -> html.HtmlElement:
    """Parse a page; raise ExtractionError when nothing parseable is there."""
    if isinstance(text, bytes):
        from tasks.fetch import decode_html

        text, _encoding = decode_html(text)
    # lxml refuses str input that carries an encoding declaration, and an
    # internal DTD subset is where entity bombs live: drop both.
    text = _XML_DECL.sub("", text, count=1)
    text = _DOCTYPE_SUBSET.sub("<!DOCTYPE html>", text, count=1)
    text = text.replace("\x00", "")
    if not text.strip():
        raise ExtractionError("the page is empty")
    try:
        root = html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"the page cannot be parsed as HTML ({exc})") from None
    if root is None:
        raise ExtractionError("the page cannot be parsed as HTML")
    return root


def clean_text(value: str | None) -> str:
    """Collapse whitespace, drop invisible characters, NFC-normalise."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value.translate(_INVISIBLE))
    return _SPACE.sub(" ", value).strip()


def element_text(element: html.HtmlElement) -> str:
    return clean_text(element.text_content())


def tokens(element: html.HtmlElement) -> str:
    """The element's class and id, lower-cased, for boilerplate matching."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower()
