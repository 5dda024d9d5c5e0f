"""Where a page shows its dates: <time> elements, the date line under the
headline, and htmldate's reading of the page as a last resort.

Metadata (JSON-LD, meta tags) is read in ``tasks.clean.metadata``; these are
the dates a reader sees, in the page's own language and format.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Iterator

from lxml import etree, html

from tasks.clean.boilerplate import STRONG, boilerplate_strength, marks_date
from tasks.clean.dates import EARLIEST_YEAR, LATEST_YEAR, to_iso
from tasks.clean.parse import clean_text, element_text, tokens

UPDATED = re.compile(r"updat|modif|edited|aktualisiert|mis\s+à\s+jour|actualiz|aggiornat|atualizad|bijgewerkt"
                     r"|обновл|diperbarui|cập\s+nhật|수정|업데이트|更新|آخر\s+تحديث|עודכן", re.IGNORECASE)
_PUBLISHED = re.compile(r"publish|posted|pubdate|veröffentlicht|publié|publicad|pubblicat|опубликов|입력|发布|發佈|公開|掲載"
                        r"|النشر|פורסם", re.IGNORECASE)


def time_pubdate(root: html.HtmlElement, language: str | None = None) -> str | None:
    """A <time> marked as the publication time, else the earliest of the
    first few the page shows that is not an update time (a story is
    published before it is updated; comment and teaser times do not count).
    A <time> without a datetime attribute gives its text, as HTML defines."""
    for element in root.xpath("//time[@pubdate or @itemprop='datePublished']"):
        if element.get("datetime"):
            return element.get("datetime").strip()
    shown = []
    for element in root.xpath("//time"):
        value = (element.get("datetime") or "").strip() or _written_date(element_text(element), language)
        if not value:
            continue
        if any(boilerplate_strength(a) == STRONG and a.tag not in ("html", "body") and not marks_date(a)
               for a in element.iterancestors()):
            continue  # a comment's or another story's time; a date line's is the story's
        label = f"{tokens(element)} {element.get('itemprop') or ''} {element_text(element)} " \
                f"{clean_text((element.getparent().text or '') if element.getparent() is not None else '')}"
        if UPDATED.search(label) and not _PUBLISHED.search(label):
            # "Dec. 6, 2024 / Updated Dec. 7, 2024": the date before the update is the publication's.
            value = read_date_line(element_text(element), language)
            if not value:
                continue
        if _PUBLISHED.search(label):
            return value
        shown.append(value)
        if len(shown) == 3:
            break
    dated = [iso for iso in map(to_iso, shown) if iso]
    return min(dated, key=lambda iso: iso[:19]) if dated else None


def _written_date(text: str, language: str | None) -> str | None:
    """A date as a reader sees it ("Dec. 6, 2024, 10:00 PM UTC", "15 октября
    2015"), in ISO 8601; None for a time alone, a day with no year, or a sentence."""
    return read_date_line(text, language) if 6 <= len(text) <= 60 else None


def date_under_headline(root: html.HtmlElement, language: str | None) -> str | None:
    """An unlabelled date between the headline and the story ("John Lee ·
    Follow · Oct 15, 2015"): the story's, where a date in a box with no label
    elsewhere may be the day the site's header shows. The headline is the
    first <h1> of four words or more, so a logo's <h1> does not count."""
    headline = next((h for h in root.iter("h1") if len(element_text(h).split()) >= 4), None)
    if headline is None:
        return None
    return _first_date(_unlabelled_lines(headline), lambda text: _written_date(text, language))


def _unlabelled_lines(headline: html.HtmlElement) -> Iterator[str]:
    for element in headline.xpath(f"following::*[position() <= {_UNDER_HEADLINE}]"):
        text = clean_text(element.text or "")
        if len(text) >= 80 and element.tag in ("p", "div"):
            return  # the story has begun
        # "Von Ana Ruiz | 12.03.2024, 10:30 Uhr | Lesezeit: 4 Min.": the date is one part of the line.
        parts = [part for part in _LINE_PARTS.split(text) if 6 <= len(part) <= 40 and re.search(r"\d", part)]
        if not parts or any(_ELSEWHERE.search(tokens(a)) for a in element.iterancestors()):
            continue
        parent = element.getparent()
        line = element_text(parent) if parent is not None and len(parent.text_content()) <= 120 else text
        line_parts = _LINE_PARTS.split(line)
        for part in parts:
            # "Updated <time>Jul 24, 2018</time>", "… | Atualizado há 2 horas": not when it was published
            said = next((line_part for line_part in line_parts if part in line_part), line)
            if not (UPDATED.search(said) and not _PUBLISHED.search(said)):
                yield part


# Bars and dots part a meta line; a dash only before words, as "12 March 2024 - 10:30" is one date.
_LINE_PARTS = re.compile(r"(?<!\s)\s+[|·•]\s+|(?<!\s)\s+[–—-]\s+(?=[^\W\d])")


def _first_date(lines: Iterable[str], read: Callable[[str], str | None]) -> str | None:
    """The date read from the first of the candidate lines, trying no more
    than a few: the story's date line comes first, and every line read costs
    a dateparser call."""
    for tried, text in enumerate(lines, start=1):
        iso = read(text)
        if iso or tried == _LINES_TRIED:
            return iso
    return None


_UNDER_HEADLINE = 40  # elements after the headline that may hold its date


CLOCK = re.compile(r"\d:\d\d")
_ELSEWHERE = re.compile(r"comment|related|recirc|teaser|promo|sidebar|recommend|most-?read|trending|latest|rail")


def _time_boxes(root: html.HtmlElement):
    """<time> elements and those whose class says date or time, in page
    order. Plain attribute reads: an XPath lowercasing every class took
    several times as long."""
    for element in root.iter(etree.Element):
        if element.tag == "time":
            yield element
        elif (marks := element.get("class")) and ("date" in (marks := marks.lower()) or "time" in marks):
            yield element


def shown_times(root: html.HtmlElement, limit: int = 3) -> list[str]:
    """The first few publication times the page shows its readers, as
    written (``Nov. 19, 2019 5:50 PM``): a <time>'s text, a date line's. They
    are local times, which give a UTC stamp its zone (dates.in_local_zone)."""
    shown = []
    for element in _time_boxes(root):
        if len(element.text_content()) > 200:
            continue  # a block that holds a date line, not the line itself
        text = clean_text(" ".join(element.itertext()))  # a day and an hour in two boxes are one line
        if not 6 <= len(text) <= 60 or not CLOCK.search(text) or (UPDATED.search(text) and not _PUBLISHED.search(text)):
            continue
        if any(_ELSEWHERE.search(tokens(a)) for a in element.iterancestors()):
            continue  # a comment's or another story's time (a byline box's is the story's)
        shown.append(text)
        if len(shown) == limit:
            break
    return shown


# The words that say the date after them is the publication's: "Published
# 12 March 2024", "Publicado el 12 de marzo de 2024", "Pubblicato il …".
# One list serves the first pass over the page's whole text (a substring test
# in C; the text of adjacent boxes runs together), the XPath lookup of the
# text nodes, in the cases pages write them, and the label pattern.
_LABEL_WORDS = ("published", "posted", "publicado", "publicada", "publié", "publiée", "publication", "veröffentlicht",
                "pubblicato", "opublikowano", "publicerad", "publisert", "publiceret", "julkaistu", "gepubliceerd",
                "publikováno", "опубликовано", "yayınlanma", "diterbitkan", "dipublikasikan", "ngày đăng",
                # Korean 입력 ("entered"), Chinese and Japanese "published", Arabic, Hebrew, Hindi, Persian
                "기사입력", "입력", "등록", "发布时间", "發佈時間", "发布于", "发表于", "發表於", "公開日", "掲載日", "配信日",
                "تاريخ النشر", "نشر في", "פורסם", "प्रकाशित", "تاریخ انتشار")
_PUBLISHED_LABEL = re.compile(rf"\b(?:first\s+)?(?:{'|'.join(_LABEL_WORDS)})"
                              r"(?:\s+(?:on|el|le|am|il|em|den|op|à))?\s*[:：]?\s*", re.IGNORECASE)
_UPDATED_LABEL = re.compile(r"\b(?:updated|modified|aktualisiert|mis\s+à\s+jour|actualizado|aggiornato|atualizado"
                            r"|zaktualizowano|bijgewerkt|oppdatert|uppdaterad|päivitetty|обновлено|diperbarui|cập\s+nhật"
                            r"|수정|업데이트|更新时间|更新時間|更新日|更新于|آخر\s+تحديث|עודכן|अपडेट)(?!\w)", re.IGNORECASE)


def date_line(root: html.HtmlElement, language: str | None) -> str | None:
    """The publication date the page prints for its readers: the first short
    line that says so ("Published 12 March 2024"); an update time is not a
    publication time ("Updated 14 March, first published 12 March" gives the
    12th). Comment and teaser dates do not count. A date in a box with no
    label can be the day the site's header shows, not the story's: that is
    left to htmldate, which weighs every date the page gives."""
    text = root.text_content().lower()
    words = [word for word in _LABEL_WORDS if word in text]
    if not words:
        return None  # no label: no tree walk
    lines = []
    found = " or ".join(f"contains(., '{form}')" for word in words
                        for form in dict.fromkeys((word, word.capitalize(), word.upper())))
    for label in root.xpath(f"//text()[string-length(.) < 200 and ({found})]"):
        element = label.getparent()
        if element is not None:
            # "<span>Published</span> <span>12 March 2024</span>": the date is in the label's line.
            lines += [element] if element.getparent() is None else [element, element.getparent()]
    texts = ((clean_text(" ".join(element.itertext())), element) for element in lines)
    labelled = (text for text, element in texts if len(text) <= 120 and _PUBLISHED_LABEL.search(text)
                and not any(_ELSEWHERE.search(tokens(a)) for a in element.iterancestors()))
    return _first_date(labelled, lambda text: read_date_line(text, language))


_LINES_TRIED = 4  # the story's date line comes first; a page of labelled lines further down is a list


def read_date_line(text: str, language: str | None) -> str | None:
    """'Publié le 12 mars 2024 à 10h30' → '2024-03-12T10:30:00'; None for an update time or no date."""
    label = None
    for label in _PUBLISHED_LABEL.finditer(text):
        pass  # the last one: "Updated 14 March, first published 12 March"
    if label is not None:
        text = _POSTED_BY.sub("", text[label.end():], count=1)
        if len(re.split(r"\d", text, maxsplit=1)[0].split()) > 3:
            return None  # "posted while in Las Vegas on January 20": a caption's sentence, not a date line
    elif (update := _UPDATED_LABEL.search(text)) and not re.search(r"\d", text[:update.start()]):
        return None  # an update time alone
    update = _UPDATED_LABEL.search(text)
    text = text[:update.start()] if update else text
    text = _SOURCE_LABEL.split(text, maxsplit=1)[0]  # "… 09:00 来源：新华社": the wire after the date
    if not re.search(r"\d", text):
        return None
    code, _, region = (language or "").lower().partition("-")
    # "12/03/2024" is 12 March in British, Indian or Australian English, as in most languages.
    day_first = code == "en" and region[:2] not in ("", "us", "ca", "ph") and bool(_NUMERIC_DATE.search(text))
    if code in ("", "en") and not day_first:
        iso = to_iso(text)
        if iso:
            return iso
    return _dateparser_iso(text, code, "DMY" if day_first else None)


# WordPress's "Posted by Ann Lee on March 3, 2019": the writer's name stands between the label and the date.
_POSTED_BY = re.compile(r"^by\s+(?:\S+\s+){1,4}?(?:on|at|[|·•,–-])\s+", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


def is_date_line(text: str, language: str | None) -> bool:
    """A line of nothing but publication and update times, and perhaps the
    wire it came from ("First Posted: 08-13-10 05:18 PM | Updated: 08-14-10
    12:41 AM", "23. März 2017, aktualisiert 23. März 2017, 15:43 Uhr |
    Quelle: dpa"): the story's date line, not a paragraph of it."""
    if len(text) > 120:
        return False
    parts = [_STAMP_LABEL.sub("", part, count=1) for part in _STAMP_SEPARATOR.split(text)]
    dates = [part for part in parts if not _SOURCE_PART.match(part)]
    # A date and time is a few words; the word count spares dateparser every sentence.
    return bool(dates) and all(len(part.split()) <= 8 and is_date(part, language) for part in dates)


def is_labelled_date_line(text: str, language: str | None) -> bool:
    """A date line that says what its date is ("First Published: Tuesday,
    November 19, 2019 08:38 AM", "Last updated: 3 May 2024"): chrome
    wherever the template prints it, under the story as well as above it."""
    return bool(_STAMP_LABEL.match(text)) and is_date_line(text, language)


_STAMP_LABEL = re.compile(rf"^\s*(?:{_PUBLISHED_LABEL.pattern}|(?:last\s+)?{_UPDATED_LABEL.pattern}"
                          r"(?:\s+(?:on|at|el|le|am|il|em))?\s*:?\s*)", re.IGNORECASE)
# "… | Updated: …" and "…, updated …" part a line, but "Last updated" is one label.
_STAMP_SEPARATOR = re.compile(rf"\s*[|·•]\s*|\s*[,;]?(?<!last)\s+(?={_UPDATED_LABEL.pattern})", re.IGNORECASE)
_SOURCES = r"source|quelle|fuente|fonte|bron|källa|kilde|źródło|источник|来源|來源|출처"
_SOURCE_PART = re.compile(rf"^(?:{_SOURCES})\s*[:：]\s*\S+(?:\s+\S+){{0,3}}$", re.IGNORECASE)
_SOURCE_LABEL = re.compile(rf"\s(?:{_SOURCES})\s*[:：]|(?<=\d)\s*(?:来源|來源|출처)\s*[:：]", re.IGNORECASE)


def is_date(text: str, language: str | None) -> bool:
    """Whether the text is a date (and time) and nothing else: "27 OCT 2012 - 12:14 CET",
    "12 de marzo de 2024, 10:30". dateparser refuses a sentence around a date."""
    code = (language or "").lower().partition("-")[0]
    return bool(re.search(r"\d", text)) and _dateparser_iso(text, code) is not None


# A year of four digits, in any script's digits, or the two of "12/03/24".
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)|(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)")
# "09h00", "9h30": the French and Portuguese clock, which dateparser does not read.
_HOUR_MARK = re.compile(r"(?<![\d.])(\d{1,2})h(\d{2})(?![\d.])")
# Dates as written only: not relative ("há 2 dias"), not a run of digits
# (which reads "12:06 PM" as 2 January 2006), not a Unix stamp, which no
# reader is shown.
_ABSOLUTE_PARSERS = ["custom-formats", "absolute-time"]


def _dateparser_iso(text: str, language: str, order: str | None = None) -> str | None:
    """dateparser reads dates written in 200 languages ("12 de marzo de 2024");
    a day, month and year must all be there."""
    text = _common_era(text, language)
    if not _HAS_YEAR.search(text):
        return None  # a day, month and year are required: no year, no dateparser call (tens of ms each)
    import dateparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # Never relative: a stored page's "há 2 dias" is no date, and
            # dateparser read the "09h00" of "12/03/2024 09h00" as nine hours ago.
            settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": _ABSOLUTE_PARSERS,
                        **({"DATE_ORDER": order} if order else {})}
            moment = dateparser.parse(_HOUR_MARK.sub(r"\1:\2", text), languages=[language] if language else None,
                                      settings=settings)
        except Exception:  # noqa: BLE001 - an unreadable line is no date
            return None
    if moment is None or not EARLIEST_YEAR <= moment.year < LATEST_YEAR:
        return None
    return moment.isoformat() if _CLOCK_TIME.search(text) else moment.date().isoformat()


# Years counted from another epoch, as Japanese, Taiwanese and Thai papers print them:
# "令和6年3月12日" (the reign's sixth year, 元 its first), "民國113年", "12 มีนาคม 2567" (the Buddhist era).
_ERA_START = {"令和": 2018, "平成": 1988, "昭和": 1925, "民国": 1911, "民國": 1911}
_ERA_YEAR = re.compile(r"(令和|平成|昭和|民国|民國)\s*(\d{1,3}|元)\s*年")
_BUDDHIST_YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")


def _common_era(text: str, language: str) -> str:
    """The date with its year in the common era, as dateparser reads it."""
    text = _ERA_YEAR.sub(lambda m: f"{_ERA_START[m[1]] + (1 if m[2] == '元' else int(m[2]))}年", text)
    if language != "th":
        return text
    # dateparser reads Thai "มี.ค." (March) as ม.ค. (January): the month's whole name it reads right.
    return _BUDDHIST_YEAR.sub(lambda m: str(int(m[1]) - 543), text.replace("มี.ค.", "มีนาคม"))


# "10:30", "10h30", "10.30" but not the "12.03" of "12.03.2024": a day is no midnight.
_CLOCK_TIME = re.compile(r"(?<![\d.])\d{1,2}(?::|h|\.)\d{2}(?![\d.])")


_EXTENSIVE_DATE_SEARCH_ELEMENTS = 20_000  # a long story page holds a few thousand


def htmldate_guess(root: html.HtmlElement, url: str | None, modified: str | None) -> str | None:
    """htmldate's reading of the page (its markup, visible text and URL): a
    second opinion, asked only when the page states no date we can read. The
    day the page says it was modified is not its publication day."""
    import htmldate

    # Extensive (the page's visible text too): it only runs on pages whose
    # metadata and markup name no date at all. Its text scan costs a second
    # per few thousand elements, so a page far larger than any story gets
    # the markup-only search.
    extensive = sum(1 for _ in root.iter()) <= _EXTENSIVE_DATE_SEARCH_ELEMENTS
    try:
        found = htmldate.find_date(root, extensive_search=extensive, original_date=True, url=url,
                                   outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a second opinion that fails is no opinion
        return None
    modified_day = to_iso(modified)
    if found and modified_day and found == modified_day[:10]:
        return None
    if found and found.endswith("-01-01") and not _NEW_YEAR.search(root.text_content()):
        # Left with a bare year ("until 2009", a copyright line), htmldate
        # answers January 1st of it: a year is not the day a story went out.
        return None
    return found


# Some written form of January 1st, which a date htmldate gives for that day must rest on.
_NEW_YEAR = re.compile(r"\b0?1[-/.]0?1\b|\b0?1\.?\s*(?:jan|janv|ene|gen)|\bjan(?:uary|vier|uar)?\.?\s+0?1\b"
                       r"|1er\s+janvier|\b1\s+de\s+enero|\d{4}0101|1月1日", re.IGNORECASE)
