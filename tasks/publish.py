"""Publish step: a draft becomes a version in S3-compatible storage, safely and idempotently.

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

Each attempt reads ``latest.json``, settles the version number and the
editor tags kept with the story, then renders the draft once (tasks/render.py)
and writes it.

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
import uuid
from dataclasses import replace

from config.settings import Settings
from tasks.changes import describe_changes, fingerprint
from tasks.documents import Pointer, parse_document
from tasks.errors import PublishConflictError, PublishError, StorageUnavailableError
from tasks.models import BundleFile, Draft, PublishResult, PubStatus, StoryStatus, merge_tags
from tasks.render import MANIFEST, file_names, manifest_file, object_entry, render_files, utc_now
from tasks.storage import ObjectStore
from tasks.storykeys import story_ids, story_prefix, version_folder

# How many times a publisher re-reads the pointer after losing a race.
MAX_RACE_ROUNDS = 8
HISTORY_LIMIT = 200


class _VersionTaken(Exception):
    """Another publisher owns this version number with different content."""


def publish_draft(draft: Draft, settings: Settings, *, force: bool = False, note: str | None = None,
                  client=None, editor_tags: tuple[str, ...] | None = None) -> PublishResult:
    """Publish one story version; unchanged content publishes nothing.

    Tags an editor added stick to the story: the pointer keeps them and every
    later publish (a poll's included) adds them back. ``editor_tags`` are the
    tags an editor gives now (None: no editor is publishing, e.g. a poll):
    they join the kept ones, or with ``force`` replace them.
    """
    store = ObjectStore.for_settings(settings, client)
    draft = _under_stored_id(store, settings, draft)
    base = story_prefix(settings.s3_prefix, draft.story_id)
    pointer_key = f"{base}/latest.json"
    # Marks the pointer this call writes, so that a swap whose answer was lost
    # (the retry then fails its own If-Match) is still known as ours.
    publish_id = uuid.uuid4().hex
    sent: tuple[dict, Draft] | None = None  # the last pointer we tried to write
    floor = 0  # version numbers at or below this are known to be taken
    for _round in range(MAX_RACE_ROUNDS):
        latest, etag = store.read_json(pointer_key)
        if latest is not None:
            # Storage is not trusted: a pointer no publisher wrote stops here,
            # named, instead of choosing a version folder or tags from it.
            parse_document(Pointer, pointer_key, latest)
        if sent and _carries(latest, publish_id):
            return _result(store, base, sent[0], StoryStatus.PUBLISHED, sent[1])
        sticky = settle_editor_tags(latest, editor_tags, force)
        # A tombstone carries nothing of the story, editor tags included (the pointer keeps them).
        candidate = draft if draft.pub_status == PubStatus.CANCELED else draft.with_tags(sticky)
        if latest and not force and latest.get("content_sha256") == candidate.content_sha256:
            return _result(store, base, latest, StoryStatus.UNCHANGED, candidate)
        if latest and not force and latest.get("pub_status") == PubStatus.CANCELED:
            # A withdrawn story stays withdrawn until an editor republishes it
            # on purpose, and a second kill adds no second tombstone.
            status = StoryStatus.UNCHANGED if draft.pub_status == PubStatus.CANCELED else StoryStatus.WITHDRAWN
            return _result(store, base, latest, status, candidate)
        version = max(int(latest["version"]) if latest else 0, floor) + 1
        now = utc_now()
        first_created = (latest.get("first_created") if latest else None) or now
        folder = f"{base}/{version_folder(version)}"
        try:
            manifest_key, manifest = _write_version(store, folder, candidate, version, first_created, now)
        except _VersionTaken:
            floor = version
            continue
        pointer = _pointer_document(candidate, version, manifest_key, manifest, latest, note, publish_id,
                                    sticky, now)
        sent = (pointer, candidate)
        try:
            swapped = store.swap_json(pointer_key, pointer, etag)
        except StorageUnavailableError:
            # The swap may have landed before storage failed us: look once.
            if _swap_landed(store, pointer_key, publish_id):
                return _result(store, base, pointer, StoryStatus.PUBLISHED, candidate)
            raise
        if swapped:
            return _result(store, base, pointer, StoryStatus.PUBLISHED, candidate)
        floor = max(floor, version - 1)  # our version is complete; retry the pointer from a fresh read
    raise PublishConflictError(
        f"story {draft.story_id}: lost the race for a new version {MAX_RACE_ROUNDS} times; try again"
    )


def settle_editor_tags(latest: dict | None, editor_tags: tuple[str, ...] | None,
                       force: bool) -> tuple[str, ...]:
    """The editor tags a story keeps: those its pointer kept, plus the ones an
    editor gives now (with ``force``, instead of the kept ones)."""
    kept = tuple(t for t in (latest or {}).get("editor_tags", []) if isinstance(t, str))
    if editor_tags is None:
        return kept
    return merge_tags((), editor_tags) if force else merge_tags(kept, editor_tags)


def _write_version(store: ObjectStore, folder: str, draft: Draft, version: int, first_created: str,
                   now: str) -> tuple[str, dict]:
    """Render the draft as this version, write its objects, then its manifest;
    returns (manifest key, manifest).

    Raises _VersionTaken when the folder holds another content's objects.
    """
    metadata = {"content-sha256": draft.content_sha256, "story-id": draft.story_id, "version": str(version)}
    stored: list[dict] = []
    for file in render_files(draft, version, first_created, now):
        key = f"{folder}/{file.name}"
        if _create(store, key, file, metadata):
            stored.append(object_entry(file.name, file.data, file.content_type))
            continue
        existing = store.read(key)
        if existing is None:  # deleted between our write and read: write again
            if not _create(store, key, file, metadata):
                raise _VersionTaken(key)
            stored.append(object_entry(file.name, file.data, file.content_type))
            continue
        if existing.metadata.get("content-sha256") != draft.content_sha256:
            raise _VersionTaken(key)
        # The same content, written by a twin or by a run that crashed: adopt it.
        stored.append(object_entry(file.name, existing.data, existing.content_type or file.content_type))
    manifest = manifest_file(draft, version, first_created, stored, bundled_at=now)
    manifest_key = f"{folder}/{MANIFEST}"
    if not _create(store, manifest_key, manifest, metadata):
        existing_manifest, _etag = store.read_json(manifest_key)
        if not existing_manifest or existing_manifest.get("content_sha256") != draft.content_sha256:
            raise _VersionTaken(manifest_key)
        return manifest_key, existing_manifest
    return manifest_key, json.loads(manifest.data)


def _create(store: ObjectStore, key: str, file: BundleFile, metadata: dict[str, str]) -> bool:
    return store.create(key, file.data, content_type=file.content_type,
                        metadata={**metadata, "sha256": hashlib.sha256(file.data).hexdigest()})


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


def _pointer_document(draft: Draft, version: int, manifest_key: str, manifest: dict, previous: dict | None,
                      note: str | None, publish_id: str, editor_tags: tuple[str, ...], now: str) -> dict:
    history = list(previous.get("history", [])) if previous else []
    prints = fingerprint(draft.article, draft.image, draft.pub_status)
    history.append({"version": version, "content_sha256": draft.content_sha256,
                    "pub_status": draft.pub_status, "published_at": now, "note": note,
                    "changes": describe_changes(previous.get("fingerprint") if previous else None, prints),
                    "publish_id": publish_id})
    return {
        "story_id": draft.story_id,
        "publish_id": publish_id,
        "version": version,
        "manifest": manifest_key,
        "content_sha256": draft.content_sha256,
        "pub_status": draft.pub_status,
        "canonical_url": draft.article.url,
        "headline": draft.article.headline,
        "first_created": manifest.get("first_created"),
        "updated_at": now,
        "objects": [o["name"] for o in manifest.get("objects", [])] + [MANIFEST],
        "fingerprint": prints,
        "editor_tags": list(editor_tags),
        "history": history[-HISTORY_LIMIT:],
    }


def _under_stored_id(store: ObjectStore, settings: Settings, draft: Draft) -> Draft:
    """The draft under the id its story is stored at: a story first published
    under an earlier story-id scheme keeps its keys (tasks/storykeys.py)."""
    ids = story_ids(draft.article.url)
    if draft.story_id != ids.current or not ids.legacy:
        return draft
    if store.read(f"{story_prefix(settings.s3_prefix, ids.current)}/latest.json") is not None:
        return draft
    for legacy in ids.legacy:
        if store.read(f"{story_prefix(settings.s3_prefix, legacy)}/latest.json") is not None:
            return replace(draft, story_id=legacy)
    return draft


def _result(store: ObjectStore, base: str, pointer: dict, status: StoryStatus, draft: Draft) -> PublishResult:
    folder = f"{base}/{version_folder(int(pointer['version']))}"
    names = pointer.get("objects") or file_names(draft)
    return PublishResult(
        story_id=draft.story_id,
        version=int(pointer["version"]),
        status=status,
        bucket=store.bucket,
        prefix=folder,
        objects=tuple(store.uri(f"{folder}/{name}") for name in names),
        latest_uri=store.uri(f"{base}/latest.json"),
        content_sha256=str(pointer["content_sha256"]),
        removed_paragraphs=draft.removed,
    )
