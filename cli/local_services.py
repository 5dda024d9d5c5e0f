"""Local stand-ins for the outside world: an S3-compatible server and a web site.

``newsroom demo`` and the integration tests use them. The S3 endpoint is
moto in server mode, a real HTTP server speaking the S3 protocol (with
conditional writes), reached by boto3 exactly as AWS or MinIO would be.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "fixtures"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-local", "AWS_SECRET_ACCESS_KEY": "newsroom-local-secret"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with code {process.returncode}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start within {timeout:.0f}s")


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """Ask a child server to stop; kill it if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def s3_server(port: int | None = None) -> Iterator[str]:
    """Run moto's S3 server (with S3's atomic conditional writes, see
    cli/atomic_moto.py) in a child process; yields its endpoint URL."""
    import importlib.util

    if importlib.util.find_spec("moto") is None:
        raise RuntimeError("the local S3 server needs moto, which is not installed:"
                           " pip install 'newsroom-pipeline[local]' (make demo does)")
    port = port or free_port()
    env = {**os.environ, **LOCAL_CREDENTIALS}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.atomic_moto", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=str(REPO_ROOT),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/moto-api/", process=process)
        yield url
    finally:
        stop_process(process, timeout=10)


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server that does not print a traceback when a client
    hangs up mid-request (a capped or timed-out fetch does that on purpose)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's signature
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".xml": "application/xml",
                      ".rss": "application/rss+xml", ".atom": "application/atom+xml"}

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        # Feeds and sitemaps need absolute links: fill in this server's address.
        path = self.translate_path(self.path)
        if not path.endswith((".rss", ".atom", ".xml")) or not os.path.isfile(path):
            return super().do_GET()
        # Like a real feed server: Last-Modified, and 304 to a conditional GET.
        modified = email.utils.formatdate(int(os.path.getmtime(path)), usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        host, port = self.server.server_address[:2]
        body = Path(path).read_bytes().replace(b"{{SITE}}", f"http://{host}:{port}".encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def static_site(root: Path = FIXTURES, port: int | None = None) -> Iterator[str]:
    """Serve a directory over HTTP on 127.0.0.1 in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = QuietHTTPServer(("127.0.0.1", port or 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
