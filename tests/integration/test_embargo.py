"""Embargoes on a real S3 server (SeaweedFS), on a driven clock.

The release schedule is a recorder here (tests/flows/test_embargo_flow.py
and the operator walkthrough schedule on a real Prefect server).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from tasks.embargo import EmbargoError, hold_draft, parse_embargo_time, read_pending, withdraw_held
from tasks.lookup import find_story
from tasks.models import PubStatus, StoryStatus
from tasks.pipeline import draft_story, plain_steps, publish_and_announce
from tasks.release import EmbargoNotDueError, release_embargo
from tasks.resources import Resources
from tasks.stored import load_story
from tests.tasks.test_catalog import sitemap_schema

PAGE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "aleppo-offensive.html"
URL = "https://news.example/world/2016/sep/23/aleppo-offensive"
pytestmark = pytest.mark.timeout(300)


class RecordedReleases:
    """Releases kept in a list: what was scheduled, and what was cancelled."""

    def __init__(self) -> None:
        self.scheduled: list[tuple[str, str, datetime]] = []
        self.cancelled: list[str] = []

    def schedule(self, story_id: str, embargo_id: str, at: datetime) -> str:
        self.scheduled.append((story_id, embargo_id, at))
        return f"run-{embargo_id}"

    def cancel(self, run_id: str, reason: str) -> bool:
        self.cancelled.append(run_id)
        return True


class Clock:
    """A driven clock: ``sleep`` moves it on instead of waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def releases() -> RecordedReleases:
    return RecordedReleases()


@pytest.fixture
def resources(settings, s3, releases) -> Resources:
    return Resources(settings, releases=releases)


@pytest.fixture
def draft(resources):
    return draft_story(str(PAGE), plain_steps(resources, isolated=False), url=URL, with_image=False)


def keys(s3, bucket: str, prefix: str = "") -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {o["Key"] for p in pages for o in p.get("Contents", [])}


def read_json(s3, settings, key: str) -> dict:
    return json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read())


def public_view(s3, settings, story_id: str, url: str) -> dict:
    """What a reader or partner can find of the story: its pointer, the feed, the sitemap, the index."""
    bucket = settings.s3_bucket
    found = keys(s3, bucket)
    feed = feedparser.parse(s3.get_object(Bucket=bucket, Key=settings.catalog_feed_key)["Body"].read()) \
        if settings.catalog_feed_key in found else None
    sitemap = s3.get_object(Bucket=bucket, Key=settings.catalog_sitemap_key)["Body"].read() \
        if settings.catalog_sitemap_key in found else None
    index = []
    if settings.catalog_index_key in found:
        for shard in read_json(s3, settings, settings.catalog_index_key)["shards"]:
            index += [s["story_id"] for s in read_json(s3, settings, shard["key"])["stories"]]
    if sitemap is not None:
        schema = sitemap_schema()
        assert schema.validate(etree.fromstring(sitemap)), schema.error_log.last_error
    return {"latest": f"{settings.s3_prefix}/{story_id}/latest.json" in found,
            "feed": [e.link for e in feed.entries] if feed else [],
            "sitemap": url.encode() in sitemap if sitemap else False,
            "index": story_id in index,
            "public_objects": sorted(k for k in found if k.startswith(f"{settings.s3_prefix}/{story_id}/"))}


def test_a_held_story_is_invisible_until_its_release_run_publishes_it(settings, s3, resources, releases, draft):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    until = now + timedelta(hours=2)
    held = hold_draft(draft, settings, resources.store, releases, until=until, note="budget day", now=now)
    assert held.result.status == StoryStatus.EMBARGOED
    embargo = held.embargo
    assert releases.scheduled == [(draft.story_id, embargo.embargo_id, until)]
    assert embargo.release_run == f"run-{embargo.embargo_id}"

    # Held privately, rendered as withheld; nothing public at all.
    folder = f"{settings.embargo_prefix}/{settings.s3_prefix}/{draft.story_id}/{embargo.embargo_id}"
    assert keys(s3, settings.s3_bucket, folder) >= {f"{folder}/{n}" for n in (
        "article.json", "article.html", "article.txt", "manifest.json", "draft.json")}
    document = read_json(s3, settings, f"{folder}/article.json")
    assert (document["pubStatus"], document["embargoedUntil"]) == ("withheld", until.isoformat())
    page = s3.get_object(Bucket=settings.s3_bucket, Key=f"{folder}/article.html")["Body"].read().decode()
    assert "Embargoed: not for publication before" in page
    assert public_view(s3, settings, draft.story_id, draft.article.url) == {"latest": False, "feed": [], "sitemap": False,
                                                         "index": False, "public_objects": []}
    # A feed poll meeting the story leaves it held.
    assert publish_and_announce(resources, draft, False, None, None).status == StoryStatus.EMBARGOED
    assert public_view(s3, settings, draft.story_id, draft.article.url)["latest"] is False

    # Run far too early (a clock gone wrong): nothing is released.
    clock = Clock(now + timedelta(minutes=30))
    with pytest.raises(EmbargoNotDueError, match="not due until"):
        release_embargo(resources.store, settings, draft.story_id, embargo.embargo_id, clock=clock,
                        sleep=clock.sleep)
    assert public_view(s3, settings, draft.story_id, draft.article.url)["latest"] is False

    # Started by a worker a few seconds ahead: it waits for the time, then publishes.
    clock = Clock(until - timedelta(seconds=8))
    release = release_embargo(resources.store, settings, draft.story_id, embargo.embargo_id, clock=clock,
                              sleep=clock.sleep)
    assert clock.slept == [8.0] and release.outcome == "released"
    view = public_view(s3, settings, draft.story_id, draft.article.url)
    assert view["latest"] and view["sitemap"] and view["index"] and view["feed"]
    latest = read_json(s3, settings, f"{settings.s3_prefix}/{draft.story_id}/latest.json")
    assert (latest["version"], latest["pub_status"]) == (1, "usable")
    released = read_json(s3, settings, f"{settings.s3_prefix}/{draft.story_id}/v0001/article.json")
    assert (released["pubStatus"], released["embargoedUntil"]) == ("usable", until.isoformat())
    # Exactly what was held went out.
    assert released["bodies"] == document["bodies"] and released["headlines"] == document["headlines"]
    # The embargo's private files are gone, and a second run of the release does nothing.
    assert keys(s3, settings.s3_bucket, f"{settings.embargo_prefix}/") == set()
    again = release_embargo(resources.store, settings, draft.story_id, embargo.embargo_id)
    assert again.outcome == "nothing to release"
    # The released story is what a later poll fetches: no second version.
    assert publish_and_announce(resources, draft, False, None, None).status == StoryStatus.UNCHANGED


def test_a_newer_version_cancels_the_release_and_the_run_releases_nothing(settings, s3, resources, releases, draft):
    first = publish_and_announce(resources, draft, False, None, ())
    assert first.status == StoryStatus.PUBLISHED
    update = replace(draft, article=replace(draft.article, headline="Aleppo: the embargoed update"))
    held = hold_draft(update, settings, resources.store, releases, until=datetime.now(timezone.utc) + timedelta(days=1))
    # While it is held, readers keep the live version.
    latest = read_json(s3, settings, f"{settings.s3_prefix}/{draft.story_id}/latest.json")
    assert latest["version"] == 1 and latest["headline"] == draft.article.headline

    # An editor publishes a correction now: the embargo ends, its release is cancelled.
    correction = replace(draft, article=replace(draft.article, headline="Aleppo: corrected now"))
    assert publish_and_announce(resources, correction, False, "a correction", ()).status == StoryStatus.PUBLISHED
    assert releases.cancelled == [held.embargo.release_run]
    assert read_pending(resources.store, settings, draft.story_id) == (None, None)
    assert keys(s3, settings.s3_bucket, f"{settings.embargo_prefix}/") == set()
    # Should the run start anyway (its cancel lost), it releases nothing.
    late = Clock(datetime.now(timezone.utc) + timedelta(days=2))
    outcome = release_embargo(resources.store, settings, draft.story_id, held.embargo.embargo_id,
                              clock=late, sleep=late.sleep)
    assert outcome.outcome == "nothing to release"
    assert read_json(s3, settings, f"{settings.s3_prefix}/{draft.story_id}/latest.json")["version"] == 2


def test_a_kill_ends_an_embargo_whether_or_not_the_story_was_ever_public(settings, s3, resources, releases, draft):
    until = datetime.now(timezone.utc) + timedelta(hours=1)
    held = hold_draft(draft, settings, resources.store, releases, until=until)
    # Never public: found by its URL as held only, then the embargo ends unreleased.
    found = find_story(resources.store, settings.s3_prefix, URL, embargo_prefix=settings.embargo_prefix)
    assert (found.story_id, found.public) == (draft.story_id, False)
    ended = withdraw_held(resources.store, settings, releases, draft.story_id, note="legal", requested_by="desk")
    assert ended.status == StoryStatus.WITHDRAWN
    assert releases.cancelled == [held.embargo.release_run]
    assert keys(s3, settings.s3_bucket, f"{settings.embargo_prefix}/") == set()
    (audit,) = keys(s3, settings.s3_bucket, f"{settings.audit_prefix}/")
    record = read_json(s3, settings, audit)
    assert (record["reason"], record["requested_by"], record["embargo_until"]) == ("legal", "desk", until.replace(
        microsecond=0).isoformat())

    # Public, with an embargoed update pending: the kill's tombstone ends it too.
    publish_and_announce(resources, draft, False, None, ())
    update = replace(draft, article=replace(draft.article, headline="Aleppo: update under embargo"))
    second = hold_draft(update, settings, resources.store, releases, until=until)
    tombstone = load_story(draft.story_id, settings, resources.store).withdrawn("legal")
    assert tombstone.pub_status == PubStatus.CANCELED
    assert publish_and_announce(resources, tombstone, False, "withdrawn: legal", ()).status == StoryStatus.PUBLISHED
    assert releases.cancelled[-1] == second.embargo.release_run
    assert read_pending(resources.store, settings, draft.story_id) == (None, None)


def test_a_killed_story_restored_under_embargo_comes_back_at_its_release(settings, s3, resources, releases, draft):
    publish_and_announce(resources, draft, False, None, ())
    tombstone = load_story(draft.story_id, settings, resources.store).withdrawn("legal")
    publish_and_announce(resources, tombstone, False, "withdrawn: legal", ())
    until = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)
    # Without force a withdrawn story stays withdrawn, embargo or not.
    refused = hold_draft(draft, settings, resources.store, releases, until=until)
    assert refused.result.status == StoryStatus.WITHDRAWN and refused.embargo is None
    restored = hold_draft(draft, settings, resources.store, releases, until=until, force=True)
    assert restored.result.status == StoryStatus.EMBARGOED
    due = Clock(until)
    release = release_embargo(resources.store, settings, draft.story_id, restored.embargo.embargo_id,
                              clock=due, sleep=due.sleep)
    assert release.outcome == "released"
    latest = read_json(s3, settings, f"{settings.s3_prefix}/{draft.story_id}/latest.json")
    assert (latest["version"], latest["pub_status"]) == (3, "usable")
    assert public_view(s3, settings, draft.story_id, draft.article.url)["index"]


def test_holding_again_is_idempotent_and_a_new_time_replaces_the_embargo(settings, s3, resources, releases, draft):
    until = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)
    first = hold_draft(draft, settings, resources.store, releases, until=until)
    retried = hold_draft(draft, settings, resources.store, releases, until=until)
    assert retried.result.status == StoryStatus.UNCHANGED and retried.embargo == first.embargo
    assert len(releases.scheduled) == 1

    later = hold_draft(draft, settings, resources.store, releases, until=until + timedelta(hours=3))
    assert later.replaced == first.embargo and later.embargo.embargo_id != first.embargo.embargo_id
    assert releases.cancelled == [first.embargo.release_run]
    held = keys(s3, settings.s3_bucket, f"{settings.embargo_prefix}/")
    assert not any(f"/{first.embargo.embargo_id}/" in k for k in held)
    assert any(f"/{later.embargo.embargo_id}/" in k for k in held)
    # The first embargo's run, should it start, releases nothing.
    assert release_embargo(resources.store, settings, draft.story_id,
                           first.embargo.embargo_id).outcome == "nothing to release"


@pytest.mark.parametrize(("given", "problem"), [
    ("2026-12-24T18:00:00", "has no time zone"),
    ("2001-01-01T00:00:00Z", "is not in the future"),
    ("next tuesday", "is not an ISO 8601 time"),
])
def test_an_embargo_time_that_cannot_be_is_one_line(given, problem):
    with pytest.raises(EmbargoError, match=problem) as caught:
        parse_embargo_time(given, now=datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert "\n" not in str(caught.value)


def test_an_embargo_time_is_kept_in_utc():
    moment = parse_embargo_time("2026-12-24T18:00:00.250+01:00", now=datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert moment.isoformat() == "2026-12-24T17:00:00+00:00"
