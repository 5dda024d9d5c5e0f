"""Bylines: the people who wrote the story, and nothing else.

A byline string carries more than names: "By", roles ("Staff Writer"),
degrees ("MA", "PhD"), outlets, places ("in Kyiv") and dates. Markup marks
authors with rel=author, itemprop=author or a class saying "byline"/"author",
but so do comment threads and author bio boxes.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from lxml import html

from tasks.clean.explain import Candidate, choose
from tasks.clean.parse import clean_text, element_text, is_inside, tokens

_BY_PREFIX = re.compile(
    r"^\s*(?:(?:(?:story|words|text|written|reporting|report|posted|compiled|interview|analysis|opinion"
    r"|commentary|review|column|essay|perspective)\s+)?(?:by|von|par|por|di|door|av|af)\s*[:\-]?\s+"
    # "Escrito por", "Publié par", "Verfasst von", "Napisał": the same, in other languages.
    r"|(?:escrito\s+por|publicado\s+por|publié\s+par|écrit\s+par|verfasst\s+von|geschrieben\s+von|scritto\s+da"
    r"|a\s+cura\s+di|napisał[a]?|kirjoittanut|skrevet\s+af|skrivet\s+av)\s+"
    # "Text: Name", "Текст: Name": a label before the name, in several languages.
    r"|(?:text|texto|texte|testo|tekst|текст|автор|author|autor|autorin|autorka|auteur|written\s+by|redakcja"
    r"|yazar|szerző|forfatter|författare|skribent|toimittaja)\s*[:：]\s*)",
    re.IGNORECASE,
)
# A comma-separated part of a byline that names a role, not a person.
_ROLE_WORDS = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|contributor|columnist|producer|journalist|staff"
    r"|bureau|chief|analyst|critic|associated\s+press|reuters|afp|for\s+the\b|special\s+to\b"
    r"|(?:officer|director|president|professor|manager|lecturer|fellow|founder|ceo|head\s+of|senior"
    r"|intern|photographer|designer|anchor|host|news|magazine|times|post|daily|media|press|international|agency"
    r"|network|wire|service)s?\b"
    r"|updated|published|posted|\d{4}|\d{1,2}:\d{2})",
    re.IGNORECASE,
)
_ROLE_SUFFIX = re.compile(
    r"\s+(?:staff\s+writer|staff\s+reporter|correspondent|reporter|editor|contributor|columnist)\s*$",
    re.IGNORECASE,
)
# Academic and professional letters after a name: "Jane Doe, MA", "John Roe MD".
_DEGREE = re.compile(r"^(?:MA|MS|MSc|BA|BSc|MD|PhD|Ph\.D\.?|DO|RN|MPH|MBA|JD|LLM|DDS|DVM|PharmD|Esq\.?|CPA|FACP)\b")
_DEGREE_TAIL = re.compile(r"(?:,?\s+(?:MA|MS|MSc|BA|BSc|MD|PhD|Ph\.D\.?|RN|MPH|MBA|JD|DDS|DVM|PharmD|Esq\.?))+$")
# "Jane Doe January 18, 2017 11:00 PM @janedoe": the date and handle after a name.
_DATE_TAIL = re.compile(
    r"\s+(?:(?:on|updated|published|posted)\s+)?(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
    r"|@\w+).*$", re.IGNORECASE)
# "Jane Doe in Kyiv": where the reporter filed from, not part of the name.
_PLACE_SUFFIX = re.compile(r"^(\S+\s+\S.*?)\s+in\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?\s*$")
_OUTLET_TAIL = re.compile(r"(?:\s[-–—]\s\S+(?:\s\S+){0,3}|/[A-Z]{2,6}|\s+for\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})$")
# ", CNN", "and AP": an outlet's initials after the names.
_OUTLET = re.compile(r"(?:and\s+)?[A-Z]{2,6}")
# "Jeremy HerbLauren del Valle": two linked names printed with nothing between them.
_RUN_TOGETHER = re.compile(r"(?<=[a-zà-ÿ]{2})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_NAME_PARTICLE = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O')$")
# "and" between two names, in the languages bylines are written in.
_AND = re.compile(r"\s+(?:and|&|und|et|y|e|en|og|och|i|и|ja|és|ve|și|oraz)\s+|\s*;\s*")


def clean_byline(names: list[str], site: set[str] = frozenset()) -> str | None:
    """'By Jane Doe, Staff Writer' and ['Jane Doe', 'John Roe'] → 'Jane Doe and John Roe'.
    ``site`` holds the words of the site's names and host (headline.site_words)."""
    cleaned: list[str] = []
    for value in names:
        for name in person_names(value):
            if name.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(name)
    if len(cleaned) > 1:
        # "… and Tom Watkins and CNN", "Jill Disis, CNN Business", "Troy Smith, Cleveland.com"
        full_name = any(len(n.split()) > 1 and not _is_outlet(n, site, False) for n in cleaned)
        cleaned = [n for n in cleaned if not _is_outlet(n, site, full_name)] or cleaned
    if not cleaned:
        return None
    return cleaned[0] if len(cleaned) == 1 else ", ".join(cleaned[:-1]) + " and " + cleaned[-1]


_SITE_FILLER = {"the", "com", "org", "net", "co", "uk", "news", "online", "digital", "de", "es", "fr", "it"}
# "CNN Business", "NBC Chicago": an outlet's acronym and a desk, beside names in normal case.
_ACRONYM_DESK = re.compile(r"[A-Z]{3,6}(?:\s+[A-Z][a-z]+)+")


def _is_outlet(name: str, site: set[str], beside_full_name: bool) -> bool:
    """A name in an author list that is the outlet, not a person: initials,
    the site's own words, an acronym and a desk, or, beside a person's full
    name, a single word ("Victor Tangermann, Futurism")."""
    words = re.findall(r"\w+", name.casefold())
    return bool(_OUTLET.fullmatch(name) or _ACRONYM_DESK.fullmatch(name)
                or (site and words and set(words) <= site | _SITE_FILLER)
                or (beside_full_name and len(name.split()) == 1))


def person_names(value: str) -> list[str]:
    """The people in one byline string, without "By", roles, degrees, dates or outlets."""
    text = clean_text(value)
    if re.match(r"https?://|www\.|@\w|\S+@\S+\.\w+$", text):
        return []  # an author page, a handle or an address, not a name
    text = re.split(r"\s[|•·]\s|\s[-–—]\s(?=updated|published|posted|\w{3}\.? \d)", text, maxsplit=1,
                    flags=re.IGNORECASE)[0]
    # "Jane Doe - Reuters", "Jane Doe/AP", "Jane Doe for The Guardian": the outlet after the name.
    without_outlet = _OUTLET_TAIL.sub("", text)
    if len(without_outlet.split()) >= 2:  # "Organization for Transformative Works" is one name
        text = without_outlet
    text = _HANDLE.sub("", text)  # "Bradley Kuhn (http://ebb.org/bkuhn/)", "Name (stevenhgm)"
    text = _CONTRIBUTION.sub("", _WITH.sub(r", \1", text))  # "(with additional reporting by …)": not an author
    text = _OTHER_ROLES.split(text, maxsplit=1)[0]  # "Written by A Edited by B": B edited it
    text = _DATE_TAIL.sub("", _BY_PREFIX.sub("", text))
    # "Finian Cunningham. Sputnik International": a sentence stop ends the name like a comma.
    parts = [p.strip(" ,;|-–—") for p in re.split(r",|(?<=[a-zà-ÿ]{2})\.\s+(?=[A-ZÀ-Þ])", text)]
    # "Deal Professor, By Jane Doe": a column's name on the line above "By"; the names follow it.
    by_part = next((i for i, p in enumerate(parts) if i and _BY_LINE.match(p)), None)
    if by_part is not None:
        parts = parts[by_part:]
    names = []
    for index, part in enumerate(parts):
        part = re.sub(r"^(?:and|&|und|et|y|e)\s+", "", _BY_PREFIX.sub("", part))  # "A, B, and C"
        if index and _DEGREE.match(part):
            # "Brenda Goodman, MA WebMD Health News": the letters and what follows are not people.
            words = part.split()
            part = " ".join(words[1:]) if len(words) > 1 and not _ROLE_WORDS.search(part) else ""
        if not part or (index and (_ROLE_WORDS.search(part) or _OUTLET.fullmatch(part))):
            continue  # ", Staff Writer", ", Senior Correspondent in Rome", ", CNN"
        if index == 0:
            part = _ROLE_SUFFIX.sub("", part)
        names.extend(n for n in _AND.split(part) if n)
    return [_name_case(_PLACE_SUFFIX.sub(r"\1", _DEGREE_TAIL.sub("", n.strip())))
            for name in names for n in _split_run_together(name) if _is_name(n)]


def _split_run_together(name: str) -> list[str]:
    pieces, start = [], 0
    for match in _RUN_TOGETHER.finditer(name):
        if not _NAME_PARTICLE.search(name[start:match.start()].split(" ")[-1]):
            pieces.append(name[start:match.start()])
            start = match.start()
    pieces.append(name[start:])
    pieces = [p.strip() for p in pieces if p.strip()]
    # Only full names run together ("Jeremy HerbLauren del Valle"); "LinkNaija" is one name.
    return pieces if all(len(p.split()) >= 2 for p in pieces) else [name]


def _is_name(text: str) -> bool:
    """A person's name is a few words, not a sentence, a date, a date's label
    ("Last Updated:") or a degree alone."""
    text = text.strip()
    return bool(text) and len(text.split()) <= 6 and not _DEGREE.fullmatch(text) and \
        not re.search(r"\d", text) and len(text) <= 60 and not text.endswith((":", "：")) and \
        not _DATE_LABEL.search(text) and text.casefold() not in _ACTIONS


# The buttons a byline box holds besides the names ("Print", "Email", "Follow").
_ACTIONS = {"print", "email", "e-mail", "mail", "share", "follow", "subscribe", "comment", "comments", "tweet",
            "save", "more", "bio", "contact", "view profile", "profile", "read more", "see more", "unfollow"}


_DATE_LABEL = re.compile(r"\b(?:updated|published|posted|modified|aktualisiert|mis\s+à\s+jour|actualizado)\b",
                         re.IGNORECASE)


def _name_case(name: str) -> str:
    # Wire-style bylines shout ("By JANE DOE"); names are written in title case.
    return name.title() if name.isupper() and len(name) > 3 else name


_AUTHOR_MARK = re.compile(r"(?:^|[\s_-])(?:by|byline|by-line|author|authors|author-?name|writer|contributor)"
                          r"(?:$|[\s_-])")
# Where author marks belong to someone else: readers' comments, bio boxes, lists of other stories.
_NOT_THE_STORY = re.compile(r"comment|respond|reply|discussion|disqus|review|related|recommend|more-from|"
                            r"bio\b|author-bio|about-the-author|profile-card|popular|trending"
                            # "sidebar", not a layout that has one ("two-col-sidebar-right", "no-sidebars")
                            r"|(?<!col-)(?<!with-)(?<!has-)(?<!no-)sidebar")
_BY_ALONE = re.compile(r"^\s*(?:by|par|von|por|door|di)\s*:?\s*$", re.IGNORECASE)
_BY_LINE = re.compile(r"^\s*(?:by|par|von|por|door|di)\s*:?\s+\S", re.IGNORECASE)
# "By" followed by capitalised names and nothing else but a role after a
# comma or bar: "By Tuesday, the council had..." is a sentence, not a byline.
_BY_NAME = re.compile(r"^\s*\w+:?\s+[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]+|and|&|de|van|von|da|del|la|le))+"
                      r"\s*(?:$|[,|•·—-])")


def is_role_line(text: str) -> bool:
    """'CNBC Executive News Editor', 'Staff Writer': an author's title printed
    on its own line under the byline. Short, no sentence, and a role word."""
    words = text.split()
    return 0 < len(words) <= 6 and len(text) <= 60 and not re.search(r"[.!?:;]$|\d", text) \
        and bool(_ROLE_WORDS.search(text)) and all(w[0].isupper() or w.islower() and len(w) <= 3 for w in words)


def _in_someone_elses_block(element: html.HtmlElement, scope: html.HtmlElement) -> bool:
    """Inside a comment thread, bio box, list of other stories or navigation.
    Only near ancestors count: far ones are page layout ("two-col-sidebar")."""
    semantic = element.get("itemprop") == "author" or element.get("rel") == "author"
    for depth, node in enumerate((element, *element.iterancestors())):
        if node is scope or depth > 6 or node.tag in ("body", "html"):
            return False
        if _NOT_THE_STORY.search(tokens(node)) or node.tag == "nav" or (node.tag == "aside" and not semantic):
            return True
    return False


def _names_in(element: html.HtmlElement) -> list[str]:
    """The names one byline block shows: each linked or itemprop name apart,
    so adjacent links are never read as one name."""
    named = element.xpath('.//*[@itemprop="name"]') or [
        a for a in element.iter("a") if 0 < len(element_text(a)) < 60 and not _NOT_THE_STORY.search(tokens(a))
        and not _NOT_A_PERSON.search(a.get("href") or "")]
    linked = [element_text(n) for n in named if element_text(n) and person_names(element_text(n))]
    text = _block_text(element)
    if linked:
        # "<a>Martin Untersinger</a> (avec Damien Leloup et Morgane Tual)": co-authors in plain text.
        return linked + [m.group(1) for m in _WITH.finditer(text)]
    return [text] if text else []


# Links in a byline box that name no writer: a social profile (its text is a
# handle, "@janedoe"), an address, or a column's or section's page ("Deal Professor").
_NOT_A_PERSON = re.compile(r"^mailto:|//(?:[\w-]+\.)?(?:twitter|x|facebook|instagram|linkedin|threads|bsky|tiktok"
                           r"|youtube|mastodon)\.\w+/|/(?:columns?|sections?|categor(?:y|ies)|series|topics?|tags?)/",
                           re.IGNORECASE)


# A box in the byline that names the outlet (<span class="publication">USA TODAY</span>).
_OUTLET_BOX = re.compile(r"publication|outlet|affiliation|organi[sz]ation|agency|publisher")
_BLOCKS = {"div", "p", "br", "li", "ul", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer"}


def _block_text(element: html.HtmlElement) -> str:
    """The block's text, each line it shows (a box, a <br>) set apart by a
    comma like a byline's fields: "By JANE DOE" over "Associated Press" is
    a name and an outlet, not one long name."""
    pieces: list[str] = []

    def walk(node: html.HtmlElement) -> None:
        block = isinstance(node.tag, str) and node.tag in _BLOCKS
        pieces.append(", " if block else "")
        if isinstance(node.tag, str) and not (node is not element and _OUTLET_BOX.search(tokens(node))):
            pieces.append(node.text or "")
            for child in node:
                walk(child)
                pieces.append(child.tail or "")
        pieces.append(", " if block else "")

    walk(element)
    return clean_text(re.sub(r"\s*,(?:\s*,)+", ",", "".join(pieces))).strip(" ,")


# The longer phrase first: "con" alone would take "la colaboración de X" as a name.
_WITH = re.compile(r"\((?:con\s+la\s+colaboración\s+de|with|and|avec|et|con|y|com|e|mit|und|met|en)\s+"
                   r"(?![^()]*\b(?:reporting|writing|editing|research)\b)([^()]{3,120})\)", re.IGNORECASE)
_OTHER_ROLES = re.compile(r"[\s,;|]+(?:edited|photos?|photographs|illustrations?|graphics|video|translated|fact-checked)"
                          r"\s+by\b", re.IGNORECASE)
_HANDLE = re.compile(r"\s*\((?:[^()]*(?:https?://|www\.|@)[^()]*|[a-z0-9_.]+)\)")
_CONTRIBUTION = re.compile(r"\s*\([^()]*\b(?:reporting|writing|editing|research)\b[^()]*\)", re.IGNORECASE)


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
    for element in scope.iter("p", "div", "span", "font", "td", "b", "strong", "em", "i", "cite"):
        lead = _LEAD_MARKS.sub("", element.text or "")
        if _BY_ALONE.match(lead) and len(element) and element[0].tag == "a":
            # "By: <a>Name</a><br>Role": the linked names, not the role after them.
            lead = _LEAD_MARKS.sub("", element_text(element))
            if len(lead) < 160 and _BY_NAME.match(lead):
                return _names_in(element)
        line = _by_line(element)
        if line:
            return [line]
    return []


# "// By Jane Doe • May 2": a designer's marks before the byline's "By".
_LEAD_MARKS = re.compile(r"^[\s/|•·—–>»-]+")


def _by_line(element: html.HtmlElement) -> str | None:
    """The first line of a short block that starts with its own "By" (or
    "Written by"): "By <b>Jane Doe</b><br>March 25", "<span>By </span><span>JANE
    DOE</span> <abbr>March 11</abbr>", "Written by Jane Doe<br>Edited by …"."""
    lead = _LEAD_MARKS.sub("", element.text or "")
    if not lead.strip() and len(element) and not len(element[0]) and isinstance(element[0].tag, str) \
            and _BY_ALONE.match(element[0].text or ""):
        lead = element[0].text or ""  # "<span>By </span>" before the name
    if not _BY_PREFIX.match(lead) or len(element.text_content()) >= 200:
        return None
    pieces = [element.text or ""]
    for child in element:
        if child.tag == "br" or child.tag in _BLOCKS:
            break
        pieces += [child.text_content(), child.tail or ""]
    line = _LEAD_MARKS.sub("", clean_text("".join(pieces)))
    # "By Tuesday, the council had…" is a sentence: capitalised names only, then a date at most.
    probe = _DATE_TAIL.sub("", _BY_PREFIX.sub("By ", line, count=1))
    return line if len(line) < 100 and _BY_NAME.match(probe) else None


# "sort-by", "powered-by": a "by" in a class that introduces no author.
_NOT_BY = re.compile(r"(?:sort|order|filter|group|powered|sponsored|presented|supported|brought|hosted|funded|paid"
                     r"|curated|made)[\s_-]*by\b")
# A cheap first pass in C over the markup; _AUTHOR_MARK then decides.
_MAYBE_AUTHOR = ("descendant-or-self::*[@rel='author' or @itemprop='author'"
                 + "".join(f" or contains(@{attr}, '{word}')" for attr in ("class", "id")
                           for word in ("author", "Author", "by", "By", "writer", "Writer", "contributor"))
                 + "] | descendant-or-self::a[" + " or ".join(
                     f"contains(@href, '/{folder}')" for folder in ("author", "autor", "auteur", "people/", "staff/",
                                                                   "writer", "journalist", "reporter", "bio/",
                                                                   "bios/", "contributor", "columnist")) + "]")
# A link to the writer's page ("/author/jane-doe", "/people/jane-doe/"), the
# byline's mark on pages whose classes say nothing (hashed, or none at all).
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en|es|i)?|auteurs?|people|staff|writers?|journalists?|reporters?"
                          r"|bios?|contributors?|columnists?)"
                          r"/[^/?#]*[^\W\d_][^/?#]*/?(?:[?#].*)?$", re.IGNORECASE)


def _author_marks(where: html.HtmlElement) -> list[html.HtmlElement]:
    """Outermost author-marked elements with a short text, outside others' blocks."""
    marks: list[html.HtmlElement] = []
    for element in where.xpath(_MAYBE_AUTHOR):
        if not isinstance(element.tag, str) or element.tag in ("input", "meta", "link", "img", "button"):
            continue
        if not (element.get("rel") == "author" or element.get("itemprop") == "author"
                or _AUTHOR_MARK.search(_NOT_BY.sub(" ", tokens(element)))
                or element.tag == "a" and _is_author_page_link(element)):
            continue
        text = element_text(element)
        if not text or len(text) >= 160 or any(is_inside(element, m) for m in marks):
            continue
        if not _in_someone_elses_block(element, where):
            marks.append(element)
    return marks


def _is_author_page_link(link: html.HtmlElement) -> bool:
    """A link to the page of the person it names, in a short line of its own
    ("By <a href='/author/jane-doe'>Jane Doe</a>"): not a name mentioned in a
    sentence, nor a topic page ("/topics/people/…"), nor "View author page"."""
    path = urlsplit(link.get("href") or "").path
    if not _AUTHOR_PAGE.search(path) or re.search(r"/(?:topics?|tags?|themen|temas)/", path, re.IGNORECASE):
        return False
    text = element_text(link)
    slug = set(re.findall(r"[^\W\d_]+", _folded(path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0])))
    words = re.findall(r"[^\W\d_]+", _folded(text))
    if len(words) < 2 or not set(words) <= slug or not person_names(text):
        return False
    block = next((a for a in link.iterancestors() if a.tag in _BLOCKS or a.tag in ("td", "article")), None)
    if block is None:
        return True
    line = element_text(block)
    if _BY_ALONE.match(_LEAD_MARKS.sub("", line.partition(text)[0])):
        return True  # "By <a>Jane Doe</a>, a deputy editor who covers …": the role after it is no sentence
    # Around a byline: a date, "By", "and"; around a mention: a sentence.
    return len(line) <= 150 and len(re.findall(r"\b[a-zà-ÿ]{2,}\b", line.replace(text, " "))) <= 6


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


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
                anchor: html.HtmlElement | None = None, site_words: set[str] = frozenset()) -> str | None:
    candidates = []
    for source, values in (("json-ld author", ld_people), ("meta author", meta_authors),
                           ("markup byline", None)):
        if values is None:
            values = markup_authors(scope, root, anchor)
        values = [v for v in values if v.casefold() not in site_names]
        byline = clean_byline(values, site_words)
        if byline:
            candidates.append(Candidate(byline, source))
    return choose("byline", candidates[0] if candidates else None, candidates)
