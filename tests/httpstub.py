"""A scriptable local web server for fetch tests: each path returns what the test set."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from cli.local_services import QuietHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    chunks: int = 1  # >1 streams the body in pieces without a Content-Length


class Stub:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: dict[str, int] = {}
        self.headers_seen: list[dict[str, str]] = []
        self.base = ""

    def route(self, path: str, *replies: Reply) -> str:
        """Replies are served in order; the last one repeats."""
        self.routes[path] = list(replies)
        return self.base + path


@contextlib.contextmanager
def http_stub() -> Iterator[Stub]:
    stub = Stub()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            stub.headers_seen.append(dict(self.headers))
            replies = stub.routes.get(self.path.split("?")[0])
            if not replies:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            count = stub.hits.get(self.path, 0)
            stub.hits[self.path] = count + 1
            reply = replies[min(count, len(replies) - 1)]
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.chunks > 1:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                size = max(1, len(reply.body) // reply.chunks)
                for start in range(0, len(reply.body), size):
                    piece = reply.body[start:start + size]
                    try:
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    except (BrokenPipeError, ConnectionResetError):
                        return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    server = QuietHTTPServer(("127.0.0.1", 0), Handler)
    stub.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
