"""A byline printed as a line of the story's text, with no mark in the
markup: "By Jane Doe", "Von Ana Ruiz und Tom Davies", "记者 张伟",
"بقلم: محمد علي", "홍길동 기자".

In alphabets with capitals, the names after "By" must be capitalised words,
so "By Tuesday, the council had…" stays a sentence. In scripts without
capitals (Han, Hangul, Arabic, Hebrew, Indic, Thai) case says nothing: the
line must be a label and a short name alone, or a name and the writer's
role as Korean and Japanese papers print it after the name.
"""

from __future__ import annotations

import re

from lxml import html

from tasks.clean.names import (AND_WORDS, BY_PREFIX, DATE_TAIL, NAME_PARTICLE, NAME_WORD, UNCASED_NAME, UNCASED_ROLE,
                               WIRE_DATELINE, is_personal_name, person_names, writer_part)
from tasks.clean.parse import clean_text

BY_ALONE = re.compile(r"^\s*(?:(?:written|story|words|text|reporting|posted)\s+)?(?:by|par|von|por|door|di|oleh)\s*:?\s*$",
                      re.IGNORECASE)
# "By" followed by capitalised names and nothing else but a role after a
# comma or bar: "By Tuesday, the council had..." is a sentence, not a byline.
BY_NAME = re.compile(rf"^\s*\w+:?\s+{NAME_WORD}(?:\s+(?:{NAME_WORD}|{AND_WORDS}|&|{NAME_PARTICLE}))+"
                     r"\s*(?:$|[,|•·—-])")
# Marks some pages print before the byline: "/ By Jane Doe", "» Jane Doe".
LEAD_MARKS = re.compile(r"^[\s/|•·—–>»-]+")
# Where a line ends inside a block.
LINE_BREAKS = {"div", "p", "br", "li", "ul", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer"}

_UNCASED_NAMES = rf"{UNCASED_NAME}(?:\s*[,，、·]\s*{UNCASED_NAME})*"
# "记者 张伟", "بقلم: محمد علي": the label (BY_PREFIX) is gone; the names alone are left.
_UNCASED_ONLY = re.compile(rf"^\s*{_UNCASED_NAMES}\s*$")
# "홍길동 기자", "[서울=뉴시스] 홍길동 기자 =", "山田太郎記者", "홍길동 기자 hong@example.com".
_NAME_THEN_ROLE = re.compile(rf"^\s*{_UNCASED_NAMES}\s*(?:{UNCASED_ROLE})\s*(?:[=＝]|\S+@\S+)?\s*$")


def by_line(element: html.HtmlElement) -> str | None:
    """The first line of a short block that starts with its own "By" (or
    "Written by", or a label in another script), or that is a name and the
    writer's role: "By <b>Jane Doe</b><br>March 25", "<span>By </span><span>JANE
    DOE</span> <abbr>March 11</abbr>", "Written by Jane Doe<br>Edited by …",
    "<a href='/authors/…'>By<span> Jane Doe</span></a>", "记者 张伟", "홍길동 기자"; or
    that is a person's name and the date line: "Jane Doe | 12 March 2024 | 4 min read"."""
    if len(element.text_content()) >= 200:
        return None
    lead = LEAD_MARKS.sub("", element.text or "")
    if not lead.strip() and len(element) and not len(element[0]) and isinstance(element[0].tag, str) \
            and BY_ALONE.match(element[0].text or ""):
        lead = element[0].text or ""  # "<span>By </span>" before the name
    labelled = bool(BY_PREFIX.match(lead) or len(element) and BY_ALONE.match(lead))
    if not labelled and not _NAME_THEN_ROLE.match(WIRE_DATELINE.sub("", lead)):
        whole = clean_text(element.text_content())
        return whole if _is_name_then_date(whole) else None
    pieces = [element.text or ""]
    for child in element:
        if child.tag in LINE_BREAKS:
            break
        pieces += [child.text_content(), child.tail or ""]
    line = LEAD_MARKS.sub("", clean_text("".join(pieces)))
    if len(line) >= 100:
        return None
    if not labelled:
        return line if _NAME_THEN_ROLE.match(WIRE_DATELINE.sub("", line)) and person_names(line) else None
    # "By Tuesday, the council had…" is a sentence: capitalised names only, then a date at most.
    if BY_NAME.match(DATE_TAIL.sub("", BY_PREFIX.sub("By ", writer_part(line), count=1))):
        return line
    return line if _UNCASED_ONLY.match(BY_PREFIX.sub("", line, count=1)) else None


# "Ana Ruiz | 12 March 2024 | 4 min read", "Ana Ruiz · Madrid · 12 mar 2024 - 10:30 CET": a name with no
# "By", known as the writer's only by what follows it: the date line (and a place or a reading time).
_META_PARTS = re.compile(r"(?<!\s)\s+[|·•]\s+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_READING_TIME = re.compile(r"^\d{1,3}\s*(?:min\w*|mins?\.?)(?:\s+\w+){0,2}$|^\w+(?:\s+\w+)?\s*:?\s*\d{1,3}\s*min\w*\.?$",
                           re.IGNORECASE)
_PLACE = re.compile(r"^(?-i:[A-ZÀ-Þ])[\w'’.-]+(?:\s+(?-i:[A-ZÀ-Þ])[\w'’.-]+){0,2}$")


def _is_name_then_date(text: str) -> bool:
    parts = _META_PARTS.split(text)
    if not 2 <= len(parts) <= 4 or len(text) >= 100 or not is_personal_name(parts[0]):
        return False
    rest = parts[1:]
    dated = [part for part in rest if _YEAR.search(part) and len(part) <= 40]
    return bool(dated) and all(part in dated or _READING_TIME.match(part) or _PLACE.match(part) for part in rest)
