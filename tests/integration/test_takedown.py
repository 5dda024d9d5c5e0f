"""A killed story's earlier versions leave the public prefix (SeaweedFS)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import pytest

from tasks.storage import ObjectStore
from tasks.takedown import take_down_versions

BASE = "stories/aleppo-cafb82"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(seaweedfs) -> ObjectStore:
    client = seaweedfs.client()
    bucket = f"kill-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    store = ObjectStore(client, bucket)
    for version in (1, 2, 3):
        for name in ("article.json", "article.html", "image.png", "manifest.json"):
            store.create(f"{BASE}/v{version:04d}/{name}", f"{name} of v{version}".encode(), content_type="x/y")
    store.swap_json(f"{BASE}/latest.json", {"version": 3}, None)
    return store


def keys(store: ObjectStore, prefix: str = "") -> set[str]:
    answer = store.client.list_objects_v2(Bucket=store.bucket, Prefix=prefix)
    return {item["Key"] for item in answer.get("Contents", [])}


@pytest.mark.timeout(120)
def test_archive_moves_earlier_versions_to_the_private_prefix_and_keeps_the_tombstone(store):
    done = take_down_versions(store, BASE, 3, story_id="aleppo-cafb82", mode="archive", archive_root="_archive",
                              audit_root="_audit/kills", requested_by="desk editor", reason="legal", now=NOW)
    assert keys(store, f"{BASE}/") == {f"{BASE}/latest.json"} | {f"{BASE}/v0003/{n}" for n in (
        "article.json", "article.html", "image.png", "manifest.json")}
    assert len(done.moved) == 8
    assert keys(store, "_archive/") == {f"_archive/{BASE}/v000{v}/{n}" for v in (1, 2) for n in (
        "article.json", "article.html", "image.png", "manifest.json")}
    assert store.read(f"_archive/{BASE}/v0001/article.html").data == b"article.html of v1"
    audit = json.loads(store.read(done.audit_key).data)
    assert audit == {"story_id": "aleppo-cafb82", "action": "kill", "mode": "archive",
                     "at": "2026-12-01T12:00:00+00:00", "requested_by": "desk editor", "reason": "legal",
                     "tombstone_version": 3, "removed_objects": 8}


@pytest.mark.timeout(120)
def test_takedown_keeps_only_an_audit_record_and_a_rerun_completes(store):
    # A kill archived first, then a takedown ordered: the archive goes too.
    take_down_versions(store, BASE, 3, story_id="aleppo-cafb82", mode="archive", archive_root="_archive",
                       audit_root="_audit/kills", requested_by="desk", reason="first", now=NOW)
    done = take_down_versions(store, BASE, 3, story_id="aleppo-cafb82", mode="takedown", archive_root="_archive",
                              audit_root="_audit/kills", requested_by="lawyer", reason="court order",
                              now=NOW.replace(minute=5))
    assert keys(store, "_archive/") == set()
    assert done.moved == ()  # nothing public was left to remove
    audits = keys(store, "_audit/")
    assert len(audits) == 2
    record = json.loads(store.read(done.audit_key).data)
    assert record["mode"] == "takedown" and record["reason"] == "court order"
    assert "article" not in json.dumps(record)  # who, when and why; none of the content
