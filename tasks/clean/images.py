"""The lead image: its absolute URL, caption and credit.

Lazy loading hides the real URL in ``data-src``/``srcset``/``amp-img``;
captions sit in ``figcaption``, ``data-caption``, caption divs or ``alt``;
credits hide inside captions behind "Photograph:", "Photo:" or "©".
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urljoin, urlsplit

from lxml import html

from tasks.clean.parse import clean_text, element_text, tokens
from tasks.models import LeadImage

_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src", "src")
_CREDIT_LABEL = re.compile(
    r"^\s*(?:photo(?:graph)?s?|image|picture|credit|foto|bild)\s*(?:credit)?\s*[:：]\s*|^\s*[©Ⓒ]\s*|^\s*\(c\)\s*",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    # Each run of openers and each word is tried from its start only (the
    # look-behinds), and never given back: a caption ending in thousands of
    # "(" costs linear time, not a scan of the run from each of its characters.
    r"(?<![\s(\[])[\s(\[]*+(?:(?:photo(?:graph)?|image|picture|credit)\s*(?:credit)?\s*[:：]|[©Ⓒ]"
    r"|(?<![\w'’.])(?:[\w'’.]++\s){0,3}(?:photo(?:graph)?|picture|image)s?\s+by\b)\s*([^()\[\]]{2,80})[)\]]?\s*$",
    re.IGNORECASE,
)
_CAPTION_MARK = re.compile(r"caption|cutline|legend|bildtext|leyenda|didascalia")
_PLACEHOLDER = re.compile(r"(?:^data:|blank\.gif|spacer|placeholder|pixel\.gif|1x1|transparent\.)", re.IGNORECASE)


def _best_srcset(srcset: str) -> str | None:
    best, best_width = None, -1.0
    for candidate in srcset.split(","):
        parts = candidate.strip().split()
        if not parts:
            continue
        width = 0.0
        if len(parts) > 1 and parts[1][:-1].replace(".", "", 1).isdigit():
            width = float(parts[1][:-1]) * (1000 if parts[1].endswith("x") else 1)
        if width > best_width:
            best, best_width = parts[0], width
    return best


def _web_url(url: str) -> str | None:
    """Only http(s) images: a page may put javascript: or data: in any src."""
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def image_url(img: html.HtmlElement, base_url: str | None) -> str | None:
    for attr in _SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not _PLACEHOLDER.search(value):
            return _web_url(urljoin(base_url or "", value))
    for attr in ("data-srcset", "srcset"):
        if img.get(attr):
            best = _best_srcset(img.get(attr))
            if best and not _PLACEHOLDER.search(best):
                return _web_url(urljoin(base_url or "", best))
    picture = img.getparent()
    if picture is not None and picture.tag == "picture":
        for source in picture.iter("source"):
            best = _best_srcset(source.get("srcset") or source.get("data-srcset") or "")
            if best:
                return _web_url(urljoin(base_url or "", best))
    return None


def split_credit(caption: str) -> tuple[str, str | None]:
    """'Rebels in Aleppo. Photograph: Jane Doe/AP' → ('Rebels in Aleppo.', 'Jane Doe/AP')."""
    match = _CREDIT_TAIL.search(caption)
    if match and match.start() > 0:
        # "Crowds on Sunday | Photo by X": the separator belongs to neither.
        return clean_text(caption[: match.start()]).rstrip(" |-–—:;,/"), clean_text(match.group(1))
    return caption, None


def clean_credit(text: str | None) -> str | None:
    if not text:
        return None
    text = _CREDIT_LABEL.sub("", clean_text(text)).strip(" ()[]")
    return text or None


def _caption_of(figure: html.HtmlElement, img: html.HtmlElement) -> tuple[str | None, str | None]:
    caption_el = next(iter(figure.iter("figcaption")), None)
    if caption_el is None:
        caption_el = next((e for e in figure.iter() if isinstance(e.tag, str) and e is not img
                           and _CAPTION_MARK.search(tokens(e))), None)
    if caption_el is None:
        caption_el = _caption_beside(figure)
    if caption_el is None and figure.tag not in ("p", "body", "article", "main", "section"):
        # A small wrapper whose only text sits beside the image: that text is the caption.
        if 0 < len(element_text(figure)) <= 400:
            caption_el = figure
    credit = None
    caption = None
    if caption_el is not None:
        credit_el = next((e for e in caption_el.iter() if isinstance(e.tag, str) and e is not caption_el
                          and re.search(r"credit|copyright|byline|source|author", tokens(e))), None)
        if credit_el is not None:
            credit = clean_credit(element_text(credit_el))
            # The caption is the figcaption without its credit span.
            remainder = copy.deepcopy(caption_el)
            for node in list(remainder.iter()):
                if node is not remainder and re.search(r"credit|copyright|byline|source|author", tokens(node)):
                    node.drop_tree()
            caption = element_text(remainder)
        else:
            caption = element_text(caption_el)
    if credit is None:
        credit_el = next((e for e in figure.iter() if isinstance(e.tag, str) and
                          (caption_el is None or not _inside(e, caption_el)) and
                          re.search(r"credit|copyright", tokens(e))), None)
        if credit_el is not None:
            credit = clean_credit(element_text(credit_el))
    if not caption:
        caption = clean_text(figure.get("data-caption") or img.get("data-caption") or img.get("alt")) or None
    if caption and credit is None:
        if _CREDIT_LABEL.match(caption) and len(caption) < 100:
            return None, clean_credit(caption)  # "Photo: Jane Doe/AP" is all credit, no caption
        caption, credit = split_credit(caption)
        credit = clean_credit(credit)
    return caption or None, credit


_DECORATION = re.compile(r"author|byline|avatar|headshot|logo|icon|profile|sponsor|\bad\b|advert")


def _is_decoration(img: html.HtmlElement, scope: html.HtmlElement) -> bool:
    """Headshots next to the byline, logos, icons and tracking pixels are
    never the story's picture."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 100:
            return True
    node = img
    while node is not None:
        if _DECORATION.search(tokens(node)):
            return True
        if node is scope:
            break
        node = node.getparent()
    return False


def _caption_beside(figure: html.HtmlElement) -> html.HtmlElement | None:
    """A caption block placed right after the image's wrapper, not inside it."""
    sibling = figure.getnext()
    for _ in range(2):
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is None:
            return None
        if sibling.tag == "figcaption" or _CAPTION_MARK.search(tokens(sibling)):
            return sibling
        if sibling.tag in ("p", "div", "span") and sibling.find(".//img") is None and \
                len(element_text(sibling)) > 200:
            return None  # body text follows: there is no caption
        sibling = sibling.getnext()
    return None


def _inside(node: html.HtmlElement, ancestor: html.HtmlElement) -> bool:
    return any(parent is ancestor for parent in node.iterancestors())


def find_lead_image(
    scopes: list[html.HtmlElement],
    base_url: str | None,
    meta_url: str | None = None,
    meta_caption: str | None = None,
    meta_credit: str | None = None,
) -> LeadImage | None:
    """The first captioned image in the given scopes, else the page's og:image."""
    for scope in scopes:
        for img in scope.iter("img", "amp-img"):
            url = image_url(img, base_url)
            if not url or _is_decoration(img, scope):
                continue
            figure = _figure_of(img, scope)
            if figure is None:
                # A bare image in the body with a caption paragraph right after it.
                figure = _caption_beside(img)
            if figure is None:
                continue
            caption, credit = _caption_of(figure, img)
            return LeadImage(url=url, caption=caption, credit=credit)
    if meta_url:
        return LeadImage(url=meta_url, caption=meta_caption, credit=clean_credit(meta_credit))
    # Hero images often sit above the story container; outside it, only a
    # real <figure> counts (logos and icons never have one).
    root = scopes[0].getroottree().getroot() if scopes else None
    for figure in (root.iter("figure") if root is not None else ()):
        img = next(figure.iter("img", "amp-img"), None)
        url = image_url(img, base_url) if img is not None else None
        if url:
            caption, credit = _caption_of(figure, img)
            return LeadImage(url=url, caption=caption, credit=credit)
    return None


def _figure_of(img: html.HtmlElement, scope: html.HtmlElement) -> html.HtmlElement | None:
    """The figure-like wrapper of an image: <figure>, or a div with a caption."""
    node = img.getparent()
    depth = 0
    while node is not None and depth < 4:
        if node.tag == "figure" or re.search(r"figure|image|\bimg\b|photo|media|picture|caption|foto|bild", tokens(node)):
            return node
        if node.tag in ("td", "div", "span") and len(element_text(node)) <= 400 and any(
                isinstance(e.tag, str) and _CAPTION_MARK.search(tokens(e)) for e in node.iterdescendants()):
            return node  # a plain wrapper (a table cell) around an image and its caption
        if node is scope:
            break
        node = node.getparent()
        depth += 1
    # An image with a data-caption or alt still counts, without a wrapper.
    if img.get("data-caption") or img.get("alt"):
        return img.getparent()
    return None
