from __future__ import annotations

import re

import pytest

from config.settings import Settings
from tasks.errors import BlockedURLError, FetchError, NotHTMLError, PageTooLargeError, TransientFetchError
from tasks.fetch import decode_html, fetch_image, fetch_page
from tasks.netguard import redact, without_userinfo
from tests.conftest import SEED_PAGE
from tests.httpstub import Reply, http_stub

PAGE = "<html><head><title>t</title></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>"


@pytest.fixture
def local() -> Settings:
    # One retry: the first comes without a pause, so error statuses cost no waiting.
    return Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=2,
                    fetch_max_bytes=64 * 1024, fetch_retries=1)


@pytest.fixture(scope="module")
def stub():
    with http_stub() as server:
        yield server


def test_fetches_html_and_records_final_url_after_redirect(stub, local):
    target = stub.route("/story", Reply(body=PAGE.encode()))
    start = stub.route("/old", Reply(status=301, body=b"", headers={"Location": "/story"}))
    page = fetch_page(start, settings=local)
    assert page.url == start and page.final_url == target
    assert "Café crème" in page.text and page.encoding == "utf-8"
    assert stub.headers_seen[-1]["User-Agent"].startswith("newsroom-pipeline/")


def test_too_many_redirects_is_an_error(stub, local):
    loop = stub.route("/loop", Reply(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="redirects"):
        fetch_page(loop, settings=local)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_throttling_and_server_errors_are_retryable(stub, local, status):
    url = stub.route("/flaky", Reply(status=status, body=b"busy"))
    with pytest.raises(TransientFetchError, match=str(status)) as info:
        fetch_page(url, settings=local)
    assert info.value.retryable


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_other_client_errors_are_not_retryable(stub, local, status):
    url = stub.route("/gone", Reply(status=status, body=b"no"))
    with pytest.raises(FetchError, match=str(status)) as info:
        fetch_page(url, settings=local)
    assert not info.value.retryable


def test_size_cap_is_enforced_while_streaming(stub, local):
    body = b"<html><body>" + b"<p>x</p>" * 20000 + b"</body></html>"
    url = stub.route("/huge", Reply(body=body, chunks=50))
    with pytest.raises(PageTooLargeError, match="cap"):
        fetch_page(url, settings=local)
    declared = stub.route("/declared", Reply(body=body))
    with pytest.raises(PageTooLargeError, match=str(len(body))):
        fetch_page(declared, settings=local)


@pytest.mark.parametrize("body, content_type, what", [
    (b"", "text/html", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "text/html", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/html", "PNG"),
    (b'{"json": true}', "application/json", "application/json"),
])
def test_non_html_responses_are_refused_with_what_they_are(stub, local, body, content_type, what):
    url = stub.route("/thing", Reply(body=body, headers={"Content-Type": content_type}))
    with pytest.raises(NotHTMLError, match=what):
        fetch_page(url, settings=local)


def test_private_addresses_are_refused_unless_allowed(stub):
    url = stub.route("/story", Reply(body=PAGE.encode()))
    with pytest.raises(BlockedURLError, match="non-public address 127.0.0.1"):
        fetch_page(url, settings=Settings())
    localhost_url = url.replace("127.0.0.1", "localhost")
    with pytest.raises(BlockedURLError, match="non-public"):
        fetch_page(localhost_url, settings=Settings())
    assert "Café" in fetch_page(localhost_url, settings=Settings(fetch_allowed_hosts=["localhost"])).text


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://localhost/"])
def test_other_schemes_are_refused(url):
    with pytest.raises(BlockedURLError, match="scheme"):
        fetch_page(url, settings=Settings())


def test_charset_from_header_meta_and_bom():
    latin = "<p>Caf\u00e9</p>".encode("cp1252")
    assert decode_html(latin, "text/html; charset=windows-1252") == ("<p>Café</p>", "cp1252")
    meta = b'<meta charset="iso-8859-1"><p>Caf\xe9</p>'
    assert "Café" in decode_html(meta, "text/html")[0]
    bom = b"\xef\xbb\xbf<p>Caf\xc3\xa9</p>"
    assert decode_html(bom, "text/html; charset=iso-8859-1") == ("<p>Café</p>", "utf-8")
    # UTF-8 bytes mislabelled latin-1 (a common server default) still read right
    assert decode_html("<p>Café</p>".encode(), "text/html; charset=iso-8859-1")[0] == "<p>Café</p>"
    # undeclared windows-1252
    assert decode_html(b"<p>\x93quoted\x94 caf\xe9</p>", "text/html")[0] == "<p>\u201cquoted\u201d café</p>"


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib"])
def test_a_page_whose_meta_names_a_non_text_codec_is_still_read(stub, local, codec):
    body = f'<html><head><meta charset="{codec}"></head><body><p>Caf\u00e9</p></body></html>'.encode()
    url = stub.route(f"/codec-{codec}", Reply(body=body, headers={"Content-Type": "text/html"}))
    page = fetch_page(url, settings=local)
    assert "<p>Café</p>" in page.text and page.encoding == "utf-8"


def test_local_file_source_uses_given_url():
    page = fetch_page(str(SEED_PAGE), "https://news.example/story", settings=Settings())
    assert page.url == page.final_url == "https://news.example/story"
    missing = SEED_PAGE.with_name("missing.html")
    with pytest.raises(FetchError, match="cannot read"):
        fetch_page(str(missing), settings=Settings())


def test_image_fetch_checks_type_and_cap(stub, local):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    url = stub.route("/img.png", Reply(body=png, headers={"Content-Type": "image/png"}))
    image = fetch_image(url, settings=local)
    assert image.data == png and image.content_type == "image/png"
    html_url = stub.route("/notimg", Reply(body=b"<html></html>"))
    with pytest.raises(NotHTMLError, match="not an image"):
        fetch_image(html_url, settings=local)
    small = Settings(fetch_allowed_hosts=["127.0.0.1"], image_max_bytes=50)
    with pytest.raises(PageTooLargeError):
        fetch_image(url, settings=small)

# --- misbehaving servers ---------------------------------------------------------

import socket  # noqa: E402
import time  # noqa: E402

from tests.tasks.rawserver import raw_server, read_request  # noqa: E402


def test_a_server_that_accepts_and_never_answers_ends_in_a_timeout():
    with raw_server(lambda conn, stop: stop.wait(30)) as (base, _connections):
        settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=1, fetch_connect_timeout=1)
        started = time.monotonic()
        with pytest.raises(TransientFetchError, match="timed out waiting for the server"):
            fetch_page(base + "/never", settings=settings)
        assert time.monotonic() - started < 10


def test_a_server_dripping_bytes_is_cut_off_by_the_body_deadline():
    def drip(conn, stop):
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html>")
        while not stop.is_set():
            conn.sendall(b"<p>x</p>")
            time.sleep(0.1)

    # Each wait for bytes (0.1 s) stays far below the read timeout (2 s), even
    # on a loaded machine, so only the whole-exchange deadline (3 reads) ends it.
    with raw_server(drip) as (base, _connections):
        settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=1)
        started = time.monotonic()
        with pytest.raises(TransientFetchError, match="body took longer than 6 s"):
            fetch_page(base + "/drip", settings=settings)
        assert time.monotonic() - started < 15


def test_an_endless_body_is_cut_at_the_cap_while_streaming():
    sent = []

    def endless(conn, stop):
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        block = b"<p>" + b"x" * 65536 + b"</p>"
        while not stop.is_set():
            conn.sendall(block)
            sent.append(len(block))

    with raw_server(endless) as (base, _connections):
        settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_max_bytes=1024 * 1024)
        with pytest.raises(PageTooLargeError, match="exceeds the 1048576-byte cap"):
            fetch_page(base + "/endless", settings=settings)
    # Socket buffers hold a few MB at most: the fetch stopped reading near the cap.
    assert sum(sent) < 64 * 1024 * 1024


def test_a_gzip_bomb_is_capped_on_decoded_size():
    import gzip

    bomb = gzip.compress(b"<html><body>" + b" " * (64 * 1024 * 1024) + b"</body></html>", 9)
    assert len(bomb) < 200_000

    def serve(conn, stop):
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                     + f"Content-Length: {len(bomb)}\r\nConnection: close\r\n\r\n".encode() + bomb)

    with raw_server(serve) as (base, _connections):
        settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_max_bytes=1024 * 1024)
        with pytest.raises(PageTooLargeError, match="cap"):
            fetch_page(base + "/bomb", settings=settings)


def test_user_agent_is_descriptive(stub, local):
    url = stub.route("/ua", Reply(body=PAGE.encode()))
    fetch_page(url, settings=local)
    agent = stub.headers_seen[-1]["User-Agent"]
    assert re.fullmatch(r"newsroom-pipeline/\S+ \(\+https?://\S+\)", agent)


# --- credentials ----------------------------------------------------------------

SECRET = "s3cr3t-Pa55"


def test_userinfo_never_appears_in_fetch_errors():
    allowed = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_connect_timeout=1, fetch_timeout=1)
    messages = []
    for url, settings in [(f"http://user:{SECRET}@127.0.0.1:1/x", allowed),
                          (f"http://user:{SECRET}@127.0.0.1:1/x", Settings()),
                          (f"ftp://user:{SECRET}@127.0.0.1/x", Settings()),
                          (f"http://user:{SECRET}@127.0.0.1:99999/x", allowed)]:
        with pytest.raises(FetchError) as info:
            fetch_page(url, settings=settings)
        messages.append(str(info.value))
    assert all(SECRET not in m and "***@127.0.0.1" in m for m in messages), messages


def test_userinfo_is_sent_but_never_kept(stub, local):
    body = b"<html><body><article><h1>T</h1><p>" + b"Words " * 30 + b"<a href='/next'>next</a></p></article></body></html>"
    path = stub.route("/private", Reply(body=body))
    url = path.replace("http://", f"http://user:{SECRET}@")
    page = fetch_page(url, settings=local)
    assert stub.headers_seen[-1].get("Authorization", "").startswith("Basic ")
    assert SECRET not in page.url and SECRET not in page.final_url and page.url == path
    error_url = stub.route("/private-404", Reply(status=404)).replace("http://", f"http://user:{SECRET}@")
    with pytest.raises(FetchError) as info:
        fetch_page(error_url, settings=local)
    assert SECRET not in str(info.value)


def test_redaction_helpers():
    assert redact(f"GET http://u:{SECRET}@h/x failed, see https://a@b/c") == "GET http://***@h/x failed, see https://***@b/c"
    assert without_userinfo(f"https://u:{SECRET}@h:8/x?y=1") == "https://h:8/x?y=1"
    assert without_userinfo("https://h/x@y") == "https://h/x@y"
    assert redact("http://user:p@ss@host/x") == "http://***@host/x"
    assert without_userinfo("http://user:p@ss@host/@author") == "http://host/@author"
    assert redact("see https://medium.example/@author/story") == "see https://medium.example/@author/story"


def test_cli_never_prints_the_secret(tmp_path):
    from tests.test_cli import newsroom

    run = newsroom("extract", f"http://user:{SECRET}@127.0.0.1:1/x",
                   env={"NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1", "NEWSROOM_FETCH_CONNECT_TIMEOUT": "1"})
    assert run.returncode == 2 and SECRET not in run.stderr + run.stdout and "Traceback" not in run.stderr


@pytest.mark.parametrize("response", [
    b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Flood-%d: x\r\n" % i for i in range(500)) + b"\r\n<p>x</p>",
    b"HTTP/1.1 200 OK\r\nX-Long: " + b"x" * 200_000 + b"\r\n\r\n<p>x</p>",
    b"NOT-HTTP garbage\r\n\r\n",
    b"HTTP/1.1 999999999999 Nope\r\n\r\n",
    b"HTTP/1.1 302 Found\r\nLocation: http://[\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<p>short",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken",
    b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\nnot gzip at all....",
    b"",
])
def test_malformed_responses_end_in_one_fetch_error(response):
    def serve(conn, stop):
        read_request(conn)
        conn.sendall(response)
        conn.shutdown(socket.SHUT_WR)

    with raw_server(serve) as (base, _connections):
        settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=1,
                            fetch_retries=1)
        with pytest.raises(FetchError) as info:
            fetch_page(base + "/bad", settings=settings)
    assert "\n" not in str(info.value) and str(info.value).startswith(base)
