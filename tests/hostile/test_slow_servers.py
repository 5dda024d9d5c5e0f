"""A server that drips its answer never holds a fetch past one deadline.

Each test talks to a real socket server on 127.0.0.1 that sends its response
headers one byte every 1.5 s: a 2 s read timeout never fires, so only the
deadline over the whole exchange (3 read timeouts, 6 s) can end the fetch.
The pytest-timeout guard fails a test that hangs instead.
"""

from __future__ import annotations

import time

import pytest

from config.settings import Settings
from config.sources import Source
from tasks.errors import TransientFetchError
from tasks.feeds import discover
from tasks.fetch import fetch_image, fetch_page, fetch_resource
from tests.tasks.rawserver import raw_server, read_request

HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n")
SLOW = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=1)


def drip_headers(conn, stop) -> None:
    read_request(conn)
    for byte in HEADERS:
        if stop.wait(1.5):
            return
        conn.sendall(bytes([byte]))


def drip_body(conn, stop) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n\x89PNG")
    while not stop.wait(1.5):
        conn.sendall(b"\x00")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("what, fetch", [
    ("page", lambda url: fetch_page(url, settings=SLOW)),
    ("image", lambda url: fetch_image(url, settings=SLOW)),
    ("feed", lambda url: discover(Source(name="slow", url=url, kind="feed"), SLOW)),
    ("sitemap", lambda url: discover(Source(name="slow", url=url, kind="sitemap"), SLOW)),
    ("document", lambda url: fetch_resource(url, SLOW)),
])
def test_headers_sent_a_byte_at_a_time_end_in_one_clear_line(what, fetch):
    with raw_server(drip_headers) as (base, connections):
        url = f"{base}/{what}"
        with pytest.raises(TransientFetchError) as info:
            fetch(url)
    assert str(info.value) == f"{url}: timed out waiting for the server (no complete response within the 6 s deadline)"
    assert len(connections) == 1  # no retry was started after the deadline


@pytest.mark.timeout(60)
def test_a_body_sent_a_byte_at_a_time_is_cut_at_the_same_deadline():
    with raw_server(drip_body) as (base, _connections):
        with pytest.raises(TransientFetchError, match=r"^http://127\.0\.0\.1:\d+/img: the body took longer than 6 s$"):
            fetch_image(f"{base}/img", settings=SLOW)


@pytest.mark.timeout(120)
def test_extract_on_a_dripping_server_exits_with_one_line():
    from tests.test_cli import newsroom

    with raw_server(drip_headers) as (base, _connections):
        started = time.monotonic()
        run = newsroom("extract", f"{base}/story", env={"NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1",
                                                         "NEWSROOM_FETCH_TIMEOUT": "2"})
        took = time.monotonic() - started
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1 and "6 s deadline" in lines[0], (run.stderr, took)
    assert "Traceback" not in run.stderr and run.stdout == ""
