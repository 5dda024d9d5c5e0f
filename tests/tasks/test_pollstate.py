"""Poll state in the bucket: validators kept for conditional GETs, and only usable ones used."""

from __future__ import annotations

import json

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
