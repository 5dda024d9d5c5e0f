"""What is dropped before parsing, and that dropping it stays linear on hostile input."""

from __future__ import annotations

import time

import pytest

from tasks.clean import extract_article
from tasks.clean.parse import LONG_TOKEN_CHARS, MAX_JSON_LD_CHARS, clean_text, drop_bulk, parse_html
from tasks.errors import ExtractionError

# Far above what the linear passes take (milliseconds); a quadratic pass on
# these inputs would take minutes. A guard against a blow-up, not a speed target.
BLOW_UP_SECONDS = 20


def test_script_and_style_bodies_go_but_their_tags_stay():
    page = ('<head><style>p{color:red}</style><script>var s = "</p><p>not text";</script>'
            '<SCRIPT type="module">x()</SCRIPT ></head><body><p>kept</p></body>')
    assert drop_bulk(page) == ('<head><style></style><script></script><SCRIPT type="module"></SCRIPT >'
                               '</head><body><p>kept</p></body>')


def test_json_ld_is_kept_unless_it_is_absurdly_large():
    small = '<script type="application/ld+json">{"headline": "Kept"}</script>'
    assert drop_bulk(small) == small
    large = '<script type=application/ld+json>[' + "1," * MAX_JSON_LD_CHARS + "1]</script>"
    assert drop_bulk(large) == "<script type=application/ld+json></script>"


def test_comments_go_and_a_comment_hides_what_looks_like_a_script():
    assert drop_bulk("<p>a<!-- <script> -->b</p><!-- x --><p>c</p>") == "<p>ab</p><p>c</p>"


def test_unterminated_comment_is_left_to_the_parser_and_unterminated_script_runs_to_the_end():
    assert drop_bulk("<p>a</p><!-- never closed <p>b</p>") == "<p>a</p><!-- never closed <p>b</p>"
    assert drop_bulk("<p>a</p><script>never closed <p>b</p>") == "<p>a</p><script>"


def test_long_inline_data_goes_and_ordinary_text_stays():
    blob = "A" * LONG_TOKEN_CHARS
    page = f'<p>before <img src="data:image/png;base64,{blob}"> after {"word " * 20_000}</p>'
    assert drop_bulk(page) == f'<p>before <img src=""> after {"word " * 20_000}</p>'
    assert drop_bulk(f"<a href=data:{blob}>x</a>") == "<a href=>x</a>"
    short = "B" * (LONG_TOKEN_CHARS - 1)
    assert drop_bulk(f"<p>{short}</p>") == f"<p>{short}</p>"


@pytest.mark.parametrize("hostile", [
    "<script" * 300_000,                      # start tags that never end
    "<script>" + "</scrip" * 300_000,          # a close tag that never completes
    "<!--" * 500_000,                          # comments that never close
    "=data:" * 400_000,                        # runs that restart inside one another
    ("x" * (LONG_TOKEN_CHARS - 1) + " ") * 40,  # runs just under the limit
])
def test_hostile_input_costs_linear_time(hostile):
    started = time.monotonic()
    drop_bulk(hostile)
    assert time.monotonic() - started < BLOW_UP_SECONDS


def test_a_script_over_libxml2s_text_limit_no_longer_breaks_the_page():
    script = '<script>window.__STATE__ = "' + "x " * (6 * 1024 * 1024) + '"</script>'
    root = parse_html(f"<html><head>{script}</head><body><p>Article text.</p></body></html>")
    assert root.findtext(".//p") == "Article text."


def test_markup_over_the_parse_cap_is_refused_naming_both_sizes():
    with pytest.raises(ExtractionError, match=r"2\.0 MB of markup .* at most 1\.0 MB"):
        parse_html("<p>" + "word " * (400 * 1024) + "</p>", max_chars=1024 * 1024)


@pytest.mark.parametrize("raw, shown", [
    ("a\u200bb\u00adc\ufeff", "abc"),  # a zero-width space, a soft hyphen, a byte-order mark: never seen
    ("the \u200ciPhone 11\u200c and", "the iPhone 11 and"),  # a joiner between Latin letters is a CMS's litter
    # Persian, Hindi and emoji need them: "می‌شود" is written apart, "क्‍ष" and "👩‍💻" joined.
    ("بازگشایی می\u200cشود", "بازگشایی می\u200cشود"), ("क्\u200dष", "क्\u200dष"), ("👩\u200d💻", "👩\u200d💻"),
])
def test_invisible_characters_go_unless_they_shape_the_word(raw, shown):
    assert clean_text(raw) == shown


def test_a_persian_storys_words_keep_their_zero_width_non_joiners():
    sentence = "پل قدیمی بندر پس از دو سال تعمیر، ماه آینده دوباره به روی خودروها باز می\u200cشود و مردم خوشحال\u200cاند."
    page = (f"<html lang='fa'><head><title>پل بازگشایی می\u200cشود</title></head><body><article>"
            f"<h1>پل بازگشایی می\u200cشود</h1>{''.join(f'<p>{sentence} {i}</p>' for i in range(5))}</article></body></html>")
    article = extract_article(page, "https://news.example/fa/bridge")
    assert article.headline == "پل بازگشایی می\u200cشود"
    assert all("می\u200cشود" in paragraph for paragraph in article.paragraphs)
