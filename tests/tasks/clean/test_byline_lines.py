"""A byline printed as a line of text, with no mark in the markup, in
scripts without capitals: the label or the role around the name goes, the
line leaves the body, and a line that only looks like one signs nothing."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.clean.names import person_names

PROSE = "".join(f"<p>Paragraph {i} of the harbour story, with enough words, commas, and detail to be prose.</p>"
                for i in range(5))


def story(line: str, lang: str, marked: bool = False):
    box = f"<div class='author'>{line}</div>" if marked else f"<p>{line}</p>"
    page = (f"<html lang='{lang}'><head><title>Harbour dredging</title></head><body><article>"
            f"<h1>Harbour dredging</h1>{box}<div class='story'>{PROSE}</div></article></body></html>")
    return extract_article(page, "https://www.harbourtimes.example/story")


@pytest.mark.parametrize("line, lang, expected", [
    ("记者 张伟", "zh", "张伟"),
    ("本报记者张伟", "zh", "张伟"),  # the paper's own reporter, written together
    ("文/张伟", "zh", "张伟"),
    ("作者︱春春", "zh", "春春"),
    ("文：山田太郎", "ja", "山田太郎"),
    ("山田 太郎 記者", "ja", "山田 太郎"),  # the role after the name, a space between family and given name
    ("홍길동 기자", "ko", "홍길동"),
    ("[서울=뉴시스] 홍길동 기자 =", "ko", "홍길동"),  # a wire's dateline before, its "=" after
    ("홍길동 기자 (hong@harbourtimes.example)", "ko", "홍길동"),
    ("홍길동·김철수 기자", "ko", "홍길동 and 김철수"),
    ("بقلم: محمد علي", "ar", "محمد علي"),
    ("كتب: محمد علي", "ar", "محمد علي"),
    ("מאת: דנה כהן", "he", "דנה כהן"),
    ("लेखक: राम शर्मा", "hi", "राम शर्मा"),
    ("โดย สมชาย ใจดี", "th", "สมชาย ใจดี"),
    ("نویسنده: علی رضایی", "fa", "علی رضایی"),
    ("Penulis: Budi Santoso", "id", "Budi Santoso"),
    ("Oleh Budi Santoso", "id", "Budi Santoso"),
])
def test_an_unmarked_byline_in_a_script_without_capitals_names_its_writer(line, lang, expected):
    article = story(line, lang)
    assert article.byline == expected
    assert not any(line in p for p in article.paragraphs)
    # In a box marked as the author's, the label goes too.
    assert story(line, lang, marked=True).byline == expected


@pytest.mark.parametrize("line, lang", [
    ("记者会", "zh"),  # "press conference": the label's word with no separator
    ("据新华社报道", "zh"),  # "Xinhua reports"
    ("취재 기자", "ko"),  # "covering reporter": a kind of journalist, no name
    ("كتب جديدة", "ar"),  # "new books": the word for "wrote", with no colon
    ("责任编辑：王芳", "zh"),  # the editor, not the writer
])
def test_a_line_that_only_looks_like_a_byline_signs_nothing(line, lang):
    assert story(line, lang).byline is None


@pytest.mark.parametrize("text, expected", [
    ("来源：新华社 作者：张伟", ["张伟"]),  # the source beside the writer
    ("作者：张伟 责任编辑：王芳", ["张伟"]),  # the editor after the writer
    ("Reporter: Budi Santoso", ["Budi Santoso"]),
])
def test_others_a_byline_box_labels_are_not_its_writers(text, expected):
    assert person_names(text) == expected


@pytest.mark.parametrize("line, lang", [
    ("Ana Ruiz | 12 March 2024 | 4 min read", "en"),
    ("Ana Ruiz · Madrid · 12 mar 2024 - 10:30 CET", "es"),  # the place filed from, then the date
    ("Ana Ruiz | 12.03.2024 | Lesezeit: 4 Min.", "de"),
])
def test_a_name_with_no_by_before_the_date_line_is_the_byline(line, lang):
    article = story(line, lang)
    assert article.byline == "Ana Ruiz"
    assert article.paragraphs[0].startswith("Paragraph 0")


@pytest.mark.parametrize("line", [
    "Harbour Times | 12 March 2024",  # the outlet, not a person
    "Read more | 12 March 2024",
    "Ana Ruiz | Harbour dredging begins as the council votes | 12 March 2024",  # a teaser: name, headline, date
])
def test_a_line_of_other_words_before_a_date_signs_nothing(line):
    assert story(line, "en").byline is None
