"""The pipeline at newsroom scale, on a Prefect server backed by PostgreSQL.

Three process workers on one pool; editors' on-demand runs in bursts (the
throughput with 1, 2 and 3 workers); three polls at once of four overlapping
feeds listing 1,000 stories, with on-demand runs in between; one worker
SIGKILLed with its runs mid-poll, its runs found lost by their missing
heartbeats and rescheduled (prefect.yaml's automations); a second poll
after some pages changed. Then: every story has exactly one version (two
where its page changed), every version visible through latest.json is
whole, no run is left unfinished, and each source's poll state agrees with
what was published.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

from cli.local_services import static_site
from cli.postgres import data_dir_of
from cli.stack import local_stack
from tests import figures
from tests.integration.prefect_server import PrefectServer
from tests.scale.procstats import descendants, usage
from tests.scale.site import build_site

# Generous hang guards: under `make test` this shares two cores with three other
# test processes, and on a loaded machine the poll alone has taken 25 minutes.
pytestmark = [pytest.mark.scale, pytest.mark.integration, pytest.mark.timeout(3600)]

STORIES = 1000
BURST = 8  # on-demand runs pressed at once, per worker count
WORKER_LIMIT = 2  # flow runs each worker runs at a time
CHANGED = (5, 400, 777)  # pages that get a second edition before the last poll
TERMINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


class Api:
    """The stack's Prefect API, as the UI uses it (retrying a busy server's 503s)."""

    def __init__(self, stack) -> None:  # noqa: ANN001 - a cli.stack.Stack
        self.server = PrefectServer(stack.api_url, stack.env, stack.state / "prefect-server.log")

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.server.api(method, path, **kwargs)

    def deployment_id(self, name: str) -> str:
        return self("GET", f"/deployments/name/{name}").json()["id"]

    def press_run(self, deployment: str, parameters: dict) -> str:
        response = self("POST", f"/deployments/{self.deployment_id(deployment)}/create_flow_run",
                        json={"parameters": parameters, "state": {"type": "SCHEDULED"}})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def run(self, run_id: str) -> dict:
        return self("GET", f"/flow_runs/{run_id}").json()

    def wait(self, run_ids: list[str], timeout: float, stop_when=None) -> dict[str, dict]:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        while True:
            runs = {r: self.run(r) for r in run_ids}
            if all(run["state"]["type"] in TERMINAL for run in runs.values()):
                return runs
            if stop_when and stop_when(runs):
                return runs
            if time.monotonic() > deadline:
                pending = {r: run["state"]["name"] for r, run in runs.items() if run["state"]["type"] not in TERMINAL}
                raise AssertionError(f"runs not finished after {timeout:.0f}s: {pending}")
            time.sleep(1)

    def state_names(self, run_id: str) -> list[str]:
        return self.server.state_names(run_id)


class _Report(list):
    """The figures the test measures, shown in the run's summary (tests/figures.py)."""

    def append(self, line: str) -> None:
        figures.record("scale (PostgreSQL, three workers)", line)
        super().append(line)


def _all_keys(s3, bucket: str) -> list[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


def _read(s3, bucket: str, key: str) -> dict:
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def _burst(api: Api, site: str, stories: range) -> float:
    """Press Run for each story at once; stories per second until the last is Completed."""
    started = time.monotonic()
    ids = [api.press_run("publish-story/on-demand", {"url": f"{site}/story/{i}.html"}) for i in stories]
    runs = api.wait(ids, timeout=900)
    assert {r["state"]["type"] for r in runs.values()} == {"COMPLETED"}, \
        {r: (run["state"]["name"], run["state"]["message"]) for r, run in runs.items()}
    return len(ids) / (time.monotonic() - started)


def test_polls_and_editors_on_three_workers_with_one_lost(tmp_path: Path):
    site_files = build_site(tmp_path / "site", STORIES, extra=3 * BURST)
    report = _Report()
    with static_site(site_files.root) as site:
        sources = tmp_path / "sources.yaml"
        sources.write_text(site_files.sources_yaml(site))
        with local_stack(tmp_path / "stack", postgres=True, workers=0, sources=sources) as stack:
            api = Api(stack)
            server_pid = int((stack.state / "pids" / "prefect-server.pid").read_text())
            postmaster = int((data_dir_of(stack.state) / "db" / "postmaster.pid").read_text().split()[0])
            cpu0, pg0 = usage(server_pid)[0], usage(postmaster)[0]
            started = time.monotonic()
            s3 = boto3.client("s3", endpoint_url=stack.s3_endpoint, region_name="us-east-1",
                              aws_access_key_id=stack.s3_credentials["AWS_ACCESS_KEY_ID"],
                              aws_secret_access_key=stack.s3_credentials["AWS_SECRET_ACCESS_KEY"],
                              config=Config(s3={"addressing_style": "path"}))

            # Editors' bursts: throughput with 1, 2 and 3 workers (stories no feed lists).
            extra = STORIES
            for count in (1, 2, 3):
                stack.start_worker(f"worker-{count}", limit=WORKER_LIMIT)
                rate = _burst(api, site, range(extra, extra + BURST))
                extra += BURST
                report.append(f"{count} worker(s): {rate:.2f} on-demand stories/s ({BURST} at once)")

            # Three polls at once (the deployment runs one at a time), editors in between.
            polls = [api.press_run("poll-feeds/scheduled", {}) for _ in range(3)]
            poll_started = time.monotonic()
            editors = [api.press_run("publish-story/on-demand", {"url": f"{site}/story/{i}.html"})
                       for i in (1, 2, 350, 990)]

            # Once a poll is running and has published some stories, its worker dies with its runs.
            def poll_busy(runs: dict[str, dict]) -> bool:
                running = [r for r in runs.values() if r["state"]["type"] == "RUNNING"]
                return bool(running) and time.monotonic() - poll_started > 30
            api.wait(polls, timeout=600, stop_when=poll_busy)
            (victim_run,) = [api.run(r) for r in polls if api.run(r)["state"]["type"] == "RUNNING"]
            victim_pid = int(str(victim_run["infrastructure_pid"]).rsplit(":", 1)[-1])
            victim = next(w for w in stack.workers if victim_pid in descendants(w.pid))
            for pid in descendants(victim.pid):  # the worker and the runs it started, as a crash takes them
                os.kill(pid, signal.SIGKILL)
            victim.wait()
            killed_at = time.monotonic()
            editors += [api.press_run("publish-story/on-demand", {"url": f"{site}/story/{i}.html"})
                        for i in (3, 600)]

            runs = api.wait(polls + editors, timeout=2400)
            poll_wall = time.monotonic() - poll_started
            assert {r["state"]["type"] for r in runs.values()} == {"COMPLETED"}, \
                {r: (run["state"]["name"], run["state"]["message"]) for r, run in runs.items()}
            history = api.state_names(victim_run["id"])
            assert "Lost" in history and "AwaitingRetry" in history and history[-1] == "Completed", history
            report.append(f"lost run rescheduled and completed {time.monotonic() - killed_at:.0f}s after the kill")

            # A correction: some pages change, the feeds say so, and the next poll picks them up.
            for index in CHANGED:
                site_files.write_story(index, edition=2)
            site_files.write_feeds()
            last = api.wait([api.press_run("poll-feeds/scheduled", {})], timeout=1800)
            assert [r["state"]["type"] for r in last.values()] == ["COMPLETED"]
            assert next(iter(last.values()))["state"]["message"].startswith(f"{len(CHANGED)} published")

            unfinished = api("POST", "/flow_runs/filter", json={"flow_runs": {"state": {"type": {
                "not_any_": ["COMPLETED"]}}}}).json()
            assert unfinished == [], [(r["name"], r["state"]["name"]) for r in unfinished]

            keys = _all_keys(s3, stack.bucket)
            cpu, peak = usage(server_pid)
            pg_cpu, pg_peak = usage(postmaster)
            elapsed = time.monotonic() - started
            report.append(f"{STORIES} stories polled (3 polls at once, 1 worker lost) in {poll_wall:.0f}s:"
                          f" {STORIES / poll_wall:.2f} stories/s")
            report.append(f"Prefect server: {cpu - cpu0:.0f} CPU s over {elapsed:.0f}s"
                          f" ({100 * (cpu - cpu0) / elapsed:.0f}% of a core), peak RSS {peak:.0f} MB;"
                          f" PostgreSQL: {pg_cpu - pg0:.0f} CPU s, peak RSS {pg_peak:.0f} MB")
            _check_storage(s3_keys=keys, read=lambda key: _read(s3, stack.bucket, key), site_files=site_files)


def _check_storage(s3_keys: list[str], read, site_files) -> None:  # noqa: ANN001
    keys = set(s3_keys)
    stories: dict[str, set[str]] = {}
    for key in keys:
        parts = key.split("/")
        # Only the story prefix: the catalog's index shards sit elsewhere in the bucket.
        if len(parts) >= 3 and parts[0] == "stories" and not parts[1].startswith("_"):
            stories.setdefault(parts[1], set()).add(key)
    assert len(stories) == STORIES + 3 * BURST, len(stories)
    by_url: dict[str, dict] = {}
    for story_id, story_keys in stories.items():
        latest = read(f"stories/{story_id}/latest.json")
        versions = sorted({k.split("/")[2] for k in story_keys if k.split("/")[2].startswith("v")})
        assert versions == [f"v{n:04d}" for n in range(1, latest["version"] + 1)], (story_id, versions)
        # Whole versions only: every object a manifest lists is there.
        for version in versions:
            manifest = read(f"stories/{story_id}/{version}/manifest.json")
            for entry in manifest["objects"]:
                assert f"stories/{story_id}/{version}/{entry['name']}" in keys, (story_id, version, entry)
        by_url[manifest["canonical_url"].rsplit("/", 1)[-1]] = latest
    changed = {f"{i}.html" for i in CHANGED}
    for page, latest in by_url.items():
        assert latest["version"] == (2 if page in changed else 1), (page, latest["version"])
    # Each source's poll state lists every story of its feed, at the version published.
    for name, numbers in site_files.feeds.items():
        state = read(f"stories/_state/sources/{name}.json")
        entries = {url.rsplit("/", 1)[-1]: entry for url, entry in state["entries"].items()}
        assert set(entries) == {f"{i}.html" for i in numbers}, name
        for page, entry in entries.items():
            assert entry["status"] in ("published", "unchanged", "skipped"), (name, page, entry)
            assert entry["version"] == by_url[page]["version"], (name, page, entry)
