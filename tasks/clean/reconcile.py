"""Which body the article gets: the page's markup, its JSON-LD
``articleBody``, or a second opinion, and why.

The markup is read first. The page's own JSON-LD copy of the body is a
reference: it wins when it is clearly more complete, and when it is
complete, markup blocks it never mentions (promos, asides) go. Where our
own reading is weak (no body, or a short one on a page with much more
prose), trafilatura reads the page too, and its body wins only when it
holds ours and much more: one section or a teaser instead of the story.

The choice is recorded in ``Article.body_source`` as one short line, e.g.
``"markup"``, ``"json-ld (markup held 12% of it)"`` or
``"second opinion: trafilatura (markup held 120 of 700 words)"``.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

from lxml import html

from tasks.clean.boilerplate import is_boilerplate_text
from tasks.clean.parse import clean_text
from tasks.clean.textmatch import common, coverage, shingles
from tasks.models import Block, body_text

# Below this many characters of body, or this share of the page's prose,
# our reading is weak enough to ask for a second opinion.
WEAK_BODY_CHARS = 700
WEAK_BODY_SHARE = 0.4
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
_TAG = re.compile(r"<(?:p|br|div|span|a|strong|em|b|i|h\d|li|ul|ol)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？]")
_SCRIPT_SHELL = re.compile(r"enable javascript|requires javascript|javascript is (?:disabled|required)", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)]?\s+(?=[\"“‘«(]?[A-ZÀ-Þ0-9])")


def json_ld_text(body: str) -> str:
    """JSON-LD bodies sometimes carry HTML, even escaped, and entities escaped
    twice (``&amp;ccedil;``): keep their text and paragraph breaks."""
    for _ in range(3):
        if not _ENTITY.search(body):
            break
        body = unescape(body)
    if not _TAG.search(body):
        return body
    body = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>", "\n\n", body)
    return unescape(re.sub(r"<[^<>]*+>", "", body))


def json_ld_paragraphs(body: str, markup: list[Block]) -> list[str]:
    """The JSON-LD body as paragraphs: its own line breaks, or else the
    markup's paragraph starts, or else groups of sentences."""
    text = json_ld_text(body)
    lines = [clean_text(p) for p in re.split(r"\r?\n", text)]
    lines = [p for p in lines if p and not is_boilerplate_text(p)]
    if len(lines) != 1 or len(lines[0]) < 600:
        return lines
    return _split_like(lines[0], list(body_text(tuple(markup)))) or _sentence_groups(lines[0])


def _split_like(text: str, items: list[str]) -> list[str]:
    """Split a one-line body where the markup's paragraphs start."""
    cuts, at = [0], 0
    for item in items:
        head = item[:40]
        if len(head) < 20:
            continue
        found = text.find(head, at)
        if found > at:
            cuts.append(found)
            at = found + 1
    if len(cuts) < 3:
        return []
    cuts.append(len(text))
    return [t for t in (clean_text(text[a:b]) for a, b in zip(cuts, cuts[1:])) if t]


def _sentence_groups(text: str, size: int = 400) -> list[str]:
    paragraphs, current = [], ""
    for sentence in _SENTENCE_BREAK.split(text):
        current = f"{current} {sentence}".strip()
        if len(current) >= size:
            paragraphs.append(current)
            current = ""
    return paragraphs + ([current] if current else [])


def with_json_ld(blocks: list[Block], article_body: str | None) -> tuple[list[Block], list[str] | None, str]:
    """The markup checked against the JSON-LD body: (blocks, or the JSON-LD
    paragraphs when they win, and the reason)."""
    if not article_body:
        return blocks, None, "markup"
    ld_paragraphs = json_ld_paragraphs(article_body, blocks)
    ld_text = sum(len(p) for p in ld_paragraphs)
    markup_text = sum(len(i) for i in body_text(tuple(blocks)))
    reference = shingles("\n".join(ld_paragraphs))
    share = _share_of(reference, _text(blocks))
    # The page's own clean copy wins when the markup is far shorter, or
    # when it is long and the markup we found holds hardly any of it
    # (not "the markup is longer": many JSON-LD bodies are cut short).
    if ld_paragraphs and (not blocks or ld_text > 1.5 * markup_text + 200 or (ld_text > 500 and share < 0.3)):
        return blocks, ld_paragraphs, f"json-ld (markup held {share:.0%} of it)"
    agreeing = _agreeing_blocks(blocks, reference)
    if len(agreeing) < len(blocks):
        return agreeing, None, f"markup; {len(blocks) - len(agreeing)} blocks the json-ld body lacks left out"
    return blocks, None, "markup; agrees with json-ld" if share >= 0.85 else "markup"


def _agreeing_blocks(blocks: list[Block], reference: Counter) -> list[Block]:
    # Only a complete reference may veto blocks: the markup holds nearly all
    # of it, and it is nearly as long as the markup (many JSON-LD bodies are
    # cut after a paragraph). Short lines (subheads) cannot be judged by 4-grams.
    markup = _text(blocks)
    size = sum(reference.values())
    if size < 60 or size < 0.8 * sum(shingles(markup).values()) or _share_of(reference, markup) < 0.85:
        return blocks
    # Pictures and quotes (an embedded post, a letter the story shows) are
    # not in a text copy of the story, however complete.
    return [b for b in blocks if b.kind in ("figure", "quote") or len(" ".join(b.items).split()) < 8
            or coverage(reference, " ".join(b.items)) >= 0.2]


# What running text is made of, in any script: letters and marks, digits,
# spaces and the punctuation of sentences.
_PROSE_CHAR = re.compile(r"[^\W_]|[\s.,;:!?'\"()\[\]%&/+*=@#-]|[\u0300-\u036f\u2010-\u2027\u00ab\u00bb\u3000-\u303f\uff01-\uff1f]")


def is_prose(text: str, sample: int = 20_000) -> bool:
    """Readable running text rather than binary noise or symbols: nearly
    every character is a letter, digit, space or sentence punctuation, and
    there are words of several letters."""
    text = text[:sample]
    if len(_WORD.findall(text)) < 3:
        return False
    return len(_PROSE_CHAR.findall(text)) >= 0.93 * len(text)


def is_weak(blocks: list[Block], page_prose: int) -> bool:
    """Our reading is weak: no body, a short one, or a small share of the page's prose."""
    chars = sum(len(i) for i in body_text(tuple(blocks)))
    return chars < WEAK_BODY_CHARS or chars < WEAK_BODY_SHARE * page_prose


def second_opinion(page: html.HtmlElement, base_url: str | None, fast: bool = False,
                   favor_recall: bool = False) -> html.HtmlElement | None:
    """trafilatura's reading of the page (the tree we parsed, which it may
    change), as HTML, or None when it finds none. ``fast`` skips its own
    fallback extractors: the costly part, needed only when we found nothing.
    ``favor_recall`` reads boxes its precise reading skips whole."""
    import trafilatura

    try:
        found = trafilatura.extract(page, url=base_url, output_format="html", include_tables=True, fast=fast,
                                    include_formatting=True, include_links=True, include_comments=False,
                                    favor_recall=favor_recall)
    except Exception:  # noqa: BLE001 - a second opinion that fails is no opinion
        return None
    if not found:
        return None
    try:
        root = html.fromstring(found)
    except (ValueError, html.etree.ParserError):
        return None
    body = root.find(".//body")
    return body if body is not None else root


def prefer_second(ours: list[Block], theirs: list[Block], seen: str = "", links: str = "") -> str | None:
    """Why the second opinion wins over our body, or None when ours stays:
    theirs must hold most of ours and be much longer (ours was a section or
    a teaser), or ours must be empty. ``seen`` is all the text of the
    containers we read ours from: what theirs adds from there, we left out
    on purpose (teasers nested in the story, a related box). ``links`` is
    the text of the page's links to other pages and its headline."""
    # Counted in words: a run of punctuation is long but says nothing.
    ours_words = len(_WORD.findall(_text(ours)))
    their_words = len(_WORD.findall(_text(theirs)))
    if not theirs or _SCRIPT_SHELL.search(_text(theirs)) or not is_prose(_text(theirs)):
        return None
    if not ours:
        # Any readable text beats a decline; a word or two is a label, not a
        # story, and the page's menu read as lines is no story either.
        if their_words < 3 or _is_menu(theirs, links):
            return None
        return f"second opinion: trafilatura (markup gave no body; {their_words:,} words)"
    if their_words < 40:
        return None
    held = coverage(shingles(_text(theirs)), _text(ours))
    # Ours a few lines (a header, a standfirst): theirs need not repeat them.
    if their_words > 1.5 * ours_words + 50 and (held >= 0.6 or ours_words < 40):
        if seen and _added_from(ours, theirs, seen) >= 0.5:
            return None
        # A menu or a list of names read as one long paragraph: many words,
        # hardly a sentence among them.
        if len(_SENTENCE_END.findall(_text(theirs))) < their_words / 60:
            return None
        if _lumped(ours, theirs, ours_words):
            return None
        return f"second opinion: trafilatura (markup held {ours_words:,} of {their_words:,} words)"
    return None


def _is_menu(theirs: list[Block], links: str) -> bool:
    """Theirs is lines without a sentence, most of whose words are the
    labels of the page's links ("Home News Sport"), perhaps with the
    headline: its navigation."""
    text = _text(theirs)
    if _SENTENCE_END.search(text):
        return False
    words = [w.casefold() for w in _WORD.findall(text)]
    labels = {w.casefold() for w in _WORD.findall(links)}
    return sum(w in labels for w in words) >= 0.5 * len(words)


def _lumped(ours: list[Block], theirs: list[Block], ours_words: int) -> bool:
    """Theirs ran our paragraphs together with the page around them into one
    block (a page of bare divs read as one): longer, but no fuller story."""
    paragraphs = body_text(tuple(ours))
    if len(paragraphs) < 2:
        return False
    biggest = max(body_text(tuple(theirs)), key=len, default="")
    return len(_WORD.findall(biggest)) > 2 * ours_words and coverage(shingles(biggest), _text(ours)) >= 0.6


def _added_from(ours: list[Block], theirs: list[Block], seen: str) -> float:
    """The share of what theirs adds to ours that lies in the text we saw."""
    added = shingles(_text(theirs)) - shingles(_text(ours))
    total = sum(added.values())
    return common(added, shingles(seen)) / total if total else 0.0


def _text(blocks: list[Block]) -> str:
    return "\n".join(body_text(tuple(blocks)))


def _share_of(reference: Counter, text: str) -> float:
    """How much of the reference the text contains."""
    total = sum(reference.values())
    return common(reference, shingles(text)) / total if total else 0.0
