"""Extraction benchmark: our clean step against its peers on the four
development sets of ``../shared/bench`` in one run.

Per set it prints body F1 (token 4-gram F1, the scrapinghub metric, with P and
R beside it; goose3's expected text is often only the opening, so there an
answer is scored on as many of its first words, as goose3's own tests do) for us,
trafilatura, readability-lxml (on the Readability pages) and goose3 (on the
goose3 pages), then headline (exact), byline (same names), date (same day),
tags (Jaccard) and lead image (same URL) where the set has them, our declines
with their reason, and time per page as a ratio to trafilatura. Every
extractor runs on each page in turn, alternating which goes first, so a busy
machine slows them all alike. Trafilatura is timed with its metadata, since
it is scored on it. On a page we decline, the metadata rows score what our
field pickers read from it; the page is still listed as a decline.

A set whose expectations include pages with no article (the tool behind them
always returns some text: readability.js's "Test") gets a ``body*`` row too:
body F1 over the pages with an article, where the target's "no declines but
pages with no article" and the score do not pull against each other. The
``body`` row above it still counts every page.

``--bare-markup`` first strips every ``class`` and ``id`` attribute from every
page, for all extractors alike: pages built with hashed class names
("css-1dv1kvn") or none carry no CMS hints, and this measures how much each
extractor leans on them.

``--no-metadata`` first removes every ``<meta>`` tag but the charset, every
JSON-LD block and every microdata attribute: the headline, byline and date
then come from the markup a reader sees, as on pages that declare nothing.

    python bench/extraction.py [--set NAME]... [--only-ours] [--worst N] [--misses FIELD] [--bare-markup]
                               [--no-metadata]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_sets import FIELDS, SETS, Page, body_pr, score  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "bench"
# Which peers run on which set (trafilatura runs on all of them).
SET_PEERS = {"readability": ("readability",), "goose3": ("goose3",)}


class Declined(Exception):
    """Our extractor gave no article; the message says why."""

    def __init__(self, reason: str, fields: dict) -> None:
        super().__init__(reason)
        self.fields = fields


def _fields_of_declined(raw: bytes, url: str) -> dict:
    """What our field pickers read on a page we declined: the metadata rows
    measure them there too, while the page still counts as a decline."""
    from tasks.clean.fields import page_fields

    fields = page_fields(raw, url or None)
    return {"headline": fields.headline, "byline": fields.byline, "date": fields.published,
            "tags": list(fields.tags), "image": fields.image.url if fields.image else None}


def ours(raw: bytes, url: str) -> dict:
    from tasks.clean import extract_article
    from tasks.errors import ExtractionError

    try:
        article = extract_article(raw, url or None)
    except ExtractionError as exc:
        raise Declined(str(exc), _fields_of_declined(raw, url)) from exc
    return {"body": "\n".join(article.paragraphs), "headline": article.headline, "byline": article.byline,
            "date": article.published, "tags": list(article.tags),
            "image": article.image.url if article.image else None}


def trafilatura_fields(raw: bytes, url: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, url=url or None, with_metadata=True)
    if doc is None:
        return {}
    doc = doc.as_dict() if hasattr(doc, "as_dict") else doc
    tags = doc.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    return {"body": doc.get("text") or "", "headline": doc.get("title"), "byline": doc.get("author"),
            "date": doc.get("date"), "tags": tags, "image": doc.get("image")}


def readability_fields(raw: bytes, url: str) -> dict:
    from lxml import html as lxml_html
    from readability import Document

    document = Document(raw, url=url or None)
    summary = document.summary(html_partial=True)
    return {"body": lxml_html.fromstring(summary).text_content() if summary.strip() else "",
            "headline": document.short_title()}


_GOOSE = None


def goose3_fields(raw: bytes, url: str) -> dict:
    global _GOOSE
    from goose3 import Goose

    if _GOOSE is None:
        _GOOSE = Goose({"enable_image_fetching": False})
    article = _GOOSE.extract(raw_html=raw.decode("utf-8", "replace"), url=url or None)
    top = article.top_image
    return {"body": article.cleaned_text, "headline": article.title, "byline": list(article.authors or []),
            "date": article.publish_date, "tags": sorted(article.tags or []),
            "image": top.src if top is not None else None}


PEERS: dict[str, Callable[[bytes, str], dict]] = {
    "trafilatura": trafilatura_fields, "readability": readability_fields, "goose3": goose3_fields}


def run_set(pages: list[Page], extractors: dict[str, Callable[[bytes, str], dict]]) -> dict:
    """Every extractor on every page, interleaved page by page."""
    names = list(extractors)
    got: dict[str, dict[str, dict]] = {n: {} for n in names}
    seconds = dict.fromkeys(names, 0.0)
    declines: dict[str, str] = {}
    for index, page in enumerate(pages):
        for name in (names if index % 2 == 0 else names[::-1]):
            started = time.perf_counter()
            try:
                got[name][page.key] = extractors[name](page.raw, page.url)
            except Declined as exc:
                got[name][page.key] = exc.fields
                declines[page.key] = str(exc)
            except Exception as exc:  # noqa: BLE001 - a peer's crash is its empty answer, not ours to fix
                got[name][page.key] = {}
                if name == "newsroom":
                    raise
                print(f"  {name} failed on {page.key}: {type(exc).__name__}: {exc}"[:200], file=sys.stderr)
            seconds[name] += time.perf_counter() - started
    return {"got": got, "seconds": seconds, "declines": declines}


def field_scores(pages: list[Page], answers: dict[str, dict], name: str) -> dict[str, float]:
    return {p.key: score(name, p.expected[name], answers.get(p.key, {}).get(name), p.body_is_opening)
            for p in pages if name in p.expected}


def summarise(pages: list[Page], result: dict) -> dict:
    """Per extractor and field: mean score and page count (body: F1 of mean P and mean R)."""
    table: dict[str, dict[str, tuple[float, int]]] = {}
    for name, answers in result["got"].items():
        row = {}
        for fname in FIELDS:
            scored = [p for p in pages if fname in p.expected]
            if not scored:
                continue
            if fname == "body":
                row[fname], row["body P"], row["body R"] = _body_scores(scored, answers)
                with_article = [p for p in scored if has_article(p)]
                if len(with_article) < len(scored):
                    row["body*"] = _body_scores(with_article, answers)[0]
            elif any(fname in answer for answer in answers.values()):
                values = field_scores(pages, answers, fname)
                row[fname] = (sum(values.values()) / len(values), len(values))
        table[name] = row
    return table


# Fewer characters than this (spaces aside) in the expected body: the page has
# no article ("Test", a unit test's "abc def ghi"), whatever text the
# expectation's tool returned for it.
_ARTICLE_CHARS = 10


def has_article(page: Page) -> bool:
    return len("".join(page.expected["body"].split())) >= _ARTICLE_CHARS


def _body_scores(pages: list[Page], answers: dict[str, dict]) -> tuple[tuple[float, int], ...]:
    """Body F1 (of mean P and mean R), mean P and mean R, each with its page count."""
    pr = [body_pr(p.expected["body"], answers.get(p.key, {}).get("body"), p.body_is_opening) for p in pages]
    prec, rec = sum(x[0] for x in pr) / len(pr), sum(x[1] for x in pr) / len(pr)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return (f1, len(pages)), (prec, len(pages)), (rec, len(pages))


def print_set(set_name: str, pages: list[Page], result: dict, worst: int, misses: list[str] | None) -> None:
    table = summarise(pages, result)
    names = list(table)
    print(f"\n{set_name} ({len(pages)} pages)")
    print(f"  {'field':<10} {'pages':>5} " + " ".join(f"{n:>12}" for n in names))
    for fname in ("body", "body P", "body R", "body*", *FIELDS[1:]):
        if fname not in table["newsroom"]:
            continue
        count = table["newsroom"][fname][1]
        cells = " ".join(f"{table[n][fname][0]:12.3f}" if fname in table[n] else f"{'-':>12}" for n in names)
        print(f"  {fname:<10} {count:5d} {cells}")
    per_page = {n: result["seconds"][n] / len(pages) * 1000 for n in names}
    print(f"  {'ms/page':<10} {'':>5} " + " ".join(f"{per_page[n]:12.1f}" for n in names))
    if "trafilatura" in per_page and per_page["trafilatura"]:
        print(f"  time per page, newsroom / trafilatura: {per_page['newsroom'] / per_page['trafilatura']:.2f}")
    if "body*" in table["newsroom"]:
        print("  body*: body F1 on the pages with an article; not scored there: "
              + ", ".join(p.key for p in pages if "body" in p.expected and not has_article(p)))
    declines = result["declines"]
    print(f"  declines: {len(declines)}")
    for key, reason in sorted(declines.items()):
        print(f"    {key}: {reason}")
    if worst:
        print_worst(pages, result, worst)
    for fname in misses or ():
        print_misses(pages, result, fname)


def _short(value, width: int = 70) -> str:
    text = " ".join(str(value).split()) if value is not None else "-"
    return text if len(text) <= width else text[:width - 1] + "…"


def print_worst(pages: list[Page], result: dict, count: int) -> None:
    """Our N worst pages: mean of the field scores each page has, worst first."""
    ours_got = result["got"]["newsroom"]
    ranked = []
    for page in pages:
        scores = {f: score(f, page.expected[f], ours_got.get(page.key, {}).get(f), page.body_is_opening)
                  for f in page.expected}
        ranked.append((sum(scores.values()) / len(scores), page, scores))
    ranked.sort(key=lambda item: item[0])
    print(f"  worst {count}:")
    for mean, page, scores in ranked[:count]:
        fields = " ".join(f"{f}={s:.2f}" for f, s in scores.items())
        reason = result["declines"].get(page.key)
        print(f"    {mean:.2f} {page.key} {fields}" + (f" DECLINED: {reason}" if reason else ""))
        for f, s in scores.items():
            if f != "body" and s < 1:
                print(f"        {f}: want {_short(page.expected[f])} | got {_short(ours_got.get(page.key, {}).get(f))}")


def print_misses(pages: list[Page], result: dict, fname: str) -> None:
    """Every page where we are wrong on one field, with what each peer said."""
    print(f"  misses on {fname}:")
    for page in pages:
        if fname not in page.expected:
            continue
        mine = result["got"]["newsroom"].get(page.key, {}).get(fname)
        if score(fname, page.expected[fname], mine, page.body_is_opening) >= 1:
            continue
        print(f"    {page.key}\n      want  {_short(page.expected[fname], 110)}\n      ours  {_short(mine, 110)}")
        for name, answers in result["got"].items():
            if name != "newsroom" and fname in answers.get(page.key, {}):
                value = answers[page.key][fname]
                mark = "=" if score(fname, page.expected[fname], value, page.body_is_opening) >= 1 else " "
                print(f"     {mark}{name[:5]} {_short(value, 110)}")


def _warm_date_parser() -> None:
    """dateparser (behind htmldate's extensive search, which both we and
    trafilatura reach) compiles every locale's patterns the first time a text
    matches none of them: about 4 s, once per process. Paid here, it lands on
    no extractor's page."""
    try:
        import dateparser
    except ImportError:
        return
    dateparser.parse("qqq 12 zzz")


def bare_markup(page: Page) -> Page:
    """The page with no class or id attributes, re-encoded as UTF-8 with a
    charset declaration (decoded as our fetch step would, so no extractor
    meets a charset the original page declared in an attribute we dropped)."""
    from dataclasses import replace

    from lxml import html

    from tasks.charset import decode_html

    root = html.document_fromstring(decode_html(page.raw)[0])
    for element in root.iter():
        if isinstance(element.tag, str):
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)
    for meta in root.xpath("//meta[@charset or translate(@http-equiv, 'CONTENT-YP', 'content-yp') = 'content-type']"):
        meta.drop_tree()  # the text is UTF-8 now, whatever the page declared
    raw = b'<meta charset="utf-8">' + html.tostring(root, encoding="utf-8")
    return replace(page, raw=raw)


def no_metadata(page: Page) -> Page:
    """The page without what it declares for machines: <meta> tags, JSON-LD
    blocks and microdata attributes; re-encoded as UTF-8 like ``bare_markup``."""
    from dataclasses import replace

    from lxml import html

    from tasks.charset import decode_html

    root = html.document_fromstring(decode_html(page.raw)[0])
    for element in root.xpath("//meta | //script[contains(@type, 'json')]"):
        element.drop_tree()
    for element in root.xpath("//*[@itemprop or @itemscope or @itemtype]"):
        for name in ("itemprop", "itemscope", "itemtype"):
            element.attrib.pop(name, None)
    return replace(page, raw=b'<meta charset="utf-8">' + html.tostring(root, encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="folder holding the four sets")
    parser.add_argument("--set", action="append", choices=list(SETS), help="only this set (repeatable)")
    parser.add_argument("--only-ours", action="store_true", help="skip the peers (quick iterations)")
    parser.add_argument("--worst", type=int, default=0, help="list our N worst pages per set")
    parser.add_argument("--misses", action="append", choices=FIELDS,
                        help="list every page we get wrong on this field (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each set")
    parser.add_argument("--bare-markup", action="store_true",
                        help="strip every class and id attribute first (robustness to unhinted markup)")
    parser.add_argument("--no-metadata", action="store_true",
                        help="remove meta tags, JSON-LD and microdata first (fields from the visible markup alone)")
    args = parser.parse_args(argv)
    total = {"newsroom": 0.0, "trafilatura": 0.0}
    for set_name in args.set or list(SETS):
        folder, loader = SETS[set_name]
        if not (args.bench / folder).exists():
            print(f"no {set_name} set under {args.bench / folder}", file=sys.stderr)
            return 2
        pages = loader(args.bench / folder)
        pages = pages[:args.limit] if args.limit else pages
        if args.no_metadata:
            pages = [no_metadata(page) for page in pages]
        if args.bare_markup:
            pages = [bare_markup(page) for page in pages]
        extractors = {"newsroom": ours}
        if not args.only_ours:
            extractors["trafilatura"] = PEERS["trafilatura"]
            extractors.update({peer: PEERS[peer] for peer in SET_PEERS.get(set_name, ())})
        _warm_date_parser()
        for extract in extractors.values():  # warm-up: imports and compiled patterns cost nobody's timing
            try:
                extract(pages[0].raw, pages[0].url)
            except Exception:  # noqa: BLE001
                pass
        result = run_set(pages, extractors)
        for name in total:
            total[name] += result["seconds"].get(name, 0.0)
        print_set(set_name, pages, result, args.worst, args.misses)
        sys.stdout.flush()
    if total["trafilatura"]:
        print(f"\nall sets: time per page, newsroom / trafilatura: {total['newsroom'] / total['trafilatura']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
