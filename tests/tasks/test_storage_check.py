"""The storage check: passes on moto, refuses a store that ignores conditions,
works around Ceph's quoted-ETag refusal, and runs once before the first write."""

from __future__ import annotations

import uuid
from dataclasses import replace
from collections.abc import Iterator

import pytest

import tasks.storage_check as storage_check
from cli.main import main
from config.settings import Settings, get_settings
from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import PublishConflictError
from tasks.fetch import fetch_page
from tasks.pipeline import plain_steps, run_story
from tasks.resources import Resources
from tasks.publish import publish_draft
from tasks.storage import ensure_bucket, s3_client
from tests.conftest import SEED_PAGE, expected_article
from tests.lax_s3 import lax_s3

URL = expected_article("aleppo-offensive")["url"]
NAMES = ["create-only PUT (If-None-Match: *)", "create-only multipart completion",
         "create-only under 6 concurrent writers", "compare-and-swap (If-Match, quoted ETag)",
         "If-Match on a missing key", "read-after-write (new, overwritten, deleted)", "SHA-256 checksums",
         "metadata round-trip"]


def _settings_for(endpoint: str, monkeypatch: pytest.MonkeyPatch, **extra: str) -> Settings:
    env = {"NEWSROOM_S3_ENDPOINT_URL": endpoint, "NEWSROOM_S3_BUCKET": f"check-{uuid.uuid4().hex[:12]}",
           "NEWSROOM_S3_ADDRESSING_STYLE": "path", "NEWSROOM_S3_CREATE_BUCKET": "true",
           "NEWSROOM_S3_MAX_ATTEMPTS": "2", **extra}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    settings = get_settings()
    ensure_bucket(settings)
    return settings


@pytest.fixture
def ignoring(monkeypatch) -> Iterator[Settings]:
    with lax_s3("ignore") as endpoint:
        yield _settings_for(endpoint, monkeypatch)
    get_settings.cache_clear()


@pytest.fixture
def ceph_like(monkeypatch) -> Iterator[Settings]:
    with lax_s3("ceph") as endpoint:
        yield _settings_for(endpoint, monkeypatch)
    get_settings.cache_clear()


def _bundles():
    page = fetch_page(str(SEED_PAGE), URL, settings=Settings())
    article = clean_page(page)
    first = build_draft(dedupe_article(article, 0.9), page, None)
    changed = build_draft(dedupe_article(replace(article, headline=article.headline + " (corrected)"), 0.9),
                           page, None)
    return first, changed


def _keys(settings: Settings) -> list[str]:
    listed = s3_client(settings).list_objects_v2(Bucket=settings.s3_bucket)
    return [o["Key"] for o in listed.get("Contents", [])]


def test_moto_passes_every_probe_and_the_scratch_prefix_is_removed(settings, s3):
    report = storage_check.check_storage(settings)
    assert [c.name for c in report.capabilities] == NAMES
    assert report.first_failure is None, report.table()
    assert report.table().endswith("every capability the publisher relies on is there")
    assert _keys(settings) == []
    assert s3.list_multipart_uploads(Bucket=settings.s3_bucket).get("Uploads", []) == []


def test_a_store_that_ignores_conditions_fails_create_only_first(ignoring):
    report = storage_check.check_storage(ignoring)
    failed = {c.name for c in report.capabilities if not c.ok}
    assert report.first_failure.name == "create-only PUT (If-None-Match: *)"
    assert "condition is ignored" in report.first_failure.detail
    assert {"create-only multipart completion", "compare-and-swap (If-Match, quoted ETag)",
            "If-Match on a missing key"} <= failed
    assert "read-after-write (new, overwritten, deleted)" not in failed
    assert _keys(ignoring) == []


def test_check_storage_command_prints_the_table_and_exits_2_naming_the_first_failure(ignoring, capsys):
    assert main(["check-storage"]) == 2
    out, err = capsys.readouterr()
    assert "create-only PUT (If-None-Match: *)            FAIL" in out
    assert "metadata round-trip" in out
    assert err.strip() == "newsroom: error: storage check failed: create-only PUT (If-None-Match: *)"


def test_check_storage_command_exits_0_on_moto(settings, s3, capsys):
    assert main(["check-storage"]) == 0
    out = capsys.readouterr().out
    assert all(f"{name}" in out for name in NAMES)
    assert "FAIL" not in out


def test_publishing_to_a_store_that_ignores_conditions_is_refused_before_any_write(ignoring, site, monkeypatch):
    monkeypatch.setattr(ignoring, "fetch_allowed_hosts", ["127.0.0.1"])
    with pytest.raises(storage_check.StorageCapabilityError) as refused:
        run_story(f"{site}/pages/aleppo-offensive.html", plain_steps(Resources.build(ignoring)))
    message = str(refused.value)
    assert "\n" not in message
    assert "would break atomic publishing: create-only PUT (If-None-Match: *)" in message
    assert _keys(ignoring) == []


def test_the_check_runs_once_per_endpoint_and_bucket(ignoring, monkeypatch):
    calls = []
    real = storage_check.check_storage
    monkeypatch.setattr(storage_check, "check_storage", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(3):
        with pytest.raises(storage_check.StorageCapabilityError):
            storage_check.require_capable_storage(ignoring)
    assert len(calls) == 1


def test_trusting_the_store_skips_the_check(monkeypatch):
    with lax_s3("ignore") as endpoint:
        settings = _settings_for(endpoint, monkeypatch, NEWSROOM_S3_TRUST_STORAGE="true")
        assert settings.s3_trust_storage is True
        assert storage_check.require_capable_storage(settings) is None
    get_settings.cache_clear()


def test_ceph_quoted_etag_refusal_is_worked_around_and_said_so(ceph_like):
    report = storage_check.require_capable_storage(ceph_like)
    swap = next(c for c in report.capabilities if c.name.startswith("compare-and-swap"))
    assert swap.ok and "unquoted" in swap.workaround
    assert "ok*" in report.table() and "workaround in use: the store refuses a quoted If-Match" in report.table()
    # The publisher's client now sends If-Match unquoted: a changed story gets its second version.
    first, changed = _bundles()
    assert publish_draft(first, ceph_like).version == 1
    result = publish_draft(changed, ceph_like)
    assert (result.status, result.version) == ("published", 2)


def test_without_the_workaround_every_change_on_ceph_loses_the_race(monkeypatch):
    with lax_s3("ceph") as endpoint:
        settings = _settings_for(endpoint, monkeypatch, NEWSROOM_S3_TRUST_STORAGE="true")
        first, changed = _bundles()
        assert publish_draft(first, settings).version == 1
        with pytest.raises(PublishConflictError):
            publish_draft(changed, settings)
    get_settings.cache_clear()


def test_an_honest_test_store_passes(monkeypatch):
    with lax_s3("honour") as endpoint:
        settings = _settings_for(endpoint, monkeypatch)
        report = storage_check.check_storage(settings)
        assert report.first_failure is None, report.table()
        assert report.workarounds == ()
    get_settings.cache_clear()


def test_unreachable_storage_is_an_outage_not_a_verdict_and_is_checked_again(monkeypatch):
    from cli.local_services import free_port
    from tasks.errors import StorageUnavailableError

    settings = Settings(s3_endpoint_url=f"http://127.0.0.1:{free_port()}", s3_bucket="nobody-listens",
                        s3_addressing_style="path", s3_max_attempts=1, s3_connect_timeout=1)
    for _ in range(2):
        with pytest.raises(StorageUnavailableError) as raised:
            storage_check.require_capable_storage(settings)
        assert "\n" not in str(raised.value) and "unreachable" in str(raised.value)
    assert (settings.s3_endpoint_url, "nobody-listens") not in storage_check._checked
