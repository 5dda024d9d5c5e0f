"""Article-body extraction benchmark: our extractor against trafilatura.

Runs both in one process and one run, page by page interleaved (so a busy
machine slows both alike), over the scrapinghub
article-extraction benchmark (181 real pages, ``html/*.html.gz`` and
``ground-truth.json`` with each page's ``articleBody``) and prints, per
extractor, ``F1 P R pages s/page`` and the ratio of our time per page to
trafilatura's.

The metric is the benchmark's own: token 4-gram (shingle) precision and
recall of the extracted body against ``articleBody``, counted as multisets,
averaged over pages; F1 is computed from the two averages.

    python bench/extraction.py [--bench DIR] [--worst N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+", re.UNICODE)
NGRAM = 4


def shingles(text: str, n: int = NGRAM) -> Counter:
    tokens = _TOKEN.findall(text or "")
    # A text shorter than n tokens is one shingle, as in the benchmark.
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def precision_recall(true: str, pred: str) -> tuple[float, float]:
    truth, got = shingles(true), shingles(pred)
    tp = sum((truth & got).values())
    n_pred, n_true = sum(got.values()), sum(truth.values())
    precision = tp / n_pred if n_pred else (1.0 if not n_true else 0.0)
    recall = tp / n_true if n_true else 1.0
    return precision, recall


def load_pages(bench: Path) -> list[tuple[str, bytes, str, str]]:
    """(key, raw html, url, true body) for every page with a ground truth."""
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = bench / "html" / f"{key}.html.gz"
        if path.exists():
            pages.append((key, gzip.decompress(path.read_bytes()), truth[key].get("url") or "",
                          truth[key].get("articleBody") or ""))
    return pages


def ours(raw: bytes, url: str) -> str:
    from tasks.clean import extract_article
    from tasks.errors import ExtractionError

    try:
        return "\n".join(extract_article(raw, url or None).paragraphs)
    except ExtractionError:
        return ""


def trafilatura_body(raw: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(raw, url=url or None) or ""


def run(extractors: dict[str, Callable[[bytes, str], str]], pages) -> list[dict]:
    """Every extractor on every page, interleaved page by page (alternating
    which goes first), so a busy machine slows them all alike."""
    names = list(extractors)
    bodies: dict[str, dict[str, str]] = {name: {} for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for index, (key, raw, url, _true) in enumerate(pages):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            started = time.perf_counter()
            bodies[name][key] = extractors[name](raw, url)
            seconds[name] += time.perf_counter() - started
    results = []
    for name in names:
        per_page = {key: precision_recall(true, bodies[name][key]) for key, _raw, _url, true in pages}
        p = sum(v[0] for v in per_page.values()) / len(per_page)
        r = sum(v[1] for v in per_page.values()) / len(per_page)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        results.append({"name": name, "f1": f1, "p": p, "r": r, "pages": len(pages),
                        "spp": seconds[name] / len(pages), "per_page": per_page})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark directory")
    parser.add_argument("--worst", type=int, default=0, help="also list our N worst pages")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura (quick iterations)")
    args = parser.parse_args(argv)
    pages = load_pages(args.bench)
    if not pages:
        print(f"no benchmark pages under {args.bench}", file=sys.stderr)
        return 2
    extractors = {"newsroom": ours}
    if not args.only_ours:
        extractors["trafilatura"] = trafilatura_body
    # Warm each up (imports, compiled regexes) so none pays start-up in its timing.
    for extract in extractors.values():
        extract(pages[0][1], pages[0][2])
    results = run(extractors, pages)
    print(f"{'extractor':<12} {'F1':>6} {'P':>6} {'R':>6} {'pages':>6} {'s/page':>7}")
    for res in results:
        print(f"{res['name']:<12} {res['f1']:6.3f} {res['p']:6.3f} {res['r']:6.3f} {res['pages']:6d} {res['spp']:7.4f}")
    if len(results) == 2:
        print(f"time per page, newsroom / trafilatura: {results[0]['spp'] / results[1]['spp']:.2f}")
    if args.worst:
        urls = {key: url for key, _raw, url, _true in pages}
        ranked = sorted(results[0]["per_page"].items(),
                        key=lambda kv: 2 * kv[1][0] * kv[1][1] / (kv[1][0] + kv[1][1] or 1))
        for key, (p, r) in ranked[:args.worst]:
            print(f"  P={p:.3f} R={r:.3f} {key[:12]} {urls[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
