"""Reading the writers' names out of a byline string: not the photographer
or editor named after them, the place they filed from, or a bio's sentence."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article

PROSE = "".join(f"<p>Paragraph {i} of the harbour story, with enough words, commas, and detail to be prose.</p>"
                for i in range(5))


def byline(line: str, lang: str = "en") -> str | None:
    page = (f"<html lang='{lang}'><head><title>Harbour dredging</title></head><body><article>"
            f"<h1>Harbour dredging</h1>{line}<div class='story'>{PROSE}</div></article></body></html>")
    return extract_article(page, "https://www.harbourtimes.example/story").byline


@pytest.mark.parametrize("line, lang", [
    ("<p>Text: Ana Ruiz, Fotos: Tom Davies</p>", "de"),  # the photographer, after their own label
    ("<p>Texto: Ana Ruiz | Fotos: Tom Davies</p>", "es"),
    ("<p>Texte : Ana Ruiz. Photos : Tom Davies</p>", "fr"),
    ("<div class='byline'>Words by Ana Ruiz, pictures by Tom Davies</div>", "en"),
    ("<p>Par Ana Ruiz (à Lyon)</p>", "fr"),  # the place she filed from, in brackets
    ("<p>Por Ana Ruiz, do Rio</p>", "pt"),  # or after a comma
    ("<p>Ein Kommentar von Ana Ruiz</p>", "de"),  # the kind of piece before "by"
    ("<p>Par Ana Ruiz - Publié le 12 mars 2024 à 10h30</p>", "fr"),  # the date line after a dash
    ("<div class='author-card'><div class='name'>Ana Ruiz</div>"
     "<div class='bio'>Ana Ruiz is our transport correspondent.</div></div>", "en"),  # a bio's sentence
])
def test_only_the_writer_is_read_from_a_byline_that_names_more(line, lang):
    assert byline(line, lang) == "Ana Ruiz"


@pytest.mark.parametrize("line, lang", [
    ("<p class='autor'>Ana Ruiz y Tom Davies</p>", "es"),  # "autor", as Spanish and German markup says it
    ("<div class='auteur'>Ana Ruiz et Tom Davies</div>", "fr"),
    ("<span class='autore'>Ana Ruiz e Tom Davies</span>", "it"),
    ("<p class='autor'>Ana Ruiz und Tom Davies (dpa)</p>", "de"),
])
def test_a_box_marked_author_in_another_language_names_the_writers(line, lang):
    assert byline(line, lang) == "Ana Ruiz and Tom Davies"


def test_a_sentence_about_the_writer_in_a_story_is_still_no_byline():
    assert byline("<p>Ana Ruiz is our transport correspondent, and she has covered the port for years.</p>") is None


@pytest.mark.parametrize("line", [
    "<address>Ana Ruiz</address>",  # HTML's own mark for the article's author
    "<div data-testid='byline'>By Ana Ruiz</div>",  # hashed classes, the part named for tests
    "<div data-component='byline-block'><span>Ana Ruiz</span></div>",
    "<div class='meta'><span class='label'>Written by</span> <strong>Ana Ruiz</strong></div>",
    "<div class='byline'><a href='https://twitter.com/anaruiz'>@anaruiz</a> Ana Ruiz</div>",  # her handle first
    # two boxes laid out apart and written together: the name, then her title
    "<div class='byline'><img src='/ana.jpg' alt=''><span>Ana Ruiz</span><span>Transport correspondent</span></div>",
])
def test_the_writer_is_found_however_the_byline_box_is_marked(line):
    assert byline(line) == "Ana Ruiz"


def test_a_sentence_that_names_someone_by_in_a_controls_label_is_no_byline():
    report = ("<div><a href='/contact' aria-label='Report Twitter post by @harbourmin'>Report</a></div>"
              "<address class='contact'>Harbour Times, 1 Quay Street</address>")
    assert byline(report) is None
