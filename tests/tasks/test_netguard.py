"""The SSRF guard: which addresses count as public, and the checks before and at connect time.

Every test talks only to 127.0.0.1 or localhost. Where a test needs a
public-looking address, it is only ever returned by a patched resolver to
the pre-check; no connection to it is attempted.
"""

from __future__ import annotations

import socket
import time

import pytest

from config.settings import Settings
from tasks.errors import BlockedURLError
from tasks.fetch import fetch_page
from tasks.netguard import check_url, is_public_address
from tests.httpstub import Reply, http_stub
from tests.tasks.rawserver import raw_server, read_request

PAGE = "<html><head><title>t</title></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>"
PUBLIC_LOOKING = "93.184.216.34"  # what the patched resolver tells the pre-check


@pytest.fixture(scope="module")
def stub():
    with http_stub() as server:
        yield server


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_dns_rebinding_is_refused_by_the_connection_guard(monkeypatch, scheme):
    """The pre-check sees a public address; the socket then lands on 127.0.0.1: refused."""
    real_getaddrinfo = socket.getaddrinfo
    with raw_server(lambda conn, stop: read_request(conn)) as (base, connections):
        port = int(base.rsplit(":", 1)[1])
        calls = []

        def rebinding(host, *args, **kwargs):
            if host == "rebind.test":
                calls.append(host)
                address = PUBLIC_LOOKING if len(calls) == 1 else "127.0.0.1"
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        check_url(f"{scheme}://rebind.test:{port}/")  # the pre-check is fooled, by design of the test
        calls.clear()
        with pytest.raises(BlockedURLError, match="refused to connect to rebind.test: .* 127.0.0.1"):
            fetch_page(f"{scheme}://rebind.test:{port}/story", settings=Settings())
        assert calls == ["rebind.test", "rebind.test"]  # pre-check, then the real connect
        time.sleep(0.3)
        # The guard closed the socket before a single byte of request was sent.
        for conn in connections:
            conn.settimeout(1)
            assert conn.recv(100) == b""


def test_redirect_to_a_private_host_is_refused_on_that_hop(stub):
    """Only the name localhost is allowed; its redirect to 127.0.0.1 is refused at that hop."""
    target = stub.route("/inside", Reply(body=PAGE.encode()))
    start = stub.route("/out", Reply(status=302, headers={"Location": target})).replace("127.0.0.1", "localhost")
    only_localhost = Settings(fetch_allowed_hosts=["localhost"])
    with pytest.raises(BlockedURLError, match="host 127.0.0.1 resolves to non-public address 127.0.0.1"):
        fetch_page(start, settings=only_localhost)
    assert stub.hits.get("/inside", 0) == 0
    redirect_to_file = stub.route("/file", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(BlockedURLError, match="scheme 'file'"):
        fetch_page(redirect_to_file.replace("127.0.0.1", "localhost"), settings=only_localhost)


def test_allowed_hosts_come_from_the_environment(stub, monkeypatch):
    from config.settings import get_settings

    url = stub.route("/env", Reply(body=PAGE.encode())).replace("127.0.0.1", "localhost")
    monkeypatch.setenv("NEWSROOM_FETCH_ALLOWED_HOSTS", "example.invalid, LOCALHOST")
    get_settings.cache_clear()
    try:
        assert get_settings().fetch_allowed_hosts == ["example.invalid", "localhost"]
        assert "Café" in fetch_page(url, settings=get_settings()).text
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("255.255.255.255", False), ("::1", False), ("fe80::1%eth0", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("64:ff9b::7f00:1", False), ("2002:7f00:1::", False), ("2002:a00:1::", False), ("not-an-ip", False),
    ("93.184.216.34", True), ("2606:4700::1111", True), ("64:ff9b::5db8:d822", True),
])
def test_public_address_classification(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", [
    "http://0x7f.1/", "http://2130706433/", "http://0177.0.0.1/", "http://[::1]/", "http://[::ffff:7f00:1]/",
    "http://127.1/", "http://0/", "http://LOCALHOST/",
])
def test_loopback_in_disguise_is_refused(url):
    with pytest.raises(BlockedURLError):
        check_url(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//127.0.0.1/x", "http:///x",
                                 "http://127.0.0.1:99999/", "ws://127.0.0.1/"])
def test_malformed_or_other_scheme_urls_are_one_clear_error(url):
    with pytest.raises(BlockedURLError, match="refused URL"):
        check_url(url)


@pytest.mark.parametrize("address", [
    "::ffff:0:a9fe:a9fe",  # IPv4-translated 169.254.169.254, the cloud metadata service
    "::ffff:0:7f00:1",  # IPv4-translated loopback
    "::ffff:0:5db8:d822",  # IPv4-translated, even of a public address: only a local translator serves it
    "::a9fe:a9fe",  # IPv4-compatible metadata address
    "::5db8:d822",  # IPv4-compatible forms are deprecated and never routed publicly
    "64:ff9b:1::a9fe:a9fe",  # NAT64 local-use prefix: the operator's own translator
    "64:ff9b:1:ffff::1",
    "fec0::1",  # site-local
    "fefe::a9fe:a9fe",
])
def test_ipv6_forms_that_reach_a_local_network_are_not_public(address):
    assert is_public_address(address) is False


@pytest.mark.parametrize("url", ["http://[::ffff:0:a9fe:a9fe]/latest/meta-data/", "http://[::a9fe:a9fe]/",
                                 "http://[64:ff9b:1::a9fe:a9fe]/", "http://[fec0::1]/"])
def test_urls_naming_those_forms_are_refused_before_any_request(url):
    with pytest.raises(BlockedURLError, match="non-public address"):
        check_url(url)
