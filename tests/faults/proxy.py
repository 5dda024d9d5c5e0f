"""A fault-injecting HTTP proxy between boto3 and the S3 server.

The client talks to the proxy exactly as it would to S3 (``endpoint_url``);
the proxy forwards each request to the real server, unless a rule tells it to
do something else with it:

========================  ===================================================
``slowdown``              answer 503 SlowDown without forwarding
``error500``              answer 500 InternalError without forwarding
``status``                answer ``status``/``code`` (409, 429, 403, ...)
``reset``                 reset the connection, request not forwarded
``stall``                 hold the request past the client's read timeout,
                          then close; the request is never forwarded
``late``                  hold the request past the client's read timeout,
                          then forward it anyway (a write that lands late)
``truncate``              forward the request, relay the answer's headers
                          and half its body, then reset the connection
``drop_response``         forward the request, then reset the connection
                          instead of relaying the answer: the write happened
                          but the client saw an error
``delay``                 wait ``seconds``, then forward normally
``gate``                  wait for ``gate`` (a threading.Event), then forward
``call``                  forward the request (or not: ``forward=False``),
                          call ``callback(request)``, then close the
                          connection; used to kill a publishing process
                          between two writes
========================  ===================================================

Each request gets a 1-based ``index``; every request is logged with the
fault applied to it. Rules match on method and key and fire on the ``nth``
matching request (counted from when the rule was added) for ``times``
consecutive matching requests.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

FAULT_KINDS = ("slowdown", "error500", "status", "reset", "stall", "late", "truncate", "drop_response", "delay",
               "gate", "call")

# Faults applied by every proxy of this process, by kind (for the test summary).
FIRED_TOTAL: Counter[str] = Counter()

_ERROR_BODY = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
               "<RequestId>fault-proxy</RequestId></Error>")
_REASONS = {500: "Internal Server Error", 503: "Slow Down", 409: "Conflict", 429: "Too Many Requests",
            403: "Forbidden", 412: "Precondition Failed", 400: "Bad Request"}


@dataclass(frozen=True)
class Fault:
    kind: str
    status: int = 0
    code: str = ""
    seconds: float = 0.0
    gate: threading.Event | None = None
    callback: Callable[[Request], None] | None = None
    forward: bool = True

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")


@dataclass
class Request:
    index: int
    method: str
    path: str
    query: str
    headers: dict[str, str]

    @property
    def key(self) -> str:
        """The object key (path-style addressing: /bucket/key)."""
        parts = unquote(self.path).lstrip("/").split("/", 1)
        return parts[1] if len(parts) == 2 else ""

    @property
    def is_write(self) -> bool:
        return self.method == "PUT" and bool(self.key)


@dataclass
class LogEntry:
    index: int
    method: str
    key: str
    fault: str | None
    status: int | None = None  # status relayed to the client, None when it got none
    if_match: str | None = None
    if_none_match: str | None = None
    sdk_request: str | None = None  # botocore's "attempt=N; max=M"


@dataclass
class _Rule:
    fault: Fault
    method: str | None
    key_suffix: str | None
    match: Callable[[Request], bool] | None
    skip: int
    times: int

    def matches(self, request: Request) -> bool:
        if self.method and request.method != self.method:
            return False
        if self.key_suffix and not request.key.endswith(self.key_suffix):
            return False
        return not (self.match and not self.match(request))


@dataclass
class _Response:
    status: int
    head: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    version: str = "HTTP/1.1"
    reason: str = ""


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._count = 0
        self.log: list[LogEntry] = []
        self.fired: Counter[str] = Counter()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    # -- control ---------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def inject(self, fault: Fault, *, nth: int = 1, times: int = 1, method: str | None = None,
               key_suffix: str | None = None, match: Callable[[Request], bool] | None = None) -> None:
        """Apply ``fault`` to the nth matching request from now on, for ``times`` matching requests."""
        with self._lock:
            self._rules.append(_Rule(fault, method, key_suffix, match, nth - 1, times))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def reset_log(self) -> None:
        with self._lock:
            self.log = []

    @property
    def requests(self) -> int:
        return self._count

    def pending_rules(self) -> int:
        with self._lock:
            return len(self._rules)

    # -- serving ---------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _decide(self, request: Request) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if not rule.matches(request):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                name = rule.fault.kind if rule.fault.kind != "status" else f"status{rule.fault.status}"
                self.fired[name] += 1
                FIRED_TOTAL[name] += 1
                return rule.fault
        return None

    def _serve(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            while not self._stop.is_set():
                parsed = _read_request(reader, conn)
                if parsed is None:
                    return
                request_line, headers, body = parsed
                method, target, _version = request_line.split(" ", 2)
                parts = urlsplit(target)
                with self._lock:
                    self._count += 1
                    index = self._count
                lower = {k.lower(): v for k, v in headers}
                request = Request(index, method, parts.path, parts.query, lower)
                fault = self._decide(request)
                entry = LogEntry(index, method, request.key, fault.kind if fault else None,
                                 if_match=lower.get("if-match"), if_none_match=lower.get("if-none-match"),
                                 sdk_request=lower.get("amz-sdk-request"))
                with self._lock:
                    self.log.append(entry)
                if not self._handle(conn, request, request_line, headers, body, fault, entry):
                    return
        except (ConnectionError, OSError):
            return
        finally:
            try:
                reader.close()
                conn.close()
            except OSError:
                pass

    def _handle(self, conn: socket.socket, request: Request, request_line: str, headers: list[tuple[str, str]],
                body: bytes, fault: Fault | None, entry: LogEntry) -> bool:
        """Serve one request; False when the client connection must end."""
        kind = fault.kind if fault else None
        if kind in ("slowdown", "error500", "status"):
            status, code = {"slowdown": (503, "SlowDown"), "error500": (500, "InternalError")}.get(
                kind, (fault.status, fault.code))
            message = "Please reduce your request rate." if code == "SlowDown" else "Injected fault."
            response = _Response(status, [("Content-Type", "application/xml")],
                                 _ERROR_BODY.format(code=code, message=message).encode())
            entry.status = status
            _send(conn, response, request.method)
            return True
        if kind == "reset":
            _reset(conn)
            return False
        if kind == "stall":
            self._stop.wait(fault.seconds)
            return False
        if kind == "late":
            self._stop.wait(fault.seconds)
            if not self._stop.is_set():
                self._forward(request_line, headers, body)
            return False
        if kind == "delay":
            self._stop.wait(fault.seconds)
        if kind == "gate":
            fault.gate.wait(timeout=60)
        if kind == "call":
            if fault.forward:
                self._forward(request_line, headers, body)
            fault.callback(request)
            _reset(conn)
            return False
        response = self._forward(request_line, headers, body)
        if kind == "drop_response":
            _reset(conn)
            return False
        if kind == "truncate" and request.method != "HEAD" and len(response.body) > 1:
            whole = len(response.body)
            _send(conn, _Response(response.status, response.head, response.body[: whole // 2], response.version,
                                  response.reason), request.method, content_length=whole)
            _reset(conn)
            return False
        entry.status = response.status
        _send(conn, response, request.method)
        return True

    def _forward(self, request_line: str, headers: list[tuple[str, str]], body: bytes) -> _Response:
        head = [request_line]
        for name, value in headers:
            if name.lower() in ("connection", "expect", "keep-alive"):
                continue
            head.append(f"{name}: {value}")
        head.append("Connection: close")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        with socket.create_connection(self.upstream, timeout=60) as upstream:
            upstream.sendall(raw)
            chunks = []
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                chunks.append(data)
        return _parse_response(b"".join(chunks))


def _read_line(reader) -> bytes:  # noqa: ANN001 - a socket file
    line = reader.readline(65537)
    if not line:
        raise ConnectionError("client closed")
    return line


def _read_request(reader, conn: socket.socket) -> tuple[str, list[tuple[str, str]], bytes] | None:  # noqa: ANN001
    first = reader.readline(65537)
    while first in (b"\r\n", b"\n"):
        first = reader.readline(65537)
    if not first:
        return None
    request_line = first.decode("latin-1").rstrip("\r\n")
    headers: list[tuple[str, str]] = []
    while True:
        line = _read_line(reader).decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    lower = {k.lower(): v for k, v in headers}
    if lower.get("expect", "").lower() == "100-continue":
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    if "chunked" in lower.get("transfer-encoding", "").lower():
        raw = bytearray()
        while True:
            size_line = _read_line(reader)
            raw += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:  # trailers, then the blank line
                    trailer = _read_line(reader)
                    raw += trailer
                    if trailer in (b"\r\n", b"\n"):
                        break
                break
            raw += reader.read(size + 2)
        return request_line, headers, bytes(raw)
    length = int(lower.get("content-length", "0") or 0)
    return request_line, headers, reader.read(length) if length else b""


def _parse_response(raw: bytes) -> _Response:
    while True:
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, _, status_reason = lines[0].partition(" ")
        status_text, _, reason = status_reason.partition(" ")
        status = int(status_text)
        if status == 100:  # an interim answer: the real one follows
            raw = rest
            continue
        break
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    lower = {k.lower(): v for k, v in headers}
    body = rest
    if "chunked" in lower.get("transfer-encoding", "").lower():
        body = _dechunk(rest)
    return _Response(status, headers, body, version, reason)


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2:]
    return bytes(out)


def _send(conn: socket.socket, response: _Response, method: str, content_length: int | None = None) -> None:
    reason = response.reason or _REASONS.get(response.status, "OK")
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    original_length = None
    for name, value in response.head:
        lname = name.lower()
        if lname == "content-length":
            original_length = value
            continue
        if lname in ("transfer-encoding", "connection", "keep-alive"):
            continue
        lines.append(f"{name}: {value}")
    if method == "HEAD":
        if original_length is not None:
            lines.append(f"Content-Length: {original_length}")
        body = b""
    else:
        lines.append(f"Content-Length: {len(response.body) if content_length is None else content_length}")
        body = response.body
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def _reset(conn: socket.socket) -> None:
    """Close with RST: the client sees 'connection reset by peer'."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    conn.close()
