"""Poll state in the bucket: validators kept for conditional GETs, and only usable ones used."""

from __future__ import annotations

import json

import pytest

from tasks.feeds import StoryLink
from tasks.models import StoryOutcome
from tasks.pollstate import load_state, record_results, state_key

LAST_MODIFIED = "Tue, 24 Nov 2026 10:00:00 GMT"


def test_validators_are_kept_with_the_entries(settings, s3):
    link = StoryLink(url="https://news.example/a", source="src", published="2026-11-24T10:00:00+00:00")
    outcome = StoryOutcome("a", link.url, "published", 1, "a-1234")
    record_results("src", [(link, outcome)], settings, validators={"etag": '"v1"', "last_modified": LAST_MODIFIED})
    entries, validators = load_state("src", settings)
    assert validators == {"etag": '"v1"', "last_modified": LAST_MODIFIED}
    assert entries["https://news.example/a"]["status"] == "published"


def test_nothing_new_writes_nothing(settings, s3):
    record_results("src", [], settings, validators={"etag": '"v1"'})
    key = state_key("src", settings)
    before = s3.head_object(Bucket=settings.s3_bucket, Key=key)["ETag"]
    record_results("src", [], settings, validators={"etag": '"v1"'})
    assert s3.head_object(Bucket=settings.s3_bucket, Key=key)["ETag"] == before


def test_validators_a_header_cannot_carry_are_not_sent(settings, s3):
    tampered = {"entries": {}, "validators": {"etag": "x\r\nX-Injected: 1", "last_modified": 5, "other": "y"}}
    s3.put_object(Bucket=settings.s3_bucket, Key=state_key("src", settings), Body=json.dumps(tampered).encode())
    assert load_state("src", settings)[1] == {}


def test_statuses_keep_their_words_in_reports_and_state():
    from tasks.models import StoryStatus
    from tasks.pollstate import is_settled

    row = StoryOutcome("a", "https://news.example/a", StoryStatus.DISALLOWED).row()
    assert json.loads(json.dumps(row))["status"] == "disallowed by robots.txt"
    # State written before the statuses were an enum reads back the same.
    assert [is_settled(s) for s in ("published", "unchanged", "withdrawn", "disallowed by robots.txt")] == [True] * 4
    assert not is_settled("failed") and not is_settled(None)



@pytest.mark.parametrize("body", [b"{not json", b'"x"', b'{"entries": ["https://news.example/a"]}',
                                  b'{"entries": {"https://news.example/a": {"status": 5}}}'])
def test_a_corrupt_state_is_set_aside_and_the_source_read_as_new(settings, s3, body):
    key = state_key("src", settings)
    s3.put_object(Bucket=settings.s3_bucket, Key=key, Body=body)
    problems: list[str] = []
    assert load_state("src", settings, on_problem=problems.append) == ({}, {})
    assert len(problems) == 1 and "\n" not in problems[0]
    assert f"stored object {key} is corrupt" in problems[0] and "read as new" in problems[0]
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=settings.s3_bucket, Prefix=key)["Contents"]]
    aside = [k for k in listed if ".corrupt-" in k]
    assert len(aside) == 1
    assert s3.get_object(Bucket=settings.s3_bucket, Key=aside[0])["Body"].read() == body  # kept for inspection
    # The next record replaces it with a good state, and the poll after that reads it.
    link = StoryLink(url="https://news.example/a", source="src")
    record_results("src", [(link, StoryOutcome("a", link.url, "published", 1, "a-1234"))], settings)
    entries, _validators = load_state("src", settings, on_problem=problems.append)
    assert entries["https://news.example/a"]["version"] == 1 and len(problems) == 1
