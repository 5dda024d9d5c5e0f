"""The probes of tasks/storage_check.py: each writes under a scratch prefix and
says whether the store did what the publish protocol needs, and what it did."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from tasks.storage import CUT_ERRORS, IMMUTABLE_CACHE, error_code, http_status, is_unavailable, storage_error

# Concurrent create-only writers racing for one key; exactly one may win.
RACERS = 6
_MULTIPART_PART = b"m" * 1024


@dataclass(frozen=True)
class Capability:
    name: str
    ok: bool
    detail: str  # what the store did
    workaround: str | None = None  # a known quirk, met this way


class _Refused(Exception):
    """A probe's verdict: the store lacks the capability (``str`` says how)."""


_status = http_status


def _answer(error: ClientError) -> str:
    return f"HTTP {http_status(error)} {error_code(error).strip()}".rstrip()


def _b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def _unquote_if_match(params: dict, **_kwargs) -> None:
    if isinstance(params.get("IfMatch"), str):
        params["IfMatch"] = params["IfMatch"].strip('"')


class Probes:
    def __init__(self, client, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.unquoted_if_match = False
        self._uploads: list[tuple[str, str]] = []

    # --- requests ------------------------------------------------------------
    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def _call(self, method: Callable, **arguments) -> tuple[dict | None, ClientError | None]:
        """(response, None) or (None, the store's refusal).

        Storage that cannot be reached, keeps failing (5xx, throttling) or
        finds no credentials raises, as for any write (tasks/storage.py's
        one-line errors): that says nothing about the store's capabilities.
        """
        try:
            return method(Bucket=self.bucket, **arguments), None
        except ClientError as error:
            # 501 NotImplemented is a store's answer about itself, not an outage.
            if is_unavailable(error) and http_status(error) != 501:
                raise storage_error("checking storage with", arguments.get("Key", self.bucket), error) from None
            return None, error
        except (BotoCoreError, *CUT_ERRORS) as error:
            raise storage_error("checking storage with", arguments.get("Key", self.bucket), error) from None

    def _put(self, name: str, body: bytes, **arguments):
        return self._call(self.client.put_object, Key=self._key(name), Body=body, **arguments)

    def _body(self, name: str) -> bytes | None:
        response, error = self._call(self.client.get_object, Key=self._key(name))
        if error is not None:
            if _status(error) == 404:
                return None
            raise _Refused(f"reading a probe object answered {_answer(error)}")
        return response["Body"].read()

    def _multipart(self, name: str, body: bytes, **conditions):
        created, error = self._call(self.client.create_multipart_upload, Key=self._key(name))
        if error is not None:
            raise _Refused(f"starting a multipart upload answered {_answer(error)}")
        upload_id = created["UploadId"]
        self._uploads.append((self._key(name), upload_id))
        part, error = self._call(self.client.upload_part, Key=self._key(name), UploadId=upload_id, PartNumber=1,
                                 Body=body)
        if error is not None:
            raise _Refused(f"uploading a part answered {_answer(error)}")
        return self._call(self.client.complete_multipart_upload, Key=self._key(name), UploadId=upload_id,
                          MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}, **conditions)

    # --- the probes ------------------------------------------------------------
    def run_all(self) -> list[Capability]:
        return [
            self._probe("create-only PUT (If-None-Match: *)", self.create_only_put),
            self._probe("create-only multipart completion", self.create_only_multipart),
            self._probe(f"create-only under {RACERS} concurrent writers", self.create_only_concurrent),
            self._probe("compare-and-swap (If-Match, quoted ETag)", self.compare_and_swap),
            self._probe("If-Match on a missing key", self.if_match_missing),
            self._probe("read-after-write (new, overwritten, deleted)", self.read_after_write),
            self._probe("SHA-256 checksums", self.checksums),
            self._probe("metadata round-trip", self.metadata),
        ]

    @staticmethod
    def _probe(name: str, probe: Callable[[], tuple[str, str | None]]) -> Capability:
        try:
            detail, workaround = probe()
        except _Refused as refused:
            return Capability(name, False, str(refused))
        return Capability(name, True, detail, workaround)

    def _refuses_second_create(self, name: str, first: bytes, write_again: Callable) -> None:
        _response, error = write_again()
        if error is None:
            raise _Refused("a second create-only write to an existing key succeeded: the condition is ignored")
        if _status(error) != 412:
            raise _Refused(f"a second create-only write answered {_answer(error)}, not 412")
        if self._body(name) != first:
            raise _Refused("the refused write changed the object anyway")

    def create_only_put(self) -> tuple[str, None]:
        _response, error = self._put("create-only", b"first", IfNoneMatch="*")
        if error is not None:
            raise _Refused(f"a create-only PUT of a new key answered {_answer(error)}")
        self._refuses_second_create("create-only", b"first",
                                    lambda: self._put("create-only", b"second", IfNoneMatch="*"))
        return "new key written; existing key refused with 412, unchanged", None

    def create_only_multipart(self) -> tuple[str, None]:
        first = _MULTIPART_PART
        _response, error = self._multipart("multipart", first, IfNoneMatch="*")
        if error is not None:
            raise _Refused(f"completing a create-only multipart upload of a new key answered {_answer(error)}")
        self._refuses_second_create("multipart", first,
                                    lambda: self._multipart("multipart", b"n" * 1024, IfNoneMatch="*"))
        return "new key completed; completion over an existing key refused with 412, unchanged", None

    def create_only_concurrent(self) -> tuple[str, None]:
        barrier = threading.Barrier(RACERS)

        def race(index: int):
            barrier.wait(timeout=30)
            return self._put("race", f"writer {index}".encode(), IfNoneMatch="*")

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            answers = list(pool.map(race, range(RACERS)))
        winners = [i for i, (_response, error) in enumerate(answers) if error is None]
        # 409 ConditionalRequestConflict: AWS applied neither of two racing writes.
        others = sorted({_answer(e) for _r, e in answers if e is not None and _status(e) not in (409, 412)})
        if len(winners) > 1:
            raise _Refused(f"{len(winners)} of {RACERS} concurrent create-only writes to one key all succeeded")
        if others:
            raise _Refused(f"concurrent create-only writes answered {', '.join(others)}")
        stored = self._body("race")
        if winners and stored != f"writer {winners[0]}".encode():
            raise _Refused("the object holds a losing writer's body")
        return f"{len(winners)} of {RACERS} won, the others were refused", None

    def compare_and_swap(self) -> tuple[str, str | None]:
        written, error = self._put("swap", b"v1")
        if error is not None:
            raise _Refused(f"a plain PUT answered {_answer(error)}")
        first_etag = written["ETag"]  # quoted, as boto3 returns it and the publisher sends it back
        swapped, error = self._put("swap", b"v2", IfMatch=first_etag)
        workaround = None
        if error is not None and _status(error) == 412:
            # Ceph RGW 16: refuses the quoted ETag boto3 sends, matches it unquoted.
            swapped, unquoted_error = self._put("swap", b"v2", IfMatch=first_etag.strip('"'))
            if unquoted_error is not None:
                raise _Refused(f"If-Match with the current ETag answered {_answer(error)}, quoted or not")
            stale, stale_error = self._put("swap", b"v3", IfMatch=first_etag.strip('"'))
            if stale_error is None or _status(stale_error) != 412:
                raise _Refused("the current ETag is refused quoted, and a stale one is not refused unquoted")
            self.unquoted_if_match = True
            workaround = "the store refuses a quoted If-Match ETag: the publisher sends it unquoted"
        elif error is not None:
            raise _Refused(f"If-Match with the current ETag answered {_answer(error)}")
        else:
            stale, stale_error = self._put("swap", b"v3", IfMatch=first_etag)
            if stale_error is None:
                raise _Refused("If-Match with a stale ETag succeeded: the condition is ignored")
            if _status(stale_error) != 412:
                raise _Refused(f"If-Match with a stale ETag answered {_answer(stale_error)}, not 412")
        if self._body("swap") != b"v2":
            raise _Refused("after the swaps the object does not hold the one swap that succeeded")
        detail = "current ETag swapped; stale ETag refused with 412"
        return (detail + " (both unquoted)" if workaround else detail), workaround

    def if_match_missing(self) -> tuple[str, None]:
        etag = '"' + hashlib.md5(b"nothing here", usedforsecurity=False).hexdigest() + '"'
        _response, error = self._put("never-written", b"x", IfMatch=etag)
        if error is None or self._body("never-written") is not None:
            raise _Refused("If-Match on a missing key created it")
        if _status(error) == 404:
            return "refused with 404, as AWS does", None
        if _status(error) == 412:
            return "refused with 412 (AWS answers 404); the publisher reads both as a moved pointer", None
        raise _Refused(f"If-Match on a missing key answered {_answer(error)}")

    def read_after_write(self) -> tuple[str, None]:
        written, error = self._put("read-after-write", b"one")
        if error is not None:
            raise _Refused(f"a plain PUT answered {_answer(error)}")
        if self._body("read-after-write") != b"one":
            raise _Refused("a new object was not readable right after its PUT")
        head, error = self._call(self.client.head_object, Key=self._key("read-after-write"))
        if error is not None or head.get("ETag") != written.get("ETag"):
            raise _Refused("HEAD right after the PUT gave another ETag than the PUT")
        self._put("read-after-write", b"two")
        if self._body("read-after-write") != b"two":
            raise _Refused("an overwritten object read back its old body")
        _response, error = self._call(self.client.delete_object, Key=self._key("read-after-write"))
        if error is not None:
            raise _Refused(f"DELETE answered {_answer(error)}")
        if self._body("read-after-write") is not None:
            raise _Refused("a deleted object was still readable (not 404)")
        return "new, overwritten and deleted objects read back at once", None

    def checksums(self) -> tuple[str, None]:
        """The SHA-256 the publisher sends is accepted and, where returned, is the body's.

        Refusing a wrong checksum is reported, not required (moto does not):
        every manifest lists each object's sha256 for readers to verify.
        """
        body = b"checksummed body"
        _response, error = self._put("checksum", body, ChecksumAlgorithm="SHA256")
        if error is not None:
            raise _Refused(f"a PUT with a SHA-256 checksum answered {_answer(error)}")
        head, error = self._call(self.client.head_object, Key=self._key("checksum"), ChecksumMode="ENABLED")
        if error is not None:
            raise _Refused(f"HEAD of a checksummed object answered {_answer(error)}")
        stored = head.get("ChecksumSHA256")
        if stored is not None and stored.split("-")[0] != _b64_sha256(body):
            raise _Refused("the stored SHA-256 checksum is not the body's")
        _response, error = self._put("checksum-wrong", body, ChecksumSHA256=_b64_sha256(b"other bytes"))
        if error is not None and _status(error) != 400:
            raise _Refused(f"a PUT with a wrong checksum answered {_answer(error)}, not 400")
        kept = "kept and returned" if stored else "accepted (not returned on read)"
        verified = "a wrong one refused with 400" if error is not None else "a wrong one NOT refused (not verified)"
        return f"SHA-256 {kept}; {verified}", None

    def metadata(self) -> tuple[str, None]:
        sent = {"content-sha256": hashlib.sha256(b"meta").hexdigest(), "story-id": "storage-check", "version": "1"}
        _response, error = self._put("metadata", b"{}", Metadata=sent, ContentType="application/json",
                                     CacheControl=IMMUTABLE_CACHE)
        if error is not None:
            raise _Refused(f"a PUT with metadata answered {_answer(error)}")
        head, error = self._call(self.client.head_object, Key=self._key("metadata"))
        if error is not None:
            raise _Refused(f"HEAD answered {_answer(error)}")
        got = {k.lower(): v for k, v in head.get("Metadata", {}).items()}
        lost = sorted(k for k, v in sent.items() if got.get(k) != v)
        if lost:
            raise _Refused(f"user metadata did not come back as written: {', '.join(lost)}")
        for field, value in (("ContentType", "application/json"), ("CacheControl", IMMUTABLE_CACHE)):
            if head.get(field) != value:
                raise _Refused(f"{field} came back as {head.get(field)!r}, not {value!r}")
        return "user metadata, Content-Type and Cache-Control as written", None

    # --- after the probes --------------------------------------------------------
    def apply_workarounds(self) -> None:
        """Make the publisher's client meet the quirks found (it is shared, see s3_client)."""
        if self.unquoted_if_match:
            self.client.meta.events.register("before-parameter-build.s3.PutObject", _unquote_if_match,
                                             unique_id="newsroom-unquoted-if-match")

    def clean_up(self) -> None:
        """Remove every scratch object and abort every multipart upload left; best effort."""
        for key, upload_id in self._uploads:
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            except (ClientError, BotoCoreError, *CUT_ERRORS):
                pass
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                          Prefix=self.prefix + "/")
            for page in pages:
                for item in page.get("Contents", []):
                    self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
        except (ClientError, BotoCoreError, *CUT_ERRORS):
            pass
