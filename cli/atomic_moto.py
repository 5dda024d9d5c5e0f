"""moto's S3 server with atomic object requests: the local S3-compatible endpoint.

moto checks ``If-None-Match``/``If-Match`` and then writes in separate steps,
and sets an object's metadata after the object is visible. Real S3 does both
atomically, and the publish protocol relies on it: under concurrent
publishers the gap could let two conditional writes both succeed. One lock
around moto's object handler gives the atomicity S3 guarantees; everything
else is moto unchanged.

Run as ``python -m cli.atomic_moto -H 127.0.0.1 -p PORT``.
"""

from __future__ import annotations

import sys
import threading


def make_key_requests_atomic() -> None:
    from moto.s3.responses import S3Response

    lock = threading.Lock()
    original = S3Response.key_response

    def key_response(self, *args, **kwargs):  # noqa: ANN001, ANN202 - moto's signature
        with lock:
            return original(self, *args, **kwargs)

    S3Response.key_response = key_response


if __name__ == "__main__":
    make_key_requests_atomic()
    from moto.server import main

    main(sys.argv[1:])
