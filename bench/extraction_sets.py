"""The four extraction development sets, read into one shape, and how a
field is scored against them.

Every page becomes a ``Page``: its key, raw bytes, URL and the expected
value of each field the set has (``None`` where it has none). Only the
scrapinghub truth is human; the other three sets hold another tool's
answer, so a low score there is a disagreement to read, not a verdict.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import html as lxml_html

FIELDS = ("body", "headline", "byline", "date", "tags", "image")
_TOKEN = re.compile(r"\w+", re.UNICODE)
# Characters no reader sees (soft hyphens, zero-width spaces, word joiners):
# "Vladi\u00admir" is one word whether or not an extractor kept the hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
NGRAM = 4


@dataclass
class Page:
    key: str
    raw: bytes
    url: str
    expected: dict = field(default_factory=dict)  # field -> expected value (only the fields the set has)
    # The expected body is only the article's opening (goose3's sets): an
    # answer is scored on as many of its first words, as that suite's own
    # harness compares ``cleaned_text[:len(expected)]``.
    body_is_opening: bool = False


# ---- loaders ---------------------------------------------------------------------------------------------

def scrapinghub(root: Path) -> list[Page]:
    """Human-annotated bodies: ``ground-truth.json`` and ``html/<id>.html.gz``."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        if path.exists():
            pages.append(Page(key, gzip.decompress(path.read_bytes()), truth[key].get("url") or "",
                              {"body": truth[key].get("articleBody") or ""}))
    return pages


def readability(root: Path) -> list[Page]:
    """readability.js's output: ``expected.html`` and ``expected-metadata.json``."""
    pages = []
    for folder in sorted((root / "pages").iterdir()):
        source, body = folder / "source.html", folder / "expected.html"
        if not source.exists():
            continue
        meta_path = folder / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        # Text, read as UTF-8 the way readability's own test harness reads it:
        # the file declares no charset, and lxml would take its bytes for Latin-1.
        expected = {"body": _html_text(body.read_text(encoding="utf-8")) if body.exists() else None,
                    "headline": meta.get("title") or None,
                    "byline": _names(meta.get("byline")) or None,
                    "date": meta.get("publishedTime") or None}
        # readability's test pages are served as http://fakehost/test/page.html
        pages.append(Page(folder.name, source.read_bytes(), "http://fakehost/test/page.html",
                          {k: v for k, v in expected.items() if v}))
    return pages


def goose3(root: Path) -> list[Page]:
    """goose3's own output per feature folder: ``<name>.json`` beside ``<name>.html``."""
    pages = []
    for spec in sorted((root / "data").glob("*/*.json")):
        stem = spec.with_suffix("")
        raw_path = next((p for p in (stem.with_suffix(".html"), Path(f"{stem}.html.gz")) if p.exists()), None)
        if raw_path is None:
            continue
        raw = raw_path.read_bytes()
        if raw_path.suffix == ".gz":
            raw = gzip.decompress(raw)
        doc = json.loads(spec.read_text(encoding="utf-8"))
        want = doc.get("expected") or {}
        expected = {
            "body": want.get("cleaned_text") or None,
            "headline": want.get("title") or None,
            "byline": [a for a in want.get("authors") or [] if a] or None,
            "date": want.get("publish_date") or None,
            "tags": list(want.get("tags") or []) or None,
            "image": (want.get("top_image") or {}).get("src") or None,
        }
        if expected["image"] and expected["image"].startswith("data:"):
            expected["image"] = None  # an inline picture is never a story's lead image
        expected = {k: v for k, v in expected.items() if v}
        if expected:
            pages.append(Page(f"{spec.parent.name}/{stem.name}", raw, doc.get("url") or "", expected,
                              body_is_opening=True))
    return pages


def newspaper4k(root: Path) -> list[Page]:
    """newspaper4k's output: ``html/``, ``txt/`` and ``metadata/`` by page name."""
    data = root / "data"
    pages = []
    for source in sorted((data / "html").glob("*.html")):
        name = source.stem
        text_path, meta_path = data / "txt" / f"{name}.txt", data / "metadata" / f"{name}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        expected = {
            "body": text_path.read_text(encoding="utf-8") if text_path.exists() else None,
            "headline": meta.get("title") or None,
            "byline": [a for a in meta.get("authors") or [] if a] or None,
            "date": meta.get("publish_date") or None,
            "tags": list(meta.get("tags") or []) or None,
            "image": meta.get("top_image") or None,
        }
        expected = {k: v for k, v in expected.items() if v}
        if expected:
            pages.append(Page(name, source.read_bytes(), meta.get("url") or "", expected))
    return pages


SETS = {
    "scrapinghub": ("article-extraction-benchmark", scrapinghub),
    "readability": ("readability-test-pages", readability),
    "goose3": ("goose3-test-data", goose3),
    "newspaper4k": ("newspaper4k-test-data", newspaper4k),
}


def _html_text(raw: str | bytes) -> str:
    root = lxml_html.fromstring(raw)
    # One line per block, so paragraphs do not run into each other.
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "pre"):
        block.tail = "\n" + (block.tail or "")
    return root.text_content()


# ---- scoring ---------------------------------------------------------------------------------------------

def shingles(text: str, n: int = NGRAM) -> Counter:
    tokens = _TOKEN.findall((text or "").translate(_INVISIBLE))
    # A text shorter than n tokens is one shingle, as in the scrapinghub benchmark.
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def precision_recall(true: str, pred: str) -> tuple[float, float]:
    """Token 4-gram precision and recall, counted as multisets (the scrapinghub metric)."""
    truth, got = shingles(true), shingles(pred)
    tp = sum((truth & got).values())
    n_pred, n_true = sum(got.values()), sum(truth.values())
    precision = tp / n_pred if n_pred else (1.0 if not n_true else 0.0)
    recall = tp / n_true if n_true else 1.0
    return precision, recall


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"[\"'“”‘’«»„]", "", text)
    return " ".join(text.split()).strip(" .:")


_NAME_SPLIT = re.compile(r"\s*(?:;|,|\||\band\b|&|\bund\b|\bet\b)\s*", re.IGNORECASE)


def _names(value) -> list[str]:
    """A byline (one string, or a list of names) as a list of names."""
    if not value:
        return []
    values = value if isinstance(value, (list, tuple, set)) else [value]
    names = []
    for item in values:
        names.extend(n for n in _NAME_SPLIT.split(re.sub(r"^\s*by\s+", "", str(item), flags=re.IGNORECASE)) if n)
    return names


_TITLE_SEPARATOR = re.compile(r"\s+[|–—\-_·»:/]\s+|_")


def same_headline(expected: str | None, got: str | None) -> bool:
    """The same text, or the same headline up to a site or section name one of
    them keeps before or after a separator ("Headline – Site", "Headline_Section_Site").
    Two of the sets' titles are another tool's <title>, suffix included; a
    headline without it is not wrong, and the rule is the same for every extractor."""
    want, have = _norm(expected), _norm(got)
    if not want or not have:
        return False
    if want == have:
        return True
    longer, shorter = (want, have) if len(want) > len(have) else (have, want)
    for sep in _TITLE_SEPARATOR.finditer(longer):
        before, after = longer[:sep.start()], longer[sep.end():]
        # The dropped part is the site's name: shorter than the headline, at either end.
        if (before == shorter and len(after) < len(before)) or (after == shorter and len(before) < len(after)):
            return True
    return False


def _day(value) -> date | None:
    if not value:
        return None
    from dateutil import parser as dateparser

    try:
        # The day as the page wrote it, in its own time zone: no conversion.
        return dateparser.parse(str(value)).date()
    except (ValueError, OverflowError, TypeError):
        return None


def _image_key(url: str | None) -> str:
    return re.sub(r"^https?://", "", (url or "").strip()).rstrip("/").casefold()


def _picture(url: str | None) -> str:
    """The picture a URL names whatever size or crop its path asks for: host and file name."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit((url or "").strip())
    name = unquote(parts.path).rstrip("/").rsplit("/", 1)[-1]
    return (f"{parts.hostname}/{name}" if "." in name else f"{parts.hostname}{parts.path}").casefold()


def opening(expected: str, got: str | None) -> str:
    """The start of an answer, as many words long as the expected opening."""
    expected_words = _TOKEN.findall((expected or "").translate(_INVISIBLE))
    return " ".join(_TOKEN.findall((got or "").translate(_INVISIBLE))[:len(expected_words)])


def score(name: str, expected, got, body_is_opening: bool = False) -> float:
    """One field of one page: 1.0 is right, 0.0 wrong (tags: Jaccard; body: F1)."""
    if name == "body":
        p, r = body_pr(expected, got, body_is_opening)
        return 2 * p * r / (p + r) if p + r else 0.0
    if name == "headline":
        return float(same_headline(expected, got))
    if name == "byline":
        return float({_norm(n) for n in _names(expected)} == {_norm(n) for n in _names(got)})
    if name == "date":
        return float(_day(expected) is not None and _day(expected) == _day(got))
    if name == "tags":
        want, have = {_norm(t) for t in expected}, {_norm(t) for t in got or []}
        return len(want & have) / len(want | have) if want | have else 1.0
    if name == "image":
        # The same picture at another size ("/full/x.jpg" and "/large/x.jpg") is the same lead image.
        return float(bool(got) and (_image_key(expected) == _image_key(got) or _picture(expected) == _picture(got)))
    raise KeyError(name)


def body_pr(expected: str, got: str | None, body_is_opening: bool = False) -> tuple[float, float]:
    return precision_recall(expected, opening(expected, got) if body_is_opening else got or "")
