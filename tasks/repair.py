"""Rebuild a story's pointer (``latest.json``) from the versions it has stored.

Storage is not trusted (tasks/documents.py): publishing refuses to write over
a pointer that is not what a publisher writes, and names it. This is the way
back, ``newsroom repair URL``:

* a pointer that is valid and whose manifest's objects are all there is left
  alone;
* otherwise every version folder's manifest is read, and the newest version
  whose objects are all there, with the size and SHA-256 its manifest gives,
  becomes the pointer's version. Its history is rebuilt from the manifests of
  the complete versions, and says it was rebuilt;
* the bad pointer is kept beside it (``latest.json.corrupt-<time>``) for
  inspection, and the new one replaces it by compare-and-swap, so a publish
  that lands meanwhile is never overwritten.

What a pointer alone held is not in any manifest and starts again empty:
the tags editors added, and the notes of the correction log.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tasks.documents import CorruptObjectError, Manifest, Pointer, parse_document
from tasks.errors import PublishConflictError
from tasks.lookup import find_story
from tasks.stored import StoryNotFoundError
from tasks.render import MANIFEST
from tasks.storage import ObjectStore
from tasks.storykeys import is_story_id, story_ids, story_prefix, version_folder

_VERSION_FOLDER = re.compile(r"/v(\d{4,6})/$")
NOTE = "pointer rebuilt from the stored versions"


@dataclass(frozen=True)
class RepairResult:
    """What ``repair_story`` found and did."""

    story_id: str
    status: str  # "intact" (nothing to do) or "repaired"
    version: int
    problem: str | None = None  # what was wrong with the pointer
    set_aside: str | None = None  # where the bad pointer was kept
    skipped: dict[int, str] = field(default_factory=dict)  # incomplete versions, and why

    def summary(self) -> str:
        if self.status == "intact":
            return f"story {self.story_id}: latest.json is intact (version {self.version}); nothing to repair"
        line = f"story {self.story_id}: latest.json rebuilt at version {self.version} ({self.problem})"
        if self.set_aside:
            line += f"; the old one is kept at {self.set_aside}"
        if self.skipped:
            line += "; incomplete versions left out: " + ", ".join(
                f"v{number} ({why})" for number, why in sorted(self.skipped.items()))
        return line


class NothingToRepairFromError(CorruptObjectError):
    """No stored version of the story is complete."""


def repair_story(store: ObjectStore, prefix: str, story_id: str) -> RepairResult:
    """Check the story's pointer and, when it is bad, rebuild it (see the module's docstring)."""
    base = story_prefix(prefix, story_id)
    pointer_key = f"{base}/latest.json"
    found = store.read(pointer_key)
    problem = "it is missing"
    if found is not None:
        try:
            pointer = parse_document(Pointer, pointer_key, found.data)
        except CorruptObjectError as error:
            problem = error.problem
        else:
            missing = _incomplete(store, pointer.manifest, check_sums=False)
            if missing is None:
                return RepairResult(story_id, "intact", pointer.version)
            problem = f"its version {pointer.version} is incomplete: {missing}"
    versions = _stored_versions(store, base)
    complete: list[Manifest] = []
    skipped: dict[int, str] = {}
    for number in sorted(versions, reverse=True):
        manifest_key = f"{base}/{version_folder(number)}/{MANIFEST}"
        # Checksums for the version readers will get; sizes for the history.
        missing = _incomplete(store, manifest_key, check_sums=not complete)
        if missing is None:
            complete.append(_manifest(store, manifest_key))
        else:
            skipped[number] = missing
    if not complete:
        raise NothingToRepairFromError(pointer_key, f"{problem}, and no stored version is complete to rebuild"
                                                    " it from")
    pointer = _rebuilt_pointer(base, complete)
    aside = None
    if found is not None:
        aside = store.set_aside(pointer_key, found.data)
    if not store.swap_json(pointer_key, pointer, found.etag if found is not None else None):
        raise PublishConflictError(f"story {story_id}: latest.json changed while it was being repaired; it was"
                                   " left as it now is (run the repair again to check it)")
    return RepairResult(story_id, "repaired", pointer["version"], problem, aside, skipped)


def story_to_repair(store: ObjectStore, prefix: str, name: str) -> str:
    """The story id ``name`` (an id or any of its URLs) names: through its
    pointer when it has one, else by the version folders stored under it."""
    try:
        return find_story(store, prefix, name).story_id
    except StoryNotFoundError:
        candidates = [name] if is_story_id(name) else story_ids(name).all if name.startswith(("http://", "https://")) \
            else []
        for story_id in candidates:
            if _stored_versions(store, story_prefix(prefix, story_id)):
                return story_id
        raise


def _stored_versions(store: ObjectStore, base: str) -> list[int]:
    pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=f"{base}/",
                                                                    Delimiter="/")
    numbers = []
    for page in pages:
        for common in page.get("CommonPrefixes") or ():
            match = _VERSION_FOLDER.search(common["Prefix"])
            if match:
                numbers.append(int(match.group(1)))
    return numbers


def _manifest(store: ObjectStore, key: str) -> Manifest:
    found = store.read(key)
    if found is None:
        raise CorruptObjectError(key, "it is missing")
    return parse_document(Manifest, key, found.data)


def _incomplete(store: ObjectStore, manifest_key: str, *, check_sums: bool) -> str | None:
    """Why the version of ``manifest_key`` is not whole, or None when it is."""
    try:
        manifest = _manifest(store, manifest_key)
    except CorruptObjectError as error:
        return f"manifest: {error.problem}"
    folder = manifest_key.rsplit("/", 1)[0]
    for entry in manifest.objects:
        key = f"{folder}/{entry.name}"
        if check_sums:
            found = store.read(key)
            if found is None:
                return f"{entry.name} is missing"
            if len(found.data) != entry.size or hashlib.sha256(found.data).hexdigest() != entry.sha256:
                return f"{entry.name} does not match its manifest"
        else:
            try:
                head = store.client.head_object(Bucket=store.bucket, Key=key)
            except Exception:  # noqa: BLE001 - missing or unreadable: either way not whole
                return f"{entry.name} is missing"
            if int(head.get("ContentLength", -1)) != entry.size:
                return f"{entry.name} does not match its manifest"
    return None


def _rebuilt_pointer(base: str, complete: list[Manifest]) -> dict:
    """The pointer to the newest complete version (first in ``complete``)."""
    newest = complete[0]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    history = [{"version": m.version, "content_sha256": m.content_sha256, "pub_status": m.pub_status,
                "published_at": m.bundled_at, "note": None} for m in reversed(complete)]
    history[-1]["note"] = NOTE
    return {
        "story_id": newest.story_id,
        "version": newest.version,
        "manifest": f"{base}/{version_folder(newest.version)}/{MANIFEST}",
        "content_sha256": newest.content_sha256,
        "pub_status": newest.pub_status,
        "canonical_url": newest.canonical_url,
        "first_created": newest.first_created,
        "updated_at": now,
        "objects": [o.name for o in newest.objects] + [MANIFEST],
        "editor_tags": [],
        "history": history,
    }
