"""What is dropped before parsing, and that dropping it stays linear on hostile input."""

from __future__ import annotations

import time

import pytest

from tasks.clean.parse import LONG_TOKEN_CHARS, MAX_JSON_LD_CHARS, drop_bulk, parse_html
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
