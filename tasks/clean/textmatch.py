"""How much two texts agree, as token 4-gram (shingle) overlap.

Used to cross-check the markup against the page's own JSON-LD
``articleBody``: the same measure the extraction benchmark uses, so
"agrees with the reference" means what the benchmark means by it.
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    words = _TOKEN.findall(text.lower())
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)) if words[i:i + n])


def agreement(reference: Counter, text: str) -> float:
    """F1 of the text's shingles against the reference's."""
    got = shingles(text)
    common = sum((reference & got).values())
    if not common:
        return 0.0
    precision = common / sum(got.values())
    recall = common / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def coverage(reference: Counter, text: str) -> float:
    """Share of the text's shingles found in the reference (0 for an empty text)."""
    got = shingles(text)
    total = sum(got.values())
    return sum((reference & got).values()) / total if total else 0.0
