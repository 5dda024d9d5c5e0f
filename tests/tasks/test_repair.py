"""``newsroom repair``: a corrupt, missing or dangling pointer is rebuilt from
the newest complete version; an intact one is left alone."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cli.main import main as newsroom
from config.settings import Settings
from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.documents import CorruptObjectError
from tasks.fetch import fetch_page
from tasks.publish import publish_draft
from tasks.repair import NOTE, repair_story
from tasks.storage import ObjectStore, ensure_bucket
from tasks.storykeys import story_prefix
from tests.conftest import SEED_PAGE, expected_article
from tests.tasks.test_publish import _keys, _read, assert_consistent

URL = expected_article("aleppo-offensive")["url"]


@pytest.fixture(scope="module")
def first_draft():
    page = fetch_page(str(SEED_PAGE), URL, settings=Settings())
    return build_draft(dedupe_article(clean_page(page), threshold=0.9), page)


@pytest.fixture
def two_versions(settings, first_draft):
    """A story published twice: (store, the story's key prefix, the draft of version 2)."""
    ensure_bucket(settings)
    publish_draft(first_draft, settings)
    article = replace(first_draft.article, headline=first_draft.article.headline + " (updated)")
    second = replace(first_draft, article=article)
    publish_draft(second, settings, note="second edition")
    store = ObjectStore.for_settings(settings)
    return store, story_prefix(settings.s3_prefix, first_draft.story_id), second


def test_an_intact_pointer_is_left_alone(settings, s3, two_versions):
    store, base, _second = two_versions
    before = _read(s3, settings, f"{base}/latest.json")
    result = repair_story(store, settings.s3_prefix, base.rsplit("/", 1)[-1])
    assert (result.status, result.version) == ("intact", 2)
    assert _read(s3, settings, f"{base}/latest.json") == before


def test_a_corrupt_pointer_is_rebuilt_from_the_newest_version_and_kept_aside(settings, s3, two_versions):
    store, base, second = two_versions
    s3.put_object(Bucket=settings.s3_bucket, Key=f"{base}/latest.json", Body=b'{"version": "abc"}')
    result = repair_story(store, settings.s3_prefix, base.rsplit("/", 1)[-1])
    assert (result.status, result.version) == ("repaired", 2)
    assert "field 'version'" in result.problem
    assert _read(s3, settings, result.set_aside) == b'{"version": "abc"}'
    pointer = assert_consistent(s3, settings, second.story_id)
    assert [h["version"] for h in pointer["history"]] == [1, 2] and pointer["history"][-1]["note"] == NOTE
    # Publishing works again on top of the rebuilt pointer, and knows the content it holds.
    assert publish_draft(second, settings).status == "unchanged"


def test_a_pointer_to_an_incomplete_version_falls_back_to_the_last_complete_one(settings, s3, two_versions):
    store, base, _second = two_versions
    s3.delete_object(Bucket=settings.s3_bucket, Key=f"{base}/v0002/article.html")
    result = repair_story(store, settings.s3_prefix, base.rsplit("/", 1)[-1])
    assert (result.status, result.version) == ("repaired", 1)
    assert result.skipped == {2: "article.html is missing"}
    assert "version 2 is incomplete" in result.problem
    assert json.loads(_read(s3, settings, f"{base}/latest.json"))["manifest"].endswith("/v0001/manifest.json")


def test_a_version_whose_object_was_altered_is_not_the_one_readers_get(settings, s3, two_versions):
    store, base, _second = two_versions
    s3.delete_object(Bucket=settings.s3_bucket, Key=f"{base}/latest.json")
    body = _read(s3, settings, f"{base}/v0002/article.txt")
    s3.put_object(Bucket=settings.s3_bucket, Key=f"{base}/v0002/article.txt", Body=body[:-1] + b"!")
    result = repair_story(store, settings.s3_prefix, base.rsplit("/", 1)[-1])
    assert (result.version, result.problem, result.set_aside) == (1, "it is missing", None)
    assert result.skipped == {2: "article.txt does not match its manifest"}


def test_no_complete_version_is_one_clear_error_and_nothing_is_written(settings, s3, first_draft):
    ensure_bucket(settings)
    publish_draft(first_draft, settings)
    base = story_prefix(settings.s3_prefix, first_draft.story_id)
    s3.put_object(Bucket=settings.s3_bucket, Key=f"{base}/latest.json", Body=b"not json")
    s3.delete_object(Bucket=settings.s3_bucket, Key=f"{base}/v0001/manifest.json")
    before = _keys(s3, settings)
    with pytest.raises(CorruptObjectError, match="no stored version is complete"):
        repair_story(ObjectStore.for_settings(settings), settings.s3_prefix, first_draft.story_id)
    assert _keys(s3, settings) == before


def test_the_cli_repairs_a_story_named_by_its_url_even_without_a_pointer(settings, s3, two_versions, capsys):
    _store, base, _second = two_versions
    s3.delete_object(Bucket=settings.s3_bucket, Key=f"{base}/latest.json")
    assert newsroom(["repair", URL]) == 0
    assert capsys.readouterr().out.startswith(f"story {base.rsplit('/', 1)[-1]}: latest.json rebuilt at version 2")
    assert newsroom(["repair", URL]) == 0
    assert "nothing to repair" in capsys.readouterr().out
