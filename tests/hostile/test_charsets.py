"""A page's charset label is the page's word, not ours to obey blindly."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import newsroom

ARTICLE = ("<html><head><meta charset=\"{codec}\"><title>Harbour works</title></head><body><article>"
           "<h1>Harbour works resume after the storm</h1>"
           + "<p>The caf\u00e9 on the quay reopened on Monday as crews cleared the debris left by the storm.</p>" * 4
           + "</article></body></html>")


@pytest.mark.parametrize("codec", ["rot13"])  # the others: tests/tasks/test_charset.py
def test_extract_reads_a_page_whose_meta_names_a_codec_that_is_not_a_text_encoding(tmp_path, codec):
    page = tmp_path / "story.html"
    page.write_bytes(ARTICLE.format(codec=codec).encode("utf-8"))
    run = newsroom("extract", str(page), "--url", "https://news.example/harbour")
    assert run.returncode == 0, run.stderr
    article = json.loads(run.stdout)
    assert article["headline"] == "Harbour works resume after the storm"
    assert any("caf\u00e9 on the quay" in p for p in article["paragraphs"])
