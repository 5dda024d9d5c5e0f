"""SIGKILL a publishing process at seeded random moments, many times over.

Each round publishes a changed version of the story in a child process and
kills it after a random delay: before its first write, between any two
writes, between its manifest and its pointer swap, or after it finished.
Then a rerun publishes the same content. After every round a reader who
starts at latest.json sees a complete version, the rerun completed the
story, and the versions are exactly 1..N: none skipped, none written twice.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from cli.local_services import REPO_ROOT
from tasks.publish import publish_draft
from tasks.storykeys import story_prefix
from tests import figures
from tests.faults.helpers import check_history_versions, check_story, fault_settings, save_drafts, variant

ROUNDS = 50
SEED = 20261201


class Zygote:
    def __init__(self, endpoint: str, bucket: str, drafts_path: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.crash_zygote", endpoint, bucket, drafts_path],
            cwd=str(REPO_ROOT), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self._line() == "ready"

    def _line(self) -> str:
        line = self.process.stdout.readline().strip()
        assert line, f"the zygote died (exit {self.process.poll()})"
        return line

    def start(self, index: int) -> int:
        self.process.stdin.write(f"{index}\n")
        word, pid = self._line().split()
        assert word == "started"
        return int(pid)

    def ended(self, pid: int) -> str:
        word, ended_pid, outcome = self._line().split(maxsplit=2)
        assert (word, int(ended_pid)) == ("ended", pid)
        return outcome

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _version_folders(client, bucket: str, base: str) -> list[int]:  # noqa: ANN001
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{base}/v", Delimiter="/")
    folders = [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])]
    return sorted(int(folder.rstrip("/").rsplit("/v", 1)[1]) for folder in folders)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_publisher_killed_at_random_moments_never_shows_a_half_version(atomic_s3, direct, bucket, story,
                                                                        tmp_path):
    settings = fault_settings(atomic_s3, bucket, s3_read_timeout=10.0, s3_connect_timeout=5.0)
    base = story_prefix(settings.s3_prefix, story.story_id)
    assert publish_draft(story, settings).version == 1
    drafts = [variant(story, n) for n in range(1, ROUNDS + 2)]
    path = tmp_path / "drafts.pkl"
    save_drafts(path, drafts)
    zygote = Zygote(atomic_s3, bucket, str(path))
    try:
        # How long one whole publish takes here, to spread the kills across it.
        started = time.monotonic()
        assert zygote.ended(zygote.start(0)) == "ok"
        span = time.monotonic() - started
        rng = random.Random(SEED)
        outcomes = {"killed before it finished": 0, "finished before the kill": 0}
        for round_no in range(1, ROUNDS + 1):
            expected = round_no + 2  # v1, v2 from the calibration run, then one per round
            pid = zygote.start(round_no)
            time.sleep(rng.uniform(0, span * 1.1))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            outcome = zygote.ended(pid)
            assert outcome in ("ok", "SIGKILL"), f"round {round_no}: child {outcome}"
            outcomes["killed before it finished" if outcome == "SIGKILL" else "finished before the kill"] += 1

            # What a reader sees right after the kill: a complete version, old or new.
            seen = check_story(direct, settings, story.story_id)
            assert seen["version"] in (expected - 1, expected), f"round {round_no}: version {seen['version']}"

            rerun = publish_draft(drafts[round_no], settings)
            assert rerun.version == expected, f"round {round_no}: rerun made version {rerun.version}"
            assert rerun.status in ("published", "unchanged")
            pointer = check_story(direct, settings, story.story_id)
            assert [h["version"] for h in pointer["history"]] == list(range(1, expected + 1))
            assert _version_folders(direct, bucket, base) == list(range(1, expected + 1)), f"round {round_no}"
        check_history_versions(direct, settings, story.story_id, pointer)
    finally:
        zygote.close()
    # The seeded delays must really have cut publishes short, not only hit finished ones.
    assert outcomes["killed before it finished"] >= ROUNDS // 3, outcomes
    figures.record("crash points", f"{ROUNDS} kills, {outcomes}")
