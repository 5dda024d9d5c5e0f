"""Taking a killed story's earlier versions off the public prefix.

A kill is often a legal obligation: the content must stop being served,
not merely be marked withdrawn. Once the tombstone version is current
(``latest.json`` points at it, so no reader following the pointer meets a
missing object), every earlier version's objects leave the public prefix:

* ``archive``: they move under a private archive prefix, for audit. A
  bucket policy that makes the story prefix public never covers it.
* ``takedown``: they are deleted, the archive's copies too, and only an
  audit record remains: who, when and why, with none of the content.

Either way an audit record is written. Every step is idempotent, so a kill
that was cut short completes when it is run again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from botocore.exceptions import BotoCoreError, ClientError

from tasks.errors import PublishError
from tasks.storage import ObjectStore, storage_error

KillMode = Literal["archive", "takedown"]
DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes


@dataclass(frozen=True)
class Takedown:
    story_id: str
    mode: KillMode
    moved: tuple[str, ...]  # public keys that left (archived or deleted)
    archive_keys: tuple[str, ...]  # where archived copies now are (none for a takedown)
    audit_key: str


def archive_prefix_for(archive_root: str, story_prefix: str) -> str:
    return f"{archive_root.strip('/')}/{story_prefix.strip('/')}"


def take_down_versions(store: ObjectStore, story_prefix: str, keep_version: int, *, story_id: str,
                       mode: KillMode, archive_root: str, audit_root: str, requested_by: str, reason: str,
                       now: datetime | None = None) -> Takedown:
    """Remove every version below ``keep_version`` (the tombstone) from ``story_prefix``."""
    now = now or datetime.now(timezone.utc)
    archive = archive_prefix_for(archive_root, story_prefix)
    public = [key for key in _keys(store, f"{story_prefix}/v") if _version_of(key, story_prefix) < keep_version]
    archived: list[str] = []
    if mode == "archive":
        for key in public:
            target = f"{archive}/{key[len(story_prefix) + 1:]}"
            _copy(store, key, target)
            archived.append(target)
    _delete(store, public)
    if mode == "takedown":
        _delete(store, list(_keys(store, f"{archive}/")))
    audit_key = write_audit(store, audit_root, story_id, mode, now, requested_by=requested_by, reason=reason,
                            tombstone_version=keep_version, removed_objects=len(public))
    return Takedown(story_id, mode, tuple(public), tuple(archived), audit_key)


def write_audit(store: ObjectStore, audit_root: str, story_id: str, mode: str, now: datetime, **record) -> str:
    """A kill's audit record (private, create-only): who, when and why, none of the content; its key."""
    audit_key = f"{audit_root.strip('/')}/{story_id}/{now.strftime('%Y%m%dT%H%M%SZ')}-{mode}.json"
    document = {"story_id": story_id, "action": "kill", "mode": mode, "at": now.isoformat(timespec="seconds"),
                **record}
    store.create(audit_key, (json.dumps(document, indent=2) + "\n").encode(), content_type="application/json",
                 cache_control="private, no-store")
    return audit_key


def _version_of(key: str, story_prefix: str) -> int:
    folder = key[len(story_prefix) + 1:].split("/", 1)[0]  # "v0003"
    digits = folder[1:]
    return int(digits) if folder.startswith("v") and digits.isdigit() else 0


def _keys(store: ObjectStore, prefix: str) -> Iterator[str]:
    try:
        pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"]
    except (ClientError, BotoCoreError) as error:
        raise storage_error("listing", prefix, error) from None


def _copy(store: ObjectStore, source: str, target: str) -> None:
    try:
        store.client.copy_object(Bucket=store.bucket, Key=target, CopySource={"Bucket": store.bucket, "Key": source},
                                 CacheControl="private, no-store", MetadataDirective="COPY")
    except (ClientError, BotoCoreError) as error:
        raise storage_error("archiving", source, error) from None


def _delete(store: ObjectStore, keys: list[str]) -> None:
    for start in range(0, len(keys), DELETE_BATCH):
        batch = keys[start:start + DELETE_BATCH]
        try:
            answer = store.client.delete_objects(Bucket=store.bucket, Delete={
                "Objects": [{"Key": key} for key in batch], "Quiet": True})
        except (ClientError, BotoCoreError) as error:
            raise storage_error("deleting", batch[0], error) from None
        failed = answer.get("Errors") or []
        if failed:
            first = failed[0]
            raise PublishError(f"deleting s3 object {first.get('Key', batch[0])!r} failed: {first.get('Code')}"
                               f" ({len(failed)} of {len(batch)} keys not deleted)")
