"""A loopback TCP server whose every connection runs a test's own behaviour:
for answers no well-behaved HTTP server gives (slow, endless, malformed)."""

from __future__ import annotations

import contextlib
import socket
import threading

@contextlib.contextmanager
def raw_server(behaviour):
    """A loopback TCP server; ``behaviour(conn)`` runs for each accepted connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()
    connections: list[socket.socket] = []

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            connections.append(conn)
            threading.Thread(target=_run, args=(behaviour, conn, stop), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", connections
    finally:
        stop.set()
        thread.join(2)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.close()
        listener.close()


def _run(behaviour, conn, stop) -> None:
    with contextlib.suppress(OSError):
        behaviour(conn, stop)


def read_request(conn) -> None:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
