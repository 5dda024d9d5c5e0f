"""Publish step: put a bundle into S3-compatible storage, safely and idempotently.

Layout under ``{prefix}/{story_id}/``::

    v0001/article.json  article.html  article.txt  image.png  manifest.json
    v0002/...
    latest.json         -> {"version": 2, "manifest": ".../v0002/manifest.json", ...}

Readers start at ``latest.json``, so the write order is what makes a publish
atomic: objects first, the manifest after them, the pointer last. Every write
is conditional: objects and manifests with ``If-None-Match: *`` (never
overwrite), the pointer with ``If-Match`` on the ETag we read (never move it
from under a concurrent publisher). Storage decides races, not timing:

* the first object of a version (``article.json``) claims it: a publisher
  that finds it taken by other content moves on to the next number;
* a publisher that finds it taken by the *same* content (a concurrent twin,
  or a crashed earlier run) adopts what is there and completes it.

A crash or fault at any point leaves either the previous complete version or
the new complete one reachable, and a rerun finishes the job.

Faults on the wire are retried in tasks/storage.py (botocore's standard mode,
and cut answers and 409 conflicts there); what is left for this module:

* A write whose answer was lost is retried by botocore and meets its own
  object: 412. Objects and manifests are then adopted like a twin's (the
  ``content-sha256`` metadata says they are ours). The pointer carries a
  ``publish_id``, also kept in its history entry, so a swap whose answer was
  lost is recognised as ours and reported as published, not as a lost race.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from datetime import datetime, timezone

from prefect import task
from prefect.cache_policies import NO_CACHE

from config.settings import Settings, get_settings
from tasks.bundle import manifest_file, renumber, with_tags
from tasks.changes import describe_changes, fingerprint
from tasks.errors import PublishConflictError, PublishError, StorageUnavailableError, retry_if_retryable
from tasks.models import Bundle, BundleFile, PublishResult
from tasks.storage import ObjectStore, ensure_bucket, s3_client
from tasks.storykeys import story_prefix, version_folder

# How many times a publisher re-reads the pointer after losing a race.
MAX_RACE_ROUNDS = 8


class _VersionTaken(Exception):
    """Another publisher owns this version number with different content."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_version(store: ObjectStore, folder: str, bundle: Bundle) -> tuple[str, dict]:
    """Write the version's objects and manifest; returns (manifest key, manifest).

    Raises _VersionTaken when the folder holds another content's objects.
    """
    metadata = {"content-sha256": bundle.content_sha256, "story-id": bundle.story_id,
                "version": str(bundle.version)}
    stored: list[dict] = []
    for file in bundle.files:
        if file.name == "manifest.json":
            continue
        key = f"{folder}/{file.name}"
        if _create(store, key, file, metadata):
            stored.append(_entry(file.name, file.data, file.content_type))
            continue
        existing = store.read(key)
        if existing is None:  # deleted between our write and read: write again
            if not _create(store, key, file, metadata):
                raise _VersionTaken(key)
            stored.append(_entry(file.name, file.data, file.content_type))
            continue
        if existing.metadata.get("content-sha256") != bundle.content_sha256:
            raise _VersionTaken(key)
        # The same content, written by a twin or by a run that crashed: adopt it.
        stored.append(_entry(file.name, existing.data, existing.content_type or file.content_type))
    manifest = manifest_file(bundle, stored)
    manifest_key = f"{folder}/manifest.json"
    if not _create(store, manifest_key, manifest, metadata):
        existing_manifest, _etag = store.read_json(manifest_key)
        if not existing_manifest or existing_manifest.get("content_sha256") != bundle.content_sha256:
            raise _VersionTaken(manifest_key)
        return manifest_key, existing_manifest
    return manifest_key, json.loads(manifest.data)


def _create(store: ObjectStore, key: str, file: BundleFile, metadata: dict[str, str]) -> bool:
    return store.create(key, file.data, content_type=file.content_type,
                        metadata={**metadata, "sha256": _sha256(file.data)})


def _entry(name: str, data: bytes, content_type: str) -> dict:
    return {"name": name, "size": len(data), "sha256": _sha256(data), "content_type": content_type}


def publish_bundle(bundle: Bundle, settings: Settings | None = None, *, force: bool = False,
                   note: str | None = None, client=None,
                   editor_tags: tuple[str, ...] | None = None) -> PublishResult:
    """Publish one story version; unchanged content publishes nothing.

    Tags an editor added stick to the story: the pointer keeps them and every
    later publish (a poll's included) adds them back. ``editor_tags`` are the
    tags an editor gives now (None: no editor is publishing, e.g. a poll):
    they join the kept ones, or with ``force`` replace them.
    """
    settings = settings or get_settings()
    client = client or s3_client(settings)
    store = ObjectStore(client, settings.s3_bucket)
    base = story_prefix(settings.s3_prefix, bundle.story_id)
    pointer_key = f"{base}/latest.json"
    # Marks the pointer this call writes, so that a swap whose answer was lost
    # (the retry then fails its own If-Match) is still known as ours.
    publish_id = uuid.uuid4().hex
    sent: tuple[dict, Bundle] | None = None  # the last pointer we tried to write
    floor = 0  # version numbers at or below this are known to be taken
    for _round in range(MAX_RACE_ROUNDS):
        latest, etag = store.read_json(pointer_key)
        if sent and _carries(latest, publish_id):
            return _result(settings, bundle.story_id, sent[0], "published", sent[1])
        current = int(latest["version"]) if latest else 0
        sticky = _sticky_tags(latest, editor_tags, force)
        candidate = with_tags(bundle, sticky)
        if latest and not force and latest.get("content_sha256") == candidate.content_sha256:
            return _result(settings, bundle.story_id, latest, "unchanged", candidate)
        if latest and not force and latest.get("pub_status") == "canceled" and bundle.pub_status != "canceled":
            # A withdrawn story stays withdrawn until an editor republishes it on purpose.
            return _result(settings, bundle.story_id, latest, "withdrawn", candidate)
        version = max(current, floor) + 1
        first_created = latest.get("first_created") if latest else None
        rendered = renumber(candidate, version, first_created)
        folder = f"{base}/{version_folder(version)}"
        try:
            manifest_key, manifest = _write_version(store, folder, rendered)
        except _VersionTaken:
            floor = version
            continue
        pointer = _pointer_document(rendered, manifest_key, manifest, latest, note, publish_id, sticky)
        sent = (pointer, rendered)
        try:
            swapped = store.swap_json(pointer_key, pointer, etag)
        except StorageUnavailableError:
            # The swap may have landed before storage failed us: look once.
            if _swap_landed(store, pointer_key, publish_id):
                return _result(settings, bundle.story_id, pointer, "published", rendered)
            raise
        if swapped:
            return _result(settings, bundle.story_id, pointer, "published", rendered)
        floor = max(floor, version - 1)  # our version is complete; retry the pointer from a fresh read
    raise PublishConflictError(
        f"story {bundle.story_id}: lost the race for a new version {MAX_RACE_ROUNDS} times; try again"
    )


def _sticky_tags(latest: dict | None, editor_tags: tuple[str, ...] | None, force: bool) -> tuple[str, ...]:
    kept = tuple(t for t in (latest or {}).get("editor_tags", []) if isinstance(t, str))
    if editor_tags is None:
        return kept
    given = tuple(t.strip() for t in editor_tags if t.strip())
    if force:
        return tuple(dict.fromkeys(given))
    known = {t.casefold() for t in kept}
    return kept + tuple(dict.fromkeys(t for t in given if t.casefold() not in known))


def _carries(pointer: dict | None, publish_id: str) -> bool:
    """Whether our pointer write is in this pointer: current, or since superseded."""
    if not pointer:
        return False
    return pointer.get("publish_id") == publish_id or any(
        isinstance(h, dict) and h.get("publish_id") == publish_id for h in pointer.get("history", []))


def _swap_landed(store: ObjectStore, pointer_key: str, publish_id: str) -> bool:
    try:
        latest, _etag = store.read_json(pointer_key)
    except PublishError:
        return False
    return _carries(latest, publish_id)


def _pointer_document(bundle: Bundle, manifest_key: str, manifest: dict, previous: dict | None,
                      note: str | None, publish_id: str, editor_tags: tuple[str, ...] = ()) -> dict:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    history = list(previous.get("history", [])) if previous else []
    prints = fingerprint(bundle.article, bundle.image, bundle.pub_status)
    history.append({"version": bundle.version, "content_sha256": bundle.content_sha256,
                    "pub_status": bundle.pub_status, "published_at": now, "note": note,
                    "changes": describe_changes(previous.get("fingerprint") if previous else None, prints),
                    "publish_id": publish_id})
    return {
        "story_id": bundle.story_id,
        "publish_id": publish_id,
        "version": bundle.version,
        "manifest": manifest_key,
        "content_sha256": bundle.content_sha256,
        "pub_status": bundle.pub_status,
        "canonical_url": bundle.article.url,
        "headline": bundle.article.headline,
        "first_created": manifest.get("first_created") or bundle.first_created,
        "updated_at": now,
        "objects": [o["name"] for o in manifest.get("objects", [])] + ["manifest.json"],
        "fingerprint": prints,
        "editor_tags": list(editor_tags),
        "history": history[-200:],
    }


def _uri(settings: Settings, key: str) -> str:
    return f"s3://{settings.s3_bucket}/{key}"


def _result(settings: Settings, story_id: str, pointer: dict, status: str, bundle: Bundle) -> PublishResult:
    base = story_prefix(settings.s3_prefix, story_id)
    folder = f"{base}/{version_folder(int(pointer['version']))}"
    names = pointer.get("objects") or [f.name for f in bundle.files]
    return PublishResult(
        story_id=story_id,
        version=int(pointer["version"]),
        status=status,
        bucket=settings.s3_bucket,
        prefix=folder,
        objects=tuple(_uri(settings, f"{folder}/{name}") for name in names),
        latest_uri=_uri(settings, f"{base}/latest.json"),
        content_sha256=str(pointer["content_sha256"]),
        removed_paragraphs=bundle.removed,
    )


_ensured: set[tuple[str | None, str]] = set()
_ensured_lock = threading.Lock()


def ensure_bucket_once(settings: Settings, client=None) -> None:
    """ensure_bucket, checked once per process for each endpoint and bucket:
    a HEAD per story would be one storage round trip in eight."""
    key = (settings.s3_endpoint_url, settings.s3_bucket)
    if key in _ensured:
        return
    ensure_bucket(settings, client)
    with _ensured_lock:
        _ensured.add(key)


@task(name="publish", retries=2, retry_delay_seconds=[2, 10], retry_jitter_factor=0.5,
      retry_condition_fn=retry_if_retryable, cache_policy=NO_CACHE,
      timeout_seconds=600)
def publish_task(bundle: Bundle, force: bool = False, note: str | None = None,
                 editor_tags: list[str] | None = None) -> PublishResult:
    settings = get_settings()
    if settings.s3_create_bucket:
        ensure_bucket_once(settings)
    return publish_bundle(bundle, settings, force=force, note=note,
                          editor_tags=None if editor_tags is None else tuple(editor_tags))

