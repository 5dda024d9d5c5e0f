"""moto's S3 server with atomic object requests, for race and fault tests.

moto checks ``If-None-Match``/``If-Match`` and then writes in separate steps,
and sets an object's metadata after the object is visible. Real S3 does both
atomically. Under concurrent publishers that gap could let two conditional
writes succeed, or show an object without its metadata, and a test would
then measure moto, not the publish protocol. This launcher serialises every
object-level request (one lock around moto's key handler), which gives the
atomicity S3 guarantees; everything else is moto unchanged.

Run as ``python -m tests.faults.atomic_s3 -H 127.0.0.1 -p PORT``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

from cli.local_services import LOCAL_CREDENTIALS, REPO_ROOT, free_port, wait_for_http


def _make_key_requests_atomic() -> None:
    from moto.s3.responses import S3Response

    lock = threading.Lock()
    original = S3Response.key_response

    def key_response(self, *args, **kwargs):  # noqa: ANN001, ANN202 - moto's signature
        with lock:
            return original(self, *args, **kwargs)

    S3Response.key_response = key_response


@contextlib.contextmanager
def atomic_s3_server(port: int | None = None) -> Iterator[str]:
    """Run the atomic moto server in a child process; yields its endpoint URL."""
    port = port or free_port()
    env = {**os.environ, **LOCAL_CREDENTIALS, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.atomic_s3", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=str(REPO_ROOT),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/moto-api/", process=process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    _make_key_requests_atomic()
    from moto.server import main

    main(sys.argv[1:])
