"""What an operator does, for real: start Prefect, deploy from prefect.yaml,
start a worker, press Run (the REST call the UI makes), poll feeds twice."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.integration.prefect_server import prefect_server, worker

pytestmark = pytest.mark.integration

SEED = "pages/aleppo-offensive.html"


def _keys(s3, bucket: str) -> list[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(o["Key"] for p in pages for o in p.get("Contents", []))


def _deployment_id(server, name: str) -> str:
    response = server.api("GET", f"/deployments/name/{name}")
    assert response.status_code == 200, response.text
    return response.json()["id"]


def _run(server, deployment: str, parameters: dict) -> dict:
    """What the UI's Run button does: POST create_flow_run with the form's parameters."""
    response = server.api("POST", f"/deployments/{_deployment_id(server, deployment)}/create_flow_run",
                          json={"parameters": parameters, "state": {"type": "SCHEDULED"}})
    assert response.status_code == 201, response.text
    return server.wait_for_run(response.json()["id"])


def _story_events(server, expect: set[str], timeout: float = 60) -> list[dict]:
    """The newsroom.story.* events the server has seen (events arrive shortly after their runs: poll)."""
    deadline = time.monotonic() + timeout
    events: list[dict] = []
    while time.monotonic() < deadline:
        body = {"filter": {"event": {"prefix": ["newsroom.story."]}}, "limit": 50}
        events = server.api("POST", "/events/filter", json=body).json()["events"]
        if expect <= {e["event"] for e in events}:
            return events
        time.sleep(1)
    raise AssertionError(f"events seen: {sorted({e['event'] for e in events})}; expected {sorted(expect)}")


def _triggered_run(server, deployment: str, timeout: float = 180) -> dict:
    """The first run an automation created for ``deployment``, once finished."""
    body = {"deployments": {"id": {"any_": [_deployment_id(server, deployment)]}}}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = server.api("POST", "/flow_runs/filter", json=body).json()
        if runs:
            return server.wait_for_run(runs[0]["id"], timeout=max(10.0, deadline - time.monotonic()))
        time.sleep(1)
    raise AssertionError(f"no run of {deployment} was triggered in {timeout:.0f} s")


def _embargo_released_by_its_scheduled_run(server, s3, settings, site) -> str:
    """Hold a story through the Run form; the release run it scheduled publishes it, unprompted."""
    until = (datetime.now(timezone.utc) + timedelta(seconds=60)).replace(microsecond=0)
    held = _run(server, "publish-story/on-demand", {"url": f"{site}/pages/gazette-div-paragraphs.html",
                                                    "embargo_until": until.isoformat()})
    assert held["state"]["type"] == "COMPLETED", held["state"]
    server.logs(held["id"], "embargoed")
    body = {"deployments": {"id": {"any_": [_deployment_id(server, "release-story/on-demand")]}}}
    (release,) = server.api("POST", "/flow_runs/filter", json=body).json()
    # Scheduled for the embargo's end; a worker may already hold it (Pending) on a slow machine.
    assert datetime.fromisoformat(release["expected_start_time"]) == until, release["expected_start_time"]
    assert release["state"]["type"] in ("SCHEDULED", "PENDING", "RUNNING"), release["state"]
    story_id = release["parameters"]["story_id"]
    latest_key = f"{settings.s3_prefix}/{story_id}/latest.json"
    if datetime.now(timezone.utc) < until:  # held: nothing public before the embargo ends
        assert latest_key not in _keys(s3, settings.s3_bucket)
    done = server.wait_for_run(release["id"], timeout=300)
    assert done["state"]["type"] == "COMPLETED", done["state"]
    latest = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=latest_key)["Body"].read())
    assert (latest["version"], latest["pub_status"]) == (1, "usable")
    # Prefect may start a run a moment early; the release waits for the time itself.
    assert datetime.fromisoformat(latest["updated_at"]) >= until
    return story_id


def test_deploy_run_from_ui_and_poll_feeds(tmp_path: Path, settings, s3, site):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: gazette\n    url: {site}/feeds/news.rss\n    tags: [Local]\n"
        f"  - name: courier\n    url: {site}/feeds/world.atom\n"
        f"  - name: gazette-sitemap\n    url: {site}/feeds/news-sitemap.xml\n    kind: sitemap\n"
    )
    worker_env = {k: v for k, v in {
        "NEWSROOM_PROJECT_DIR": str(Path(__file__).resolve().parents[2]),
        "NEWSROOM_S3_ENDPOINT_URL": settings.s3_endpoint_url,
        "NEWSROOM_S3_BUCKET": settings.s3_bucket,
        "NEWSROOM_S3_ADDRESSING_STYLE": "path",
        "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSROOM_SOURCES_FILE": str(sources),
    }.items()}
    home = tmp_path / "prefect-home"
    home.mkdir()
    with prefect_server(home) as server:
        server.cli("work-pool", "create", "newsroom", "--type", "process")
        # Creating the docker pool (and deploying to it) needs no Docker engine.
        server.cli("work-pool", "create", "newsroom-docker", "--type", "docker")
        deployed = server.cli("--no-prompt", "deploy", "--all")
        assert "publish-story/on-demand" in deployed.stdout + deployed.stderr

        # The deployments as prefect.yaml declares them.
        poll = server.api("GET", "/deployments/name/poll-feeds/scheduled").json()
        (schedule,) = poll["schedules"]
        assert schedule["schedule"]["cron"] == "*/15 * * * *" and schedule["schedule"]["timezone"]
        form = server.api("GET", "/deployments/name/publish-story/on-demand").json()
        properties = form["parameter_openapi_schema"]["properties"]
        assert properties["url"]["description"] and properties["force"]["description"]
        assert form["pull_steps"] == [{"config.project_dir.set_project_directory": {}}]
        for name in ("publish-story/on-demand-docker", "poll-feeds/scheduled-docker", "kill-story/on-demand",
                     "kill-story/on-demand-docker", "release-story/on-demand", "release-story/on-demand-docker"):
            assert server.api("GET", f"/deployments/name/{name}").status_code == 200, name

        # Invalid input is refused before any work.
        bad = server.api("POST", f"/deployments/{_deployment_id(server, 'publish-story/on-demand')}/create_flow_run",
                         json={"parameters": {"url": "ftp://nowhere.example/x"}})
        assert bad.status_code in (409, 422), bad.text

        run_dir = tmp_path / "worker-cwd"  # not the repository: the pull step must find it
        run_dir.mkdir()
        with worker(server, "newsroom", worker_env, run_dir):
            run = _run(server, "publish-story/on-demand", {"url": f"{site}/{SEED}", "note": "first edition"})
            assert run["state"]["type"] == "COMPLETED", run["state"]
            server.logs(run["id"], "published")
            keys = _keys(s3, settings.s3_bucket)
            manifests = [k for k in keys if k.endswith("/v0001/manifest.json")]
            assert len(manifests) == 1
            manifest = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=manifests[0])["Body"].read())
            assert {o["name"] for o in manifest["objects"]} == {"article.json", "article.html", "article.txt",
                                                              "image.png"}

            # Files on the worker are not for UI users to publish.
            sneaky = _run(server, "publish-story/on-demand", {"url": f"{site}/{SEED}", "source_file": "/etc/hostname"})
            assert sneaky["state"]["type"] == "FAILED"
            server.logs(sneaky["id"], "source_file is for local runs only")

            first_poll = _run(server, "poll-feeds/scheduled", {})
            assert first_poll["state"]["type"] == "COMPLETED", first_poll["state"]
            after_first = _keys(s3, settings.s3_bucket)
            new_manifests = sorted(k for k in after_first if k.endswith("manifest.json") and k not in keys)
            # The three gazette stories are new; the courier story was published already
            # (and its content is unchanged), so it gets no new version.
            assert len(new_manifests) == 3, new_manifests
            assert all("/v0001/" in k for k in new_manifests)

            second_poll = _run(server, "poll-feeds/scheduled", {})
            assert second_poll["state"]["type"] == "COMPLETED", second_poll["state"]
            assert _keys(s3, settings.s3_bucket) == after_first
            assert "0 published" in second_poll["state"]["message"]

            canonical = manifest["canonical_url"]
            killed = _run(server, "kill-story/on-demand", {"url": canonical, "note": "legal request"})
            assert killed["state"]["type"] == "COMPLETED", killed["state"]
            latest_key = manifests[0].replace("v0001/manifest.json", "latest.json")
            latest = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=latest_key)["Body"].read())
            assert (latest["version"], latest["pub_status"]) == (2, "canceled")
            assert [h["note"] for h in latest["history"]] == ["first edition", "withdrawn: legal request"]
            # The kill takes the first version out of public view and keeps it in the private archive.
            after_kill = _keys(s3, settings.s3_bucket)
            assert manifests[0] not in after_kill
            assert f"{settings.archive_prefix}/{manifests[0]}" in after_kill

            released_id = _embargo_released_by_its_scheduled_run(server, s3, settings, site)

            # prefect.yaml's trigger: the kill's withdrawn event ran refresh-catalog.
            refresh = _triggered_run(server, "refresh-catalog/on-demand")
            assert refresh["state"]["type"] == "COMPLETED", refresh["state"]
            assert "newsroom.story.withdrawn" in refresh["parameters"]["reason"]
            server.logs(refresh["id"], "rendered again")

        # Every change told other systems, as Prefect events on the server.
        events = _story_events(server, {"newsroom.story.published", "newsroom.story.withdrawn",
                                        "newsroom.story.embargoed", "newsroom.story.released"})
        story_id = manifest["story_id"]
        withdrawn = next(e for e in events if e["event"] == "newsroom.story.withdrawn")
        assert withdrawn["resource"]["prefect.resource.id"] == f"newsroom.story.{story_id}"
        assert withdrawn["payload"]["version"] == 2 and withdrawn["payload"]["url"] == canonical
        assert withdrawn["payload"]["latest"] == f"s3://{settings.s3_bucket}/{latest_key}"
        released = next(e for e in events if e["event"] == "newsroom.story.released")
        assert released["resource"]["prefect.resource.id"] == f"newsroom.story.{released_id}"
