from __future__ import annotations

import pytest

from config.settings import Settings
from tasks.errors import BlockedURLError, FetchError, NotHTMLError, PageTooLargeError, TransientFetchError
from tasks.fetch import decode_html, fetch_image, fetch_page
from tests.conftest import SEED_PAGE
from tests.httpstub import Reply, http_stub

PAGE = "<html><head><title>t</title></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>"


@pytest.fixture
def local() -> Settings:
    return Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=2,
                    fetch_max_bytes=64 * 1024)


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
