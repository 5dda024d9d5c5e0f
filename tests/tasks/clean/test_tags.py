"""Tags are subjects an editor filed the story under: not a CMS's codes and
placeholders, not a tagger's entity labels, not the headline again."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.clean.explain import recording
from tasks.clean.tags import as_tag, is_junk

PROSE = "".join(f"<p>Paragraph {i} of the ferry story, with enough words, commas, and detail to be prose.</p>"
                for i in range(5))


def tags(keywords: str, title: str = "Night ferries return to the harbour") -> tuple[str, ...]:
    page = (f"<html><head><title>{title}</title><meta property='og:title' content='{title}'>"
            f"<meta name='keywords' content='{keywords}'></head><body><article><h1>{title}</h1>"
            f"<div class='story'>{PROSE}</div></article></body></html>")
    return extract_article(page, "https://news.example/ferries").tags


@pytest.mark.parametrize("code", ["megaphone_top", "channel_other", "_no-apple-news", "@hp-top-stories", "/article",
                                  "@post-id:1913719", "Uncategorized", "Front Page", "Show more", "PG&", "T"])
def test_codes_placeholders_and_fragments_are_junk(code):
    assert is_junk(code)


@pytest.mark.parametrize("subject", ["Ferries", "Harbour Board", "C++", "Node.js", "AT&T", "US Politics", "NASA"])
def test_subjects_are_not_junk(subject):
    assert not is_junk(subject)


@pytest.mark.parametrize("raw, tag", [
    ("Mark Esper GOVERNMENT_FIGURE PERSON", "Mark Esper"),
    ("PERSON Ana Ruiz PROFESSIONAL_ATHLETE SPORTS_FIGURE", "Ana Ruiz"),
    ("COACH SPORTS_FIGURE PERSON", ""),
    ("#Harbour", "Harbour"),
    ("NASA", "NASA"),
])
def test_entity_labels_and_hashtag_signs_are_not_part_of_a_tag(raw, tag):
    assert as_tag(raw) == tag


def test_meta_keywords_keep_the_subjects_without_the_junk():
    found = tags("ferries, harbour board, #Ferries, channel_other, type_news, Uncategorized, "
                 "Ana Ruiz GOVERNMENT_FIGURE PERSON, Ana Ruiz")
    assert found == ("ferries", "harbour board", "Ana Ruiz")


def test_the_headline_in_the_keywords_is_not_a_tag():
    assert tags("ferries, Night ferries return to the harbour - Harbour News, timetables") == ("ferries", "timetables")


def tags_after_the_story(after: str) -> tuple[str, ...]:
    page = ("<html><head><title>Night ferries return</title></head><body><article><h1>Night ferries return</h1>"
            f"<div class='story'>{PROSE}</div>{after}</article></body></html>")
    return extract_article(page, "https://news.example/ferries", second_opinion=False).tags


def test_a_tags_list_beside_a_topics_list_is_the_storys_tags():
    lists = ("<div class='post-links'><dl><dt><b>Topics:</b></dt><dd><a href='/c?id=1'>Transport</a>, </dd>"
             "<dd><a href='/c?id=2'>Local</a></dd></dl><dl><dt><b>Tags:</b></dt>"
             "<dd><a href='/s?q=Night+ferries'>Night ferries</a>, </dd><dd><a href='/s?q=Harbour'>Harbour</a></dd>"
             "</dl></div>")
    assert tags_after_the_story(lists) == ("Night ferries", "Harbour")
    # A "Tags" box elsewhere on the page (a column of the site's tags) does not outrank the story's topics.
    far = "<div class='a'><div class='b'><div class='c'><div class='d'><h4>Tags</h4><a href='/t/x'>Weather</a>" \
          "</div></div></div></div>"
    topics = "<div class='post-links'><h4>Topics</h4><a href='/c/1'>Transport</a> <a href='/c/2'>Local</a></div>"
    assert tags_after_the_story(topics + far) == ("Transport", "Local")


def test_links_to_tag_pages_outrank_links_to_topic_pages():
    filed = ("<div class='meta'><a href='/topics/transport'>Transport</a>, <a href='/topics/local'>Local</a></div>"
             "<div class='post-tags'><a href='/tag/ferries/'>ferries</a>, <a href='/tag/harbour/'>harbour</a></div>")
    assert tags_after_the_story(filed) == ("ferries", "harbour")
    # Topic pages alone are the tags.
    assert tags_after_the_story(filed.split("<div class='post-tags'>")[0]) == ("Transport", "Local")


def test_the_storys_writer_is_not_one_of_its_tags():
    page = ("<html><head><title>Night ferries return</title>"
            "<meta name='keywords' content='Ana Ruiz, ferries, harbour board'></head><body><article>"
            "<h1>Night ferries return</h1><p class='byline'>By <a rel='author' href='/people/ana-ruiz'>Ana Ruiz</a></p>"
            f"<div class='story'>{PROSE}</div></article></body></html>")
    with recording() as choices:
        article = extract_article(page, "https://news.example/ferries", second_opinion=False)
    assert article.byline == "Ana Ruiz"
    assert article.tags == ("ferries", "harbour board")
    assert choices["tags"].value == ["ferries", "harbour board"]
    assert [(c.value, c.source) for c in choices["tags"].beaten] == [("Ana Ruiz", "tags (the story's writer)")]
    # A person the story is about stays a tag.
    assert tags("Ana Ruiz, ferries") == ("Ana Ruiz", "ferries")
    # So does the writer where an editor tagged the story with her (a show's host, a columnist's column).
    tagged = page.replace("</article>", "<div class='tags'><a rel='tag' href='/tag/ana-ruiz'>Ana Ruiz</a> "
                                        "<a rel='tag' href='/tag/ferries'>ferries</a></div></article>")
    assert extract_article(tagged, "https://news.example/ferries", second_opinion=False).tags == (
        "Ana Ruiz", "ferries", "harbour board")


@pytest.mark.parametrize("path", ["schlagwort", "stichwort", "mots-cles", "etiket", "tagi", "trefwoord", "hashtag"])
def test_links_to_tag_pages_in_other_languages_are_the_tags(path):
    links = (f"<div class='meta'><a href='/{path}/faehren/'>Fähren</a> <a href='/{path}/hafen/'>Hafen</a></div>")
    assert tags_after_the_story(links) == ("Fähren", "Hafen")
