"""poll-feeds and kill-story on Prefect's test harness, against real local servers."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _sources(tmp_path, site, *feeds: str):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + "".join(f"  - name: s{i}\n    url: {site}/feeds/{f}\n" for i, f in enumerate(feeds)))
    return str(path)


def _latest(s3, settings, story_id):
    key = f"{settings.s3_prefix}/{story_id}/latest.json"
    return json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read())


def test_one_failing_story_does_not_stop_the_others(tmp_path, settings, s3, site):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    from flows.poll_feeds import poll_feeds

    state = poll_feeds(sources_file=_sources(tmp_path, site, "mixed.rss", "broken.rss"), return_state=True)
    assert state.is_failed()
    assert "1 published" in state.message
    assert "aleppo-military-complex.png" in state.message and "source s1" in state.message
    stories = {k["Key"].split("/")[1] for k in s3.list_objects_v2(Bucket=settings.s3_bucket)["Contents"]}
    assert any(s.startswith("harbour-bridge-reopens-") for s in stories)

    with get_client(sync_client=True) as client:
        (table, *_) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["poll-feeds-report"])),
            sort=ArtifactSort.CREATED_DESC)
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    statuses = {r["story"]: r["status"] for r in rows}
    assert statuses["Harbour bridge reopens after two-year restoration"] == "published"
    assert statuses["Gallery: the bridge at dawn"] == "failed"
    assert statuses["Embargoed: budget leak"] == "disallowed by robots.txt"
    assert set(rows[0]) >= {"story", "status", "version", "link"}


def test_second_poll_skips_what_it_handled_and_failed_stories_are_retried(tmp_path, settings, s3, site):
    from flows.poll_feeds import poll_feeds

    sources = _sources(tmp_path, site, "news.rss", "mixed.rss")
    first = poll_feeds(sources_file=sources, return_state=True)
    assert "3 published" in first.message  # the bridge is in both feeds: published once
    second = poll_feeds(sources_file=sources, return_state=True)
    assert "0 published" in second.message
    assert second.is_failed() and "aleppo-military-complex.png" in second.message  # retried, still bad
    # news.rss was unchanged (304); mixed.rss, with a failing story, was read again to retry it.
    statuses = {r["story"]: r["status"] for r in _report()}
    assert statuses["(source s0)"] == "source unchanged" and "(source s1)" not in statuses


def test_kill_withdraws_and_a_killed_story_stays_killed(settings, s3, site):
    from flows.kill_story import kill_story
    from flows.publish_story import publish_story

    url = f"{site}/pages/aleppo-offensive.html"
    first = publish_story(url=url)
    canonical = json.loads(s3.get_object(Bucket=settings.s3_bucket,
                                         Key=first.objects[-1].split("/", 3)[3])["Body"].read())["canonical_url"]
    killed = kill_story(url=canonical, note="legal request")
    assert (killed.status, killed.version) == ("published", 2)
    doc = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=killed.objects[0].split("/", 3)[3])["Body"].read())
    assert doc["pubStatus"] == "canceled" and doc["version"] == "2"
    html = s3.get_object(Bucket=settings.s3_bucket, Key=killed.objects[1].split("/", 3)[3])["Body"].read()
    assert b"This story has been withdrawn." in html
    assert _latest(s3, settings, first.story_id)["pub_status"] == "canceled"
    # The tombstone: headline and kill notice, nothing of the story.
    assert b"legal request" in html and b"Aleppo" in html
    first_text = s3.get_object(Bucket=settings.s3_bucket, Key=f"_archive/{first.prefix}/article.txt")["Body"].read()
    assert first_text.splitlines()[-1] not in html
    assert doc.get("associations") in (None, {}) and "subjects" not in doc
    assert not any(o.endswith((".png", ".jpg")) for o in killed.objects)
    # The first version's objects left the public prefix for the private archive.
    public = {o["Key"] for o in s3.list_objects_v2(Bucket=settings.s3_bucket,
                                                   Prefix=first.prefix + "/").get("Contents", [])}
    assert public == set()
    archived = s3.list_objects_v2(Bucket=settings.s3_bucket, Prefix=f"_archive/{first.prefix}/")
    assert {o["Key"].rsplit("/", 1)[1] for o in archived["Contents"]} >= {"article.html", "article.json"}
    # The editor may name the story by the address they submitted.
    assert kill_story(url=url, note="legal request").status == "unchanged"

    assert kill_story(url=canonical, note="legal request").status == "unchanged"
    assert publish_story(url=url).status == "withdrawn"  # a feed poll will not resurrect it
    revived = publish_story(url=url, force=True, note="cleared by legal")
    assert (revived.status, revived.version) == ("published", 3)
    assert _latest(s3, settings, first.story_id)["history"][-1]["changes"]["pub_status"]["to"] == "usable"


def test_killing_an_unknown_story_is_a_clear_error(settings, s3):
    from flows.kill_story import kill_story
    from tasks.stored import StoryNotFoundError

    with pytest.raises(StoryNotFoundError, match="no published story") as raised:
        kill_story(url="https://news.example/never-published", note="mistake")
    assert "by canonical URL" in str(raised.value) and "fetched from" in str(raised.value)


def _report() -> list[dict]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        (table, *_) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["poll-feeds-report"])),
            sort=ArtifactSort.CREATED_DESC)
    return json.loads(table.data) if isinstance(table.data, str) else table.data


def test_an_unchanged_source_is_asked_if_changed_and_not_read_again(tmp_path, settings, s3, site):
    from flows.poll_feeds import poll_feeds
    from tasks.pollstate import state_key

    sources = _sources(tmp_path, site, "news.rss")
    assert "3 published" in poll_feeds(sources_file=sources, return_state=True).message
    state = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=state_key("s0", settings))["Body"].read())
    assert set(state["validators"]) == {"last_modified"}

    second = poll_feeds(sources_file=sources, return_state=True)
    assert second.is_completed() and "0 published" in second.message
    assert [(r["story"], r["status"]) for r in _report()] == [("(source s0)", "source unchanged")]

    forced = poll_feeds(sources_file=sources, force=True, return_state=True)  # force reads it all again
    assert [(r["status"], r["version"]) for r in _report()] == [("published", 2)] * 3 and forced.is_completed()
