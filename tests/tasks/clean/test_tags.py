"""Tags are subjects an editor filed the story under: not a CMS's codes and
placeholders, not a tagger's entity labels, not the headline again."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
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
