"""The object store: S3 clients, error classification, conditional I/O, bucket checks.

Everything that talks to S3-compatible storage goes through here: publish
(versions and pointers), poll state and story reads. Nothing above this
module sees botocore's exceptions; they become one-line ``PublishError``s
that name the key and never carry credentials or request signatures.

Retries, one layer per kind of failure:

* 5xx, 429/throttling, resets and timeouts before an answer's headers:
  botocore's "standard" mode (exponential backoff, full jitter,
  ``s3_max_attempts`` attempts in all). Nothing here repeats them.
* An answer cut after its headers (a GET body, or a whole error or PUT
  reply read by botocore): botocore has already handed the response over
  and cannot retry it, so ``ObjectStore`` sends the request again, at most
  ``CUT_ATTEMPTS`` times. Safe for writes because every write here is
  conditional: one that landed meets its own condition (412).
* 409 ConditionalRequestConflict (S3 saw concurrent conditional writes to
  a key and applied neither): botocore does not retry 4xx, so a
  conditional write is repeated here, ``CUT_ATTEMPTS`` times in all, with
  jittered backoff.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TypeVar

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

from config.settings import Settings
from tasks.errors import PublishError, StorageUnavailableError

# Attempts in all for a request whose answer was cut after its headers, or
# (conditional writes) that met a 409 conflict; see the module docstring.
CUT_ATTEMPTS = 4
# Cache-Control of objects that never change once written, and of pointers.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
POINTER_CACHE = "no-cache"

# A connection cut while botocore reads a whole (non-streamed) answer, such as
# an error's XML or a PUT's reply, escapes botocore as urllib3's own error.
CUT_ERRORS: tuple[type[Exception], ...] = (IncompleteReadError, ResponseStreamingError,
                                           urllib3.exceptions.HTTPError)
_THROTTLING_CODES = ("SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "TooManyRequests")
_client_lock = threading.Lock()
_clients: dict[tuple, object] = {}

T = TypeVar("T")


# --- clients -------------------------------------------------------------------

def new_client(settings: Settings):
    """A new S3 client with the pipeline's timeouts and retry policy."""
    config = Config(
        region_name=settings.s3_region,
        connect_timeout=settings.s3_connect_timeout,
        read_timeout=settings.s3_read_timeout,
        # "standard" retries 5xx, 429/throttling and connection errors with
        # exponential backoff and full jitter; other 4xx are never retried.
        # total_max_attempts counts the first request too ("max_attempts" in
        # this dict would count only the retries: one attempt too many).
        retries={"total_max_attempts": settings.s3_max_attempts, "mode": "standard"},
        s3={"addressing_style": settings.s3_addressing_style},
        user_agent_extra="newsroom-pipeline",
    )
    keys = {}
    if settings.s3_access_key_id is not None and settings.s3_secret_access_key is not None:
        keys = {"aws_access_key_id": settings.s3_access_key_id.get_secret_value(),
                "aws_secret_access_key": settings.s3_secret_access_key.get_secret_value()}
    # A session per client: boto3's default session is not thread-safe to create clients from.
    return boto3.session.Session().client("s3", endpoint_url=settings.s3_endpoint_url, config=config, **keys)


def s3_client(settings: Settings):
    """One client per storage configuration, shared by threads (clients are
    thread-safe, and each costs tens of milliseconds to make)."""
    # The keys are compared as SecretStr: equal when their values are, never shown.
    key = (settings.s3_endpoint_url, settings.s3_region, settings.s3_addressing_style,
           settings.s3_connect_timeout, settings.s3_read_timeout, settings.s3_max_attempts,
           settings.s3_access_key_id, settings.s3_secret_access_key)
    with _client_lock:
        if key not in _clients:
            _clients[key] = new_client(settings)
        return _clients[key]


# --- error classification --------------------------------------------------------

def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def http_status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def is_missing(error: ClientError) -> bool:
    return http_status(error) == 404 or error_code(error) in ("NoSuchKey", "404", "NotFound")


def is_precondition_failure(error: ClientError) -> bool:
    """412: the condition failed, the key exists (If-None-Match) or moved (If-Match)."""
    return http_status(error) == 412 or error_code(error) == "PreconditionFailed"


def is_conflict(error: ClientError) -> bool:
    """409 ConditionalRequestConflict: a concurrent conditional write to the
    same key; nothing was written and the request may be repeated."""
    return error_code(error) == "ConditionalRequestConflict" or (http_status(error) == 409 and not error_code(error))


def is_unavailable(error: ClientError) -> bool:
    """5xx and throttling: storage is failing, not refusing (botocore retried it)."""
    status = http_status(error)
    return status >= 500 or status == 429 or error_code(error) in _THROTTLING_CODES


def storage_error(action: str, key: str, error: Exception) -> PublishError:
    """A one-line error without credentials or request signatures."""
    if isinstance(error, ClientError):
        status = http_status(error)
        message = f"{action} s3 object {key!r} failed: HTTP {status} {error_code(error)}".rstrip()
        if is_unavailable(error):
            attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts")
            tried = f"after {int(attempts) + 1} attempts" if attempts is not None else "after retries"
            return StorageUnavailableError(f"{message} (storage kept failing {tried})")
        if is_conflict(error):
            return StorageUnavailableError(f"{message} (concurrent writes kept conflicting)")
        return PublishError(message)
    if isinstance(error, NoCredentialsError):
        return PublishError(f"{action} s3 object {key!r} failed: no credentials found in the AWS credential"
                            " chain (environment, shared config, instance or task role)")
    return StorageUnavailableError(f"{action} s3 object {key!r} failed: {type(error).__name__}"
                                   " (storage unreachable or timed out after retries)")


# --- conditional I/O ---------------------------------------------------------------

@dataclass(frozen=True)
class StoredObject:
    """An object as read: its body and the headers that matter here."""

    data: bytes
    etag: str | None = None
    content_type: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def _pause(attempt: int) -> None:
    time.sleep(random.random() * min(2.0, 0.05 * 2 ** attempt))


class ObjectStore:
    """Reads and conditional writes against one bucket."""

    def __init__(self, client, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def for_settings(cls, settings: Settings, client=None) -> ObjectStore:
        return cls(client or s3_client(settings), settings.s3_bucket)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def read(self, key: str) -> StoredObject | None:
        """The object, or None when it does not exist."""
        def get() -> StoredObject | None:
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=key)
                data = response["Body"].read()
            except ClientError as error:
                if is_missing(error):
                    return None
                raise storage_error("reading", key, error) from None
            return StoredObject(data, response.get("ETag"), response.get("ContentType"),
                                dict(response.get("Metadata") or {}))

        return self._repeat_if_cut("reading", key, get, pause=False)

    def read_json(self, key: str) -> tuple[dict | None, str | None]:
        """(the JSON document, its ETag), or (None, None) when it does not exist."""
        found = self.read(key)
        if found is None:
            return None, None
        try:
            return json.loads(found.data), found.etag
        except ValueError:
            raise PublishError(f"s3 object {key!r} is not valid JSON; refusing to publish over it") from None

    def create(self, key: str, data: bytes, *, content_type: str, metadata: dict[str, str] | None = None,
               cache_control: str = IMMUTABLE_CACHE) -> bool:
        """Write a new object; False when the key already exists."""
        return self._conditional_put(key, Body=data, ContentType=content_type, CacheControl=cache_control,
                                     Metadata=metadata or {}, IfNoneMatch="*", ChecksumAlgorithm="SHA256")

    def set_aside(self, key: str, data: bytes) -> str:
        """Keep a corrupt object's bytes, as they were, at ``<key>.corrupt-<time>``
        (private, never cached) for inspection; returns that key."""
        aside = f"{key}.corrupt-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"
        self.create(aside, data, content_type="application/octet-stream", cache_control="private, no-store")
        return aside

    def delete(self, key: str) -> None:
        """Remove an object (a missing one is not an error)."""
        def remove() -> None:
            try:
                self.client.delete_object(Bucket=self.bucket, Key=key)
            except ClientError as error:
                if not is_missing(error):
                    raise storage_error("deleting", key, error) from None

        self._repeat_if_cut("deleting", key, remove, pause=True)

    def swap_json(self, key: str, document: dict, etag: str | None,
                  cache_control: str = POINTER_CACHE) -> bool:
        """Replace the document we read (its ``etag``; None: create it); False
        when it is no longer the one we read.

        False does not prove someone else moved it: when the answer to our
        own PUT was lost, botocore's retry meets the document we just wrote
        and gets 412. Callers that must tell the two apart mark what they write.
        """
        body = (json.dumps(document, indent=2) + "\n").encode("utf-8")
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        return self._conditional_put(key, Body=body, ContentType="application/json",
                                     CacheControl=cache_control, **condition)

    def _conditional_put(self, key: str, **arguments) -> bool:
        """One conditional PUT; False when its condition failed (412, or 404 on If-Match)."""
        def put() -> bool:
            try:
                self.client.put_object(Bucket=self.bucket, Key=key, **arguments)
                return True
            except ClientError as error:
                if is_precondition_failure(error):
                    return False
                if "IfMatch" in arguments and is_missing(error):
                    return False  # the document we read was deleted meanwhile
                if is_conflict(error):
                    raise _Conflict(error) from None
                raise storage_error("writing", key, error) from None

        return self._repeat_if_cut("writing", key, put, pause=True)

    def _repeat_if_cut(self, action: str, key: str, send: Callable[[], T], *, pause: bool) -> T:
        """``send()``, again when its answer was cut (or, writing, met a 409 conflict)."""
        for attempt in range(CUT_ATTEMPTS):
            try:
                return send()
            except (*CUT_ERRORS, _Conflict) as error:
                if attempt + 1 == CUT_ATTEMPTS:
                    cause = error.error if isinstance(error, _Conflict) else error
                    raise storage_error(action, key, cause) from None
                if pause:
                    _pause(attempt)
            except BotoCoreError as error:
                raise storage_error(action, key, error) from None
        raise AssertionError("unreachable")


class _Conflict(Exception):
    """A 409 ConditionalRequestConflict, carried to the repeat loop."""

    def __init__(self, error: ClientError) -> None:
        super().__init__(str(error))
        self.error = error


# --- buckets ---------------------------------------------------------------------------

def ensure_bucket(settings: Settings, client=None) -> None:
    """Check the bucket is there and ours; create it when missing if
    ``s3_create_bucket`` (local endpoints); on AWS it is provisioned."""
    client = client or s3_client(settings)
    bucket = settings.s3_bucket
    try:
        client.head_bucket(Bucket=bucket)
        return
    except ClientError as error:
        if http_status(error) == 403:
            raise PublishError(f"bucket {bucket!r}: access denied") from None
        if not is_missing(error):
            raise storage_error("checking bucket", bucket, error) from None
    except (BotoCoreError, *CUT_ERRORS) as error:
        raise storage_error("checking bucket", bucket, error) from None
    if not settings.s3_create_bucket:
        raise PublishError(f"bucket {bucket!r} does not exist (set NEWSROOM_S3_CREATE_BUCKET=true to create it)")
    try:
        client.create_bucket(Bucket=bucket)
    except ClientError as error:
        if error_code(error) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise storage_error("creating bucket", bucket, error) from None
    except (BotoCoreError, *CUT_ERRORS) as error:
        raise storage_error("creating bucket", bucket, error) from None

