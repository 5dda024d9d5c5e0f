"""Turn page text into an lxml tree, safely, and small text helpers.

The parser never touches the network, never expands external entities and
keeps libxml2's depth and size limits (no ``huge_tree``): a hostile page
costs bounded time and memory. What libxml2 does not bound is refused
before parsing: a start tag with thousands of attributes costs time
quadratic in their number. Characters XML cannot hold (C0 controls,
U+FFFE/U+FFFF, lone surrogates) are dropped, since the sanitized body is
built as an XML tree.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from lxml import etree, html

from tasks.errors import ExtractionError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_ATTRIBUTES = 256
# A start tag with more than MAX_ATTRIBUTES attributes. Possessive and atomic
# parts never give back what they matched: a quoted value could otherwise
# also be read as an unquoted one, and a failed attempt would backtrack
# through every split (seconds on ordinary pages). Now a failed attempt costs
# time linear in the tag, and no attribute runs past a '<'.
_MANY_ATTRIBUTES = re.compile(
    r"<[a-zA-Z][^\s/><]*+(?>\s++[^\s=>/<]++(?>\s*+=\s*+(?>\"[^\"]*+\"|'[^']*+'|[^\s><]++))?+){%d}"
    % (MAX_ATTRIBUTES + 1)
)
_local = threading.local()


def _parser() -> html.HTMLParser:
    """One parser per thread: flows clean several stories at once, and the
    error log read after each parse must be this page's."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = html.HTMLParser(
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            recover=True,
            default_doctype=False,
        )
    return parser


def parse_html(text: str | bytes) -> html.HtmlElement:
    """Parse a page; raise ExtractionError when nothing parseable is there."""
    if isinstance(text, bytes):
        from tasks.fetch import decode_html

        text, _encoding = decode_html(text)
    # lxml refuses str input that carries an encoding declaration, and an
    # internal DTD subset is where entity bombs live: drop both.
    text = _XML_DECL.sub("", text, count=1)
    text = _DOCTYPE_SUBSET.sub("<!DOCTYPE html>", text, count=1)
    text = _NOT_XML_CHAR.sub("", text)
    if not text.strip():
        raise ExtractionError("the page is empty")
    if _MANY_ATTRIBUTES.search(text):
        raise ExtractionError(f"the page has a tag with more than {MAX_ATTRIBUTES} attributes; refusing to parse it")
    parser = _parser()
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"the page cannot be parsed as HTML ({_first_line(exc)})") from None
    if root is None:
        raise ExtractionError("the page cannot be parsed as HTML")
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            # libxml2 stopped (e.g. past 256 levels of nesting): what it kept is
            # a truncated page, not the article.
            raise ExtractionError(f"the page exceeds the HTML parser's limits ({error.message.strip()})")
    return root


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


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
