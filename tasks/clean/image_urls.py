"""Where an <img> really points: lazy loaders keep the picture in
``data-src`` or ``srcset`` (even inside a JSON settings object) and show a
spinner or a blank in ``src``; a ``<picture>`` lists it in its sources."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html

_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src", "src")
# Lazy loaders keep the renditions here until the picture scrolls into view.
_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER = re.compile(r"(?:^data:|blank\.gif|spacer|placeholder|pixel\.gif|1x1|transparent\.|loader|loading\.\w+$"
                          r"|spinner|lazy[-_]?load\w*\.\w+$|gr[ae]y\.gif)", re.IGNORECASE)
# A lazy loader's settings ({"default": {"load": …}}) in a src attribute: not an address.
_NOT_A_URL = re.compile(r'[{}"<>]|\s\S')
_SETTINGS_SRC = re.compile(r'"(?:src|url|default)"\s*:\s*"((?:https?:)?//[^"]+)"')


def _srcset_candidates(srcset: str) -> list[tuple[str, str]]:
    """(url, descriptor) pairs, read as the HTML standard says: a URL runs to
    the next whitespace, so a comma inside it ("w_800,c_fill") is part of it;
    only a comma at its end, or after its descriptor, ends a candidate."""
    candidates, words = [], srcset.split()
    index = 0
    while index < len(words):
        url = words[index]
        index += 1
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        elif index < len(words):
            descriptor = words[index].rstrip(",")
            index += 1
        if url:
            candidates.append((url, descriptor))
    return candidates


def _best_srcset(srcset: str) -> tuple[str | None, float, int]:
    """The widest candidate, its width (an x of density counts as a thousand
    pixels), and how many candidates say their width or density (one alone
    says nothing of size)."""
    best, best_width, sized = None, -1.0, 0
    for url, descriptor in _srcset_candidates(srcset):
        width = 0.0
        if descriptor[:-1].replace(".", "", 1).isdigit() and descriptor[-1:] in ("w", "x"):
            width = float(descriptor[:-1]) * (1000 if descriptor.endswith("x") else 1)
            sized += 1
        if width > best_width:
            best, best_width = url, width
    return best, best_width, sized


def _web_url(url: str) -> str | None:
    """Only http(s) images: a page may put javascript: or data: in any src."""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def image_url(img: html.HtmlElement, base_url: str | None) -> str | None:
    """The picture's address: the largest rendition its srcset lists by
    width or density (the one a large screen loads, and the one a story's
    bundle wants), else its src or a lazy loader's attribute, else any
    rendition its srcset or its <picture>'s sources list.

    A <picture>'s sources do not outrank the img's src: they are art
    direction for small screens or other formats (AVIF written only in the
    address), and on the pages we measured the src was already the largest."""
    own = [_best_srcset(img.get(attr)) for attr in _SRCSET_ATTRS if img.get(attr)]
    for best, _, sized in own:
        if sized >= 2 and best and not _PLACEHOLDER.search(best) and (url := _web_url(urljoin(base_url or "", best))):
            return url
    for attr in _SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value.startswith("{"):
            # A lazy loader's settings: {"default": {"src": "//img…"}} names the picture inside.
            inner = _SETTINGS_SRC.search(value)
            value = inner.group(1) if inner else ""
        if value and not _PLACEHOLDER.search(value) and not _NOT_A_URL.search(value):
            return _web_url(urljoin(base_url or "", value))
    # Last, any rendition listed: the img's own, then the widest its <picture>'s sources list
    # (the first source is often the small screens' crop).
    picture = img.getparent()
    while picture is not None and picture.tag == "source":
        picture = picture.getparent()  # libxml2 nests what follows an unclosed <source> inside it
    sources = [] if picture is None or picture.tag != "picture" else sorted(
        (_best_srcset(source.get("srcset") or source.get("data-srcset") or "") for source in picture.iter("source")),
        key=lambda source: -source[1])
    for best, _, _ in own + sources:
        if best and not _PLACEHOLDER.search(best):
            return _web_url(urljoin(base_url or "", best))
    return None
