from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.errors import ExtractionError
from tests.conftest import SEED_PAGE, expected_article

SEED_URL = expected_article("aleppo-offensive")["url"]
BOILERPLATE = ["Share", "Advertisement", "Sign up to our daily newsletter", "Most read", "cookies",
               "Related", "Aid convoy hit near Aleppo", "All rights reserved", "Skip to main content"]


def test_seed_page_matches_expected_article():
    article = extract_article(SEED_PAGE.read_bytes(), SEED_URL)
    expected = expected_article("aleppo-offensive")
    public = article.as_public_dict()
    # The clean step keeps the CMS repeat; dedupe removes it (tested there).
    public["paragraphs"] = list(dict.fromkeys(public["paragraphs"]))
    assert {k: v for k, v in public.items() if k != "paragraphs"} == {
        k: v for k, v in expected.items() if k != "paragraphs"}
    assert set(expected["paragraphs"]) <= set(public["paragraphs"])


def test_seed_page_body_has_no_boilerplate_or_caption():
    article = extract_article(SEED_PAGE.read_bytes(), SEED_URL)
    text = "\n".join(article.paragraphs)
    for phrase in BOILERPLATE:
        assert phrase not in text, phrase
    assert article.image.caption not in article.paragraphs
    assert "Photograph" not in text


def test_sanitized_html_body_keeps_semantics_and_drops_active_content():
    page = """<html><head><title>T</title></head><body><article><h1>Headline here</h1>
    <div class="article-body">
      <p onclick="evil()">First <strong>bold</strong> and <a href="javascript:alert(1)">bad link</a>
         and <a href="/ok">good link</a> in a paragraph that is long enough to count as text.</p>
      <script>document.write('x')</script><style>p{}</style>
      <h2 style="color:red">A subhead</h2>
      <blockquote><p>A quoted passage that belongs to the story itself, said the minister.</p></blockquote>
      <ul><li>First point of the list made in the story</li><li>Second point of the list</li></ul>
      <p>Closing paragraph with <em>emphasis</em> and an <img src=x onerror=alert(1)> image.</p>
    </div></article></body></html>"""
    article = extract_article(page, "https://news.example/story")
    html = article.body_html
    for bad in ("onclick", "javascript:", "<script", "<style", "onerror", "style=", "<img"):
        assert bad not in html
    assert '<a href="https://news.example/ok"' in html
    assert "<h2>A subhead</h2>" in html
    assert "<blockquote><p>" in html and "<li>Second point of the list</li>" in html
    assert "<strong>bold</strong>" in html and "<em>emphasis</em>" in html


def test_json_ld_body_is_used_when_markup_has_none():
    page = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "headline": "Only in JSON-LD", "datePublished": "2024-01-02T03:04:05Z",
     "author": {"@type": "Person", "name": "By Ann Writer"},
     "articleBody": "First paragraph of the story, which is long enough.\\n\\nSecond paragraph of the story, also long enough."}
    </script></head><body><div id="app"></div></body></html>"""
    article = extract_article(page, "https://news.example/a")
    assert article.headline == "Only in JSON-LD"
    assert article.byline == "Ann Writer"
    assert article.published == "2024-01-02T03:04:05Z"
    assert article.paragraphs == ("First paragraph of the story, which is long enough.",
                                  "Second paragraph of the story, also long enough.")


@pytest.mark.parametrize("page, reason", [
    ("", "empty"),
    ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article"),
    ("<html><body><div id='root'></div><script src='app.js'></script>"
     "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>", "JavaScript"),
])
def test_pages_without_an_article_raise_a_clear_error(page, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract_article(page, "https://news.example/x")


def test_page_declared_addresses_must_be_web_urls():
    page = """<html><head><link rel="canonical" href="javascript:alert(1)">
    <meta property="og:image" content="javascript:alert(2)"><title>T</title></head>
    <body><article><h1>Headline of it</h1>
    <figure><img src="javascript:alert(3)"><figcaption>A caption</figcaption></figure>
    <div class="article-body"><p>A long paragraph of story text that is certainly long enough to count.</p>
    <p>Another long paragraph of story text that is certainly long enough to count as well.</p></div>
    </article></body></html>"""
    article = extract_article(page, "https://news.example/a")
    assert article.url == "https://news.example/a"
    assert article.image is None or article.image.url.startswith("https://")
