"""Reader comments told apart from the story by their shape, not their classes.

A comment thread is many short texts, each under a header naming its writer
and when they wrote ("Ann Lee (2 days ago)", "Ann Lee on May 3, 2018 at
4:47 pm said:"). On pages whose classes say nothing (hashed, or none), a long
thread under a short story outscores it. A comment is a wrapper holding one
such header, with at least two wrappers of the same tag beside it that hold
one too: repeated entries, not a story with its time printed above it.

A box that opens with a thread's own heading ("Comments", "Top Rated
Comments", "Readers' Comments (718)", "Kommentare") is one too, however its
entries are built: the writer's name and the time are often in tags apart.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from lxml import etree, html

from tasks.clean.labels import RELATIVE_TIME as _RELATIVE_TIME
from tasks.clean.measures import link_density, prose_length
from tasks.clean.parse import clean_text, text_within

# The verbs of "Ann Lee on May 3 at 4:47 pm said:", in English, German, Spanish and French.
_VERBS = ("said", "says", "wrote", "writes", "sagt", "schrieb", "dice", "dit", "écrit")
_VERB = "|".join(_VERBS)
_CLOCK = re.compile(r"\d{1,2}[:.h]\d{2}\b")
# The phrases a header is built on: a page needs three before its elements are read.
_TRIGGER = re.compile(rf"\b(?:\d+|an?|one)\s+\w+\s+ago\b|\b(?:{_VERB})\s*:|\bhace\s+(?:\d|una?\s)|\bil y a\s+(?:\d|une?\s)"
                      r"|\bvor\s+(?:\d|eine[mr]?\s)",
                      re.IGNORECASE)
_SAID = re.compile(rf"\b(?:{_VERB})\s*:\s*$", re.IGNORECASE)
_HEADER_CHARS = 120  # a name, a time and a verb; more is a sentence of the story
_REACH = 4  # levels from a header up to the wrapper of its comment


def drop_comments(root: html.HtmlElement) -> None:
    """Remove the page's reader comments."""
    wrappers = comment_wrappers(root) | labelled_threads(root)
    for wrapper in [w for w in wrappers if not any(a in wrappers for a in w.iterancestors())]:
        wrapper.drop_tree()


# "42 Comments", "Top Rated Comments", "Readers' Comments (718)", "Comentarios (12)",
# "Leave a Reply", "Comentar", WordPress's "12 thoughts on “Title”".
# Not "Discussion" or "Responses": the sections of a paper or a survey's story.
_THREAD_LABEL = re.compile(
    r"^(?:(?:\d+\s+)?(?:(?:top[-\s]rated|most\s+(?:liked|recent|popular)|readers?(?:['’]s?)?|recent|latest|featured"
    r"|all|user)\s+)*(?:comments?|replies|comentarios|comentários|commentaires|kommentare|commenti|комментарии"
    r"|コメント|评论|評論|التعليقات|تعليقات|yorumlar|komentarze|reacties|kommentarer|kommentit)(?:\s*[(\[]?\d+[)\]]?)?"
    r"|(?:leave|post|add|write)\s+a\s+(?:comment|reply)|comentar|commenter|kommentieren|commentare|comentá"
    r"|(?:deja|escribe)\s+(?:tu|un)\s+comentario|laisser\s+un\s+commentaire|deixe\s+(?:seu|um)\s+comentário"
    r"|lascia\s+un\s+commento|(?:\d+|one|two|three)\s+(?:thoughts?|responses?|repl(?:y|ies)|comments?)\s+(?:on|to)"
    r"\s+[\"“'‘].{1,100})\s*:?$", re.IGNORECASE)
_LABEL_TAGS = ("h2", "h3", "h4", "h5", "h6", "div", "span", "p", "strong", "b", "header")


def labelled_threads(root: html.HtmlElement) -> set[html.HtmlElement]:
    """Boxes whose first element is a thread's heading, with entries after it."""
    boxes = set()
    for label in root.iter(*_LABEL_TAGS):
        box = label.getparent()
        if box is None or box.tag in ("body", "html") or (box.text or "").strip() \
                or next(box.iterchildren(tag=etree.Element), None) is not label:
            continue
        if len(label) > 2 or not text_within(label, 120) or not _THREAD_LABEL.match(" ".join(label.text_content().split())):
            continue
        # A box inside one already found goes with it: each subtree is searched once.
        if len(box) >= 3 and not any(a in boxes for a in box.iterancestors()) and box.find(".//h1") is None:
            boxes.add(box)
    return boxes


def comment_wrappers(root: html.HtmlElement) -> set[html.HtmlElement]:
    """The wrappers of the page's reader comments (empty when it has fewer than three)."""
    headers = _headers(root)
    if len(headers) < 3:
        return set()
    holding: set[html.HtmlElement] = set()
    for header in headers:
        for depth, ancestor in enumerate(header.iterancestors()):
            if depth >= _REACH or ancestor.tag in ("body", "html"):
                break
            holding.add(ancestor)
    # Counted per parent and tag, so a thread of thousands costs one pass.
    alike = Counter((element.getparent(), element.tag) for element in holding)
    return {element for element in holding if alike[(element.getparent(), element.tag)] >= 3}


def _headers(root: html.HtmlElement) -> list[html.HtmlElement]:
    """Elements whose whole text is a comment header: the element holding
    the time, or the first of its two nearest wrappers that reads as one (a
    name's link and the time after it, each in its own tag)."""
    if len(_TRIGGER.findall(root.text_content())) < 3:
        return []  # most pages: fewer than a thread's three headers, read in one pass
    found: dict[html.HtmlElement, None] = {}
    holders: dict[html.HtmlElement, None] = {}
    for text in _SEEN(root):
        owner = text.getparent()
        if text.is_tail:
            owner = owner.getparent()
        if owner is not None and isinstance(owner.tag, str) and _TRIGGER.search(text):
            holders[owner] = None
    for element in holders:
        for candidate in (element, *islice(element.iterancestors(), 2)):
            if not text_within(candidate, _HEADER_CHARS):
                break
            if _is_header(" ".join(candidate.text_content().split()), len(candidate) >= 2):
                found[candidate] = None
                break
    return list(found)


# Text nodes that may start a header, found by XPath's substring test (in C,
# one pass): the regex then reads only these few.
_SEEN = etree.XPath("//text()[" + " or ".join(
    f"contains(., '{word}')" for word in ("ago", *_VERBS, "hace", "Hace", "il y a", "vor ")) + "]")


def _is_header(text: str, separate: bool = False) -> bool:
    """A writer and when they wrote: "Ann Lee (2 days ago)", "Ann Lee on May 3
    at 4:47 pm said:". A time alone ("2 hours ago") also heads a live blog's
    entries, which are the story."""
    if re.search(r"\w[.!?](?:\s+\w|$)", text.removesuffix(".")):
        return False  # a sentence: "He left 3 years ago." is the story's
    if _SAID.search(text):
        # "Ann on May 3, 2018 at 4:47 pm said:"; "The minister said:", undated, is the story's.
        return bool(re.search(r"\d", text))
    time = _RELATIVE_TIME.search(text)
    if not time or text[time.end():].strip(" )"):
        return False
    writer = text[:time.start()].strip()
    if writer.endswith("("):
        return len(writer.strip(" (")) >= 2  # "Ann Lee (2 days ago)"
    # "Ann Lee 2 days ago", the name in a tag of its own: a name of a word or
    # four, not a live entry's "Updated" label or a sentence's words.
    return bool(separate and _WRITER.match(writer)) and not _TIME_LABEL.search(writer)


_WRITER = re.compile(r"^[^\W\d_][\w.'’,-]*(?:\s+[\w.'’,-]+){0,3}$")
_TIME_LABEL = re.compile(r"\b(?:updated|posted|published|modified|edited|last|actualizado|publicado|aktualisiert"
                         r"|mis\s+à\s+jour|publié|il|vor|hace)\b", re.IGNORECASE)


def is_live_entry(article: html.HtmlElement) -> bool:
    """An <article> that is a live blog's entry, not a teaser of another story:
    timed (a <time>, or a clock time opening it), 200 characters of prose of
    its own, few links, and no title that links elsewhere."""
    timed = article.find(".//time") is not None or _CLOCK.match(clean_text(article.text_content()[:80]))
    return bool(timed) and prose_length(article) >= 200 and link_density(article) < 0.2 \
        and not article.xpath("(.//h1|.//h2|.//h3|.//h4)//a[@href]")
