"""When the second opinion (trafilatura) may replace our body, and when it
may not even be asked."""

from __future__ import annotations

import pytest

from fixtures.hostile.make import random_binary
from tasks.clean import extract_article
from tasks.clean.reconcile import is_prose, prefer_second
from tasks.clean.sanitize import text_blocks
from tasks.errors import ExtractionError

STORY = [
    "The harbour authority said on Tuesday that the new breakwater would be finished before winter.",
    "Engineers have worked through the night for three weeks to close the last gap in the wall.",
]
MORE_STORY = [f"Paragraph {n} of the same report goes on about the tides, the cost and the crews." for n in range(30)]
TEASERS = [f"Teaser {n}: another story on the site, a line of summary to tempt a reader away." for n in range(30)]


def test_a_longer_reading_that_holds_ours_wins_when_we_read_one_section():
    ours, theirs = text_blocks(STORY), text_blocks(STORY + MORE_STORY)
    # The containers we read held only our section: the rest is news to us.
    why = prefer_second(ours, theirs, seen=" ".join(STORY))
    assert why and why.startswith("second opinion: trafilatura")


def test_what_we_left_out_of_our_own_container_does_not_come_back():
    # Teasers nested inside the story's container: we saw them and skipped them.
    ours, theirs = text_blocks(STORY), text_blocks(STORY + TEASERS)
    assert prefer_second(ours, theirs, seen=" ".join(STORY + TEASERS)) is None


def test_a_menu_read_as_one_paragraph_never_wins():
    menu = " ".join(f"Section{n} Council{n} Office{n}" for n in range(200))
    assert prefer_second(text_blocks(STORY), text_blocks(STORY + [menu]), seen=" ".join(STORY)) is None


def test_our_paragraphs_run_together_with_the_page_around_them_never_win():
    # A page of bare divs read as one block: the menus, the story and the footer in one paragraph.
    page = " ".join(["Home News Sport Weather Contact Advertise Jobs"] * 8 + STORY +
                    [f"Footer link {n}. Another story {n}." for n in range(30)])
    assert prefer_second(text_blocks(STORY), text_blocks([page]), seen=" ".join(STORY)) is None
    # The same added text as paragraphs of their own is a fuller reading.
    assert prefer_second(text_blocks(STORY), text_blocks(STORY + MORE_STORY), seen=" ".join(STORY))


def test_an_empty_body_takes_any_readable_second_opinion_but_not_noise():
    assert prefer_second([], text_blocks(STORY))
    noise = "".join(chr(c) for c in random_binary()[:3000] if c > 31)
    assert prefer_second([], text_blocks([noise])) is None


@pytest.mark.parametrize("text, prose", [
    ("The council voted on Tuesday, 5-4, to close the bridge (for now).", True),
    ("東京都は月曜日、新しい計画を発表した。「安全が第一だ」と知事は述べた。", True),
    ("Совет проголосовал во вторник — мост закрыт.", True),
    ("".join(chr(c) for c in random_binary()[:2000]), False),
    ("|| ## ** ~~ ^^ {} <> || ## ** ~~ ^^ {} <>", False),
])
def test_prose_is_told_from_noise_in_any_script(text, prose):
    assert is_prose(text) is prose


def test_binary_noise_is_never_an_article_even_with_a_second_opinion():
    with pytest.raises(ExtractionError):
        extract_article(random_binary(), "https://news.example/noise")


def test_the_pages_menu_is_no_second_opinion_for_a_page_without_a_body():
    menu = text_blocks(["Home", "News", "Sport"])
    assert prefer_second([], menu, links="Home News Sport Weather") is None
    # The headline run into the menu is still the menu.
    assert prefer_second([], text_blocks(["Home News Sport Bridge to reopen"]),
                         links="Home News Sport Bridge to reopen") is None
    # Lines that are not the page's links, or that make a sentence, are read.
    assert prefer_second([], text_blocks(["Test case one", "Test case two"]), links="Home News Sport")
    assert prefer_second([], text_blocks(["The bridge reopens.", "Home News"]), links="Home News Sport")


def _boxed_story(box: str) -> str:
    story = "".join(f"<p>{line} The crossing has been shut for two years of repairs.</p>" for line in STORY)
    return (f"<html><head><title>Bridge to reopen</title></head><body><nav><a href='/'>Home</a>"
            f"<a href='/news'>News</a><a href='/sport'>Sport</a></nav>{box.format('<h1>Bridge to reopen</h1>' + story)}"
            "</body></html>")


@pytest.mark.parametrize("box", ["<aside>{}</aside>", "<footer>{}</footer>"])
def test_a_story_in_a_box_stories_do_not_sit_in_is_published_as_a_guess_not_given_its_menu(box):
    # The box is skipped whole by our reading and by the second opinion's precise one, which
    # gives the menu; its reading that favours recall finds the story.
    article = extract_article(_boxed_story(box), "https://news.example/bridge")
    assert [p.split(" The crossing")[0] for p in article.paragraphs] == STORY
    assert "body" in article.uncertain and "favouring recall" in article.body_source


def test_a_page_whose_only_prose_sits_in_its_comments_is_declined_not_given_its_menu():
    with pytest.raises(ExtractionError, match="no story body was found"):
        extract_article(_boxed_story("<div class='comments'>{}</div>"), "https://news.example/bridge")
