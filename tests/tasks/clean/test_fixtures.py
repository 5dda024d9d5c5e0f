"""Every fixture page against its hand-written expected article.

Each page in fixtures/pages is a different publisher style (share bars, ad
slots, newsletter boxes, pull-quotes, captions beside images, AMP, legacy
tables, windows-1252, ...); fixtures/expected/<name>.json is what
``newsroom extract`` must print for it: the article after dedupe.
"""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.dedupe import dedupe_article
from tests.conftest import expected_article

from cli.local_services import FIXTURES

PAGES = sorted(p.stem for p in (FIXTURES / "pages").glob("*.html"))
# Strings that appear on the pages but never in a story body.
BOILERPLATE = ["Advertisement", "Share", "Sign up", "newsletter", "Read more", "Related", "cookies",
               "Trending", "Most read", "All rights reserved", "Skip to main content", "Photograph:",
               "Photo:", "©", "Subscribe", "Follow us"]


def _extract(name: str) -> dict:
    expected = expected_article(name)
    raw = (FIXTURES / "pages" / f"{name}.html").read_bytes()
    article = dedupe_article(extract_article(raw, expected["url"]), threshold=0.9).article
    return article.as_public_dict()


def test_there_are_many_publisher_styles():
    assert len(PAGES) >= 13


@pytest.mark.parametrize("name", PAGES)
def test_fixture_page_matches_expected_article(name):
    got, expected = _extract(name), expected_article(name)
    for key in ("url", "headline", "byline", "published", "language", "image", "tags"):
        assert got[key] == expected[key], key
    assert got["paragraphs"] == expected["paragraphs"]


@pytest.mark.parametrize("name", PAGES)
def test_fixture_body_has_no_boilerplate_repeat_or_caption(name):
    got = _extract(name)
    body = "\n".join(got["paragraphs"])
    for phrase in BOILERPLATE:
        assert phrase.casefold() not in body.casefold(), phrase
    assert len(set(got["paragraphs"])) == len(got["paragraphs"])
    if got["image"] and got["image"]["caption"]:
        assert got["image"]["caption"] not in got["paragraphs"]


def test_html_body_keeps_subheads_lists_and_quotes():
    expected = expected_article("northern-pullquote-subheads")
    raw = (FIXTURES / "pages" / "northern-pullquote-subheads.html").read_bytes()
    body = extract_article(raw, expected["url"]).body_html
    assert "<h2>What other villages can learn</h2>" in body
    assert "<li>bread from a bakery two miles away</li>" in body
    assert "<blockquote><p>Community shops have" in body
    assert "pull-quote" not in body and body.count("if the shop went") == 1
