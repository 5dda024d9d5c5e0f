from __future__ import annotations

from tasks.clean import extract_article
from tasks.dedupe import dedupe_article, find_repeats, normalize
from tasks.models import Article
from tests.conftest import SEED_PAGE, expected_article

LONG = "Battles in Aleppo have raged over the past few months between the Syrian army and rebels."


def _article(paragraphs: list[str]) -> Article:
    html = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return Article(url="https://news.example/a", headline="H", byline=None, published=None, language="en",
                   paragraphs=tuple(paragraphs), image=None, tags=(), body_html=html)


def test_seed_story_keeps_exactly_the_eighteen_paragraphs_in_order():
    expected = expected_article("aleppo-offensive")
    article = extract_article(SEED_PAGE.read_bytes(), expected["url"])
    result = dedupe_article(article, threshold=0.9)
    assert list(result.article.paragraphs) == expected["paragraphs"]
    assert len(result.article.paragraphs) == 18
    assert {r.reason for r in result.removed} == {"exact", "normalized"}
    # the HTML body lost the same repeats
    assert result.article.body_html.count("Battles in Aleppo") == 1
    assert result.article.body_html.count("Russia has denied") == 1


def test_near_repeats_differing_in_quotes_dashes_case_space_and_punctuation():
    variants = [
        "He said the “truce” was over – for now.",
        'He said the "truce" was over - for now',
        "HE SAID THE ‘TRUCE’ WAS OVER — FOR NOW!",
        "He  said the truce was   over - for now...",
    ]
    removed = find_repeats(variants, threshold=0.99)
    assert [r.index for r in removed] == [1, 2, 3]
    assert all(r.duplicate_of == 0 and r.reason == "normalized" for r in removed)


def test_similar_paragraphs_use_the_configured_threshold():
    edited = LONG.replace("few months", "several months")
    assert find_repeats([LONG, edited], threshold=0.9)[0].reason == "similar"
    assert find_repeats([LONG, edited], threshold=0.99) == []


def test_short_distinct_paragraphs_are_not_merged():
    assert find_repeats(["Yes.", "No.", "Yes, he said."], threshold=0.5) == []


def test_first_occurrence_is_kept_and_report_names_it():
    result = dedupe_article(_article([LONG, "Other text of the story goes here.", LONG]), threshold=0.9)
    assert result.article.paragraphs == (LONG, "Other text of the story goes here.")
    (removed,) = result.removed
    assert (removed.index, removed.duplicate_of, removed.reason, removed.text) == (2, 0, "exact", LONG)


def test_no_state_is_shared_between_stories():
    first = dedupe_article(_article([LONG]), threshold=0.9)
    second = dedupe_article(_article([LONG]), threshold=0.9)
    assert first.removed == () and second.removed == ()
    assert second.article.paragraphs == (LONG,)


def test_normalize_folds_what_the_issue_lists():
    assert normalize("  “Quote” — end. ") == normalize('"quote" - END')
