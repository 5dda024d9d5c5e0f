"""A newsroom's appeal for money inside the story is not story text; a story
about giving, a quoted appeal and a columnist's own gift are."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.clean.appeals import READER_APPEAL

PROSE = [f"<p>Paragraph {i} of the ferry story, with enough words, commas, and detail to be prose about the harbour.</p>"
         for i in range(6)]


def story_with(box: str) -> list[str]:
    page = ("<html><head><title>Night ferries</title></head><body><article><h1>Night ferries</h1>"
            f"{''.join(PROSE[:3])}{box}{''.join(PROSE[3:])}</article></body></html>")
    return list(extract_article(page, "https://news.example/ferries", second_opinion=False).paragraphs)


@pytest.mark.parametrize("box", [
    "<div class='contributions'><h2>Support us</h2><p>We are an independent newsroom. Our journalism is free for "
    "everyone, funded by readers like you. If you value it, please consider supporting us with a monthly gift.</p>"
    "<a href='/donate'>Donate now</a></div>",
    "<aside><p><strong>Before you go…</strong> Independent journalism costs money. Become a member today from just £5 "
    "a month and help keep our reporting free.</p><a href='/join'>Become a member</a></aside>",
    "<div><p>If you appreciate our work, please <a href='/donate'>make a donation</a> to support local journalism.</p></div>",
    "<p>This article is available free thanks to the support of our readers. <a href='/support'>Support us</a></p>",
    "<p>Unterstützen Sie unabhängigen Journalismus: Jetzt spenden!</p>",
    "<p>Soutenez-nous : faites un don.</p>",
])
def test_an_appeal_for_the_newsrooms_funds_is_not_story_text(box):
    assert [p[:12] for p in story_with(box)] == ["Paragraph 0 ", "Paragraph 1 ", "Paragraph 2 ", "Paragraph 3 ",
                                                 "Paragraph 4 ", "Paragraph 5 "]


@pytest.mark.parametrize("line", [
    "The charity asked readers to donate blankets before the winter storms reach the coast.",
    "Our family decided to donate the proceeds to the food bank, and you can too, my mother said.",
    "“Please support our journalism,” the editor wrote in a letter to readers of the harbour paper.",
    "If you want to support local journalism, the report says, towns should fund newsrooms directly.",
    "You can donate to the lifeboat appeal at any branch of the bank, the organisers said on Tuesday.",
    "We asked our readers what you thought of the new timetable, and hundreds of you wrote to our newsroom.",
    "Jetzt spenden viele Menschen für die Flutopfer, sagte der Sprecher der Stadt am Dienstag.",
])
def test_a_story_about_giving_stays(line):
    assert not READER_APPEAL.match(line)
    assert line in story_with(f"<p>{line}</p>")


def test_a_long_block_is_read_in_linear_time():
    # Every lookahead is bounded by the block's length test that opens it.
    assert not READER_APPEAL.match("support us " * 50_000 + "“")
    assert not READER_APPEAL.match("we you donate journalism " * 50_000)
