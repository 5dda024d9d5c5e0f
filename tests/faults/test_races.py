"""Concurrent publishers and killed processes: conditional writes decide, not timing."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter, defaultdict

import pytest

from cli.local_services import REPO_ROOT
from tasks.publish import publish_draft
from tasks.storykeys import story_prefix
from tests.faults.helpers import (
    check_history_versions,
    check_story,
    etags,
    fault_settings,
    publisher_client,
    save_drafts,
    variant,
)
from tests.faults.proxy import Fault, FaultProxy

ROUNDS = 12


def _jitter(proxy: FaultProxy, seed: int) -> None:
    """Delay a random third of all requests by up to 30 ms, so every round interleaves differently."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def pick(_request) -> bool:  # noqa: ANN001
        with lock:
            return rng.random() < 0.33

    proxy.inject(Fault("delay", seconds=0.015), match=pick, times=10**9)


def _seed() -> int:
    seed = int(os.environ.get("NEWSROOM_FAULT_SEED") or random.SystemRandom().randrange(2**32))
    print(f"race jitter: NEWSROOM_FAULT_SEED={seed}")
    return seed


def _versions(direct, bucket: str, base: str) -> set[int]:
    return {int(k[len(base) + 2:len(base) + 6]) for k in etags(direct, bucket) if k.startswith(f"{base}/v")}


def _race_threads(settings, bundles, clients) -> list:
    barrier = threading.Barrier(len(bundles))
    results: list = [None] * len(bundles)

    def run(i: int) -> None:
        client = clients[i]
        barrier.wait()
        try:
            results[i] = publish_draft(bundles[i], settings, client=client)
        except Exception as error:  # noqa: BLE001
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bundles))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.slow
def test_threads_publishing_the_same_content_make_exactly_one_version(proxy, direct, bucket, story):
    settings = fault_settings(proxy.url, bucket, s3_read_timeout=5.0)
    base = story_prefix(settings.s3_prefix, story.story_id)
    seed = _seed()
    _jitter(proxy, seed)
    clients = [publisher_client(settings) for _ in range(4)]
    for round_no in range(ROUNDS):
        content = variant(story, round_no)
        results = _race_threads(settings, [content] * 4, clients)
        assert all(not isinstance(r, Exception) for r in results), results
        assert sorted(r.status for r in results) == ["published", "unchanged", "unchanged", "unchanged"]
        assert {r.version for r in results} == {round_no + 1}
        assert max(_versions(direct, bucket, base)) == round_no + 1, "a second version was started"
        pointer = check_story(direct, settings, story.story_id)
        assert [h["version"] for h in pointer["history"]] == list(range(1, round_no + 2))


@pytest.mark.slow
def test_threads_publishing_different_content_all_land_in_some_order(proxy, direct, bucket, story):
    settings = fault_settings(proxy.url, bucket, s3_read_timeout=5.0)
    seed = _seed()
    _jitter(proxy, seed)
    published: list[tuple[int, str]] = []
    clients = [publisher_client(settings) for _ in range(3)]
    for round_no in range(ROUNDS // 2):
        contents = [variant(story, 100 * round_no + n) for n in range(1, 4)]
        results = _race_threads(settings, contents, clients)
        assert all(not isinstance(r, Exception) for r in results), results
        assert [r.status for r in results] == ["published"] * 3
        assert len({r.version for r in results}) == 3
        published += [(r.version, c.content_sha256) for r, c in zip(results, contents, strict=True)]
        pointer = check_story(direct, settings, story.story_id)
        # No lost update: every publish is in the history, in version order.
        assert [(h["version"], h["content_sha256"]) for h in pointer["history"]] == sorted(published)
        assert (pointer["version"], pointer["content_sha256"]) == max(published)
    check_history_versions(direct, settings, story.story_id, pointer)


@pytest.mark.slow
def test_racing_twins_under_faults_still_make_one_version(proxy, direct, bucket, story, monkeypatch):
    """Three publishers of the same content while ~8% of requests fail, reset or lose their answer."""
    from botocore.retries import standard

    real = standard.ExponentialBackoff.delay_amount
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, c: real(self, c) * 0.1)
    settings = fault_settings(proxy.url, bucket, s3_read_timeout=5.0, s3_max_attempts=4)
    base = story_prefix(settings.s3_prefix, story.story_id)
    rng = random.Random(_seed())
    lock = threading.Lock()
    kinds = [Fault("drop_response"), Fault("reset"), Fault("slowdown"), Fault("error500")]

    def maybe(kind_index: int):
        def pick(_request) -> bool:  # noqa: ANN001
            with lock:
                return rng.random() < 0.02
        return pick

    for i, fault in enumerate(kinds):
        proxy.inject(fault, match=maybe(i), times=10**9)
    clients = [publisher_client(settings) for _ in range(3)]
    published = 0
    for round_no in range(10):
        content = variant(story, round_no)
        results = _race_threads(settings, [content] * 3, clients)
        ok = [r for r in results if not isinstance(r, Exception)]
        assert all("Storage" in type(r).__name__ for r in results if isinstance(r, Exception)), results
        assert [r.status for r in ok].count("published") <= 1
        pointer = check_story(direct, settings, story.story_id)
        if pointer is None or pointer["content_sha256"] != content.content_sha256:
            # every publisher failed this round: a rerun completes it
            publish_draft(content, settings, client=clients[0])
            pointer = check_story(direct, settings, story.story_id)
        published += 1
        assert pointer["version"] == published and pointer["content_sha256"] == content.content_sha256
        assert max(_versions(direct, bucket, base)) == published, "a second version was started"
    assert sum(proxy.fired.values()) > 0
    print(f"twin races under faults: {dict(proxy.fired)}")


def _gated(atomic_s3: str, bucket: str, key_suffix: str, method: str = "PUT"):
    proxy = FaultProxy(atomic_s3).start()
    gate = threading.Event()
    proxy.inject(Fault("gate", gate=gate), method=method, key_suffix=key_suffix)
    settings = fault_settings(proxy.url, bucket, s3_read_timeout=30.0)
    return proxy, gate, settings


def _run_in_thread(bundle, settings) -> tuple[threading.Thread, list]:
    out: list = []

    def run() -> None:
        try:
            out.append(publish_draft(bundle, settings, client=publisher_client(settings)))
        except Exception as error:  # noqa: BLE001
            out.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def _wait_held(proxy: FaultProxy) -> None:
    for _ in range(500):
        if proxy.pending_rules() == 0:
            return
        threading.Event().wait(0.01)
    raise AssertionError("the held request never arrived")


def _held_race(atomic_s3, bucket, held_key: str, a_content, b_content):
    """A publishes through a proxy that holds its request for ``held_key``;
    B publishes in full meanwhile; then A is let go. Returns (A's, B's result)."""
    proxy_a, gate, settings_a = _gated(atomic_s3, bucket, held_key)
    try:
        thread, out = _run_in_thread(a_content, settings_a)
        _wait_held(proxy_a)
        b = publish_draft(b_content, fault_settings(atomic_s3, bucket))
        gate.set()
        thread.join(timeout=30)
    finally:
        gate.set()
        proxy_a.close()
    return out[0], b


@pytest.mark.parametrize("same_content", [True, False], ids=["same", "different"])
def test_a_publisher_held_before_its_pointer_swap_loses_cleanly(same_content, atomic_s3, direct, bucket, story):
    """A writes its whole version, then waits at the pointer; B publishes meanwhile."""
    settings_b = fault_settings(atomic_s3, bucket)
    a_content = story
    b_content = story if same_content else variant(story, 1)
    a, b = _held_race(atomic_s3, bucket, "latest.json", a_content, b_content)
    pointer = check_story(direct, settings_b, story.story_id)
    if same_content:
        # B adopted A's objects and moved the pointer; A then finds its content current.
        assert (b.status, b.version) == ("published", 1)
        assert (a.status, a.version) == ("unchanged", 1)
        assert [h["version"] for h in pointer["history"]] == [1]
    else:
        # A claimed v1; B found it taken and published v2; A's swap failed and it went on to v3.
        assert (b.status, b.version) == ("published", 2)
        assert (a.status, a.version) == ("published", 3)
        assert [(h["version"], h["content_sha256"]) for h in pointer["history"]] == [
            (2, b_content.content_sha256), (3, a_content.content_sha256)]
    check_history_versions(direct, settings_b, story.story_id, pointer)


def test_a_publisher_held_after_reading_latest_reuses_its_complete_version(atomic_s3, direct, bucket, story):
    """A reads 'nothing published' and waits; B publishes v1; A's version becomes v2, nothing lost."""
    settings_b = fault_settings(atomic_s3, bucket)
    other = variant(story, 1)
    a, b = _held_race(atomic_s3, bucket, "/article.json", story, other)
    assert (b.status, b.version) == ("published", 1)
    assert (a.status, a.version) == ("published", 2)
    pointer = check_story(direct, settings_b, story.story_id)
    assert [(h["version"], h["content_sha256"]) for h in pointer["history"]] == [
        (1, other.content_sha256), (2, story.content_sha256)]


@pytest.mark.slow
def test_processes_race_same_and_different_content(atomic_s3, direct, bucket, story, tmp_path):
    """Separate processes, released together by a barrier, round after round."""
    workers = 3
    same_rounds = 8
    bundles = [variant(story, n) for n in range(same_rounds)]
    different = [variant(story, 1000 + n) for n in range(workers * 3)]
    path = tmp_path / "bundles.pkl"
    save_drafts(path, bundles + different)
    # Rounds 0..7: everyone publishes the same content; rounds 8..10: each its own.
    plans = [[*range(same_rounds), *(same_rounds + 3 * r + w for r in range(3))] for w in range(workers)]
    rounds = len(plans[0])
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1, timeout=120)
    results = context.Queue()
    processes = [context.Process(target=_race_worker_entry,
                                 args=(w, atomic_s3, bucket, str(path), plans[w], barrier, results))
                 for w in range(workers)]
    for p in processes:
        p.start()
    settings = fault_settings(atomic_s3, bucket)
    by_round: dict[int, list] = defaultdict(list)
    published: list[tuple[int, str]] = []
    try:
        for round_no in range(rounds):
            barrier.wait()  # release the round
            barrier.wait()  # everyone is done
            for _ in range(workers):
                r, worker, index, status, version = results.get(timeout=60)
                by_round[r].append((worker, index, status, version))
            outcome = by_round[round_no]
            assert all(not str(s).startswith("error") for _w, _i, s, _v in outcome), outcome
            statuses = Counter(s for _w, _i, s, _v in outcome)
            if round_no < same_rounds:
                assert statuses == {"published": 1, "unchanged": workers - 1}, outcome
                assert {v for *_x, v in outcome} == {round_no + 1}
                published.append((round_no + 1, bundles[round_no].content_sha256))
            else:
                assert statuses == {"published": workers}, outcome
                assert len({v for *_x, v in outcome}) == workers
                published += [(v, (bundles + different)[i].content_sha256) for _w, i, _s, v in outcome]
            pointer = check_story(direct, settings, story.story_id)
            assert [(h["version"], h["content_sha256"]) for h in pointer["history"]] == sorted(published)
    finally:
        for p in processes:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in processes)
    check_history_versions(direct, settings, story.story_id, pointer)
    print(f"process races: {rounds} rounds x {workers} processes, final version {pointer['version']}")


def _race_worker_entry(*args) -> None:  # noqa: ANN002
    from tests.faults.workers import race_worker

    race_worker(*args)


@pytest.mark.slow
@pytest.mark.parametrize("write", [1, 3, 5, 6])
def test_a_killed_publishing_process_leaves_the_old_version_and_a_rerun_completes(write, atomic_s3, direct,
                                                                                  bucket, story, tmp_path):
    """SIGKILL the publishing process just after its write N reached storage, before it saw the answer."""
    settings = fault_settings(atomic_s3, bucket)
    publish_draft(story, settings)
    changed = variant(story, 1)
    path = tmp_path / "bundles.pkl"
    save_drafts(path, [changed])
    process: dict[str, subprocess.Popen] = {}

    def kill(_request) -> None:  # noqa: ANN001
        os.kill(process["p"].pid, signal.SIGKILL)
        process["p"].wait(timeout=10)

    with FaultProxy(atomic_s3) as proxy:
        proxy.inject(Fault("call", callback=kill), method="PUT", nth=write)
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        process["p"] = subprocess.Popen([sys.executable, "-m", "tests.faults.workers", proxy.url, bucket, str(path),
                                         "0"], cwd=str(REPO_ROOT), env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        out, err = process["p"].communicate(timeout=120)
        assert process["p"].returncode == -signal.SIGKILL, (out, err)
        assert proxy.fired["call"] == 1
    pointer = check_story(direct, settings, story.story_id)
    assert pointer["version"] == (2 if write == 6 else 1)
    rerun = publish_draft(changed, settings)
    assert rerun.version == 2
    assert rerun.status == ("unchanged" if write == 6 else "published")
    pointer = check_story(direct, settings, story.story_id)
    assert [h["version"] for h in pointer["history"]] == [1, 2]
    assert json.loads(direct.get_object(Bucket=bucket, Key=pointer["manifest"])["Body"].read())["version"] == 2
