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

Faults on the wire:

* 5xx, 429/throttling, resets and timeouts are retried by botocore's
  "standard" mode (exponential backoff, full jitter, ``s3_max_attempts``
  attempts in all); other 4xx are not. When retries run out the publish
  fails with a one-line ``StorageUnavailableError`` naming the key.
* A write whose answer was lost is retried by botocore and meets its own
  object: 412. Objects and manifests are then adopted like a twin's (the
  ``content-sha256`` metadata says they are ours). The pointer carries a
  ``publish_id``, also kept in its history entry, so a swap whose answer was
  lost is recognised as ours and reported as published, not as a lost race.
* 409 ConditionalRequestConflict (S3 saw concurrent conditional writes to a
  key and applied neither) repeats the write; a body cut mid-read is read
  again.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import boto3
import urllib3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    IncompleteReadError,
    NoCredentialsError,
    ResponseStreamingError,
)
from prefect import task
from prefect.cache_policies import NO_CACHE

from config.settings import Settings, get_settings
from tasks.bundle import manifest_file, renumber, with_tags
from tasks.changes import describe_changes, fingerprint
from tasks.errors import PublishConflictError, PublishError, StorageUnavailableError, retry_if_retryable
from tasks.models import Bundle, BundleFile, PublishResult
from tasks.storykeys import story_prefix, version_folder

# How many times a publisher re-reads the pointer after losing a race.
MAX_RACE_ROUNDS = 8
# 409 ConditionalRequestConflict: S3 saw a concurrent conditional write to the
# key and applied neither; the request may be repeated. botocore does not
# retry 4xx, so a conditional write is repeated here, with jittered backoff.
CONFLICT_ATTEMPTS = 4
# A GET whose body was cut mid-stream is not retried by botocore (it retries
# until the headers arrive): reads are repeated here.
READ_ATTEMPTS = 3
_IMMUTABLE = "public, max-age=31536000, immutable"
_POINTER_CACHE = "no-cache"
_client_lock = threading.Lock()
# A connection cut while botocore reads a whole (non-streamed) answer, such as
# an error's XML or a PUT's reply, escapes botocore as urllib3's own error.
_CUT_RESPONSE = (urllib3.exceptions.HTTPError,)


@lru_cache(maxsize=8)
def _cached_client(endpoint: str | None, region: str, addressing: str, connect: float, read: float,
                   attempts: int):
    return _new_client(endpoint, region, addressing, connect, read, attempts)


def _new_client(endpoint: str | None, region: str, addressing: str, connect: float, read: float,
                attempts: int):
    config = Config(
        region_name=region,
        connect_timeout=connect,
        read_timeout=read,
        # "standard" retries 5xx, 429/throttling and connection errors with
        # exponential backoff and full jitter; other 4xx are never retried.
        # total_max_attempts counts the first request too ("max_attempts" in
        # this dict would count only the retries: one attempt too many).
        retries={"total_max_attempts": attempts, "mode": "standard"},
        s3={"addressing_style": addressing},
        user_agent_extra="newsroom-pipeline",
    )
    # A session per client: boto3's default session is not thread-safe to create clients from.
    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=config)


def s3_client(settings: Settings | None = None):
    """One client per storage configuration, shared by threads (clients are thread-safe)."""
    settings = settings or get_settings()
    with _client_lock:
        return _cached_client(settings.s3_endpoint_url, settings.s3_region, settings.s3_addressing_style,
                              settings.s3_connect_timeout, settings.s3_read_timeout, settings.s3_max_attempts)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def _is_precondition_failure(error: ClientError) -> bool:
    # 412: the condition failed, the key exists (If-None-Match) or moved (If-Match).
    return _status(error) == 412 or _code(error) == "PreconditionFailed"


def _is_conflict(error: ClientError) -> bool:
    # 409 ConditionalRequestConflict: a concurrent conditional write to the
    # same key; nothing was written and the request may be repeated.
    return _code(error) == "ConditionalRequestConflict" or (_status(error) == 409 and not _code(error))


def _conflict_pause(attempt: int) -> None:
    time.sleep(random.random() * min(2.0, 0.05 * 2 ** attempt))


def _is_missing(error: ClientError) -> bool:
    return _status(error) == 404 or _code(error) in ("NoSuchKey", "404", "NotFound")


def _storage_error(action: str, key: str, error: Exception) -> PublishError:
    """A one-line error without credentials or request signatures."""
    if isinstance(error, ClientError):
        status = _status(error)
        message = f"{action} s3 object {key!r} failed: HTTP {status} {_code(error)}".rstrip()
        if status >= 500 or status == 429 or _code(error) in ("SlowDown", "Throttling", "RequestTimeout"):
            attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts")
            tried = f"after {int(attempts) + 1} attempts" if attempts is not None else "after retries"
            return StorageUnavailableError(f"{message} (storage kept failing {tried})")
        if _is_conflict(error):
            return StorageUnavailableError(f"{message} (concurrent writes kept conflicting)")
        return PublishError(message)
    if isinstance(error, NoCredentialsError):
        return PublishError(f"{action} s3 object {key!r} failed: no credentials found in the AWS credential"
                            " chain (environment, shared config, instance or task role)")
    return StorageUnavailableError(f"{action} s3 object {key!r} failed: {type(error).__name__}"
                                   " (storage unreachable or timed out after retries)")


@dataclass(frozen=True)
class _Pointer:
    document: dict | None
    etag: str | None


class _VersionTaken(Exception):
    """Another publisher owns this version number with different content."""


class _Store:
    """Conditional reads and writes against one bucket."""

    def __init__(self, client, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def read_json(self, key: str) -> tuple[dict | None, str | None]:
        found = self.read_bytes(key)
        if found is None:
            return None, None
        body, response = found
        try:
            return json.loads(body), response.get("ETag")
        except ValueError:
            raise PublishError(f"s3 object {key!r} is not valid JSON; refusing to publish over it") from None

    def read_bytes(self, key: str) -> tuple[bytes, dict] | None:
        """The object's body and response, or None when it does not exist."""
        for attempt in range(READ_ATTEMPTS):
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=key)
                return response["Body"].read(), response
            except ClientError as error:
                if _is_missing(error):
                    return None
                raise _storage_error("reading", key, error) from None
            except (IncompleteReadError, ResponseStreamingError, *_CUT_RESPONSE) as error:
                # The body was cut after the headers; botocore does not retry that.
                if attempt + 1 < READ_ATTEMPTS:
                    continue
                raise _storage_error("reading", key, error) from None
            except BotoCoreError as error:
                raise _storage_error("reading", key, error) from None
        raise AssertionError("unreachable")

    def _conditional_put(self, key: str, **arguments) -> bool:
        """One conditional PUT; False when its condition failed (412, or 404 on If-Match)."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                self.client.put_object(Bucket=self.bucket, Key=key, **arguments)
                return True
            except ClientError as error:
                if _is_precondition_failure(error):
                    return False
                if "IfMatch" in arguments and _is_missing(error):
                    return False  # the pointer we read was deleted meanwhile
                if _is_conflict(error) and attempt + 1 < CONFLICT_ATTEMPTS:
                    _conflict_pause(attempt)
                    continue
                raise _storage_error("writing", key, error) from None
            except _CUT_RESPONSE as error:
                # The answer was cut: the write may or may not have landed.
                # Sending it again is safe, as after any lost answer: a write
                # that landed meets its own condition (412) and is recognised.
                if attempt + 1 < CONFLICT_ATTEMPTS:
                    _conflict_pause(attempt)
                    continue
                raise _storage_error("writing", key, error) from None
            except BotoCoreError as error:
                raise _storage_error("writing", key, error) from None
        raise AssertionError("unreachable")

    def create(self, key: str, file: BundleFile, metadata: dict[str, str], cache_control: str) -> bool:
        """Write a new object; False when the key already exists."""
        return self._conditional_put(key, Body=file.data, ContentType=file.content_type,
                                     CacheControl=cache_control, Metadata=metadata, IfNoneMatch="*",
                                     ChecksumAlgorithm="SHA256")

    def swap_pointer(self, key: str, document: dict, etag: str | None) -> bool:
        """Move the pointer from the version we read; False when it is no longer there.

        False does not prove someone else moved it: when the answer to our
        own PUT was lost, botocore's retry meets the pointer we just wrote
        and gets 412. The caller tells the two apart by the publish id.
        """
        body = (json.dumps(document, indent=2) + "\n").encode("utf-8")
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        return self._conditional_put(key, Body=body, ContentType="application/json",
                                     CacheControl=_POINTER_CACHE, **condition)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_version(store: _Store, folder: str, bundle: Bundle) -> tuple[str, dict]:
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
        if store.create(key, file, {**metadata, "sha256": _sha256(file.data)}, _IMMUTABLE):
            stored.append(_entry(file.name, file.data, file.content_type))
            continue
        existing = store.read_bytes(key)
        if existing is None:  # deleted between our write and read: write again
            if not store.create(key, file, {**metadata, "sha256": _sha256(file.data)}, _IMMUTABLE):
                raise _VersionTaken(key)
            stored.append(_entry(file.name, file.data, file.content_type))
            continue
        data, response = existing
        if response.get("Metadata", {}).get("content-sha256") != bundle.content_sha256:
            raise _VersionTaken(key)
        # The same content, written by a twin or by a run that crashed: adopt it.
        stored.append(_entry(file.name, data, response.get("ContentType") or file.content_type))
    manifest = manifest_file(bundle, stored)
    manifest_key = f"{folder}/manifest.json"
    if not store.create(manifest_key, manifest, {**metadata, "sha256": _sha256(manifest.data)}, _IMMUTABLE):
        existing_manifest, _etag = store.read_json(manifest_key)
        if not existing_manifest or existing_manifest.get("content_sha256") != bundle.content_sha256:
            raise _VersionTaken(manifest_key)
        return manifest_key, existing_manifest
    return manifest_key, json.loads(manifest.data)


def _entry(name: str, data: bytes, content_type: str) -> dict:
    return {"name": name, "size": len(data), "sha256": _sha256(data), "content_type": content_type}


def _uri(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"


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
    store = _Store(client, settings.s3_bucket)
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
            swapped = store.swap_pointer(pointer_key, pointer, etag)
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


def _swap_landed(store: _Store, pointer_key: str, publish_id: str) -> bool:
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
        objects=tuple(_uri(settings.s3_bucket, f"{folder}/{name}") for name in names),
        latest_uri=_uri(settings.s3_bucket, f"{base}/latest.json"),
        content_sha256=str(pointer["content_sha256"]),
        removed_paragraphs=bundle.removed,
    )


def ensure_bucket(settings: Settings | None = None, client=None) -> None:
    """Create the bucket if missing (local endpoints); on AWS it is provisioned."""
    settings = settings or get_settings()
    client = client or s3_client(settings)
    try:
        client.head_bucket(Bucket=settings.s3_bucket)
        return
    except ClientError as error:
        if not _is_missing(error) and _status(error) != 403:
            raise _storage_error("checking bucket", settings.s3_bucket, error) from None
        if _status(error) == 403:
            raise PublishError(f"bucket {settings.s3_bucket!r}: access denied") from None
    except (BotoCoreError, *_CUT_RESPONSE) as error:
        raise _storage_error("checking bucket", settings.s3_bucket, error) from None
    if not settings.s3_create_bucket:
        raise PublishError(f"bucket {settings.s3_bucket!r} does not exist (set NEWSROOM_S3_CREATE_BUCKET=true"
                           " to create it)")
    try:
        client.create_bucket(Bucket=settings.s3_bucket)
    except ClientError as error:
        if _code(error) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise _storage_error("creating bucket", settings.s3_bucket, error) from None
    except (BotoCoreError, *_CUT_RESPONSE) as error:
        raise _storage_error("creating bucket", settings.s3_bucket, error) from None


_ensured: set[tuple[str | None, str]] = set()


def ensure_bucket_once(settings: Settings | None = None) -> None:
    """Before the first write, once per process for each endpoint and bucket
    (a HEAD per story would be one storage round trip in eight): ensure_bucket
    when NEWSROOM_S3_CREATE_BUCKET is set, then the storage capability check,
    which refuses a store that would break atomicity (tasks/storage_check.py)."""
    settings = settings or get_settings()
    key = (settings.s3_endpoint_url, settings.s3_bucket)
    if key in _ensured:
        return
    if settings.s3_create_bucket:
        ensure_bucket(settings)
    from tasks.storage_check import require_capable_storage

    require_capable_storage(settings)
    _ensured.add(key)


@task(name="publish", retries=2, retry_delay_seconds=[2, 10], retry_jitter_factor=0.5,
      retry_condition_fn=retry_if_retryable, cache_policy=NO_CACHE,
      timeout_seconds=600)
def publish_task(bundle: Bundle, force: bool = False, note: str | None = None,
                 editor_tags: list[str] | None = None) -> PublishResult:
    settings = get_settings()
    ensure_bucket_once(settings)
    return publish_bundle(bundle, settings, force=force, note=note,
                          editor_tags=None if editor_tags is None else tuple(editor_tags))

