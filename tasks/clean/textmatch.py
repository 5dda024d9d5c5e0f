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


def common(a: Counter, b: Counter) -> int:
    """Shingles the two share, counted as multisets; walks the smaller one."""
    if len(a) > len(b):
        a, b = b, a
    return sum(min(n, b[k]) for k, n in a.items() if k in b)


def agreement(reference: Counter, text: str) -> float:
    """F1 of the text's shingles against the reference's."""
    got = shingles(text)
    common_count = common(reference, got)
    if not common_count:
        return 0.0
    precision = common_count / sum(got.values())
    recall = common_count / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def coverage(reference: Counter, text: str) -> float:
    """Share of the text's shingles found in the reference (0 for an empty text)."""
    got = shingles(text)
    total = sum(got.values())
    return common(reference, got) / total if total else 0.0
