"""Dedupe step: drop repeated paragraphs within one story, keeping the first.

A repeat is the same text up to whitespace, quotes, case and trailing
punctuation, or a text at least ``threshold`` similar to an earlier one. A
paragraph merely contained in another is a different paragraph and stays;
the one exception is a pull-quote: a quote block that repeats, word for
word, a passage of a paragraph of the story. Four reasons are reported, so
editors can see what went:

* ``exact``: the same text;
* ``normalized``: the same after folding case, whitespace, quote styles,
  dashes and trailing punctuation (a CMS that saved a paragraph twice);
* ``similar``: at least ``threshold`` similar by difflib's ratio (a lightly
  edited repeat);
* ``pull-quote``: a quote block whose text is a passage of a story paragraph.

Dedupe owns every removal of body text. It works on the article's blocks,
so a removed list item or quote paragraph leaves its text and its HTML alike.

Time stays near-linear in the story: similar pairs are only compared when
they share word 3-grams (an inverted index gives the candidates), each
paragraph is compared with at most ``MAX_COMPARISONS`` of them, and a 3-gram
found in ``MAX_POSTINGS`` kept paragraphs stops indexing further ones (it
says nothing about which is the repeat). Paragraphs that shuffle the same
words share no 3-grams and cost nothing.

Pure: no state survives between calls, so stories never affect each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from config.settings import Settings
from tasks.models import Article, Block, DedupeResult, RemovedParagraph

# Shorter paragraphs are only removed when they repeat (near-)exactly: two
# short lines being "similar" says little.
MIN_SIMILAR_LENGTH = 40
MAX_COMPARISONS = 8
MAX_POSTINGS = 64
# Similarity is judged on this many characters of each text: difflib's cost
# grows with the product of the lengths.
MAX_COMPARED_CHARS = 5_000
# For callers that dedupe without a run's settings (benchmarks, tests): the setting's default.
DEFAULT_THRESHOLD: float = Settings.model_fields["dedupe_similarity"].default
# A pull-quote is a short passage; the search for it is bounded by this many
# characters of haystack times candidates.
_PULL_QUOTE_BUDGET = 50_000_000
_PULL_QUOTE_MIN = 40

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """The comparison key: case, spacing, quotes, dashes and end punctuation folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _SPACE.sub(" ", text).strip()
    text = text.replace('"', "").replace("'", "")
    return _strip_trailing(text)


def _strip_trailing(text: str) -> str:
    # Scanning back from the end is linear; a regex anchored at the end would
    # be tried from every punctuation character of a long run.
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in ".,;:!?…'\"-"):
        end -= 1
    return text[:end]


def _trigrams(key: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(key)
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


class _Similar:
    """Kept paragraphs, indexed by their word 3-grams."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.postings: dict[tuple[str, ...], list[int]] = {}
        self.kept: dict[int, tuple[str, SequenceMatcher]] = {}

    def add(self, index: int, key: str, grams: set) -> None:
        self.kept[index] = (key, SequenceMatcher(None, "", key[:MAX_COMPARED_CHARS], autojunk=False))
        for gram in grams:
            posting = self.postings.setdefault(gram, [])
            if len(posting) < MAX_POSTINGS:
                posting.append(index)

    def most_similar(self, key: str, grams: set) -> tuple[int, float] | None:
        shared: Counter = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        # A repeat at the threshold keeps most of its 3-grams (an edited word
        # costs three): fewer shared than a third says it is another text.
        floor = max(1, len(grams) // 3)
        best: tuple[int, float] | None = None
        probe = key[:MAX_COMPARED_CHARS]
        for index, _count in [c for c in shared.most_common() if c[1] >= floor][:MAX_COMPARISONS]:
            other, matcher = self.kept[index]
            shorter, longer = sorted((len(probe), len(other[:MAX_COMPARED_CHARS])))
            if shorter / longer < self.threshold:
                continue  # ratio() can never reach the threshold
            matcher.set_seq1(probe)
            if matcher.real_quick_ratio() < self.threshold or matcher.quick_ratio() < self.threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= self.threshold and (best is None or ratio > best[1]):
                best = (index, ratio)
        return best


def find_repeats(paragraphs: list[str] | tuple[str, ...], threshold: float,
                 quotes: frozenset[int] = frozenset()) -> list[RemovedParagraph]:
    """Which paragraphs repeat an earlier kept one, and why. ``quotes`` are
    the positions of quote-block paragraphs, which may be pull-quotes."""
    removed: list[RemovedParagraph] = []
    similar = _Similar(threshold)
    seen_exact: dict[str, int] = {}
    seen_normal: dict[str, int] = {}
    keys: dict[int, str] = {}
    for index, text in enumerate(paragraphs):
        if text in seen_exact:
            removed.append(RemovedParagraph(index, text, seen_exact[text], "exact", 1.0))
            continue
        key = normalize(text)
        if key in seen_normal:
            removed.append(RemovedParagraph(index, text, seen_normal[key], "normalized", 1.0))
            continue
        grams = _trigrams(key) if len(key) >= MIN_SIMILAR_LENGTH else set()
        match = similar.most_similar(key, grams) if grams else None
        if match is not None:
            original, ratio = match
            removed.append(RemovedParagraph(index, text, original, "similar", round(ratio, 3)))
            continue
        seen_exact[text] = index
        seen_normal[key] = index
        keys[index] = key
        if grams:
            similar.add(index, key, grams)
    removed += _pull_quotes(paragraphs, keys, quotes)
    return sorted(removed, key=lambda r: r.index)


def _pull_quotes(paragraphs, keys: dict[int, str], quotes: frozenset[int]) -> list[RemovedParagraph]:
    """Quote paragraphs whose whole text sits inside a longer, non-quote paragraph."""
    candidates = [i for i in keys if i in quotes and len(keys[i]) >= _PULL_QUOTE_MIN]
    hosts = [(i, k) for i, k in keys.items() if i not in quotes]
    size = sum(len(k) for _i, k in hosts)
    if not candidates or len(candidates) * size > _PULL_QUOTE_BUDGET:
        return []  # nothing to look for, or far beyond any article's size: keep time bounded
    found = []
    for index in candidates:
        host = next((i for i, k in hosts if len(k) > len(keys[index]) and keys[index] in k), None)
        if host is not None:
            found.append(RemovedParagraph(index, paragraphs[index], host, "pull-quote", 1.0))
    return found


def _quote_positions(blocks: tuple[Block, ...]) -> frozenset[int]:
    positions, at = set(), 0
    for block in blocks:
        if block.kind == "figure":
            continue  # not in the paragraphs: positions count text blocks only
        if block.kind == "quote":
            positions.update(range(at, at + len(block.items)))
        at += len(block.items)
    return frozenset(positions)


def _without(blocks: tuple[Block, ...], dropped: set[int]) -> list[Block]:
    """The blocks without the dropped items (by position in the paragraphs)."""
    kept, at = [], 0
    for block in blocks:
        if block.kind == "figure":
            kept.append(block)  # a picture is never a repeat of the text
            continue
        keep = [j for j in range(len(block.items)) if at + j not in dropped]
        at += len(block.items)
        if keep:
            kept.append(Block(block.kind, tuple(block.items[j] for j in keep),
                              tuple(block.html[j] for j in keep), block.tag))
    return kept


def dedupe_article(article: Article, threshold: float | None = None) -> DedupeResult:
    """Remove repeated paragraphs from the article's body, text and HTML alike.

    ``threshold`` is the run's ``dedupe_similarity``; default: that setting's default."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    removed = find_repeats(article.paragraphs, threshold, _quote_positions(article.blocks))
    if not removed:
        return DedupeResult(article=article)
    dropped = {r.index for r in removed}
    if article.blocks:
        cleaned = article.with_blocks(_without(article.blocks, dropped))
    else:
        # A body known only as text (a stored story): its paragraphs are its blocks.
        cleaned = article.with_blocks(_without(_paragraph_blocks(article.paragraphs), dropped))
    return DedupeResult(article=cleaned, removed=tuple(removed))


def _paragraph_blocks(paragraphs: tuple[str, ...]) -> tuple[Block, ...]:
    from html import escape

    return tuple(Block("paragraph", (p,), (escape(p, quote=False),)) for p in paragraphs)

