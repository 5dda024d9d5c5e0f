"""Page bytes to text: the charset a page declares, or the one its bytes show.

The labels are read by w3lib, in the order browsers trust them: a byte-order
mark, the HTTP header, then the page's ``<meta>`` or XML declaration, each
mapped through the WHATWG aliases (``latin-1`` is windows-1252, ``gb2312`` is
gb18030, UTF-7 is refused). w3lib's own ``html_to_unicode`` decodes with a
declared codec blindly, so ``<meta charset="rot13">`` raises LookupError: here
a label must name a text encoding that decodes the page, or it is passed
over. An unlabelled page (or one whose labels are all unusable) is UTF-8 when
its bytes are, else what charset-normalizer measures, else windows-1252.
"""

from __future__ import annotations

import codecs
import functools

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Detection is measured on a sample: enough text to tell encodings apart.
_DETECT_BYTES = 64 * 1024


def decode_html(data: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used)."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding:
        name = _text_encoding(bom_encoding) or "utf-8"
        return data[len(bom):].decode(name, errors="replace"), name
    labels = (http_content_type_encoding(content_type), html_body_declared_encoding(data))
    for encoding in dict.fromkeys(_text_encoding(label) for label in labels if label):
        if encoding is None:
            continue  # not a text encoding (rot13, base64, zlib) or unknown: let the bytes speak
        if _is_single_byte(encoding) and _is_utf8_with_non_ascii(data):
            # A single-byte label (windows-1252, ISO-8859-15, KOI8-R …) over
            # bytes that are valid UTF-8: a server's or template's default, not
            # the page's truth. Text really written in a single-byte code page
            # is never valid UTF-8 once it has a few non-ASCII letters.
            return data.decode("utf-8"), "utf-8"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            if encoding == "utf-8":
                # Labelled UTF-8 with a few broken bytes: browsers keep the
                # label and show U+FFFD, and so do we.
                return data.decode("utf-8", errors="replace"), "utf-8"
            continue  # a wrong label
    return _undeclared(data)


@functools.lru_cache(maxsize=64)
def _is_single_byte(encoding: str) -> bool:
    """Every byte is one character: the Latin, Cyrillic, Greek … code pages."""
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


def _text_encoding(label: str | None) -> str | None:
    """The codec's name if ``label`` (already resolved by w3lib) names a text encoding."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
        b"\x00".decode(name)  # bytes-to-bytes and str-to-str codecs refuse here (not on b"")
    except LookupError:
        return None
    except UnicodeError:
        pass  # a text encoding that one NUL cannot complete (UTF-16, UTF-32)
    return _SUPERSET.get(name, name)


# WHATWG decodes every GBK label (gb2312, gbk, x-gbk …) with the gb18030
# decoder: pages labelled gb2312 hold characters only gb18030 has. w3lib
# resolves "gb2312" to "gb18030" up to 2.5 and to "gbk" from 2.6.
_SUPERSET = {"gbk": "gb18030", "gb2312": "gb18030"}


def _undeclared(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    detected = _detect(data[:_DETECT_BYTES])
    return data.decode(detected, errors="replace"), detected


def _detect(sample: bytes) -> str:
    """charset-normalizer's measure, with windows-1252 (what browsers assume
    for an unlabelled Western page) winning its ties. On a short Latin sample
    many code pages score alike (a German page came out as mac-latin2, a
    French é as a Czech č): if any of the least chaotic matches reads the
    bytes as windows-1252 does, windows-1252 it is."""
    matches = list(from_bytes(sample))
    if not matches:
        return "cp1252"
    least = min(m.chaos for m in matches)
    calm = [m.encoding for m in matches if m.chaos == least]
    if any(_same_text(sample, "cp1252", encoding) for encoding in calm):
        return "cp1252"
    return _text_encoding(matches[0].encoding) or "cp1252"


def _same_text(sample: bytes, one: str, other: str) -> bool:
    if one == other:
        return True
    try:
        return sample.decode(one) == sample.decode(other)
    except (UnicodeDecodeError, LookupError):
        return False


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (a truncated or spliced page)."""
    text = data.decode("utf-8", errors="replace")
    return text.count("\ufffd") * 200 < max(len(text), 1)
