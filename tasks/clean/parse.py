"""Turn page text into an lxml tree, safely, and small text helpers.

The parser never touches the network, never expands external entities and
keeps libxml2's depth and size limits (no ``huge_tree``): a hostile page
costs bounded time and memory. What libxml2 does not bound is refused
before parsing: a start tag with thousands of attributes costs time
quadratic in their number. Characters XML cannot hold (C0 controls,
U+FFFE/U+FFFF, lone surrogates) are dropped, since the sanitized body is
built as an XML tree.

Much of a heavy page is never article text: hydration JSON in scripts,
stylesheets, inline ``data:`` images, comments. They are dropped before
parsing, in one linear pass, so that a 20 MB page that is 18 MB of script
costs what its markup costs, and so that one script longer than libxml2's
10 MB text limit does not make the whole page unparseable. JSON-LD scripts
are kept: they carry the article's metadata. What remains is held to
``parse_max_chars``.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from lxml import etree, html

from config.settings import Settings
from tasks.errors import ExtractionError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# The opening of a DOCTYPE's internal subset and its end, found in two
# forward scans: a lazy ".*?" tried from every opening would rescan the rest
# of the page once per opening (quadratic on "<!DOCTYPE x [" repeated).
_DOCTYPE_OPEN = re.compile(r"<!DOCTYPE[^\[<>]*+\[", re.IGNORECASE)
_SUBSET_END = re.compile(r"\]\s*+>")
# Characters no reader sees: zero-width spaces, word joiners, byte-order marks, soft hyphens. The
# zero-width (non-)joiners shape Persian, Arabic and Indic words ("می‌شود" is not "میشود") and
# emoji sequences, so they stay there; beside Latin letters or spaces they are a CMS's litter.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_JOINERS_AS_LITTER = re.compile("(?<=[\x00-\u024f])[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\u024f])"
                                "|^[\u200c\u200d]+|[\u200c\u200d]+$")

_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_ATTRIBUTES = 256
# For callers that parse without a run's settings (benchmarks, tests): the setting's default.
DEFAULT_MAX_CHARS: int = Settings.model_fields["parse_max_chars"].default
# A start tag with more than MAX_ATTRIBUTES attributes. Possessive and atomic
# parts never give back what they matched: a quoted value could otherwise
# also be read as an unquoted one, and a failed attempt would backtrack
# through every split (seconds on ordinary pages). Now a failed attempt costs
# time linear in the tag, and no attribute runs past a '<'.
_MANY_ATTRIBUTES = re.compile(
    r"<[a-zA-Z][^\s/><]*+(?>\s++[^\s=>/<]++(?>\s*+=\s*+(?>\"[^\"]*+\"|'[^']*+'|[^\s><]++))?+){%d}"
    % (MAX_ATTRIBUTES + 1)
)
# The next thing to drop: a comment, or a script or stylesheet (its body).
# "[^<>]" keeps a start tag from running past the next tag, so a page of
# unterminated "<script" costs linear time.
_BULK_START = re.compile(r"<!--|<(script|style)\b([^<>]*+)>", re.IGNORECASE)
_CLOSE = {"script": re.compile(r"</script\s*>", re.IGNORECASE), "style": re.compile(r"</style\s*>", re.IGNORECASE)}
_JSON_LD = re.compile(r"""type\s*=\s*["']?\s*application/ld\+json""", re.IGNORECASE)
MAX_JSON_LD_CHARS = 1_000_000
# An unbroken run of this many characters (no space, quote or bracket) is
# inline data (a data: URI, a blob), never prose. The look-behind lets a run
# be tried only from its first character: one scan per run, linear in all.
LONG_TOKEN_CHARS = 65_536
_LONG_TOKEN = re.compile(r"""(?<![^\s"'<>=])[^\s"'<>=]{%d,}+""" % LONG_TOKEN_CHARS)
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
        # Every element as a plain HtmlElement, looked up in C: lxml.html's
        # own lookup (a form, an input, a label each get their own class)
        # runs Python code for every element touched, a tenth of the step's
        # time, and nothing here uses those classes.
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
            entity=html.HtmlEntity))
    return parser


def drop_bulk(text: str) -> str:
    """The page without comments, script and style bodies (JSON-LD kept) or
    long inline data; tags stay, so "this page needs JavaScript" is still seen."""
    parts: list[str] = []
    position = 0
    while (start := _BULK_START.search(text, position)) is not None:
        if start.group(0) == "<!--":
            end = text.find("-->", start.end())
            if end < 0:
                break  # unterminated: left to the parser's recovery
            parts.append(text[position:start.start()])
            position = end + 3
            continue
        tag, attributes = start.group(1).lower(), start.group(2)
        close = _CLOSE[tag].search(text, start.end())
        body_end = close.start() if close else len(text)  # unterminated: it runs to the end
        parts.append(text[position:start.end()])
        if tag == "script" and _JSON_LD.search(attributes) and body_end - start.end() <= MAX_JSON_LD_CHARS:
            parts.append(text[start.end():body_end])
        position = body_end
    parts.append(text[position:])
    return _LONG_TOKEN.sub("", "".join(parts))


def parse_html(text: str | bytes, max_chars: int | None = None) -> html.HtmlElement:
    """Parse a page; raise ExtractionError when nothing parseable is there.

    ``max_chars`` (a run passes its ``parse_max_chars``; default: that
    setting's default) bounds the markup left after drop_bulk, and with it
    the parser's time and memory.
    """
    if isinstance(text, bytes):
        from tasks.fetch import decode_html

        text, _encoding = decode_html(text)
    if max_chars is None:
        max_chars = DEFAULT_MAX_CHARS
    text = drop_bulk(text)
    if len(text) > max_chars:
        raise ExtractionError(
            f"the page has {len(text) / 2**20:.1f} MB of markup besides scripts, styles and inline data;"
            f" the parser takes at most {max_chars / 2**20:.1f} MB (NEWSROOM_PARSE_MAX_CHARS)")
    # lxml refuses str input that carries an encoding declaration, and an
    # internal DTD subset is where entity bombs live: drop both.
    text = _XML_DECL.sub("", text, count=1)
    text = _without_doctype_subset(text)
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
    _separate_blocks(root)
    return root


# Elements a browser lays out as blocks (or breaks a line at).
_BLOCK_LEVEL = ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
                "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
                "section", "table", "td", "th", "tr", "ul")


def _separate_blocks(root: html.HtmlElement) -> None:
    """Whitespace at each block's edges. A minified page writes its blocks
    with nothing between them (``<li><div>Cost less</div><div>Ferry times
    </div></li>``): a browser shows them apart, but their text would run
    together ("lessFerry") wherever it is read as one string."""
    for element in root.iter(*_BLOCK_LEVEL):
        before = element.getprevious()
        if before is not None:
            if not before.tail:
                before.tail = " "
            elif not before.tail[-1].isspace():
                before.tail += " "
        elif (parent := element.getparent()) is not None and parent.text and not parent.text[-1].isspace():
            parent.text += " "
        if element.tail and not element.tail[0].isspace():
            element.tail = " " + element.tail
        elif not element.tail and element.getnext() is not None:
            element.tail = " "


def _without_doctype_subset(text: str) -> str:
    """The page with its first DOCTYPE internal subset replaced by a plain
    doctype; an unterminated subset loses every subset opening instead."""
    start = _DOCTYPE_OPEN.search(text)
    if start is None:
        return text
    end = _SUBSET_END.search(text, start.end())
    if end is None:
        return _DOCTYPE_OPEN.sub("", text)
    return text[:start.start()] + "<!DOCTYPE html>" + text[end.end():]


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def clean_text(value: str | None) -> str:
    """Collapse whitespace, drop invisible characters, NFC-normalise."""
    if not value:
        return ""
    # str.split() splits on exactly the characters \s matches, several times faster than a regex.
    return " ".join(visible(value).split())


def visible(value: str) -> str:
    """The text without invisible characters, NFC-normalised; spaces kept."""
    if value.isascii():  # ASCII has no invisible characters and is its own NFC form
        return value
    if "\u200c" in value or "\u200d" in value:  # rare: the look-arounds only where there is a joiner
        value = _JOINERS_AS_LITTER.sub("", value)
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", value))


def element_text(element: html.HtmlElement) -> str:
    return clean_text(element.text_content())


def text_with_breaks(element: html.HtmlElement) -> str:
    """The element's text with a newline for each <br> (legacy pages separate paragraphs so)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)


def text_within(element: html.HtmlElement, limit: int) -> bool:
    """Whether the element's text, whitespace collapsed, is at most ``limit``
    characters: reads only as far as it must, so asking it of every wrapper
    of a large page costs the size of the answer, not of the page."""
    total = 0
    for piece in element.itertext():
        total += len(" ".join(piece.split()))
        if total > limit:
            return False
    return True


def previous_element(node: html.HtmlElement) -> html.HtmlElement | None:
    """The element just before ``node`` among its siblings, comments between them skipped."""
    return next(node.itersiblings(preceding=True, tag=etree.Element), None)


def is_inside(node: html.HtmlElement, ancestor: html.HtmlElement) -> bool:
    """Whether ``ancestor`` holds ``node`` (not the node itself)."""
    return any(parent is ancestor for parent in node.iterancestors())


def has_rel(element: html.HtmlElement, word: str) -> bool:
    """Whether the element's rel attribute (space-separated words) holds ``word``."""
    return word in (element.get("rel") or "").lower().split()


def tokens(element: html.HtmlElement) -> str:
    """The element's class and id, lower-cased, for boilerplate matching."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower()
