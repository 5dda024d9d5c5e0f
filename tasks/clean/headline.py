"""The headline: the story's own title, without the site's name or a kicker.

Pages give it several times: JSON-LD ``headline``, ``og:title``, the
``<h1>`` and ``<title>``. The ``<h1>`` is not always the story's (a site
logo, "About This Site", a section name like "Health Center"), and
``<title>``/``og:title`` often carry the site ("Headline | The Daily").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import html

from tasks.clean.explain import Candidate, choose, mark_uncertain
from tasks.clean.parse import clean_text, element_text, tokens

# The marks a title puts between its headline and the site's name.
_SEPARATOR_MARKS = "|-–—:·•»«/｜✩★☆◆◇♦●○■□▪►"
_ENDS_IN_SEPARATOR = re.compile(f"[{re.escape(_SEPARATOR_MARKS)}]\\s*$")
# A full-width colon between CJK text needs no spaces ("橋が来月再開へ：港新聞").
_SEPARATOR = re.compile(r"\s+(?:[|\-–—:·•»«/✩★☆◆◇♦●○■□▪►]|::)\s+|\s*[|｜]\s*|_(?=[^_]{1,30}$)"
                        r"|(?<=[\u3040-\u9fff])\s*：\s*(?=[^：]{1,30}$)")
# Separators only ever used to append a site or section name: bars, dots, chevrons, stars.
_SITE_SEPARATOR = re.compile(r"\s*[|｜]\s*|\s+(?:[·•»«✩★☆◆◇♦●○■□▪►]|::)\s+|_")
# A label set before the headline, not part of it.
_KICKER = re.compile(
    r"^\s*(?:analysis|opinion|exclusive|watch|video|live|breaking(?:\s+news)?|update[d]?|review|interview|"
    r"explainer|podcast|photos?|gallery|factbox|editorial|commentary|perspective|comment|listen|"
    r"sponsored|advertorial|fact\s+check|first\s+look|just\s+in|developing)\s*[:|]\s+",
    re.IGNORECASE)
_READER_ONLY = re.compile(r"sr-only|visually-hidden|screen-reader|screenreader|a11y|offscreen")
_KICKER_MARK = re.compile(r"kicker|eyebrow|overline|label|flag|category|section|rubric|supertitle|topper")
_WORD = re.compile(r"\w+", re.UNICODE)
_ELLIPSIS = re.compile(r"\s*(?:\.{3}|…)$")


def _words(text: str | None) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text or "")}


# "Blog: Post title" (a colon after the first part) or "Post title | Blog".
_TITLE_PARTS = re.compile(r"\s*(?::|\s[|–—-])\s+")


def title_parts(headline: str | None) -> list[str]:
    """'Lost in JIT: PyPy and the road towards SciPy' → its post title, which
    a blog prints again as the body's first line: each side of a title
    separator, when it is a title of three words or more itself."""
    if not headline:
        return []
    parts = _TITLE_PARTS.split(headline, maxsplit=1)
    return [part for part in parts if len(parts) == 2 and len(part.split()) >= 3]


def site_words(site_names: list[str], url: str | None) -> set[str]:
    """The words of the site's names and of its host name ("cleveland" for www.cleveland.com)."""
    words = set()
    for name in site_names:
        words |= _words(name)
    return words | host_labels(url)


def host_labels(url: str | None) -> set[str]:
    """The labels of the address's host that name the site ("cleveland" for www.cleveland.com)."""
    host = urlsplit(url or "").hostname or ""
    return {p for p in host.split(".") if p not in ("www", "com", "org", "net", "co", "uk", "news", "")}


def strip_site(title: str | None, site_names: list[str], url: str | None, shown: str | None = None) -> str | None:
    """'Headline | The Daily' → 'Headline': the part after (or before) a
    separator goes when it names the site, repeats the host name, or when the
    page shows the rest on its own (its <h1>)."""
    if not title:
        return None
    title = _CJK_SUFFIX.sub("", clean_text(title))
    site = site_words(site_names, url)
    # "The Daily: Headline": the site's name as a label, its colon against it.
    for name in site_names:
        head, colon, rest = title.partition(":")
        if colon and clean_text(head).casefold() == clean_text(name).casefold() and len(rest.split()) >= 3:
            title = rest.strip()
            break
    for _ in range(3):  # "Headline | Section | Site"
        parts = list(_SEPARATOR.finditer(title))
        if not parts:
            break
        stripped = None
        for sep, keep_before in ((parts[-1], True), (parts[0], False)):
            before, after = title[:sep.start()].strip(), title[sep.end():].strip()
            kept, dropped = (before, after) if keep_before else (after, before)
            if not kept or not dropped or len(dropped) > len(kept):
                continue
            dropped_words = _words(dropped)
            # The site's words, its name, or its host name written apart ("Harbour Times" on harbourtimes.example).
            names_site = bool(dropped_words) and (_names_site(dropped, site) or
                                                  any(clean_text(n).casefold() == dropped.casefold()
                                                      for n in site_names))
            short_label = len(dropped.split()) <= 4 and bool(_SITE_SEPARATOR.fullmatch(sep.group()))
            # "… - CityLab", "… - Example.com": a brand's one word, after a headline of its own.
            brand = keep_before and bool(_BRAND.fullmatch(dropped)) and len(kept.split()) >= 3
            if names_site or (shown and kept == shown) or (keep_before and short_label) or brand:
                stripped = kept
                break
        if stripped is None:
            break
        title = stripped
    return title


_BRAND = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+|[\w-]+\.(?:com|net|org|co\.uk|io|news|info)")
# "短缺药品保供稳价 全力保障临床用药需求-新华网": CJK titles append the site with no spaces.
_CJK_SUFFIX = re.compile(r"(?<=[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef])\s*[-_|｜–—]\s*[^-_|｜–—\s]{1,12}$")


def strip_kicker(title: str | None) -> str | None:
    if not title:
        return title
    stripped = _KICKER.sub("", title, count=1)
    return stripped if len(stripped) >= 10 else title


def _h1_text(h1: html.HtmlElement) -> str:
    """The <h1>'s text without a kicker label printed inside it, or a screen reader's note."""
    labels = [e for e in h1.iterdescendants() if isinstance(e.tag, str) and _KICKER_MARK.search(tokens(e))]
    text = element_text(h1)
    for note in (e for e in h1.iterdescendants() if isinstance(e.tag, str) and _READER_ONLY.search(tokens(e))):
        note_text = element_text(note)
        if note_text and text.endswith(note_text) and len(text) > len(note_text) + 10:
            text = clean_text(text[:-len(note_text)])  # "(opens in new window)", "Article:"
    for label in labels:
        label_text = element_text(label)
        if label_text and text.startswith(label_text) and len(text) > len(label_text) + 10:
            text = clean_text(text[len(label_text):]).lstrip(":|- ")
    return text


def _overlap(a: str | None, b: str | None) -> float:
    """Share of a's words that b also has."""
    words = _words(a)
    return len(words & _words(b)) / len(words) if words else 0.0


def _headings(scope: html.HtmlElement | None, root: html.HtmlElement) -> list[tuple[str, str]]:
    found, seen = [], set()
    for where, label in ((scope, "markup <h1> in the article"), (root, "markup <h1>")):
        if where is None:
            continue
        for h1 in where.iter("h1"):
            text = _h1_text(h1)
            if text and text not in seen:
                seen.add(text)
                found.append((text, label))
    return found


# Definition. The headline is the title the story is published under,
# without the site's name, section name or a kicker label. Sources, most
# trusted first: og:title/twitter:title (what the publisher chose to show
# when the story is shared), the JSON-LD headline, the <title>, the <h1> in
# the article and any other <h1>; each title gives way to the page's <h1>
# when the <h1> is the title without its site part ("Headline | Site" and
# <h1>Headline</h1>). A <title> that is only the site's name is no headline.
# An <h1> no title confirms ("About This Site", "Health Center") only serves
# when the page has no title at all; a page with none of these gets its
# first sub-heading or opening words (reported as uncertain).
def pick_headline(ld_headline: str | None, og_title: str | None, scope: html.HtmlElement | None,
                  root: html.HtmlElement, site_names: list[str], url: str | None) -> str | None:
    titles = root.xpath("//title")
    title = element_text(titles[0]) if titles else None
    headings = _headings(scope, root)
    shown = [text for text, _ in headings]
    site = site_words(site_names, url)
    candidates: list[Candidate] = []
    title_parts = [p for p in _SEPARATOR.split(clean_text(title or "")) if p]
    for value, label in ((og_title, "meta og:title"), (ld_headline, "json-ld headline"), (title, "<title>")):
        if not value:
            continue
        value = clean_text(value)
        if label != "<title>" and len(title_parts) > 1 and value == title_parts[-1] and \
                len(value) < max(len(p) for p in title_parts):
            continue  # the end of "Headline_Section_Site": the site's name, not the story's
        part = next((h for h in shown if h != value and _is_headline_part(h, value, site)), None)
        # A title cut short ("Harbour works" of <h1>Harbour works resume after
        # the storm</h1>): the page's own heading holds the whole of it.
        # A title cut with an ellipsis ("… Adelson's...") is cut short too.
        cut = _ELLIPSIS.sub("", value)
        whole = next((h for h in shown if len(h) > len(cut) + 3 and h.casefold().startswith(cut.casefold())
                      and not h[len(cut)].isalnum()), None)
        if whole and not part:
            candidates.append(Candidate(whole, f"markup <h1>, the {label} in full"))
            continue
        if part:
            candidates.append(Candidate(part, f"markup <h1>, the {label} without its site part"))
            continue
        stripped = strip_site(value, site_names, url, shown[0] if shown else None)
        if label == "<title>":
            if _names_site(stripped, site):
                continue  # the site's name, not a story's ("Harbour Times" on harbourtimes.example)
            stripped = _title_part_shown(value, root, site_names, url)
            if headings and headings[0][1] == "markup <h1> in the article" and len(shown[0].split()) >= 3 \
                    and len(_WORD.findall(stripped)) <= 2 and not _words(stripped) & _words(shown[0]):
                continue  # "x", "Article": a placeholder; the story's own <h1> is its headline
        candidates.append(Candidate(stripped, label))
    candidates += [Candidate(text, label) for text, label in headings]
    candidates = [Candidate(strip_kicker(c.value), c.source) for c in candidates if c.value]
    if not candidates:
        return None
    winner = candidates[0]
    # An <h1> and the <title> agree, and the metadata names something no
    # <h1> shows (a description in the headline field, the site's default
    # og:title): the page's two visible titles win. The agreeing <h1> need
    # not be the first one: a slideshow's caption may be an <h1> too.
    # A <title> that is only the site's name agrees with the logo's <h1>, and says nothing of the story.
    shown_title = clean_text(title) if title and winner.source != "<title>" \
        and not _names_site(title, site) else ""
    agreeing = next((h for h in shown if shown_title == h or _is_headline_part(h, shown_title, site)),
                    None) if shown_title else None
    if agreeing and _overlap(winner.value, agreeing) < 0.5 and \
            (agreeing == shown[0] or all(_overlap(winner.value, h) < 0.5 for h in shown)):
        winner = next(c for c in candidates if c.value == strip_kicker(agreeing))
    return choose("headline", winner, candidates)


def _is_headline_part(h1: str, title: str, site: set[str]) -> bool:
    """The <h1> is the title without its site part: its first part ("Headline
    | Site"), or its last after a site name ("Site | Headline")."""
    parts = [p for p in _SEPARATOR.split(title) if p]
    if len(parts) < 2:
        if _CJK_SUFFIX.sub("", title) == h1 != title:
            return True
    elif h1 == parts[0] or (h1 == parts[-1] and _names_site(parts[0], site)):
        return True
    # An <h1> with a separator of its own, whole at either end of the title:
    # "Dare to Play 3 / October pack – Site", "The Space Review: Headline".
    rest = title[len(h1):] if len(title) > len(h1) and title.startswith(h1) else ""
    if rest and re.match(r"[.!?]\s+\S", rest) and len(h1.split()) >= 3:
        return True  # "Headline. Its subtitle – Author – Site": the title carries the standfirst too
    if rest and _SEPARATOR.match(" " + rest.lstrip()):
        rest = _SEPARATOR.sub("", rest, count=1).strip()
        # The part after it is a site's name: shorter than the headline, or the site's words.
        return len(rest) < len(h1) or _names_site(rest, site)
    head = title[:-len(h1)] if len(title) > len(h1) and title.endswith(h1) else ""
    return bool(_ENDS_IN_SEPARATOR.search(head)) and _names_site(head.rstrip(" " + _SEPARATOR_MARKS), site)


def _names_site(text: str | None, site: set[str]) -> bool:
    """The text is only the site's name: its words, or its host name run
    together ("The Space Review" on thespacereview.com, "Harbour Times" on
    harbourtimes.example)."""
    words = _words(text)
    joined = "".join(_WORD.findall((text or "").casefold()))
    return bool(words) and (words <= site | {"the", "home", "www"} or joined in site or joined.removeprefix("the") in site)


def _title_part_shown(title: str, root: html.HtmlElement, site_names: list[str], url: str | None) -> str:
    """The <title> without the site name: the part of it the page also shows
    on its own (in a heading, or bold text on legacy pages)."""
    parts = [p for p in _SEPARATOR.split(clean_text(title)) if p]
    blog, colon, post = clean_text(title).partition(": ")
    if len(parts) < 2 and colon and len(post.split()) >= 3:
        # "Blog Name: Post title", the blog's name in the <h1>, the post's own title in a heading.
        headings = {element_text(e) for e in root.iter("h1", "h2", "h3", "h4") if len(e.text_content()) < 300}
        if blog in headings and post in headings:
            return post
    if len(parts) >= 2:
        shown = {element_text(e) for e in root.iter("h2", "h3", "b", "strong", "font", "span", "div", "td")
                 if len(e) <= 3 and 0 < len(e.text_content()) < 300}
        # Only the first or the longest part can be the story's; the others are site and section names.
        for part in dict.fromkeys((max(parts, key=len), parts[0])):
            if part in shown:
                return part
    return strip_site(title, site_names, url) or title


def untitled_headline(scope: html.HtmlElement | None, paragraphs: list[str]) -> str | None:
    """For a page with an article but no title anywhere: its first sub-heading,
    else its opening words. Reported as uncertain."""
    heading = next((element_text(h) for h in (scope.iter("h2", "h3") if scope is not None else ())
                    if 3 <= len(element_text(h)) <= 150), None)
    source = "first sub-heading (the page has no title)"
    if not heading and paragraphs:
        words = paragraphs[0].split()
        heading = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
        source = "opening words of the body (the page has no title)"
    if heading:
        mark_uncertain("headline", heading, source)
    return heading
