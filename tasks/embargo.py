"""Embargoes: a story held privately until a time an editor chose.

An embargoed version is rendered like any other (ninjs ``pubStatus``
withheld, ``embargoedUntil`` set, a notice on its page) but written under
the private embargo prefix, never under the story's public prefix::

    _embargoed/stories/<id>/pending.json          which held version, until when, its release run
    _embargoed/stories/<id>/<embargo id>/article.json  article.html  article.txt  image.*
                                          manifest.json  draft.json

``latest.json`` does not move, so readers, the feed, the news sitemap and
the index see nothing of it (a story never published before does not exist
for them at all). Its release is a Prefect flow run scheduled for the
embargo's end (tasks/releases.py) that publishes the held draft as the next
public version (tasks/release.py).

Writes follow the publish protocol: the held files first (create-only),
then the release run is scheduled, then ``pending.json`` is swapped in
(compare-and-swap), so a crash leaves either the previous embargo or the new
one in force, never a pending record whose release was not scheduled. The
embargo id is derived from what is held, so a retried hold finds its own
files and its own release run.

A newer version of the story, or a kill, cancels the embargo
(``cancel_embargo``): its run is cancelled and its files deleted. A feed
poll leaves an embargoed story alone (``held_back``): only an editor's
publish replaces an embargo.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone

from config.settings import Settings
from tasks.documents import CorruptObjectError, PendingEmbargo, Pointer, parse_document
from tasks.errors import PipelineError
from tasks.events import StoryEvent, emit_story_event
from tasks.lookup import record_aliases
from tasks.models import (Article, Block, Draft, FetchedImage, LeadImage, PublishResult, PubStatus, RemovedParagraph,
                          StoryStatus)
from tasks.publish import settle_editor_tags
from tasks.releases import Releases
from tasks.render import MANIFEST, image_name, manifest_file, object_entry, render_files, utc_now
from tasks.storage import ObjectStore
from tasks.storykeys import story_prefix

PENDING = "pending.json"
DRAFT = "draft.json"  # the draft itself, so that the release publishes exactly what was held
ROUNDS = 8


class EmbargoError(PipelineError):
    """An embargo that cannot be: a time without a zone, or one in the past."""


@dataclass(frozen=True)
class Held:
    """What holding a story did."""

    result: PublishResult
    embargo: PendingEmbargo | None  # None: nothing held (a withdrawn story)
    replaced: PendingEmbargo | None = None  # the earlier embargo this one took the place of


def parse_embargo_time(value: str | datetime, now: datetime | None = None) -> datetime:
    """An embargo's end as an aware UTC time; refuses a time without a zone, or one not in the future."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise EmbargoError(f"embargo time {value[:60]!r} is not an ISO 8601 time"
                               " (for example 2026-12-24T18:00:00+01:00)") from None
    else:
        moment = value
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EmbargoError(f"embargo time {moment.isoformat()} has no time zone: give one (+01:00, Z)")
    moment = moment.astimezone(timezone.utc).replace(microsecond=0)
    now = now or datetime.now(timezone.utc)
    if moment <= now:
        raise EmbargoError(f"embargo time {moment.isoformat()} is not in the future (it is {now.isoformat(timespec='seconds')});"
                           " publish without an embargo instead")
    return moment


def embargo_root(settings: Settings, story_id: str) -> str:
    return f"{settings.embargo_prefix.strip('/')}/{story_prefix(settings.s3_prefix, story_id)}"


def read_pending(store: ObjectStore, settings: Settings, story_id: str) -> tuple[PendingEmbargo | None, str | None]:
    """The story's embargo in force and its ETag, or (None, None)."""
    key = f"{embargo_root(settings, story_id)}/{PENDING}"
    found = store.read(key)
    if found is None:
        return None, None
    return parse_document(PendingEmbargo, key, found.data), found.etag


def hold_draft(draft: Draft, settings: Settings, store: ObjectStore, releases: Releases, *, until: datetime,
               note: str | None = None, editor_tags: tuple[str, ...] | None = None, force: bool = False,
               now: datetime | None = None) -> Held:
    """Hold ``draft`` under embargo until ``until`` (aware, in the future: see ``parse_embargo_time``)."""
    now = now or datetime.now(timezone.utc)
    if until.tzinfo is None:
        raise EmbargoError(f"embargo time {until.isoformat()} has no time zone: give one (+01:00, Z)")
    until = until.astimezone(timezone.utc).replace(microsecond=0)
    base = story_prefix(settings.s3_prefix, draft.story_id)
    pointer_key = f"{base}/latest.json"
    latest, _etag = store.read_json(pointer_key)
    pointer = parse_document(Pointer, pointer_key, latest) if latest is not None else None
    if pointer and pointer.pub_status == PubStatus.CANCELED and not force:
        # As for a publish: a withdrawn story stays withdrawn until an editor restores it with force.
        return Held(_result(store, draft.story_id, pointer.version, StoryStatus.WITHDRAWN,
                            pointer.manifest.rsplit("/", 1)[0], (), pointer_key, draft), None)
    held = replace(draft.with_tags(settle_editor_tags(latest, editor_tags, force)),
                   pub_status=PubStatus.WITHHELD, embargo_until=until.isoformat())
    root = embargo_root(settings, draft.story_id)
    base_version = pointer.version if pointer else 0
    for _round in range(ROUNDS):
        previous, previous_etag = read_pending(store, settings, draft.story_id)
        if previous and previous.content_sha256 == held.content_sha256 and previous.until == held.embargo_until:
            return Held(_held_result(store, previous, StoryStatus.UNCHANGED, held), previous)
        identity = f"{held.content_sha256}|{held.embargo_until}|{base_version}|{previous.embargo_id if previous else ''}"
        embargo_id = hashlib.sha256(identity.encode()).hexdigest()[:16]
        folder = f"{root}/{embargo_id}"
        files = _write_held(store, folder, held, base_version + 1,
                            (pointer.first_created if pointer else None) or now.isoformat(timespec="seconds"))
        try:
            run_id = releases.schedule(draft.story_id, embargo_id, until)
        except Exception:
            _delete_files(store, folder, files)  # no release, no embargo: what was written for it goes
            raise
        embargo = PendingEmbargo(
            story_id=draft.story_id, embargo_id=embargo_id, until=held.embargo_until, folder=folder, files=files,
            content_sha256=held.content_sha256, version=base_version + 1, base_version=base_version,
            created_at=now.isoformat(timespec="seconds"), release_run=run_id, note=note,
            canonical_url=held.article.url, headline=held.article.headline)
        if store.swap_json(f"{root}/{PENDING}", embargo.model_dump(), previous_etag,
                           cache_control="private, no-store"):
            break
        winner, _etag = read_pending(store, settings, draft.story_id)
        if winner is not None and winner.embargo_id == embargo_id:
            # A twin (the same draft held at the same time, or our own write
            # whose answer was lost) stored this very embargo: it is in force.
            return Held(_held_result(store, winner, StoryStatus.EMBARGOED, held), winner, previous)
        _discard(store, releases, embargo, "a concurrent embargo of the story took its place")
    else:
        raise EmbargoError(f"story {draft.story_id}: kept losing the race to hold it under embargo; try again")
    if previous is not None:
        _discard(store, releases, previous, f"replaced by embargo {embargo.embargo_id}")
    if held.fetched_urls:
        record_aliases(store, settings.s3_prefix, draft.story_id, held.fetched_urls)
    result = _held_result(store, embargo, StoryStatus.EMBARGOED, held)
    emit_story_event(StoryEvent(
        kind="embargoed", story_id=draft.story_id, url=held.article.url, version=embargo.version,
        headline=held.article.headline, bucket=store.bucket, latest_key=f"{root}/{PENDING}",
        manifest_key=f"{folder}/{MANIFEST}", objects=result.objects))
    return Held(result, embargo, previous)


def cancel_embargo(store: ObjectStore, settings: Settings, releases: Releases, story_id: str,
                   reason: str) -> PendingEmbargo | None:
    """End the story's embargo, if one is in force: cancel its release and delete what it held."""
    pending, _etag = read_pending(store, settings, story_id)
    if pending is None:
        return None
    end_embargo(store, settings, pending, releases, reason)
    return pending


def end_embargo(store: ObjectStore, settings: Settings, pending: PendingEmbargo, releases: Releases | None = None,
                reason: str = "") -> None:
    """``pending`` is no longer in force: its record goes (unless another embargo took its
    place since), then, given ``releases``, its release run, then its files."""
    current, _etag = read_pending(store, settings, pending.story_id)
    if current is not None and current.embargo_id == pending.embargo_id:
        store.delete(f"{embargo_root(settings, pending.story_id)}/{PENDING}")
    _discard(store, releases, pending, reason)


def withdraw_held(store: ObjectStore, settings: Settings, releases: Releases, story_id: str, *, note: str,
                  requested_by: str, now: datetime | None = None) -> PublishResult | None:
    """Kill a story that was only held, never public: its embargo ends unreleased, an audit
    record says who, when and why, and ``newsroom.story.withdrawn`` tells partners who had it."""
    from tasks.takedown import write_audit

    now = now or datetime.now(timezone.utc)
    pending = cancel_embargo(store, settings, releases, story_id, f"killed: {note}")
    if pending is None:
        return None
    audit_key = write_audit(store, settings.audit_prefix, story_id, "embargo-ended", now, requested_by=requested_by,
                            reason=note, embargo_id=pending.embargo_id, embargo_until=pending.until,
                            removed_objects=len(pending.files))
    root = embargo_root(settings, story_id)
    emit_story_event(StoryEvent(
        kind="withdrawn", story_id=story_id, url=pending.canonical_url or "", version=pending.version,
        headline=pending.headline or "", bucket=store.bucket, latest_key=f"{root}/{PENDING}",
        manifest_key=audit_key))
    return PublishResult(story_id=story_id, version=pending.version, status=StoryStatus.WITHDRAWN,
                         bucket=store.bucket, prefix=pending.folder, objects=(store.uri(audit_key),),
                         latest_uri=store.uri(f"{root}/{PENDING}"), content_sha256=pending.content_sha256)


def held_back(store: ObjectStore, settings: Settings, draft: Draft) -> PublishResult | None:
    """A poll's result for a story under embargo (it is not published), or None."""
    pending, _etag = read_pending(store, settings, draft.story_id)
    return _held_result(store, pending, StoryStatus.EMBARGOED, draft) if pending else None


def held_draft(store: ObjectStore, pending: PendingEmbargo) -> Draft:
    """The draft an embargo holds, exactly as it was given (status withheld)."""
    key = f"{pending.folder}/{DRAFT}"
    found = store.read(key)
    if found is None:
        raise CorruptObjectError(key, "the embargo's draft is missing")
    try:
        document = json.loads(found.data)
        image = None
        if document.get("image"):
            name = document["image"]["name"]
            stored = store.read(f"{pending.folder}/{name}")
            if stored is None:
                raise CorruptObjectError(f"{pending.folder}/{name}", "the embargo's image is missing")
            image = FetchedImage(url=document["image"]["url"], data=stored.data,
                                 content_type=document["image"]["content_type"])
        return Draft(story_id=pending.story_id, article=_article(document["article"]), image=image,
                     removed=tuple(RemovedParagraph(**r) for r in document["removed"]),
                     source_url=document["source_url"], fetched_at=document["fetched_at"],
                     pub_status=PubStatus.WITHHELD, notes=tuple(document["notes"]),
                     fetched_urls=tuple(document["fetched_urls"]), embargo_until=pending.until)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CorruptObjectError(key, f"not an embargo's draft ({type(error).__name__}: {error})") from None


def _write_held(store: ObjectStore, folder: str, draft: Draft, version: int, first_created: str) -> list[str]:
    """The held version's files, create-only (a retried hold finds its own), manifest last."""
    now = utc_now()
    metadata = {"content-sha256": draft.content_sha256, "story-id": draft.story_id, "embargo-until":
                draft.embargo_until or ""}
    written = []
    for file in render_files(draft, version, first_created, now):
        store.create(f"{folder}/{file.name}", file.data, content_type=file.content_type, metadata=metadata,
                     cache_control="private, no-store")
        written.append((file.name, file))
    manifest = manifest_file(draft, version, first_created,
                             [object_entry(n, f.data, f.content_type) for n, f in written], bundled_at=now)
    store.create(f"{folder}/{DRAFT}", _draft_document(draft), content_type="application/json",
                 metadata=metadata, cache_control="private, no-store")
    store.create(f"{folder}/{MANIFEST}", manifest.data, content_type=manifest.content_type, metadata=metadata,
                 cache_control="private, no-store")
    return [name for name, _file in written] + [DRAFT, MANIFEST]


def _draft_document(draft: Draft) -> bytes:
    article = {f.name: getattr(draft.article, f.name) for f in fields(Article)}
    article["image"] = asdict(draft.article.image) if draft.article.image else None
    article["blocks"] = [asdict(block) for block in draft.article.blocks]
    image = None
    if draft.image is not None:
        image = {"name": image_name(draft), "url": draft.image.url, "content_type": draft.image.content_type}
    document = {"article": article, "image": image, "removed": [asdict(r) for r in draft.removed],
                "source_url": draft.source_url, "fetched_at": draft.fetched_at, "notes": list(draft.notes),
                "fetched_urls": list(draft.fetched_urls)}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _article(document: dict) -> Article:
    values = dict(document)
    values["image"] = LeadImage(**values["image"]) if values.get("image") else None
    values["blocks"] = tuple(Block(kind=b["kind"], items=tuple(b["items"]), html=tuple(b["html"]), tag=b["tag"])
                             for b in values.get("blocks", []))
    for name in ("paragraphs", "tags", "uncertain"):
        values[name] = tuple(values.get(name, ()))
    return Article(**values)


def _discard(store: ObjectStore, releases: Releases | None, pending: PendingEmbargo, reason: str) -> None:
    """Cancel the embargo's release run (given ``releases``) and delete its files."""
    if releases is not None and pending.release_run:
        releases.cancel(pending.release_run, reason)
    _delete_files(store, pending.folder, pending.files)


def _delete_files(store: ObjectStore, folder: str, names: list[str]) -> None:
    for name in names:
        store.delete(f"{folder}/{name}")


def _held_result(store: ObjectStore, pending: PendingEmbargo, status: StoryStatus, draft: Draft) -> PublishResult:
    objects = tuple(f"{pending.folder}/{name}" for name in pending.files if name != DRAFT)
    return _result(store, pending.story_id, pending.version, status, pending.folder, objects,
                   f"{pending.folder.rsplit('/', 1)[0]}/{PENDING}", draft, pending.content_sha256)


def _result(store: ObjectStore, story_id: str, version: int, status: StoryStatus, prefix: str,
            objects: tuple[str, ...], pointer_key: str, draft: Draft, sha: str | None = None) -> PublishResult:
    return PublishResult(story_id=story_id, version=version, status=status, bucket=store.bucket, prefix=prefix,
                         objects=tuple(store.uri(key) for key in objects), latest_uri=store.uri(pointer_key),
                         content_sha256=sha or draft.content_sha256, removed_paragraphs=draft.removed)
