"""Publication dates: every date a page gives, read into ISO 8601 by a date
library, and the one the story was first published at.

Pages write dates every way there is: ISO 8601 with or without a zone,
``September 23, 2016``, ``2016-09-23 14:05``, RFC 822 (``Fri, 23 Sep 2016
14:05:00 +0200``), Unix seconds or milliseconds. ``to_iso`` reads them all
with python-dateutil; a value is never labelled with a zone the page did not
give (a local time stays local).
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from tasks.clean.explain import Candidate, choose

_EPOCH = re.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
# Zone names dateutil does not know by itself, as their UTC offsets (seconds).
_ZONES = {name: int(hours * 3600) for name, hours in {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "IST": 5.5, "JST": 9,
    "KST": 9, "AEST": 10, "AEDT": 11, "HKT": 8, "SGT": 8, "PHT": 8, "WIB": 7, "ICT": 7, "PKT": 5,
    "MSK": 3, "EAT": 3, "SAST": 2, "WAT": 1, "WET": 0, "WEST": 1, "NZST": 12, "NZDT": 13, "HST": -10,
    "AKST": -9, "AKDT": -8}.items()}
# North American zone names without a season ("7:10 AM ET"): the offset depends on the date.
_ZONES.update({name: ZoneInfo(key) for name, key in {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}.items()})
_DEFAULT, _OTHER_DEFAULT = datetime(2000, 1, 1), datetime(2001, 2, 2)
# Dates before the web, or far in the future, are an ID or a typo, not a publication time.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


def to_iso(value: object) -> str | None:
    """A date as the page wrote it, in ISO 8601 (``2016-09-23``, ``2016-09-23T14:05:00``,
    ``2016-09-23T14:05:00+02:00``); None when it is not a date."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    if _EPOCH.match(text):
        seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
        return moment.isoformat() if EARLIEST_YEAR <= moment.year < LATEST_YEAR else None
    if _ISO.match(text):
        text = text.replace(" ", "T", 1)
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        # Already ISO 8601: kept exactly as written, so nothing is lost or added.
        return text if EARLIEST_YEAR <= parsed.year < LATEST_YEAR else None
    if len(text) > 80 or not re.search(r"\d", text):
        return None
    parsed, skipped = _parse(text, _DEFAULT)
    if parsed is None or not EARLIEST_YEAR <= parsed.year < LATEST_YEAR or len("".join(skipped).strip(" ,.|-")) > 25:
        return None  # not a date, or a sentence with a number in it
    # dateutil fills what the text lacks from a default: parsed against
    # another one, a text with no year, month or day ("12:55 AM") moves.
    other, _ = _parse(text, _OTHER_DEFAULT)
    if other is None or parsed.date() != other.date():
        return None  # a time, or a day with no year: not a date
    if not re.search(r"\d{1,2}:\d{2}", text):
        return parsed.date().isoformat()  # a day only: no midnight made up for it
    return parsed.isoformat()


def _parse(text: str, default: datetime) -> tuple[datetime | None, tuple[str, ...]]:
    """dateutil's fuzzy reading of the text, missing parts taken from ``default``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dateparser.parse(text, fuzzy_with_tokens=True, tzinfos=_ZONES, default=default)
    except (ValueError, OverflowError, TypeError):
        return None, ()


def has_zone(iso: str | None) -> bool:
    return bool(iso) and bool(_ZONE.search(iso))


def _moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def same_day(a: str, b: str) -> bool:
    return a[:10] == b[:10]


def same_moment(a: str, b: str) -> bool:
    """Two ISO values that name the same time: equal instants when both have a
    zone, the same wall-clock time when either has none."""
    if len(a) == 10 or len(b) == 10:
        return same_day(a, b)
    if has_zone(a) and has_zone(b):
        return _moment(a) == _moment(b)
    return a.replace("Z", "")[:16] == b.replace("Z", "")[:16]


def _precision(iso: str) -> int:
    """Which of two values for one moment says more: a zone, then a time."""
    return (2 if has_zone(iso) else 0) + (1 if len(iso) > 10 else 0)


# Definition. The published date is when the story first went out, as the
# page states it, in ISO 8601. Sources, most trusted first: the JSON-LD
# article's datePublished (the CMS's own record of the story), the
# article:published_time family of meta tags, microdata datePublished, a
# <time> the page marks or labels as the publication time, and, only when none
# of those gives a date, the date htmldate finds in the page (a second
# opinion, from the URL and visible text). When JSON-LD and a meta tag name
# different days, the one a third source (microdata, <time>, the date in the
# URL) confirms wins, else JSON-LD. Among values for the same moment, the most
# precise wins (a zone, then a time), so a meta tag that dropped the offset
# JSON-LD keeps takes it back.
def pick_published(candidates: list[Candidate], second_opinion=None, shown=None) -> str | None:
    """The publication date from candidates in trust order (see the definition above);
    ``shown()`` gives the times the page shows readers (see in_local_zone), asked
    for only when the winner is a UTC stamp."""
    readable = []
    for candidate in candidates:
        iso = to_iso(candidate.value)
        if iso:
            readable.append(Candidate(iso, candidate.source, raw=candidate.value))
    if not readable and second_opinion is not None:
        iso = to_iso(second_opinion())
        if iso:
            readable.append(Candidate(iso, "second opinion: htmldate", uncertain=True))
    if not readable:
        return choose("published", None, candidates)
    winner = readable[0]
    rival = next((c for c in readable[1:] if not same_day(c.value, winner.value)), None)
    others = [c for c in readable[1:] if c is not rival]
    if rival is not None and winner.source.startswith("json-ld") and rival.source.startswith("meta") \
            and any(same_day(c.value, rival.value) for c in others) \
            and not any(same_day(c.value, winner.value) for c in others):
        winner = rival
    for candidate in readable:
        if candidate is not winner and same_moment(candidate.value, winner.value) \
                and _precision(candidate.value) > _precision(winner.value):
            winner = Candidate(candidate.value, f"{winner.source}, zone from {candidate.source}",
                               raw=winner.raw)
    local = None
    if _is_utc_stamp(winner.value):
        walls = [c.value for c in readable if not has_zone(c.value)] + (list(shown()) if shown else [])
        local = in_local_zone(winner.value, walls)
    if local:
        winner = Candidate(local, f"{winner.source}, in the zone of the time the page shows", raw=winner.raw)
    return choose("published", winner, [c for c in candidates if c.value != (winner.raw or winner.value)])


# Zone offsets in use run from UTC-12 to UTC+14, in whole quarter hours.
_WESTMOST, _EASTMOST = -12 * 60, 14 * 60


def in_local_zone(iso: str, walls: list[str]) -> str | None:
    """A UTC stamp restated in the zone of the page's own wall-clock time
    for the same moment, or None. CMSs often store UTC and show readers local
    time (``2019-11-20T01:50:59Z`` shown as ``Nov. 19, 2019 5:50 PM``): the
    instant is the same, but the story's day is the one its readers saw. A
    shown time is the same moment when it lies a whole number of quarter
    hours from the stamp, within the zones in use; the minute must match."""
    if not _is_utc_stamp(iso):
        return None  # a day, or already local: the page chose its zone
    moment = _moment(iso)
    stamp = moment.replace(tzinfo=None, second=0, microsecond=0)
    for wall in walls:
        wall_iso = to_iso(wall)
        if not wall_iso or len(wall_iso) <= 10:
            continue
        if has_zone(wall_iso):
            shown_moment = _moment(wall_iso)
            zone = shown_moment.tzinfo if shown_moment == moment and shown_moment.utcoffset() else None
        else:
            minutes = (datetime.fromisoformat(wall_iso).replace(second=0, microsecond=0) - stamp) / timedelta(minutes=1)
            zone = timezone(timedelta(minutes=minutes)) \
                if minutes and minutes % 15 == 0 and _WESTMOST <= minutes <= _EASTMOST else None
        if zone is not None:
            return moment.astimezone(zone).isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return None


def _is_utc_stamp(iso: str) -> bool:
    """A time of day with a zone of UTC (``Z``, ``+00:00``)."""
    return has_zone(iso) and len(iso) > 10 and not _moment(iso).utcoffset()


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[-_])"
                       # written together: "/news/20160923/", "/story-20160923.html"
                       r"|[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/|$|[-_.?#])")


def url_date(url: str | None) -> str | None:
    """The day a story's address names (``/2016/09/23/``, ``/20160923/``), as a confirming source."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # "/2019/02/30/": no such day
        return None
