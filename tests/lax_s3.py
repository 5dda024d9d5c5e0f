"""A small in-memory S3 server with the conditional-write behaviours of real stores.

``conditions="ignore"`` accepts every PUT whatever its ``If-None-Match`` or
``If-Match`` says, as npm's s3rver does: two publishers could both win.
``conditions="ceph"`` honours conditions but, like Ceph RGW 16, compares
``If-Match`` with the unquoted ETag, so the quoted one boto3 sends never
matches. ``conditions="honour"`` behaves as S3 does. Enough of the protocol
for the publisher and the storage check: bucket create/head, object
put/get/head/delete, ListObjectsV2 and single-part multipart uploads.
Signatures are not checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape


@dataclass
class _Object:
    body: bytes
    headers: dict[str, str]
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        self.etag = hashlib.md5(self.body, usedforsecurity=False).hexdigest()


class _State:
    def __init__(self, conditions: str) -> None:
        self.conditions = conditions
        self.buckets: dict[str, dict[str, _Object]] = {}
        self.uploads: dict[str, dict[int, bytes]] = {}
        self.lock = threading.Lock()


def _kept_headers(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()
            if k.lower().startswith("x-amz-meta-") or k.lower() in ("content-type", "cache-control")}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: _State

    def log_message(self, *args) -> None:
        pass

    # --- plumbing -------------------------------------------------------------
    def _target(self) -> tuple[str, str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        bucket, _, key = parts.path.lstrip("/").partition("/")
        return bucket, unquote(key), parse_qs(parts.query, keep_blank_values=True)

    def _read_body(self) -> bytes:
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "aws-chunked" in self.headers.get("Content-Encoding", ""):
            data = self._dechunk(data)
        return data

    @staticmethod
    def _dechunk(data: bytes) -> bytes:
        out, rest = b"", data
        while rest:
            line, _, rest = rest.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        return out

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str) -> None:
        self._send(status, f"<Error><Code>{code}</Code><Message>{code}</Message></Error>".encode(),
                   {"Content-Type": "application/xml"})

    def _condition_fails(self, existing: _Object | None) -> int | None:
        """The status a conditional write fails with, or None when it may proceed."""
        if self.state.conditions == "ignore":
            return None
        if self.headers.get("If-None-Match") == "*" and existing is not None:
            return 412
        if_match = self.headers.get("If-Match")
        if if_match is not None:
            if existing is None:
                return 404
            wanted = existing.etag if self.state.conditions == "ceph" else f'"{existing.etag}"'
            if if_match != wanted:
                return 412
        return None

    # --- verbs ----------------------------------------------------------------
    def do_PUT(self) -> None:  # noqa: N802 - stdlib name
        bucket, key, query = self._target()
        body = self._read_body()
        with self.state.lock:
            if not key:
                self.state.buckets.setdefault(bucket, {})
                return self._send(200)
            objects = self.state.buckets.get(bucket)
            if objects is None:
                return self._error(404, "NoSuchBucket")
            if "uploadId" in query:
                self.state.uploads[query["uploadId"][0]][int(query["partNumber"][0])] = body
                return self._send(200, headers={"ETag": f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'})
            failed = self._condition_fails(objects.get(key))
            if failed:
                return self._error(failed, "PreconditionFailed" if failed == 412 else "NoSuchKey")
            stored = objects[key] = _Object(body, _kept_headers(self.headers))
        self._send(200, headers={"ETag": f'"{stored.etag}"'})

    def do_POST(self) -> None:  # noqa: N802
        bucket, key, query = self._target()
        self._read_body()
        with self.state.lock:
            objects = self.state.buckets.get(bucket)
            if objects is None:
                return self._error(404, "NoSuchBucket")
            if "uploads" in query:
                upload_id = uuid.uuid4().hex
                self.state.uploads[upload_id] = {}
                xml = f"<InitiateMultipartUploadResult><UploadId>{upload_id}</UploadId></InitiateMultipartUploadResult>"
                return self._send(200, xml.encode(), {"Content-Type": "application/xml"})
            parts = self.state.uploads.get(query.get("uploadId", [""])[0])
            if parts is None:
                return self._error(404, "NoSuchUpload")
            failed = self._condition_fails(objects.get(key))
            if failed:
                return self._error(failed, "PreconditionFailed" if failed == 412 else "NoSuchKey")
            stored = objects[key] = _Object(b"".join(parts[n] for n in sorted(parts)), {})
            del self.state.uploads[query["uploadId"][0]]
        xml = f'<CompleteMultipartUploadResult><Key>{escape(key)}</Key><ETag>"{stored.etag}"</ETag></CompleteMultipartUploadResult>'
        self._send(200, xml.encode(), {"Content-Type": "application/xml"})

    def do_GET(self) -> None:  # noqa: N802
        bucket, key, query = self._target()
        with self.state.lock:
            objects = self.state.buckets.get(bucket)
            if objects is None:
                return self._error(404, "NoSuchBucket")
            if not key:
                prefix = query.get("prefix", [""])[0]
                items = "".join(f"<Contents><Key>{escape(k)}</Key><Size>{len(o.body)}</Size>"
                                f'<ETag>"{o.etag}"</ETag></Contents>'
                                for k, o in sorted(objects.items()) if k.startswith(prefix))
                xml = f"<ListBucketResult><Name>{bucket}</Name><IsTruncated>false</IsTruncated>{items}</ListBucketResult>"
                return self._send(200, xml.encode(), {"Content-Type": "application/xml"})
            found = objects.get(key)
        if found is None:
            return self._error(404, "NoSuchKey")
        self._send(200, found.body, {"ETag": f'"{found.etag}"', **found.headers})

    def do_HEAD(self) -> None:  # noqa: N802
        bucket, key, _query = self._target()
        with self.state.lock:
            objects = self.state.buckets.get(bucket)
            found = None if objects is None or not key else objects.get(key)
        if objects is not None and not key:
            return self._send(200)
        if found is None:
            return self._send(404)
        self._send(200, found.body, {"ETag": f'"{found.etag}"', **found.headers})

    def do_DELETE(self) -> None:  # noqa: N802
        bucket, key, query = self._target()
        with self.state.lock:
            if "uploadId" in query:
                self.state.uploads.pop(query["uploadId"][0], None)
            else:
                self.state.buckets.get(bucket, {}).pop(key, None)
        self._send(204)


@contextlib.contextmanager
def lax_s3(conditions: str = "ignore") -> Iterator[str]:
    """Serve the test store on 127.0.0.1 in a thread; yields its endpoint URL."""
    assert conditions in ("ignore", "ceph", "honour")
    handler = type("Handler", (_Handler,), {"state": _State(conditions)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
