"""article.json: rendered from an Article and parsed back into the same Article."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tasks.models import Article, FetchedImage, LeadImage
from tasks.ninjs import parse_ninjs, render_ninjs, validate_ninjs

FULL = Article(url="https://n.example/world/a", headline="Bridge reopens", byline="Ana Ruiz",
               published="2026-03-01T08:30:00+01:00", language="es",
               paragraphs=("First paragraph.", "Second, with <angle> & ampersand."),
               image=LeadImage("https://n.example/i.jpg", "The bridge at dawn", "Photo: Ana Ruiz"),
               tags=("Transport", "Madrid"), body_html="<p>First paragraph.</p><p>Second.</p>",
               description="A summary.", publisher="The Daily Example")
BARE = Article(url="https://n.example/b", headline="Short note", byline=None, published=None, language=None,
               paragraphs=("Only one.",), image=None, tags=())


def _render(article: Article, **extra) -> dict:
    document = render_ninjs(article, "b-1234", version=2, version_created="2026-03-02T00:00:00+00:00",
                            first_created="2026-03-01T00:00:00+00:00", **extra)
    validate_ninjs(document)
    return document


@pytest.mark.parametrize("article", [FULL, BARE], ids=["full", "bare"])
def test_what_is_rendered_parses_back_to_the_same_article(article):
    assert parse_ninjs(_render(article)) == article


def test_a_bundled_image_and_a_source_url_do_not_change_the_article():
    image = FetchedImage("https://n.example/i.jpg", b"\x89PNG\r\n\x1a\n", "image/png")
    document = _render(FULL, image_name="image.png", image=image, source_url="https://n.example/amp/a")
    assert [r["name"] for r in document["associations"][0]["renditions"]] == ["original", "bundled"]
    assert {"role": "sourceUrl", "value": "https://n.example/amp/a"} in document["altIds"]
    assert parse_ninjs(document) == FULL


def test_a_date_that_is_not_a_timestamp_is_left_out():
    """ninjs wants an ISO timestamp; a bare or free-form date is not carried (the page keeps it)."""
    document = _render(replace(FULL, published="1 March 2026"))
    assert "contentCreated" not in document
    assert parse_ninjs(document).published is None
