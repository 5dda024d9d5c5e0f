"""Bylines: where the page names the story's writers.

Markup marks authors with rel=author, itemprop=author, a class saying
"byline"/"author" or a link to the writer's own page, but so do comment
threads, author bio boxes and lists of other stories. A byline printed as a
plain line of text is ``tasks.clean.byline_lines``; reading the names out of
the byline string is ``tasks.clean.names``.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree, html

from tasks.clean.byline_lines import BY_ALONE, BY_NAME, LEAD_MARKS, LINE_BREAKS, by_line
from tasks.clean.captions import marks_caption
from tasks.clean.explain import Candidate, choose
from tasks.clean.names import (AND_WORDS, CO_AUTHORS, NAME, ROLE_TAIL, ROLE_WORDS, clean_byline, folded,
                               is_personal_name, is_publisher, is_role_line, person_names)
from tasks.clean.parse import clean_text, element_text, text_within, tokens

_AUTHOR_MARK = re.compile(r"(?:^|[\s_-])(?:by|byline|by-line|author|authors|author-?name|writer|contributor"
                          r"|autor(?:a|es|in|zy)?|auteurs?|autor[ei]|yazar|penulis)"
                          r"(?:$|[\s_-])")
# Where author marks belong to someone else: readers' comments, bio boxes, lists of other stories,
# the people thanked under the story.
_NOT_THE_STORY = re.compile(r"comment|respond|reply|discussion|disqus|review|related|recommend|more-from|"
                            r"bio\b|author-bio|about-the-author|profile-card|popular|trending|acknowledg"
                            # "sidebar", not a layout that has one ("two-col-sidebar-right", "no-sidebars")
                            r"|(?<!col-)(?<!with-)(?<!has-)(?<!no-)sidebar")
# "By Stella Kim and Jennifer Jett", and nothing else.
_BY_NAMES_ONLY = re.compile(rf"^\s*\w+:?\s+{NAME}(?:\s*(?:,|&|\b(?:{AND_WORDS})\b)\s*{NAME})+\s*$")


def _in_someone_elses_block(element: html.HtmlElement, scope: html.HtmlElement) -> bool:
    """Inside a comment thread, bio box, list of other stories or navigation.
    Only near ancestors count: far ones are page layout ("two-col-sidebar")."""
    semantic = element.get("itemprop") == "author" or element.get("rel") == "author"
    chain = [element, *element.iterancestors()][:8]
    for depth, node in enumerate(chain):
        if node is scope or node.tag in ("body", "html"):
            return False
        if depth > 6:
            # A <nav> is never the story's, however deep in it the link sits (a menu of columnists).
            return any(a.tag == "nav" for a in node.iterancestors() if a is not scope)
        mark = _NOT_THE_STORY.search(tokens(node))
        if semantic and mark and mark.group() == "sidebar" and _in_the_story(chain[depth + 1:]):
            continue  # the story's own side column, whose author box names its writer
        if mark or node.tag == "nav" or (node.tag == "aside" and not semantic):
            return True
    return False


def _in_the_story(ancestors: list[html.HtmlElement]) -> bool:
    return any(node.tag == "article" or _STORY_BOX.search(tokens(node)) for node in ancestors[:3])


_STORY_BOX = re.compile(r"(?:^|[\s_-])(?:article|story|post)(?:$|[\s_-])")


def _names_in(element: html.HtmlElement) -> list[str]:
    """The names one byline block shows: each linked or itemprop name apart,
    so adjacent links are never read as one name."""
    named = element.xpath('.//*[@itemprop="name"]') or [
        a for a in element.iter("a") if 0 < len(element_text(a)) < 60 and not _NOT_THE_STORY.search(tokens(a))
        and not _NOT_A_PERSON.search(a.get("href") or "")]
    linked = [element_text(n) for n in named if element_text(n) and person_names(element_text(n))]
    text = _block_text(element)
    if linked:
        # "By <span>Stella Kim</span> and <a>Jennifer Jett</a>": a "By" line
        # names them all, linked or not, in its order.
        if _BY_NAMES_ONLY.match(text) and len(text) < 160:
            said = person_names(text)
            if len(said) > len(linked) and {n.casefold() for n in linked} <= {n.casefold() for n in said}:
                return said
        # "<a>Martin Untersinger</a> (avec Damien Leloup et Morgane Tual)": co-authors in plain text.
        return linked + [m.group(1) for m in CO_AUTHORS.finditer(text)]
    return [text] if text else []


# Links in a byline box that name no writer: a social profile (its text is a
# handle, "@janedoe"), an address, or a column's or section's page ("Deal Professor").
_NOT_A_PERSON = re.compile(r"^mailto:|//(?:[\w-]+\.)?(?:twitter|x|facebook|instagram|linkedin|threads|bsky|tiktok"
                           r"|youtube|mastodon)\.\w+/|/(?:columns?|sections?|categor(?:y|ies)|series|topics?|tags?)/",
                           re.IGNORECASE)


# A box in the byline that names the outlet (<span class="publication">USA TODAY</span>).
_OUTLET_BOX = re.compile(r"publication|outlet|affiliation|organi[sz]ation|agency|publisher")
# A box for the writer's title beside the name (<span class="role">Transport Editor</span>): a field of its own.
_RUN_ON = re.compile(r"[^\W\d_]$")  # a letter just before: no space, no punctuation
_FIELD_BOX = re.compile(r"(?:^|[\s_-])(?:role|title|job|position|designation)(?:$|[\s_-])")


def _block_text(element: html.HtmlElement) -> str:
    """The block's text, each line it shows (a box, a <br>) set apart by a
    comma like a byline's fields: "By JANE DOE" over "Associated Press" is
    a name and an outlet, not one long name."""
    pieces: list[str] = []

    def walk(node: html.HtmlElement) -> None:
        block = isinstance(node.tag, str) and (node.tag in LINE_BREAKS or node is not element
                                               and bool(_FIELD_BOX.search(tokens(node))))
        pieces.append(", " if block else "")
        if isinstance(node.tag, str) and not (node is not element and _OUTLET_BOX.search(tokens(node))):
            # "<span>Ana Ruiz</span><span>Transport correspondent</span>": boxes laid out apart, written together.
            if node is not element and _RUN_ON.search(next((p for p in reversed(pieces) if p), "")) \
                    and (node.text or "")[:1].isupper():
                pieces.append(", ")
            pieces.append(node.text or "")
            for child in node:
                walk(child)
                pieces.append(child.tail or "")
        pieces.append(", " if block else "")

    walk(element)
    return clean_text(re.sub(r"\s*,(?:\s*,)+", ",", "".join(pieces))).strip(" ,")


def markup_authors(scope: html.HtmlElement | None, root: html.HtmlElement | None = None,
                   anchor: html.HtmlElement | None = None) -> list[str]:
    """Authors the story's own markup names: rel=author / itemprop=author /
    byline-classed blocks outside comments and bio boxes (in the article,
    else the byline block nearest the headline in the page), else a short
    unmarked "By ..." line in the article."""
    if scope is None and root is None:
        return []
    names = _marked_names(scope) if scope is not None else []
    if not names and root is not None:
        names = _nearest_marked_names(root, anchor)
    if names or scope is None:
        return names
    # Unmarked legacy markup: a short line that starts with "By".
    for element in scope.iter("p", "div", "span", "font", "td", "b", "strong", "em", "i", "cite", "a"):
        lead = LEAD_MARKS.sub("", element.text or "")
        if BY_ALONE.match(lead) and len(element) and element[0].tag == "a":
            # "By: <a>Name</a><br>Role": the linked names, not the role after them.
            lead = LEAD_MARKS.sub("", element_text(element))
            if len(lead) < 160 and BY_NAME.match(lead):
                return _names_in(element)
        line = by_line(element)
        if line and not _in_someone_elses_block(element, scope):  # not a teaser's "By Tom Davies"
            return [line]
    return _titled_name(scope, anchor)


# "Ana Ruiz, Political Correspondent": a name of two to four words, then the writer's title.
_NAME_THEN_TITLE = re.compile(rf"^({NAME})\s*(?:,\s*|\s+)(\S.{{2,60}})$")
_AGENCY = re.compile(r"(?:the\s+)?(?:associated\s+press|press\s+association|agence\s+france[-\s]presse|reuters"
                     r"|bloomberg(?:\s+news)?|afp|ap|dpa|efe|ansa|getty\s+images)", re.IGNORECASE)
# A picture's credit in the same shape ("Ana Ruiz, Staff Photographer") names no writer.
_PICTURE_ROLE = re.compile(r"photo|illustrat|graphic|video|camera|picture", re.IGNORECASE)
# How far under the headline the line may stand (elements, in page order): above the story's first paragraph.
_TITLED_NAME_REACH = 30


def _titled_name(scope: html.HtmlElement, anchor: html.HtmlElement | None) -> list[str]:
    """A writer named with no "By" and no mark but a title, on a short line
    between the headline and the story's first paragraph: "<span>Ana Ruiz,
    Political Correspondent</span><time>…</time>"."""
    if anchor is None or anchor.tag != "h1":
        return []
    sentences = 0  # a standfirst may stand above the line; a second sentence is the story's
    for element in anchor.xpath(f"following::*[position() <= {_TITLED_NAME_REACH}]"):
        if element.tag in ("figure", "figcaption") or any(a.tag in ("figure", "figcaption")
                                                          for a in element.iterancestors()):
            continue
        if element.tag not in _LINE_TAGS or any(child.tag not in _INLINE for child in element):
            continue
        long_line = not text_within(element, 150)  # read no further than a line's worth
        line = "" if long_line else element_text(element)
        if long_line or len(line) >= 60 and line.endswith((".", "!", "?", "\"", "”")):
            sentences += 1
            if sentences == 2:
                return []  # the story has begun
            continue
        match = _NAME_THEN_TITLE.match(line)
        if not match or _PICTURE_ROLE.search(match[2]):
            continue
        # A writer's title ("Political Correspondent") or an agency; beside a
        # picture, the same line is the picture's credit or caption ("Al Goldis,
        # Associated Press"; "Ana Ruiz, Chief Executive" under her photo).
        if (ROLE_TAIL.match(" " + match[2]) or is_role_line(match[2]) or _AGENCY.fullmatch(match[2])) \
                and not _beside_a_picture(element, line):
            return _name_before_title(element, line)
    return []


def _beside_a_picture(element: html.HtmlElement, line: str) -> bool:
    """In a small box with a picture that is not the writer's own headshot, or marked as a caption."""
    for ancestor in (element, *islice(element.iterancestors(), 3)):
        if marks_caption(ancestor) or "credit" in tokens(ancestor):
            return True
        if ancestor is not element and not text_within(ancestor, 400):
            return False
        if any(not _is_headshot(img, line) for img in ancestor.iter("img", "picture")):
            return True
    return False


_HEADSHOT = re.compile(r"author|headshot|avatar|mugs?\b|byline|profile|contributor", re.IGNORECASE)


def _is_headshot(img: html.HtmlElement, line: str) -> bool:
    """The writer's small portrait in the byline box: its alt text is the name on the line, or its
    address or size says so."""
    alt = clean_text(img.get("alt") or "").casefold()
    sizes = [int(v) for v in (img.get("width"), img.get("height")) if v and v.isdigit()]
    return len(alt) >= 3 and alt in line.casefold() or bool(_HEADSHOT.search(img.get("src") or "")) \
        or bool(sizes) and max(sizes) <= 150


def _name_before_title(element: html.HtmlElement, line: str) -> list[str]:
    """The name in "Ana Ruiz, Political Correspondent": before the comma, or
    in its own tag ("<span>Tom Davies</span> <span>Associated Press</span>"),
    or where ``person_names`` sees a title begin ("Ana Ruiz Senior Harbour
    Correspondent"). Never a name with a title's word left in it."""
    first = clean_text(element.text or "") or (element_text(element[0]) if len(element) else "")
    for name in (line.split(",")[0] if "," in line else None, first if first != line else None, line):
        names = person_names(name) if name else []
        if names and not any(ROLE_WORDS.search(n) for n in names):
            return names
    return []


_LINE_TAGS = {"p", "div", "span", "address", "strong", "b", "em", "small", "li"}
_INLINE = {"a", "b", "strong", "em", "i", "span", "small"}


# "// By Jane Doe • May 2": a designer's marks before the byline's "By".
# "sort-by", "powered-by": a "by" in a class that introduces no author.
_NOT_BY = re.compile(r"(?:sort|order|filter|group|powered|sponsored|presented|supported|brought|hosted|funded|paid"
                     r"|curated|made)[\s_-]*by\b")
# A cheap first pass over the markup; _AUTHOR_MARK then decides ("uthor"
# stands for "author" and "Author", "utor" for "autor", "riter" for "writer"). Plain attribute
# reads in one walk: an XPath of two dozen contains() took three times as long.
_MAYBE_AUTHOR_MARK = re.compile(r"uthor|utor|uteur|by|By|riter|ontributor|yazar|penulis")
_MAYBE_AUTHOR_HREF = re.compile(r"/(?:author|autor|auteur|people/|staff/|writer|journalist|reporter|bios?/"
                                r"|contributor|columnist|@)")


def _maybe_author(where: html.HtmlElement):
    for element in where.iter(etree.Element):
        get = element.get
        if get("rel") == "author" or get("itemprop") == "author" \
                or _MAYBE_AUTHOR_MARK.search(" ".join(map(get, _MARK_ATTRIBUTES, _NONE_GIVEN))) \
                or element.tag == "address" and any(a.tag == "article" for a in element.iterancestors()) \
                or element.tag == "a" and _MAYBE_AUTHOR_HREF.search(get("href", "")):
            yield element


# A link to the writer's page ("/author/jane-doe", "/people/jane-doe/"), the
# byline's mark on pages whose classes say nothing (hashed, or none at all).
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en|es|i)?|auteurs?|people|staff|writers?|journalists?|reporters?"
                          r"|bios?|contributors?|columnists?)"
                          r"/[^/?#]*[^\W\d_][^/?#]*/?(?:[?#].*)?$"
                          r"|^/@[\w.-]+/?$", re.IGNORECASE)  # a blog platform's writer page: "/@johncwelch"


def _author_marks(where: html.HtmlElement) -> list[html.HtmlElement]:
    """Outermost author-marked elements with a short text, outside others' blocks."""
    marks: list[html.HtmlElement] = []
    marked: set[html.HtmlElement] = set()  # the same, to ask each element's few ancestors, not every mark
    for element in _maybe_author(where):
        if not isinstance(element.tag, str) or element.tag in ("input", "meta", "link", "img", "button"):
            continue
        if not (element.get("rel") == "author" or element.get("itemprop") == "author"
                or element.tag == "address" and not re.search(r"\d", element_text(element))  # HTML's own; no street
                or _AUTHOR_MARK.search(_NOT_BY.sub(" ", _mark_tokens(element)))
                or element.tag == "a" and _is_author_page_link(element)):
            continue
        text = element_text(element)
        if not text or len(text) >= 160 or any(a in marked for a in element.iterancestors()):
            continue
        if not _in_someone_elses_block(element, where):
            marks.append(element)
            marked.add(element)
    return marks


def _mark_tokens(element: html.HtmlElement) -> str:
    """The element's class and id, without atomic CSS ("bw bx ai by bz"):
    generated letters, where a "by" is no word."""
    classes = (element.get("class") or "").split()
    if len(classes) >= 2 and all(len(c) <= 3 for c in classes):
        classes = []
    # Pages whose classes are hashed name their parts for their tests instead (data-testid="byline",
    # data-component="byline-block"). Not aria-label: that is a sentence ("Report Twitter post by @ann").
    named = " ".join(element.get(attr, "") for attr in _PART_NAMES if element.get(attr))
    return f"{' '.join(classes)} {element.get('id', '')} {named}".lower()


_PART_NAMES = ("data-testid", "data-component", "data-qa")
_MARK_ATTRIBUTES = ("class", "id", *_PART_NAMES)
_NONE_GIVEN = ("",) * len(_MARK_ATTRIBUTES)  # map(get, …) reads each with "" for a missing one, in C


def _is_author_page_link(link: html.HtmlElement) -> bool:
    """A link to the page of the person it names, in a short line of its own
    ("By <a href='/author/jane-doe'>Jane Doe</a>"): not a name mentioned in a
    sentence, nor a topic page ("/topics/people/…"), nor "View author page"."""
    path = urlsplit(link.get("href") or "").path
    if not _AUTHOR_PAGE.search(path) or re.search(r"/(?:topics?|tags?|themen|temas)/", path, re.IGNORECASE):
        return False
    text = element_text(link)
    slug = set(re.findall(r"[^\W\d_]+", folded(path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0])))
    words = re.findall(r"[^\W\d_]+", folded(text))
    # The page's address spells the name, word by word or run together ("/@johncwelch").
    if len(words) < 2 or not (set(words) <= slug or "".join(words) in slug) or not person_names(text):
        return False
    block = next((a for a in link.iterancestors() if a.tag in LINE_BREAKS or a.tag in ("td", "article")), None)
    if block is None:
        return True
    line = element_text(block)
    if BY_ALONE.match(LEAD_MARKS.sub("", line.partition(text)[0])):
        return True  # "By <a>Jane Doe</a>, a deputy editor who covers …": the role after it is no sentence
    # Around a byline: a date, "By", "and"; around a mention: a sentence.
    return len(line) <= 150 and len(re.findall(r"\b[a-zà-ÿ]{2,}\b", line.replace(text, " "))) <= 6


def _marked_names(scope: html.HtmlElement) -> list[str]:
    """The first byline block of the article, with the author marks right
    after it ("By <a>A</a> and <a>B</a>"); bylines of teasers further down
    the article are other stories'."""
    marks = _author_marks(scope)
    if not marks:
        return []
    elements = list(scope.iter())  # kept alive: id() of an lxml proxy is only stable while it lives
    position = {id(e): i for i, e in enumerate(elements)}
    kept = [marks[0]]
    for mark in marks[1:]:
        if position[id(mark)] - position[id(kept[-1])] > 12:
            break
        kept.append(mark)
    return [name for element in kept for name in _names_in(element)]


def _nearest_marked_names(root: html.HtmlElement, anchor: html.HtmlElement | None) -> list[str]:
    """The byline block closest to the headline (bylines sit beside it)."""
    marks = [m for m in _author_marks(root) if person_names(" ".join(_names_in(m)))]
    if not marks:
        return []
    if anchor is None:
        return _names_in(marks[0])
    elements = list(root.iter())  # kept alive: id() of an lxml proxy is only stable while it lives
    position = {id(e): i for i, e in enumerate(elements)}
    where = position.get(id(anchor), 0)
    nearest = min(marks, key=lambda m: abs(position.get(id(m), 0) - where))
    return _names_in(nearest)


# Definition. The byline is every person credited with writing the story,
# names only, joined "A, B and C". Sources, most trusted first: the JSON-LD
# article's author persons (organisations, and the site's own name, are not
# bylines), the author meta tags (name=author, article:author, dc.creator),
# the story's own byline markup (rel=author, itemprop=author, byline/author
# classes, outside comments and bio boxes; in the article, else the block
# nearest the headline), and an unmarked "By ..." line.
# The first source that yields a name wins; the others are reported as beaten.
def pick_byline(ld_people: list[str], meta_authors: list[str], scope: html.HtmlElement | None,
                site_names: set[str], root: html.HtmlElement | None = None,
                anchor: html.HtmlElement | None = None, site_words: set[str] = frozenset(),
                ld_people_typed: bool = False) -> str | None:
    candidates = []
    for source, values in (("json-ld author", ld_people), ("meta author", meta_authors),
                           ("markup byline", None)):
        if values is None:
            values = markup_authors(scope, root, anchor)
        # The site's own name signs no story, unless the site is a person's: "Haki
        # Benita" on hakibenita.com, the publisher and a JSON-LD author typed Person.
        personal = source == "json-ld author" and ld_people_typed
        values = [v for v in values if (v.casefold() not in site_names or personal and is_personal_name(v))
                  and not is_publisher(v, site_words)]
        byline = clean_byline(values, site_words)
        if byline:
            candidates.append(Candidate(byline, source))
    # A JSON-LD author that is only an organisation signs for want of a person:
    # a person the author meta tag names comes first (not a markup guess).
    if candidates and candidates[0].source == "json-ld author" and not ld_people_typed \
            and any(c.source == "meta author" for c in candidates):
        candidates.append(candidates.pop(0))
    return choose("byline", candidates[0] if candidates else None, candidates)
