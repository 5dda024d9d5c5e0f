"""A picture's caption and credit, as readers see them.

Captions sit in ``figcaption``, caption-classed blocks, a block right after
the picture, ``data-caption`` or ``alt``; credits sit in credit-classed spans,
behind a "Credit" label, in ``data-credit``, or at a caption's end behind
"Photograph:", "©" or an agency's name ("Jane Doe/Getty Images").
"""

from __future__ import annotations

import copy
import re

from lxml import html

from tasks.clean.names import UNCASED_ROLE
from tasks.clean.parse import clean_text, element_text, is_inside, text_within, tokens

# "Foto:", "Фото:", "צילום:", "사진=", "写真：", "撮影・", "图片来源：": the label before a credit, in many scripts.
_PHOTO_WORDS = (r"foto|bild|quelle|source|fuente|fonte|фото|zdj[eę]cie|fotoğraf|φωτογραφία|ảnh|ภาพ|फोटो|तस्वीर"
                r"|عکس|تصویر|الصورة|تصوير|צילום|사진|写真|撮影|图片来源|圖片來源|图片|圖片|摄影|攝影")
_CREDIT_LABEL = re.compile(
    r"^\s*(?:photo(?:graph)?s?|image|picture|credit|foto|bild)\s*(?:credit)?\s*(?:[:：]|\.{2,3}|…)\s*|^\s*[©Ⓒ]\s*"
    rf"|^\s*(?:{_PHOTO_WORDS})\s*[:：=・]\s*"
    r"|^\s*\(c\)\s*|^\s*(?:photo|foto|bild)\s+(?=(?-i:[A-ZÀ-Þ]))",  # "Photo Ana Ruiz / AFP": no colon, then the name
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    # Each run of openers and each word is tried from its start only (the
    # look-behinds), and never given back: a caption ending in thousands of
    # "(" costs linear time, not a scan of the run from each of its characters.
    r"(?<![\s(\[（【/])[\s(\[（【/]*+(?:(?:photo(?:graph)?|image|picture|credit|cr[ée]dits?(?:\s+photos?)?"
    r"|cr[ée]ditos?(?:\s+(?:de\s+)?(?:la\s+)?foto)?)\s*(?:credit)?\s*[:：]|(?:photo\s*)?[©Ⓒ]"  # "Crédit photo :", "Photo ©"
    # "Staff photo by", "U.S. Navy photo by", but not "… at dawn. Photograph by": no word of the sentence before
    r"|(?<![\w'’.])(?:[\w'’]++\s|(?:[A-Z]\.)++\s){0,3}(?:photo(?:graph)?|picture|image)s?\s+(?:by|courtesy\s+of)\b"
    rf"|courtesy\s+of\b|\b(?:{_PHOTO_WORDS})\s*(?:[:：=]|(?<=撮影)・)|\bfot\."
    r"|(?<=[.!?] )(?:photo|foto|bild|credit)\s+(?=(?-i:[A-ZÀ-ÞА-Я])))\s*([^()\[\]（）【】]{2,80})[)\]）】]?\s*$",  # "… dawn. Photo Ana Ruiz"
    re.IGNORECASE,
)
_CREDIT_MARK = re.compile(r"credit|copyright|byline|source|author|photographer|courtesy|rights")
# A label element that says only what follows it ("<span>Credit</span>Jane Doe"),
# often hidden from sight and so written with no colon.
_BARE_LABEL = re.compile(r"(?:photo(?:graph)?s?|image|picture|credits?|foto|bild|quelle|fuente|cr[ée]dito?s?"
                         r"|photo\s+credit|source)\s*(?:[:：]|\.{2,3}|…)?", re.IGNORECASE)  # "Credit..." too
_CAPTION_MARK = re.compile(r"caption|cutline|legend|bildtext|leyenda|didascalia")
# "… Jane Doe/Getty Images", "… (AP Photo/Evan Vucci)": a credit with no label, known by its agency.
# The lookbehind starts a match only at the first of a run of spaces and
# brackets: without it, a search over "((((…" retries from every bracket.
_AGENCY_TAIL = re.compile(
    r"(?<![\s(\[])[\s(\[]*((?:[A-ZÀ-Þ](?:[\w'’-]+|\.)\s){0,3}[A-ZÀ-Þ][\w'’-]*\s*/\s*(?i:getty\s+images|afp|ap|reuters|epa"
    r"|shutterstock|alamy|dpa|anp|pa(?:\s+wire)?|xinhua|ansa|efe|picture[\s-]alliance|bloomberg|istock(?:photo)?)"
    r"(?:\s+via\s+\S+)?|(?i:ap|afp|reuters|epa)\s+(?i:photos?)\s*/\s*[^()\[\]]{2,60}"
    # The agency first, after the caption's last sentence: "El ferry al amanecer. EFE/Ana Ruiz".
    r"|(?<=[.!?|] )(?i:efe|afp|ap|reuters|epa|dpa|anp|ansa|xinhua|ap\s+photo|imago|keystone|belga|ritzau|ntb|lusa|sipa"
    r"|abaca|anadolu)\s*/\s*(?:[A-ZÀ-Þ][\w'’.-]*\s?){1,4}"
    # Any "Name/Outlet" after a bar, or in brackets after the last sentence: "… dawn. (Ana Ruiz/Harbour Times)".
    r"|(?:(?<=\| )|(?<=[.!?] \())(?:[A-ZÀ-Þ][\w'’.-]*\s?){1,4}\s*/\s*(?:[A-ZÀ-Þ][\w'’.&-]*\s?){1,4})"
    r"[)\]]?\s*$")


# "（新华社记者 张伟 摄）", "张伟 摄": Chinese puts "shot" after the photographer's name.
# It starts after a sentence's end or the first of a run of spaces, and never gives back a space it took:
# a caption of thousands of spaces costs linear time.
_SHOT_BY = re.compile(r"(?:(?<=[。！？])|(?<=\s)(?<!\s\s))[（(]?\s*+((?:[^\s（）()。！？]{1,12}\s++)?[^\s（）()。！？]{1,6})"
                      r"\s*+摄\s*+[）)]?\s*+$")
# "사진=홍길동 기자": the photographer's role after the name is no part of the credit.
_ROLE_AFTER = re.compile(rf"(?<=\S)\s*(?:{UNCASED_ROLE})$")


def split_credit(caption: str) -> tuple[str, str | None]:
    """'Rebels in Aleppo. Photograph: Jane Doe/AP' → ('Rebels in Aleppo.', 'Jane Doe/AP')."""
    match = _CREDIT_TAIL.search(caption) or _AGENCY_TAIL.search(caption) or _SHOT_BY.search(caption)
    if match and match.start() > 0:
        # "Crowds on Sunday | Photo by X": the separator belongs to neither.
        return clean_text(caption[: match.start()]).rstrip(" |-–—:;,/"), _ROLE_AFTER.sub("", clean_text(match.group(1)))
    return caption, None


def clean_credit(text: str | None) -> str | None:
    if not text:
        return None
    text = _CREDIT_LABEL.sub("", clean_text(text)).strip(" ()[]")
    return text or None


def caption_and_credit(figure: html.HtmlElement, img: html.HtmlElement,
                       use_alt: bool = True) -> tuple[str | None, str | None]:
    """The caption and credit shown with ``img`` in its wrapper ``figure``."""
    caption_el = next(iter(figure.iter("figcaption")), None)
    if caption_el is None:
        caption_el = next((e for e in figure.iter() if isinstance(e.tag, str) and e is not img
                           and marks_caption(e)), None)
    if caption_el is None:
        caption_el = caption_beside(figure)
    if caption_el is None and figure.tag not in ("p", "body", "article", "main", "section"):
        # A small wrapper whose only text sits beside the image: that text is the caption.
        if 0 < len(element_text(figure)) <= 400:
            caption_el = figure
    credit = None
    caption = None
    if caption_el is not None:
        credit_el = next((e for e in caption_el.iter() if _is_credit_box(e, caption_el)), None)
        labelled, labelled_credit = _labelled_credit(caption_el) if credit_el is None else (None, None)
        if labelled is not None:
            caption_el = labelled  # a copy: its credit box (if any) is already out of it
            credit = clean_credit(labelled_credit)
            caption = element_text(caption_el)
        elif credit_el is not None:
            credit = clean_credit(_text_without_labels(credit_el))
            # The caption is the figcaption without its credit span.
            remainder = copy.deepcopy(caption_el)
            for node in [n for n in remainder.iter() if _is_credit_box(n, remainder)]:
                node.drop_tree()
            caption = element_text(remainder)
        else:
            caption = element_text(caption_el)
    if credit is None:
        credit_el = next((e for e in figure.iter() if isinstance(e.tag, str) and
                          (caption_el is None or not is_inside(e, caption_el)) and
                          _CREDIT_MARK.search(tokens(e))), None)
        if credit_el is not None:
            credit = clean_credit(element_text(credit_el))
    if credit is None:
        credit = clean_credit(img.get("data-credit") or figure.get("data-credit") or img.get("data-copyright"))
    if not caption:
        caption = clean_text(figure.get("data-caption") or img.get("data-caption")
                             or (img.get("alt") if use_alt else None)) or None
    if caption and credit is None:
        if _CREDIT_LABEL.match(caption) and len(caption) < 100:
            if _credit_like(clean_credit(caption) or ""):
                return None, clean_credit(caption)  # "Photo: Jane Doe/AP" is all credit, no caption
            return clean_credit(caption), None  # "Image: Crowds on the quay on Sunday": a labelled caption
        caption, credit = split_credit(caption)
        credit = clean_credit(credit)
    return caption or None, credit


def _is_credit_box(node, caption_el) -> bool:
    return isinstance(node.tag, str) and node is not caption_el and (
        _CREDIT_MARK.search(tokens(node)) is not None or node.tag in ("small", "cite"))


def _is_bare_label(node) -> bool:
    """A "Credit" or "Photo" element that opens its line or follows a full
    stop: "The <em>Image</em> exhibition opens" uses the word, labels nothing."""
    if not isinstance(node.tag, str) or _BARE_LABEL.fullmatch(element_text(node)) is None:
        return False
    holder = node.getparent()
    before = [holder.text or ""]
    for sibling in holder:
        if sibling is node:
            break
        before += [sibling.text_content() if isinstance(sibling.tag, str) else "", sibling.tail or ""]
    text = clean_text("".join(before))
    return not text or text[-1] in ".!?|)"


def _labelled_credit(caption_el: html.HtmlElement) -> tuple[html.HtmlElement | None, str | None]:
    """Where no class marks the credit but a bare "Credit" label does: a copy
    of the caption without the label and the credit behind it, and that
    credit's text (None when the label only labels the caption sentence).
    (None, None) when there is no such label; the page is left as it is."""
    where = next((i for i, e in enumerate(caption_el.iterdescendants()) if _is_bare_label(e)), None)
    if where is None:
        return None, None
    caption_el = copy.deepcopy(caption_el)
    label = next(e for i, e in enumerate(caption_el.iterdescendants()) if i == where)
    holder = label.getparent()
    if holder is not caption_el:
        box, shown = holder, _text_without_labels(holder)
    else:
        # The label sits in the caption itself: the credit is what follows it.
        box, shown = None, clean_text(" ".join([label.tail or "", *(element_text(e) for e in label.itersiblings())]))
    if not _credit_like(shown):
        label.drop_tree()  # "Image:" before a sentence: a label for the caption, which is all there is
        return caption_el, None
    if box is None:
        following = list(label.itersiblings())
        box = html.Element("span")
        label.addprevious(box)
        for node in (label, *following):
            box.append(node)  # an element moves with its tail text
    credit = _text_without_labels(box)
    box.drop_tree()
    return caption_el, credit


def _credit_like(text: str) -> bool:
    """Names and agencies ("Ann Lee/Getty Images", "Ashraf Shazly/Agence
    France-Presse"), not a sentence describing the picture."""
    words = text.split()
    capitalised = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
    return bool(words) and (len(words) <= 4 or capitalised >= 0.7 * len(words) or "/" in text)


def _text_without_labels(element: html.HtmlElement) -> str:
    if not any(_is_bare_label(e) for e in element.iterdescendants()):
        return element_text(element)
    element = copy.deepcopy(element)
    for label in [e for e in element.iterdescendants() if _is_bare_label(e)]:
        label.drop_tree()
    return element_text(element)


def caption_beside(figure: html.HtmlElement) -> html.HtmlElement | None:
    """A caption block placed right after the image's wrapper, not inside it."""
    sibling = figure.getnext()
    for _ in range(2):
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is None:
            return None
        if sibling.tag == "figcaption" or marks_caption(sibling):
            return sibling
        if sibling.tag in ("p", "div", "span") and sibling.find(".//img") is None and \
                len(element_text(sibling)) > 200:
            return None  # body text follows: there is no caption
        sibling = sibling.getnext()
    return None


def marks_caption(element: html.HtmlElement) -> bool:
    """Whether the element's class or id names it a caption."""
    return _CAPTION_MARK.search(tokens(element)) is not None


_NOT_CAPTION = ("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "form", "iframe",
                "figure", "figcaption")  # a box holding a marked figure holds other text beside it


def unmarked_caption(box: html.HtmlElement) -> str | None:
    """The caption of a box of one picture and a line or two of text, with no
    class or tag to say it is a figure ("<div><img><p>Apr. 8: The president
    signs …</p><p>AP</p></div>"): that text is the picture's caption and
    credit, not story text. None for any other box."""
    # Cheapest first: every wrapper of the story is asked, and most hold far more
    # text, so its text is read whole only when text_within finds it short.
    if box.tag not in ("div", "section") or not text_within(box, _SHORT_CAPTION) \
            or not 0 < len(clean_text(box.text_content())) <= _SHORT_CAPTION:
        return None
    if len(box.findall(".//img")) != 1:
        return None
    if any(isinstance(e.tag, str) and e.tag in _NOT_CAPTION for e in box.iterdescendants()):
        return None
    lines = [t for t in (clean_text(t) for t in _lines(box)) if t]
    if not lines or len(lines) > 3 or sum(len(t) for t in lines) > _SHORT_CAPTION:
        return None
    return " ".join(lines)


def _lines(box: html.HtmlElement) -> list[str]:
    """The box's text, broken where its blocks and line breaks break it."""
    box = copy.deepcopy(box)
    for node in box.iter("p", "div", "br", "li"):
        node.tail = "\n" + (node.tail or "")
        if node.tag != "br":
            node.text = "\n" + (node.text or "")
    return box.text_content().split("\n")


_SHORT_CAPTION = 300


# "1/50 United goin down …", "Image 3 of 12: …": a slide's counter before its caption.
_SLIDE_COUNTER = re.compile(r"^(?:(?:image|photo|picture|slide|foto|bild)\s+)?(\d{1,3})\s*(?:/|of|de|von|sur)\s*(\d{1,3})\b",
                            re.IGNORECASE)


def slideshow_captions(texts: list[str]) -> set[int]:
    """Which of a body's blocks are a slideshow's captions: three or more
    that open with counters of one series ("1/50", "2/50", …), counting up.
    The slides are pictures beside the story; their captions are not its text."""
    series: dict[int, list[tuple[int, int]]] = {}
    for index, text in enumerate(texts):
        match = _SLIDE_COUNTER.match(text)
        if match and 0 < int(match[1]) <= int(match[2]):
            series.setdefault(int(match[2]), []).append((int(match[1]), index))
    found: set[int] = set()
    for slides in series.values():
        numbers = [n for n, _ in slides]
        if len(slides) >= 3 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers):
            found.update(i for _, i in slides)
    return found


# Words that open a caption and the picture's alt text alike: enough to look one up.
_ALT_KEY_WORDS = 4


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def alt_text_repeats(texts: list[str], containers: list[html.HtmlElement]) -> set[int]:
    """Which texts repeat the alt text of a picture in the containers: a
    gallery's captions printed beside their pictures ("… shake hands in
    Hanoi … less"), which no class marks on a page with none. A caption
    opens like its picture's alt, and nearly all its words are the alt's."""
    alts: dict[tuple[str, ...], list[set[str]]] = {}
    for container in containers:
        for img in container.iter("img"):
            words = _words(img.get("alt") or "")
            if len(words) >= 8:
                alts.setdefault(tuple(words[:_ALT_KEY_WORDS]), []).append(set(words))
    found = set()
    for index, text in enumerate(texts):
        words = _words(text) if alts else []
        if len(words) < 8:
            continue
        for alt in alts.get(tuple(words[:_ALT_KEY_WORDS]), [])[:8]:
            if len(set(words) - alt) <= 0.1 * len(set(words)):
                found.add(index)
                break
    return found


def is_gallery(element: html.HtmlElement) -> bool:
    """A list that is a slider of pictures: each item a captioned picture and
    nothing else, walked as figures so the captions stay captions."""
    items = [item for item in element if item.tag == "li"] if element.tag in ("ul", "ol") else []
    return bool(items) and all(_is_lone_figure(item) for item in items)


def _is_lone_figure(item: html.HtmlElement) -> bool:
    figure = item.find(".//figure")
    return figure is not None and is_picture(figure) and \
        len(element_text(item)) - len(element_text(figure)) < 20


def is_picture(figure: html.HtmlElement) -> bool:
    """A figure that shows a picture, with at most a caption: not a quote or
    a box of text laid out as a figure."""
    if figure.find(".//img") is None:
        return False
    caption = figure.find(".//figcaption")
    return len(element_text(figure)) - (len(element_text(caption)) if caption is not None else 0) < 80
