"""The lead image: its absolute URL, caption and credit.

Lazy loading hides the real URL in ``data-src``/``srcset``/``amp-img``
(``image_urls``); captions and credits are read as ``captions`` says.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import html

from tasks.clean.boilerplate import STRONG, boilerplate_strength
from tasks.clean.captions import caption_and_credit, caption_beside, clean_credit, marks_caption
from tasks.clean.explain import Candidate, choose
from tasks.clean.image_urls import image_url
from tasks.clean.parse import element_text, text_within, tokens
from tasks.models import LeadImage

_DECORATION = re.compile(r"author|byline|avatar|headshot|logo|icon|profile|sponsor|\bad\b|advert")
# A file named as a logo or icon ("print-header-logo", "logo_white"), not a photo of one ("alibaba-logo-getty").
_DECORATION_NAME = re.compile(r"(?:^|[\W_])(?:logo|logotype|favicon|sprite|avatar|icon)s?$"
                              r"|^(?:logo|favicon|sprite|avatar|icon)s?(?:$|[\W_])", re.IGNORECASE)
_DECORATION_FOLDER = re.compile(r"/(?:icons?|logos?|emojis?|emoticons|smilies|sprites?|avatars?|badges|flags)/",
                                re.IGNORECASE)
_DECORATION_WORD = re.compile(r"\b(?:logo|logotype|favicon|avatar|icon)\b", re.IGNORECASE)


def _is_decoration(img: html.HtmlElement, scope: html.HtmlElement) -> bool:
    """Headshots next to the byline, logos, icons and tracking pixels are
    never the story's picture."""
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 100:
            return True
    path = urlsplit(img.get("src") or "").path
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if _DECORATION_FOLDER.search(path):
        return True  # "/images/icons/evileye.png": the site's own furniture
    alt = img.get("alt") or ""
    if img.get("role") == "presentation" or _DECORATION_NAME.search(stem) or \
            (len(alt.split()) <= 4 and _DECORATION_WORD.search(alt)):
        return True  # "print-header-logo.png", alt="site logo", an image marked as decoration
    node = img
    # The article's own classes describe the whole story ("node author-jdoe"), not the picture.
    while node is not None and node is not scope:
        if _DECORATION.search(tokens(node)):
            return True
        node = node.getparent()
    return False


def _file_key(url: str | None) -> str:
    """The picture a URL names, whatever size or crop the path asks for: its file name."""
    return urlsplit(url or "").path.rstrip("/").rsplit("/", 1)[-1].casefold()


def _names_only(caption: str | None, byline: str | None) -> bool:
    """A caption that is the byline's names (an author's headshot), not a description."""
    if not caption or not byline:
        return False
    words = set(re.findall(r"\w+", caption.casefold())) - {"by", "and", "photo", "author", "of"}
    return bool(words) and words <= set(re.findall(r"\w+", byline.casefold()))


def _story_folder(url: str | None) -> str | None:
    """The folder a URL's file sits in when it looks made for one story's
    pictures ("/images/2019/02/21/nyregion/21winterutilities1/"): named with a
    slug or code, not a date, a size or a word like "uploads"."""
    path = urlsplit(url or "").path
    folder, _, _ = path.rpartition("/")
    name = folder.rsplit("/", 1)[-1]
    if len(name) >= 6 and re.search(r"[^\W\d_]", name) and re.search(r"[\d_-]", name):
        return folder.casefold()
    return None


def _in_page(root: html.HtmlElement, meta_url: str, base_url: str | None) -> tuple[str | None, str | None]:
    """The visible caption and credit of the declared image where the page shows it:
    the same file at another size, or, failing that, the one picture shown from
    the declared picture's story folder (a CMS's crops carry other file names)."""
    key = _file_key(meta_url)
    if not key:
        return None, None
    found = _shown_caption(root, (img for img, url in _shown(root, base_url)
                                  if _file_key(url) == key or same_picture(url, meta_url)))
    folder = _story_folder(meta_url)
    if found is None and folder:
        # Rarely needed: the pictures are read a second time only here.
        in_folder = [(img, url) for img, url in _shown(root, base_url) if _story_folder(url) == folder]
        if len({_file_key(url) for _, url in in_folder}) == 1:
            found = _shown_caption(root, (img for img, _ in in_folder))
    return found or (None, None)


def _shown(root: html.HtmlElement, base_url: str | None):
    """Each picture of the page with its absolute URL, read as they are asked for."""
    return ((img, url) for img in root.iter("img", "amp-img") if (url := image_url(img, base_url)))


def _shown_caption(root: html.HtmlElement, pictures) -> tuple[str | None, str | None] | None:
    """The caption and credit of the first of these pictures that the page shows in a captioned figure."""
    for img in pictures:
        figure = _figure_of(img, root)
        if figure is not None and (figure.tag == "figure" or any(
                isinstance(e.tag, str) and (e.tag == "figcaption" or marks_caption(e))
                for e in figure.iterdescendants())):
            caption, credit = caption_and_credit(figure, img, use_alt=False)
            if caption or credit:
                return caption, credit
    return None


def find_lead_image(
    scopes: list[html.HtmlElement],
    base_url: str | None,
    meta_url: str | None = None,
    meta_caption: str | None = None,
    meta_credit: str | None = None,
    byline: str | None = None,
) -> LeadImage | None:
    """The first captioned image in the given scopes, else the page's og:image."""
    return _lead_image(scopes, base_url, meta_url, meta_caption, meta_credit, byline)[0]


_GENERIC = re.compile(r"logo|default|placeholder|fallback|share[-_]?image|social[-_]?(?:card|share)|sprite|favicon"
                      r"|/share/[^/]*$|/share\.\w+$",
                      re.IGNORECASE)


_SIZE_WORDS = re.compile(r"[-_.]?(?:\d{2,4}x\d{2,4}|[wh]_?\d{2,4}|\d{2,4}[wh]|scaled|large|medium|small|thumb(?:nail)?"
                         r"|full|original|master|crop(?:ped)?)(?=$|[-_.])", re.IGNORECASE)


def _is_resized(url: str) -> bool:
    """Whether the file name asks for a size or crop of a picture ("boats-450x253.jpg", "boats_thumb.jpg")."""
    return bool(_SIZE_WORDS.search(_file_key(url).rsplit(".", 1)[0]))


def same_picture(a: str, b: str) -> bool:
    """Two URLs of one picture at different sizes or formats
    ('complex-1200x630.jpg' and 'complex.png')."""
    def stem(url: str) -> str:
        name = _file_key(url).rsplit(".", 1)[0]
        return _SIZE_WORDS.sub("", name)
    first, second = stem(a), stem(b)
    return len(first) >= 6 and first == second


def _is_slug(caption: str | None) -> bool:
    """'02 trump court civil fraud 110623': a file name, not a caption anyone wrote."""
    return bool(caption) and caption == caption.lower() and bool(re.search(r"\d{4,}", caption)) \
        and not re.search(r"[.,;:!?]", caption)


def _paragraphs_before(scope: html.HtmlElement, img: html.HtmlElement) -> int:
    """Paragraphs of prose the article shows before the image."""
    count = 0
    for element in scope.iter():
        if element is img:
            return count
        if element.tag == "p" and len(element.text_content()) >= 80:
            count += 1
    return count


def _lead_image(scopes, base_url, meta_url, meta_caption, meta_credit, byline) -> tuple[LeadImage | None, str]:
    root = scopes[0].getroottree().getroot() if scopes else None
    declared = meta_url if meta_url and not _GENERIC.search(urlsplit(meta_url).path) else None
    for scope in scopes:
        for img in scope.iter("img", "amp-img"):
            url = image_url(img, base_url)
            if not url or _is_decoration(img, scope):
                continue
            figure = _figure_of(img, scope)
            if figure is None:
                # A bare image in the body with a caption paragraph right after it.
                figure = caption_beside(img)
            if figure is None:
                continue
            caption, credit = caption_and_credit(figure, img)
            if _names_only(caption, byline) or _names_only(img.get("alt"), byline):
                continue  # the author's photo, captioned with the byline
            boxed = _boxed(img, scope)
            if boxed == "teaser":
                continue  # another story's picture, in a teaser inside this one
            if declared and not same_picture(url, declared) and (
                    boxed or _is_slug(caption) or _paragraphs_before(scope, img) >= 2):
                break  # a video still or a picture inside the text; the declared picture leads the story
            if declared and same_picture(url, declared) and _is_resized(url) and not _is_resized(declared):
                url = declared  # the figure shows a resized copy ("-450x253") of the declared file
            return LeadImage(url=url, caption=caption, credit=credit), "markup figure in the article"
    if meta_url:
        caption, credit = _in_page(root, meta_url, base_url) if root is not None else (None, None)
        # What readers see under the picture comes before what the metadata says about it.
        return LeadImage(url=meta_url, caption=caption or meta_caption,
                         credit=credit or clean_credit(meta_credit)), "meta og:image / json-ld image"
    # Hero images often sit above the story container; outside it, only a
    # real <figure> counts (logos and icons never have one).
    story = {a for scope in scopes for a in (scope, *scope.iterancestors())}
    for figure in (root.iter("figure") if root is not None else ()):
        if any(a.tag == "article" and a not in story for a in figure.iterancestors()):
            continue  # a teaser's picture
        img = next(figure.iter("img", "amp-img"), None)
        url = image_url(img, base_url) if img is not None else None
        if url:
            caption, credit = caption_and_credit(figure, img)
            return LeadImage(url=url, caption=caption, credit=credit), "markup <figure> outside the article"
    # Last, an uncaptioned picture the article shows large (a legacy page's only photo).
    for scope in scopes:
        for img in scope.iter("img"):
            url = image_url(img, base_url)
            if url and _declared_width(img) >= 400 and not _is_decoration(img, scope):
                return LeadImage(url=url), "markup large <img> in the article"
    return None, ""


_PLAYER = re.compile(r"(?:^|[\s_-])(?:video|player|vjs|jwplayer)(?:$|[\s_-])")


def _boxed(img: html.HtmlElement, scope: html.HtmlElement) -> str | None:
    """What box inside the article holds the image, if any: "teaser" (an
    <article> nested in the story: another story), "player" (a video's
    still) or "box" (a block that is never story text: a gallery, a related
    list, an ad)."""
    found = None
    for node in img.iterancestors():
        if node is scope:
            break
        if node.tag == "article":
            return "teaser"
        if found is None and _PLAYER.search(tokens(node)):
            found = "player"
        elif found is None and boilerplate_strength(node) == STRONG:
            found = "box"
    return found


def _declared_width(img: html.HtmlElement) -> int:
    match = re.search(r"(?:^|;)\s*width\s*:\s*(\d+)px", img.get("style") or "") or \
        re.fullmatch(r"\s*(\d+)\s*(?:px)?\s*", img.get("width") or "")
    return int(match.group(1)) if match else 0


# Definition. The lead image is the picture the story is presented with: its
# absolute URL, the caption readers see under it and its credit. Sources,
# most trusted first: the first captioned, non-decorative image at the top of
# the article (headshots, logos, icons and an author's photo captioned with
# the byline are decoration; a picture after two paragraphs of the story, or
# one captioned with a file name, gives way to a declared picture), the
# page's declared picture (og:image, JSON-LD image), with the visible caption
# and credit of the figure that shows it (another size or format of it) when
# there is one, else its metadata caption, and a <figure> outside the article. A caption's
# credit is split off ("Photo: …", "©", "… / Agency"), else read from credit
# markup or data-credit attributes, else from the JSON-LD image's creditText.
def pick_lead_image(scopes: list[html.HtmlElement], base_url: str | None, meta_url: str | None,
                    meta_caption: str | None, meta_credit: str | None, byline: str | None) -> LeadImage | None:
    image, source = _lead_image(scopes, base_url, meta_url, meta_caption, meta_credit, byline)
    beaten = [Candidate(meta_url, "meta og:image / json-ld image")] if meta_url and image and \
        image.url != meta_url else []
    return choose("image", Candidate(image, source) if image else None, beaten)


def _figure_of(img: html.HtmlElement, scope: html.HtmlElement) -> html.HtmlElement | None:
    """The figure-like wrapper of an image: <figure>, or a div with a caption."""
    node = img.getparent()
    depth = 0
    while node is not None and depth < 4:
        if node.tag == "figure" or re.search(r"figure|image|\bimg\b|photo|media|picture|caption|foto|bild", tokens(node)):
            return node
        if node.tag in ("td", "div", "span") and text_within(node, 400) and any(
                isinstance(e.tag, str) and marks_caption(e) for e in node.iterdescendants()):
            return node  # a plain wrapper (a table cell) around an image and its caption
        if node is scope:
            break
        node = node.getparent()
        depth += 1
    # An image with a data-caption or alt still counts, without a wrapper.
    if img.get("data-caption") or img.get("alt"):
        return img.getparent()
    return None
