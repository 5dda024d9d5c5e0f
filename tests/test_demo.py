"""The README's first command: `newsroom demo` on embedded defaults, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def test_demo_publishes_the_seed_story_and_shows_where_it_landed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "PREFECT_API_URL"))}
    run = subprocess.run([sys.executable, "-m", "cli.main", "demo", "--out", str(tmp_path)], capture_output=True,
                         text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "published: story syrian-army-announces-offensive-against-rebels-in-aleppo-" in run.stdout
    assert "again: unchanged (version 1; no object written)" in run.stdout
    uris = [line.split()[0] for line in run.stdout.splitlines() if line.strip().startswith("s3://")]
    assert [u.rsplit("/", 1)[1] for u in uris] == ["article.json", "article.html", "article.txt", "image.png",
                                                   "manifest.json", "latest.json"]
    (copy,) = [p for p in tmp_path.glob("*/v0001")]
    assert "Syrian army announces offensive" in (copy / "article.html").read_text("utf-8")
    manifest = json.loads((copy / "manifest.json").read_text("utf-8"))
    assert [o["name"] for o in manifest["objects"]][:3] == ["article.json", "article.html", "article.txt"]
