"""Hundreds of publishes, each with a random storage fault, checked after every one.

Seeded and reproducible: the seed is printed, and

    NEWSROOM_FAULT_SEED=<seed> NEWSROOM_FAULT_PUBLISHES=200 \\
        .venv/bin/python -m pytest -s tests/faults/test_property.py

replays a run. After each publish (and all along, from a reader thread):

* ``latest.json`` points at a version whose manifest lists objects that all
  exist with the listed size and sha256: readers see the complete previous
  version or the complete new one, never a partial one;
* a publish that succeeded made its content current; one that failed left
  the previous pointer (or, when only the answer was lost, the new one);
* the history gains exactly the published version, nothing is lost from it;
* no object that existed before is ever overwritten;
* after a failure or a crash, a rerun without faults completes the same
  version number (it adopts what the failed run wrote; no gap).
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections import Counter, defaultdict

import pytest
from botocore.retries import standard

from tasks.errors import PublishError
from tasks.publish import publish_draft
from tasks.storykeys import story_prefix
from tests import figures
from tests.faults.helpers import (
    SimulatedCrash,
    check_history_versions,
    check_story,
    crash_after_write,
    direct_client,
    etags,
    fault_settings,
    publisher_client,
    remove_crash_hook,
    variant,
)
from tests.faults.proxy import Fault

READ_TIMEOUT = 0.4
ATTEMPTS = 3
# The kinds of fault and how often each is drawn.
KINDS = {
    "none": 1, "slowdown": 3, "error500": 3, "status429": 1, "status409": 2, "reset": 3, "stall": 2,
    "late": 2, "drop_response": 4, "truncate": 1, "exhaust": 3, "crash": 4,
}


def _fault(kind: str, rng: random.Random) -> Fault:
    return {
        "slowdown": Fault("slowdown"),
        "error500": Fault("error500"),
        "status429": Fault("status", status=429, code="TooManyRequests"),
        "status409": Fault("status", status=409, code="ConditionalRequestConflict"),
        "reset": Fault("reset"),
        "stall": Fault("stall", seconds=READ_TIMEOUT + 0.15),
        "late": Fault("late", seconds=READ_TIMEOUT + 0.15),
        "drop_response": Fault("drop_response"),
        "truncate": Fault("truncate"),
        "exhaust": rng.choice([Fault("slowdown"), Fault("error500"), Fault("reset")]),
    }[kind]


class Reader(threading.Thread):
    """Reads the story the whole time, as a consumer would; any partial view is a failure."""

    def __init__(self, endpoint: str, settings, story_id: str) -> None:
        super().__init__(daemon=True)
        self.client = direct_client(endpoint)
        self.settings = settings
        self.story_id = story_id
        self.stop = threading.Event()
        self.reads = 0
        self.violations: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                if check_story(self.client, self.settings, self.story_id) is not None:
                    self.reads += 1
            except AssertionError as error:
                self.violations.append(str(error))
            except Exception as error:  # noqa: BLE001 - a reader never stops on its own errors
                self.violations.append(f"reader error: {error!r}")
            self.stop.wait(0.02)


@pytest.mark.slow
def test_random_faults_never_expose_a_partial_version(atomic_s3, proxy, direct, story, monkeypatch):
    seed = int(os.environ.get("NEWSROOM_FAULT_SEED") or random.SystemRandom().randrange(2**32))
    publishes = int(os.environ.get("NEWSROOM_FAULT_PUBLISHES") or 200)
    print(f"\nstorage fault property test: NEWSROOM_FAULT_SEED={seed} NEWSROOM_FAULT_PUBLISHES={publishes}")
    rng = random.Random(seed)

    # Backoff as botocore computes it (jitter included), scaled down so 200 publishes fit in CI.
    real_delay = standard.ExponentialBackoff.delay_amount
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: real_delay(self, context) * 0.1)

    bucket = f"prop-{uuid.uuid4().hex[:12]}"
    direct.create_bucket(Bucket=bucket)
    settings = fault_settings(proxy.url, bucket, s3_max_attempts=ATTEMPTS, s3_read_timeout=READ_TIMEOUT,
                              s3_connect_timeout=READ_TIMEOUT)
    client = publisher_client(settings)
    # Reruns go through the proxy too (no rules left), with room for a slow CI machine.
    calm = fault_settings(proxy.url, bucket, s3_max_attempts=5, s3_read_timeout=10.0)
    calm_client = publisher_client(calm)
    contents = [variant(story, n) for n in range(5)]
    pointer_key = f"{story_prefix(settings.s3_prefix, story.story_id)}/latest.json"
    reader = Reader(atomic_s3, settings, story.story_id)
    reader.start()

    drawn: Counter[str] = Counter()
    fired: Counter[str] = Counter()
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    statuses: Counter[str] = Counter()
    started = time.monotonic()
    base = story_prefix(settings.s3_prefix, story.story_id)
    seen: dict[str, str] = {}  # every object key ever listed, with its first ETag
    before = None
    try:
        for step in range(publishes):
            current = next((i for i, c in enumerate(contents)
                            if before and c.content_sha256 == before["content_sha256"]), None)
            if current is not None and rng.random() < 0.25:
                choice = current  # unchanged content: nothing may be written
            else:
                choice = rng.choice([i for i in range(len(contents)) if i != current])
            bundle = contents[choice]
            unchanged = current == choice
            requests = 1 if unchanged else 7
            kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
            if unchanged and kind in ("crash", "status409"):
                kind = "slowdown"  # an unchanged publish writes nothing
            drawn[kind] += 1
            hook = None
            fired_before = sum(proxy.fired.values())
            if kind == "crash":
                hook = crash_after_write(client, rng.randint(1, 6))
            elif kind == "truncate":
                proxy.inject(_fault(kind, rng), method="GET")
            elif kind == "status409":
                proxy.inject(_fault(kind, rng), method="PUT", nth=rng.randint(1, 6))
            elif kind == "exhaust":
                proxy.inject(_fault(kind, rng), nth=rng.randint(1, requests), times=ATTEMPTS)
            elif kind != "none":
                proxy.inject(_fault(kind, rng), nth=rng.randint(1, requests))

            result, failure = None, None
            try:
                result = publish_draft(bundle, settings, client=client)
            except SimulatedCrash:
                failure = "crash"
            except PublishError as error:
                failure = "error"
                assert "\n" not in str(error) and "secret" not in str(error).lower()
            finally:
                if hook is not None:
                    fired[kind] += int(len(hook) >= 1 and failure == "crash")
                    remove_crash_hook(client, hook)
                proxy.clear()
            if kind not in ("crash", "none"):
                fired[kind] += sum(proxy.fired.values()) - fired_before

            context = f"step {step} (seed {seed}): {kind} on {'unchanged' if unchanged else 'new'} content"
            after = check_story(direct, settings, story.story_id)
            assert after is not None or before is None, context
            # Nothing once written is ever overwritten: check the folders this step
            # could touch every time, the whole bucket every 20 steps.
            newer = f"{base}/v{(before['version'] if before else 0):04d}/"
            _assert_not_overwritten(seen, etags(direct, bucket) if step % 20 == 19 else
                                    _listing(direct, bucket, base, newer), pointer_key, context)
            if result is not None:
                outcome[kind]["ok"] += 1
                statuses[result.status] += 1
                assert after["content_sha256"] == bundle.content_sha256, context
                assert result.version == after["version"], context
                assert result.status == ("unchanged" if unchanged else "published"), context
                if not unchanged:
                    assert after["version"] > (before["version"] if before else 0), context
                    _assert_history_extended(before, after, context)
                else:
                    assert after == before, context
                before = after
                continue

            # Failed or crashed: the old pointer, or the new one if only the answer was lost.
            landed = after is not None and after != before
            if landed:
                assert after["content_sha256"] == bundle.content_sha256, context
                _assert_history_extended(before, after, context)
                outcome[kind][f"{failure}, but landed"] += 1
            else:
                outcome[kind][failure] += 1
            rerun = publish_draft(bundle, calm, client=calm_client)
            final = check_story(direct, settings, story.story_id)
            assert final["content_sha256"] == bundle.content_sha256, context
            assert rerun.status == ("unchanged" if landed or unchanged else "published"), context
            if not unchanged:
                assert rerun.version == (before["version"] if before else 0) + 1, \
                    f"{context}: the rerun did not complete the failed version"
            statuses[f"rerun {rerun.status}"] += 1
            before = final
    finally:
        reader.stop.set()
        reader.join(timeout=10)

    final = check_story(direct, settings, story.story_id)
    _assert_not_overwritten(seen, etags(direct, bucket), pointer_key, "at the end")
    check_history_versions(direct, settings, story.story_id, final)
    elapsed = time.monotonic() - started
    assert not reader.violations, reader.violations[:5]
    assert reader.reads > publishes / 4
    section = "storage fault property test"
    figures.record(section, f"seed {seed}, {publishes} publishes in {elapsed:.1f}s, final version"
                            f" {final['version']}, {len(final['history'])} history entries,"
                            f" {reader.reads} concurrent complete reads, 0 partial")
    figures.record(section, f"results: {dict(statuses)}")
    figures.record(section, f"{'fault':<14}{'drawn':>6}{'fired':>6}  outcome (all survived: invariants held,"
                            " reruns completed)")
    for kind in KINDS:
        figures.record(section, f"{kind:<14}{drawn[kind]:>6}{fired[kind]:>6}  {dict(outcome[kind])}")
    figures.record(section, f"total faults fired: {sum(fired.values())}; proxy requests: {proxy.requests}")


def _assert_history_extended(before: dict | None, after: dict, context: str) -> None:
    old = [(h["version"], h["content_sha256"]) for h in (before or {}).get("history", [])]
    new = [(h["version"], h["content_sha256"]) for h in after["history"]]
    assert new[:-1] == old[-199:] and new[-1] == (after["version"], after["content_sha256"]), \
        f"{context}: history lost an update"


def _listing(client, bucket: str, base: str, start_after: str) -> dict[str, str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{base}/",
                                                             StartAfter=start_after)
    return {o["Key"]: o["ETag"] for p in pages for o in p.get("Contents", [])}


def _assert_not_overwritten(seen: dict[str, str], listed: dict[str, str], pointer_key: str, context: str) -> None:
    changed = [k for k, e in listed.items() if k != pointer_key and seen.setdefault(k, e) != e]
    assert not changed, f"{context}: overwritten {changed}"
