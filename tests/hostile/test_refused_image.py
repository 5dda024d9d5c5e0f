"""A lead image the fetcher refused is never referenced by the bundle."""

from __future__ import annotations

import json

from tasks.bundle import build_draft
from tasks.clean import extract_article
from tasks.dedupe import dedupe_article
from tasks.models import FetchedPage
from tasks.render import render_bundle

INTERNAL = "http://169.254.169.254/latest/meta-data/iam/photo.jpg"
PAGE = (f"<html><head><title>Harbour works resume</title><meta property='og:image' content='{INTERNAL}'>"
        "</head><body><article><h1>Harbour works resume</h1>"
        + "<p>Crews cleared the debris from the quay on Monday and the café reopened at noon.</p>" * 5
        + f"<figure><img src='{INTERNAL}'><figcaption>The quay at dawn</figcaption></figure>"
        "</article></body></html>")


def test_a_refused_image_is_left_out_of_the_page_the_ninjs_and_the_text():
    page = FetchedPage("https://news.example/harbour", "https://news.example/harbour", PAGE, "utf-8", "text/html",
                       "2026-12-01T12:00:00+00:00")
    deduped = dedupe_article(extract_article(page.text, page.final_url), 0.9)
    assert deduped.article.image is not None and deduped.article.image.url == INTERNAL  # what the page claims
    refusal = "lead image not bundled: 169.254.169.254 is a link-local address"
    files = {f.name: f.data for f in render_bundle(build_draft(deduped, page, None, notes=(refusal,))).files}
    assert b"169.254.169.254" not in files["article.html"]
    assert b"<img" not in files["article.html"]
    ninjs = json.loads(files["article.json"])
    assert "169.254.169.254" not in json.dumps(ninjs)
    assert b"169.254.169.254" not in files["article.txt"]
    assert refusal in json.loads(files["manifest.json"])["notes"]
