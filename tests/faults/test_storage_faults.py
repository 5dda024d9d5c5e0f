"""One fault at a time, at every request of a publish, through the fault proxy.

A publish of a new version makes seven requests: read latest.json, four
object PUTs, the manifest PUT and the pointer PUT. Each test below puts one
kind of fault on each of them in turn and checks what a reader sees.
"""

from __future__ import annotations

import json

import pytest
from botocore.retries import standard

from tasks.errors import PublishError, StorageUnavailableError
from tasks.publish import publish_draft
from tasks.storykeys import story_prefix
from tests.faults.helpers import (
    SECRET,
    SimulatedCrash,
    check_history_versions,
    check_story,
    crash_after_write,
    etags,
    fault_settings,
    publisher_client,
    read,
    remove_crash_hook,
    variant,
)
from tests.faults.proxy import Fault

REQUESTS_PER_VERSION = 7  # GET latest, 4 objects, manifest, pointer
READ_TIMEOUT = 0.5


def _setup(proxy, direct, bucket, story):
    settings = fault_settings(proxy.url, bucket, s3_read_timeout=READ_TIMEOUT)
    client = publisher_client(settings)
    first = publish_draft(story, settings, client=client)
    assert (first.status, first.version) == ("published", 1)
    proxy.reset_log()
    return settings, client


def _entries_for(proxy, key_suffix: str, method: str = "PUT"):
    return [e for e in proxy.log if e.method == method and e.key.endswith(key_suffix)]


SURVIVABLE = {
    "slowdown": Fault("slowdown"),
    "error500": Fault("error500"),
    "reset": Fault("reset"),
    "stall": Fault("stall", seconds=READ_TIMEOUT + 0.4),
    "late": Fault("late", seconds=READ_TIMEOUT + 0.4),
    "drop_response": Fault("drop_response"),
    "status429": Fault("status", status=429, code="TooManyRequests"),
    "status409": Fault("status", status=409, code="ConditionalRequestConflict"),
}


@pytest.mark.parametrize("kind", sorted(SURVIVABLE))
def test_one_fault_on_any_request_is_survived(kind, proxy, direct, bucket, story, monkeypatch):
    """Retries absorb a single fault wherever it falls; each new version is complete.

    Position p faults request p of the publish of version p + 1.
    """
    _fast_backoff(monkeypatch)
    settings, client = _setup(proxy, direct, bucket, story)
    # 409 ConditionalRequestConflict only answers conditional writes.
    method, positions = ("PUT", REQUESTS_PER_VERSION - 1) if kind == "status409" else (None, REQUESTS_PER_VERSION)
    for position in range(1, positions + 1):
        changed = variant(story, position)
        fired_before = sum(proxy.fired.values())
        proxy.inject(SURVIVABLE[kind], nth=position, method=method)
        result = publish_draft(changed, settings, client=client)
        assert sum(proxy.fired.values()) == fired_before + 1, f"fault not applied at request {position}"
        assert (result.status, result.version) == ("published", position + 1), f"{kind} at request {position}"
        pointer = check_story(direct, settings, story.story_id)
        assert pointer["version"] == position + 1 and pointer["content_sha256"] == changed.content_sha256
        assert [h["version"] for h in pointer["history"]] == list(range(1, position + 2))
    check_history_versions(direct, settings, story.story_id, pointer)


def _fast_backoff(monkeypatch) -> None:
    """botocore's backoff and jitter, scaled down tenfold (the real one is checked below)."""
    real = standard.ExponentialBackoff.delay_amount
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: real(self, context) * 0.1)


def test_a_cut_read_is_read_again(proxy, direct, bucket, story):
    settings, client = _setup(proxy, direct, bucket, story)
    proxy.inject(Fault("truncate"), method="GET", key_suffix="latest.json")
    result = publish_draft(variant(story, 1), settings, client=client)
    assert (result.status, result.version) == ("published", 2)
    assert proxy.fired["truncate"] == 1
    assert len(_entries_for(proxy, "latest.json", "GET")) == 2


def test_a_cut_error_answer_to_a_read_is_read_again(proxy, direct, bucket, story):
    """A 404's XML cut mid-body: botocore reads error bodies whole and lets urllib3's error through."""
    settings = fault_settings(proxy.url, bucket)
    proxy.inject(Fault("truncate"), method="GET", key_suffix="latest.json")
    result = publish_draft(story, settings, client=publisher_client(settings))
    assert (result.status, result.version) == ("published", 1)
    reads = _entries_for(proxy, "latest.json", "GET")
    assert [e.fault for e in reads] == ["truncate", None] and reads[1].status == 404
    check_story(direct, settings, story.story_id)


@pytest.mark.parametrize("faults", [["drop_response"], ["drop_response", "truncate"]], ids=["lost", "lost-then-cut"])
def test_a_lost_answer_to_an_object_write_is_adopted(faults, proxy, direct, bucket, story):
    """The write landed, the client saw a reset, a retry meets 412 on its own object; with
    "lost-then-cut" that 412's answer is cut too, and the next try settles it."""
    settings, client = _setup(proxy, direct, bucket, story)
    for kind in faults:  # each rule takes the next matching request
        proxy.inject(Fault(kind), method="PUT", key_suffix="/article.html")
    result = publish_draft(variant(story, 1), settings, client=client)
    assert (result.status, result.version) == ("published", 2)
    attempts = _entries_for(proxy, "v0002/article.html")
    assert [e.fault for e in attempts] == [*faults, None]
    assert attempts[-1].status == 412  # its own write, adopted through the content-sha256 metadata
    check_story(direct, settings, story.story_id)


def test_a_lost_answer_to_the_pointer_swap_is_still_published(proxy, direct, bucket, story):
    """The swap landed; the retry's If-Match fails on our own write. That is success, not a conflict."""
    settings, client = _setup(proxy, direct, bucket, story)
    proxy.inject(Fault("drop_response"), method="PUT", key_suffix="latest.json")
    result = publish_draft(variant(story, 1), settings, client=client)
    assert (result.status, result.version) == ("published", 2)
    swaps = _entries_for(proxy, "latest.json")
    assert [(e.fault, e.status) for e in swaps] == [("drop_response", None), (None, 412)]
    pointer = check_story(direct, settings, story.story_id)
    assert [h["version"] for h in pointer["history"]] == [1, 2]
    assert not [k for k in etags(direct, bucket) if "/v0003/" in k]


def test_a_lost_answer_to_the_first_pointer_is_still_published(proxy, direct, bucket, story):
    settings = fault_settings(proxy.url, bucket)
    proxy.inject(Fault("drop_response"), method="PUT", key_suffix="latest.json")
    result = publish_draft(story, settings, client=publisher_client(settings))
    assert (result.status, result.version) == ("published", 1)
    assert [e.if_none_match for e in _entries_for(proxy, "latest.json")] == ["*", "*"]


def test_a_swap_that_landed_before_storage_failed_is_reported_published(proxy, direct, bucket, story):
    """Answer lost, then every retry throttled: the pointer moved, and publish says so."""
    settings, client = _setup(proxy, direct, bucket, story)
    proxy.inject(Fault("drop_response"), method="PUT", key_suffix="latest.json")
    proxy.inject(Fault("error500"), method="PUT", key_suffix="latest.json", times=2)
    result = publish_draft(variant(story, 1), settings, client=client)
    assert (result.status, result.version) == ("published", 2)
    assert check_story(direct, settings, story.story_id)["version"] == 2


def test_slowdown_then_success_retries_with_jittered_backoff(proxy, direct, bucket, story, monkeypatch):
    delays: list[float] = []
    real = standard.ExponentialBackoff.delay_amount

    def recording(self, context):  # noqa: ANN001
        delay = real(self, context)
        # Only the throttled PUTs' back-offs: on a loaded machine another call of the
        # publish (a read that timed out) may retry too, with its own back-off.
        if context.get_error_code() == "SlowDown":
            delays.append(delay)
        return delay

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", recording)
    settings, client = _setup(proxy, direct, bucket, story)
    for n in range(1, 6):
        proxy.inject(Fault("slowdown"), method="PUT", key_suffix="/article.txt")
        result = publish_draft(variant(story, n), settings, client=client)
        assert (result.status, result.version) == ("published", n + 1)
        attempts = _entries_for(proxy, f"v{n + 1:04d}/article.txt")
        assert [(e.status, e.sdk_request) for e in attempts] == [(503, "attempt=1; max=3"),
                                                                  (200, "attempt=2; max=3")]
    assert len(delays) == 5
    # Throttling backs off from a 1 s base with full jitter: rand(0, 1) * 1 s.
    assert all(0 <= d <= 1.0 for d in delays)
    assert len(set(delays)) == 5


def test_backoff_grows_with_the_attempt(proxy, direct, bucket, story, monkeypatch):
    delays: list[tuple[int, float]] = []
    real = standard.ExponentialBackoff.delay_amount
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: delays.append((context.attempt_number, real(self, context)))
                        or delays[-1][1])
    settings = fault_settings(proxy.url, bucket, s3_max_attempts=5)
    proxy.inject(Fault("error500"), method="PUT", key_suffix="/article.json", times=4)
    result = publish_draft(story, settings, client=publisher_client(settings))
    assert result.status == "published"
    assert [a for a, _d in delays] == [1, 2, 3, 4]
    # 5xx: rand(0, 1) * 50 ms * 2^(attempt-1)
    assert all(0 <= d <= 0.05 * 2 ** (a - 1) for a, d in delays)


@pytest.mark.parametrize("fault", [Fault("slowdown"), Fault("error500"), Fault("reset"),
                                   Fault("stall", seconds=READ_TIMEOUT + 0.4)],
                         ids=["slowdown", "error500", "reset", "stall"])
def test_retries_exhausted_is_a_clear_typed_error_and_nothing_partial_shows(fault, proxy, direct, bucket, story):
    settings, client = _setup(proxy, direct, bucket, story)
    before = read(direct, bucket, f"{story_prefix(settings.s3_prefix, story.story_id)}/latest.json")
    proxy.inject(fault, method="PUT", key_suffix="/article.txt", times=3)
    with pytest.raises(StorageUnavailableError) as info:
        publish_draft(variant(story, 1), settings, client=client)
    message = str(info.value)
    assert "\n" not in message
    assert "v0002/article.txt" in message
    assert SECRET not in message and "newsroom-local" not in message and "Signature" not in message
    if fault.kind in ("slowdown", "error500"):
        assert "after 3 attempts" in message
    assert len(_entries_for(proxy, "v0002/article.txt")) == 3
    assert read(direct, bucket, f"{story_prefix(settings.s3_prefix, story.story_id)}/latest.json") == before
    # A rerun completes the same version, adopting what the failed run wrote.
    rerun = publish_draft(variant(story, 1), settings, client=client)
    assert (rerun.status, rerun.version) == ("published", 2)
    check_story(direct, settings, story.story_id)


@pytest.mark.parametrize("status,code", [(403, "AccessDenied"), (400, "InvalidRequest"), (404, "NoSuchBucket")])
def test_other_4xx_are_not_retried(status, code, proxy, direct, bucket, story):
    settings, client = _setup(proxy, direct, bucket, story)
    proxy.inject(Fault("status", status=status, code=code), method="PUT", key_suffix="/article.html")
    with pytest.raises(PublishError) as info:
        publish_draft(variant(story, 1), settings, client=client)
    assert not isinstance(info.value, StorageUnavailableError)
    assert f"HTTP {status} {code}" in str(info.value)
    assert len(_entries_for(proxy, "v0002/article.html")) == 1
    assert check_story(direct, settings, story.story_id)["version"] == 1


def test_persistent_write_conflicts_end_in_a_typed_error(proxy, direct, bucket, story):
    settings, client = _setup(proxy, direct, bucket, story)
    proxy.inject(Fault("status", status=409, code="ConditionalRequestConflict"), method="PUT",
                 key_suffix="/manifest.json", times=10)
    with pytest.raises(StorageUnavailableError, match="conflicting"):
        publish_draft(variant(story, 1), settings, client=client)
    assert check_story(direct, settings, story.story_id)["version"] == 1


@pytest.mark.parametrize("write", range(1, 7))
def test_a_crash_between_two_writes_leaves_the_old_version_and_a_rerun_completes(write, proxy, direct, bucket,
                                                                                 story):
    """The process dies after write N (of 4 objects, manifest, pointer)."""
    settings, client = _setup(proxy, direct, bucket, story)
    base = story_prefix(settings.s3_prefix, story.story_id)
    changed = variant(story, 1)
    hook = crash_after_write(client, write)
    with pytest.raises(SimulatedCrash):
        publish_draft(changed, settings, client=client)
    remove_crash_hook(client, hook)
    pointer = check_story(direct, settings, story.story_id)
    if write < 6:
        assert pointer["version"] == 1  # the half-written v0002 is not reachable
    else:
        assert pointer["version"] == 2  # the pointer write itself was the last thing to happen
    left = etags(direct, bucket)
    rerun = publish_draft(changed, settings, client=client)
    assert rerun.version == 2, "the rerun completes the crashed version instead of leaving a gap"
    assert rerun.status == ("unchanged" if write == 6 else "published")
    pointer = check_story(direct, settings, story.story_id)
    assert [h["version"] for h in pointer["history"]] == [1, 2]
    after = etags(direct, bucket)
    assert all(after[key] == etag for key, etag in left.items() if key != f"{base}/latest.json"), \
        "a rerun overwrote an object"
    json.loads(read(direct, bucket, pointer["manifest"]))


def test_a_forced_publish_whose_pointer_answer_was_lost_makes_one_version(proxy, direct, bucket, story):
    """force ignores 'unchanged'; without the publish id it would publish its content a second time."""
    settings, client = _setup(proxy, direct, bucket, story)
    proxy.inject(Fault("drop_response"), method="PUT", key_suffix="latest.json")
    result = publish_draft(story, settings, client=client, force=True)
    assert (result.status, result.version) == ("published", 2)
    assert not [k for k in etags(direct, bucket) if "/v0003/" in k]
    assert [h["version"] for h in check_story(direct, settings, story.story_id)["history"]] == [1, 2]
