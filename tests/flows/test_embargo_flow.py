"""An embargo on Prefect's test harness: publish-story schedules a real
release-story run for the embargo's end, a newer version cancels it, and
the release flow publishes the held story (SeaweedFS or moto's server)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")
SEED = "pages/aleppo-offensive.html"


@pytest.fixture(scope="module")
def release_deployment(prefect_harness) -> str:
    """release-story/on-demand, registered as prefect.yaml names it."""
    from flows.release_story import release_story

    release_story.to_deployment(name="on-demand").apply()
    return "release-story/on-demand"


def _run(run_id: str):
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id)


def _pending(s3, settings, story_id: str) -> dict:
    key = f"{settings.embargo_prefix}/{settings.s3_prefix}/{story_id}/pending.json"
    return json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read())


def test_an_embargo_schedules_its_release_and_a_newer_version_cancels_it(settings, s3, site, release_deployment):
    from flows.publish_story import publish_story

    until = (datetime.now(timezone.utc) + timedelta(hours=6)).replace(microsecond=0)
    held = publish_story(url=f"{site}/{SEED}", embargo_until=until, note="budget day")
    assert held.status == "embargoed"
    pending = _pending(s3, settings, held.story_id)
    run = _run(pending["release_run"])
    assert run.state.type.value == "SCHEDULED"
    assert run.state.state_details.scheduled_time == until
    assert run.parameters == {"story_id": held.story_id, "embargo_id": pending["embargo_id"]}
    listed = s3.list_objects_v2(Bucket=settings.s3_bucket, Prefix=f"{settings.s3_prefix}/{held.story_id}/")
    assert listed.get("KeyCount", 0) == 0  # nothing public yet

    # The editor publishes now instead: the scheduled release is cancelled.
    now = publish_story(url=f"{site}/{SEED}")
    assert (now.status, now.version) == ("published", 1)
    assert _run(pending["release_run"]).state.type.value == "CANCELLED"


def test_the_release_flow_publishes_the_held_story_when_it_is_due(settings, s3, site, release_deployment):
    from flows.publish_story import publish_story
    from flows.release_story import release_story

    # Due in two seconds: a run started now waits for the time (as one a worker
    # submits a little early does), then publishes.
    until = (datetime.now(timezone.utc) + timedelta(seconds=3)).replace(microsecond=0)
    held = publish_story(url=f"{site}/pages/gazette-div-paragraphs.html", embargo_until=until)
    pending = _pending(s3, settings, held.story_id)
    outcome = release_story(story_id=held.story_id, embargo_id=pending["embargo_id"])
    assert outcome == "released"
    assert datetime.now(timezone.utc) >= until
    latest_key = f"{settings.s3_prefix}/{held.story_id}/latest.json"
    latest = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=latest_key)["Body"].read())
    assert (latest["version"], latest["pub_status"]) == (1, "usable")
    assert "released from embargo" in latest["history"][-1]["note"]


def test_an_embargo_without_a_time_zone_is_refused_before_any_work(settings, s3, site):
    from flows.publish_story import publish_story

    state = publish_story(url=f"{site}/{SEED}", embargo_until="2030-01-01T10:00:00", return_state=True)
    assert state.is_failed()
    assert "timezone" in str(state.message).lower() or "time zone" in str(state.message).lower()


def test_killing_a_story_held_but_never_public_ends_its_embargo(settings, s3, site, release_deployment):
    from flows.kill_story import kill_story
    from flows.publish_story import publish_story

    until = (datetime.now(timezone.utc) + timedelta(hours=6)).replace(microsecond=0)
    held = publish_story(url=f"{site}/pages/harbour-sharebar-ads.html", embargo_until=until)
    run_id = _pending(s3, settings, held.story_id)["release_run"]
    # Named by the address the editor has: the page it was fetched from.
    killed = kill_story(url=f"{site}/pages/harbour-sharebar-ads.html", note="source withdrew it", requested_by="desk")
    assert killed.status == "withdrawn"
    assert _run(run_id).state.type.value == "CANCELLED"
    leftovers = s3.list_objects_v2(Bucket=settings.s3_bucket, Prefix=f"{settings.embargo_prefix}/")
    assert leftovers.get("KeyCount", 0) == 0
