"""The README's first command: `newsroom demo` on embedded defaults, as a user runs it."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

pytestmark = pytest.mark.integration


def _demo(out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEWSROOM_", "PREFECT_API_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))}
    run = subprocess.run([sys.executable, "-m", "cli.main", "demo", "--out", str(out), *extra], capture_output=True,
                         text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    return run


def _endpoint_port(stdout: str) -> int:
    return int(re.search(r"S3 server \(SeaweedFS\): http://127\.0\.0\.1:(\d+)", stdout).group(1))


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _gone(pid: int) -> bool:
    """No such process, or only a zombie waiting for init to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_demo_publishes_the_seed_story_and_shows_where_it_landed(tmp_path):
    run = _demo(tmp_path)
    assert "published: story syrian-army-announces-offensive-against-rebels-in-aleppo-" in run.stdout
    assert "again: unchanged (version 1; no object written)" in run.stdout
    uris = [line.split()[0] for line in run.stdout.splitlines() if line.strip().startswith("s3://")]
    assert [u.rsplit("/", 1)[1] for u in uris] == ["article.json", "article.html", "article.txt", "image.png",
                                                   "manifest.json", "latest.json"]
    (copy,) = [p for p in tmp_path.glob("*/v0001")]
    assert "Syrian army announces offensive" in (copy / "article.html").read_text("utf-8")
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    assert [o["name"] for o in manifest["objects"]][:3] == ["article.json", "article.html", "article.txt"]
    # The server stopped with the demo.
    assert not _answers(_endpoint_port(run.stdout))
    assert "still running" not in run.stdout


def test_demo_keep_leaves_the_store_running_and_says_how_to_list_and_stop_it(tmp_path):
    run = _demo(tmp_path / "out", "--keep")
    stop = re.search(r"Stop it:  (sh (\S+)/stop\.sh)$", run.stdout, re.MULTILINE)
    assert stop, run.stdout[-1500:]
    pid = int(re.search(r"still running \(pid (\d+)", run.stdout).group(1))
    data_dir = Path(stop.group(2))
    try:
        export = next(line.strip() for line in run.stdout.splitlines() if line.strip().startswith("export "))
        env = dict(item.split("=", 1) for item in shlex.split(export)[1:])
        s3 = boto3.client("s3", endpoint_url=env["NEWSROOM_S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                          config=Config(s3={"addressing_style": "path"}))
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=env["NEWSROOM_S3_BUCKET"])["Contents"]]
        assert sum(k.endswith("/latest.json") for k in keys) == 1 and len([k for k in keys if k.startswith("stories/") and "/_" not in k]) == 6, keys
        assert data_dir.is_dir()
    finally:
        stopped = subprocess.run(stop.group(1), shell=True, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped the S3 server" in stopped.stdout
    assert _gone(pid)
    assert not data_dir.exists()
    assert not _answers(_endpoint_port(run.stdout))
