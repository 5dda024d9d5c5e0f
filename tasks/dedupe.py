"""Dedupe step: drop repeated paragraphs within one story, keeping the first.

Three levels, reported separately so editors can see what went:
* ``exact``: the same text;
* ``normalized``: the same after folding case, whitespace, quote styles,
  dashes and trailing punctuation (a CMS that saved a paragraph twice);
* ``similar``: at least ``threshold`` similar by difflib's ratio (a pull
  quote or a lightly edited repeat).

Pure: no state survives between calls, so stories never affect each other.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher

from lxml import etree, html
from prefect import task
from prefect.cache_policies import NO_CACHE

from config.settings import get_settings
from tasks.models import Article, DedupeResult, RemovedParagraph

# Shorter paragraphs are only removed when they repeat (near-)exactly: two
# short lines being "similar" says little.
MIN_SIMILAR_LENGTH = 40

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.,;:!?…'\"\-]+$")


def normalize(text: str) -> str:
    """The comparison key: case, spacing, quotes, dashes and end punctuation folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _SPACE.sub(" ", text).strip()
    text = text.replace('"', "").replace("'", "")
    return _TRAILING.sub("", text)


def find_repeats(paragraphs: list[str] | tuple[str, ...], threshold: float) -> list[RemovedParagraph]:
    """Which paragraphs repeat an earlier kept one, and why."""
    removed: list[RemovedParagraph] = []
    # (index, normalized, a matcher holding it): SequenceMatcher indexes its
    # second sequence once, so each kept paragraph is indexed once, not once per comparison.
    kept: list[tuple[int, str, SequenceMatcher | None]] = []
    seen_exact: dict[str, int] = {}
    seen_normal: dict[str, int] = {}
    for index, text in enumerate(paragraphs):
        if text in seen_exact:
            removed.append(RemovedParagraph(index, text, seen_exact[text], "exact", 1.0))
            continue
        key = normalize(text)
        if key in seen_normal:
            removed.append(RemovedParagraph(index, text, seen_normal[key], "normalized", 1.0))
            continue
        match = _most_similar(key, kept, threshold) if len(key) >= MIN_SIMILAR_LENGTH else None
        if match is not None:
            original, ratio = match
            removed.append(RemovedParagraph(index, text, original, "similar", round(ratio, 3)))
            continue
        seen_exact[text] = index
        seen_normal[key] = index
        matcher = SequenceMatcher(None, "", key, autojunk=False) if len(key) >= MIN_SIMILAR_LENGTH else None
        kept.append((index, key, matcher))
    return removed


def _most_similar(key: str, kept: list[tuple[int, str, SequenceMatcher | None]],
                  threshold: float) -> tuple[int, float] | None:
    best: tuple[int, float] | None = None
    for index, other, matcher in kept:
        if matcher is None:
            continue
        shorter, longer = sorted((len(key), len(other)))
        if shorter / longer < threshold:
            continue  # ratio() can never reach the threshold: skip the expensive part
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold and (best is None or ratio > best[1]):
            best = (index, ratio)
    return best


def _dedupe_html(body_html: str, threshold: float) -> str:
    """Apply the same decisions to the sanitized HTML body, block by block."""
    if not body_html.strip():
        return body_html
    blocks = html.fragments_fromstring(body_html)
    elements = [b for b in blocks if isinstance(b, etree._Element)]
    texts = [" ".join(e.text_content().split()) for e in elements]
    drop = {r.index for r in find_repeats(texts, threshold)}
    return "\n".join(etree.tostring(e, method="html", encoding="unicode").strip()
                     for i, e in enumerate(elements) if i not in drop)


def dedupe_article(article: Article, threshold: float | None = None) -> DedupeResult:
    """Remove repeated paragraphs from the article's text and HTML bodies."""
    threshold = get_settings().dedupe_similarity if threshold is None else threshold
    removed = find_repeats(article.paragraphs, threshold)
    if not removed:
        return DedupeResult(article=article)
    dropped = {r.index for r in removed}
    paragraphs = tuple(p for i, p in enumerate(article.paragraphs) if i not in dropped)
    cleaned = replace(article, paragraphs=paragraphs, body_html=_dedupe_html(article.body_html, threshold))
    return DedupeResult(article=cleaned, removed=tuple(removed))


@task(name="dedupe", cache_policy=NO_CACHE)
def dedupe_task(article: Article) -> DedupeResult:
    return dedupe_article(article)
