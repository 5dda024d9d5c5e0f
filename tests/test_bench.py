"""The benchmarks keep running as the README says (their figures are not asserted): the
end-to-end one, and the extraction one, which reads all four set layouts, scores each field
by its own rule and prints one table per set."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import extraction  # noqa: E402
from extraction_sets import SETS, score  # noqa: E402

LAST_LINE = re.compile(r"^pipeline: 6 stories  bare [\d.]+/s  concurrent [\d.]+/s  prefect [\d.]+/s"
                       r"  overhead [\d.]+×  peak RSS \d+ MB$")


@pytest.mark.integration
def test_pipeline_benchmark_runs_every_phase_and_ends_with_its_summary_line():
    run = subprocess.run([sys.executable, "bench/pipeline.py", "--stories", "6"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert LAST_LINE.match(lines[-1]), lines[-1]
    assert any("[COMPLETED: 6 published" in line for line in lines), run.stdout
    assert any(line.startswith("  where the time goes (bare): ") for line in lines)

STORY = """<html><head><title>Council Opens New Library | The Gazette</title>
<meta property="article:published_time" content="2021-03-04T09:30:00+01:00">
<meta property="og:image" content="https://example.org/library.jpg"></head>
<body><article><h1>Council Opens New Library</h1><p class="byline">By Ann Smith</p>
<p>The council opened the new library on Thursday after three years of building work in the old market hall.</p>
<p>Readers queued from early morning to borrow the first books, and the mayor cut a ribbon at nine o'clock.</p>
</article></body></html>"""
BODY = ("The council opened the new library on Thursday after three years of building work in the old market hall.\n"
        "Readers queued from early morning to borrow the first books, and the mayor cut a ribbon at nine o'clock.")


def _write_sets(root: Path) -> None:
    shub = root / "article-extraction-benchmark"
    (shub / "html").mkdir(parents=True)
    (shub / "html" / "p1.html.gz").write_bytes(gzip.compress(STORY.encode()))
    (shub / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": BODY, "url": "https://example.org/a"}}))
    page = root / "readability-test-pages" / "pages" / "001"
    page.mkdir(parents=True)
    (page / "source.html").write_text(STORY)
    (page / "expected.html").write_text("<div><p>" + BODY.replace("\n", "</p><p>") + "</p></div>")
    (page / "expected-metadata.json").write_text(json.dumps(
        {"title": "Council Opens New Library", "byline": "By Ann Smith", "publishedTime": "2021-03-04"}))
    goose = root / "goose3-test-data" / "data" / "publishdate"
    goose.mkdir(parents=True)
    (goose / "test_date.html").write_text(STORY)
    (goose / "test_date.json").write_text(json.dumps(
        {"url": "https://example.org/a", "expected": {"publish_date": "2021-03-04T09:30:00+01:00",
                                                      "top_image": {"src": "https://example.org/library.jpg"}}}))
    paper = root / "newspaper4k-test-data" / "data"
    for sub in ("html", "txt", "metadata"):
        (paper / sub).mkdir(parents=True)
    (paper / "html" / "story.html").write_text(STORY)
    (paper / "txt" / "story.txt").write_text(BODY)
    (paper / "metadata" / "story.json").write_text(json.dumps(
        {"url": "https://example.org/a", "title": "Council Opens New Library", "authors": ["Ann Smith"],
         "publish_date": "2021-03-04T09:30:00+01:00", "tags": None, "top_image": "https://example.org/library.jpg"}))


def test_every_set_layout_is_read_with_the_fields_it_has(tmp_path):
    _write_sets(tmp_path)
    fields = {name: SETS[name][1](tmp_path / SETS[name][0])[0].expected for name in SETS}
    assert set(fields["scrapinghub"]) == {"body"}
    assert fields["readability"]["byline"] == ["Ann Smith"]
    assert set(fields["goose3"]) == {"date", "image"}
    assert set(fields["newspaper4k"]) == {"body", "headline", "byline", "date", "image"}


def test_fields_are_scored_by_their_own_rule():
    assert score("date", "2016-09-23T14:05:00-04:00", "September 23, 2016") == 1.0
    assert score("date", "2016-09-23", "2016-09-24T00:30:00Z") == 0.0
    assert score("byline", ["Ann Smith", "Bo Li"], "Bo Li and Ann Smith") == 1.0
    assert score("byline", ["Ann Smith", "Bo Li"], "Ann Smith") == 0.0
    assert score("tags", ["Rome", "Art"], ["art", "Rome", "Travel"]) == pytest.approx(2 / 3)
    assert score("headline", "“Quoted” Headline", "Quoted headline") == 1.0
    assert score("image", "http://example.org/a.jpg", "https://example.org/a.jpg") == 1.0
    assert score("body", BODY, BODY) == 1.0
    assert score("body", BODY, "") == 0.0


def test_characters_no_reader_sees_do_not_split_a_word():
    # One extractor keeps the soft hyphens a page prints in long names, another drops them.
    assert score("body", "Aside from Vladi\u00admir Putin, few leaders stand up to him",
                 "Aside from Vladimir Putin, few leaders stand up to him") == 1.0
    assert score("body", "Aside from Vladi mir Putin, few leaders", "Aside from Vladimir Putin, few leaders") < 1.0


def test_an_expected_opening_is_scored_on_as_many_first_words():
    opening = "The council opened its new library on Thursday after three years of building work"
    story = opening + ". The mayor thanked the builders, the librarians and the readers who waited so long."
    # goose3 expects only the opening; the rest of a right answer is not wrong ...
    assert score("body", opening, story, body_is_opening=True) == 1.0
    assert score("body", opening, story) < 0.7
    # ... but a line of boilerplate before the story pushes the opening out of place.
    assert score("body", opening, "Skip to main content. Share this story. " + story, body_is_opening=True) < 0.8
    # Whole-text sets are unchanged.
    assert score("body", story, story, body_is_opening=True) == 1.0


def test_one_run_prints_a_table_for_each_of_the_four_sets(tmp_path, capsys):
    _write_sets(tmp_path)
    assert extraction.main(["--bench", str(tmp_path), "--only-ours", "--worst", "1"]) == 0
    out = capsys.readouterr().out
    for name in SETS:
        assert f"\n{name} (1 pages)" in out
    # Our extractor reads this page right: every field it is scored on is 1.000.
    rows = [line.split() for line in out.splitlines() if line.startswith("  ") and len(line.split()) == 3]
    scored = {row[0]: float(row[2]) for row in rows if row[0] in ("body", "headline", "byline", "date", "image")}
    assert scored and all(value == 1.0 for value in scored.values()), out
    assert "declines: 0" in out


def test_bare_markup_strips_classes_and_ids_and_keeps_the_text_and_its_charset():
    raw = ("<html><head><meta charset='windows-1252'><title>Caf\xe9</title></head><body class='x'>"
           "<div id='main' class='article-body'><p class='lead'>Caf\xe9 opens.</p></div></body></html>").encode("cp1252")
    page = extraction.bare_markup(extraction.Page(key="k", raw=raw, url="https://example.org/a"))
    assert b"class=" not in page.raw and b"id=" not in page.raw and b"windows-1252" not in page.raw
    assert "Café opens." in page.raw.decode("utf-8") and page.raw.startswith(b'<meta charset="utf-8">')


def test_one_run_on_bare_markup_still_scores_every_set(tmp_path, capsys):
    _write_sets(tmp_path)
    assert extraction.main(["--bench", str(tmp_path), "--only-ours", "--bare-markup"]) == 0
    out = capsys.readouterr().out
    assert all(f"\n{name} (1 pages)" in out for name in SETS)
    body = [line.split() for line in out.splitlines() if line.startswith("  body ")]
    assert body and all(float(row[2]) == 1.0 for row in body), out  # the story page needs no class to be read


def test_no_metadata_drops_meta_json_ld_and_microdata_and_keeps_the_text():
    raw = ("<html><head><meta charset='windows-1252'><title>Caf\xe9</title><meta name='author' content='Ana Ruiz'>"
           "<script type='application/ld+json'>{\"@type\": \"NewsArticle\"}</script></head><body>"
           "<article itemscope itemtype='https://schema.org/NewsArticle'><p itemprop='articleBody'>Caf\xe9 opens.</p>"
           "</article></body></html>").encode("cp1252")
    page = extraction.no_metadata(extraction.Page(key="k", raw=raw, url="https://example.org/a"))
    text = page.raw.decode("utf-8")
    assert "Ana Ruiz" not in text and "ld+json" not in text and "itemprop" not in text and "itemscope" not in text
    assert "Café opens." in text and page.raw.startswith(b'<meta charset="utf-8">')


def test_one_run_without_metadata_still_reads_the_story_from_its_markup(tmp_path, capsys):
    _write_sets(tmp_path)
    assert extraction.main(["--bench", str(tmp_path), "--only-ours", "--no-metadata"]) == 0
    out = capsys.readouterr().out
    assert all(f"\n{name} (1 pages)" in out for name in SETS)
    body = [line.split() for line in out.splitlines() if line.startswith("  body ")]
    assert body and all(float(row[2]) == 1.0 for row in body), out


def test_a_page_with_no_article_is_left_out_of_the_body_star_row_and_still_counted_in_body(tmp_path, capsys):
    _write_sets(tmp_path)
    # readability.js returns some text for every page: "Test" on a page with no article.
    empty = tmp_path / "readability-test-pages" / "pages" / "002"
    empty.mkdir()
    (empty / "source.html").write_text("<html><body>Test</body></html>")
    (empty / "expected.html").write_text('<div id="readability-page-1" class="page"> Test </div>')
    (empty / "expected-metadata.json").write_text(json.dumps({"title": "", "byline": None}))
    assert extraction.main(["--bench", str(tmp_path), "--set", "readability", "--only-ours"]) == 0
    out = capsys.readouterr().out
    rows = dict((name, (pages, value)) for name, pages, value
                in re.findall(r"^  (body\*?|body [PR]) +(\d+) +([\d.]+)$", out, re.MULTILINE))
    assert rows["body"][0] == "2" and float(rows["body"][1]) < 0.9  # the decline scores nothing here
    assert rows["body*"] == ("1", "1.000")  # the story, alone
    assert "not scored there: 002" in out
    assert "declines: 1" in out and "002: the page has no article" in out
