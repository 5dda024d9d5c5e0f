"""Keep the fetcher from being turned against the network it runs in.

A story URL comes from feeds and editors, so it can name anything: an
internal admin page, the cloud metadata service, a host whose DNS answer
changes between our check and our connect. Two checks close that:

* ``check_url`` refuses non-http(s) schemes and hosts that resolve to a
  non-public address, before any request (a clear, early error);
* ``GuardedAdapter`` checks the address each socket actually connected to,
  on every request and redirect hop, so DNS rebinding cannot slip past the
  first check.

Hosts named in ``NEWSROOM_FETCH_ALLOWED_HOSTS`` (names or addresses) are
exempt: tests and the demo serve pages from 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from tasks.errors import BlockedURLError

ALLOWED_SCHEMES = ("http", "https")
# Up to the authority's last "@", as urlsplit reads it: a password may hold an "@".
_USERINFO = re.compile(r"(?<=//)[^/?#\s]*@")
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# IPv6 forms that never name a host on the public internet, whatever
# ``ipaddress`` says of them: each reaches an address inside some local
# network, or one chosen by a local translator.
_NEVER_PUBLIC = (
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765): a stateless translator's inside
    ipaddress.ip_network("::/96"),  # IPv4-compatible (RFC 4291, deprecated): tunnels to any IPv4 address
    ipaddress.ip_network("64:ff9b:1::/48"),  # NAT64 local-use (RFC 8215): a translator of the operator's
    ipaddress.ip_network("fec0::/10"),  # site-local (RFC 3879, deprecated, still routed inside some sites)
)


def redact(text: str) -> str:
    """Hide the userinfo of every URL in ``text``: "http://user:pw@host/" → "http://***@host/"."""
    return _USERINFO.sub("***@", text)


def without_userinfo(url: str) -> str:
    """The URL without user name and password: what may be stored, shown or resolved against."""
    return _USERINFO.sub("", url, count=1)


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses only."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 is judged as the IPv4 address it reaches.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
        elif any(ip in network for network in _NEVER_PUBLIC):
            return False
    return ip.is_global and not ip.is_multicast


def _normalise_allowed(allowed: Iterable[str]) -> frozenset[str]:
    return frozenset(h.strip().lower().strip("[]") for h in allowed if h.strip())


def check_url(url: str, allowed_hosts: Iterable[str] = ()) -> None:
    """Refuse a URL whose scheme or resolved addresses are not allowed."""
    shown = redact(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"refused URL {shown!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"refused URL {shown!r}: scheme {scheme or '(none)'!r} is not http or https")
    host = (parts.hostname or "").lower()
    if not host:
        raise BlockedURLError(f"refused URL {shown!r}: it names no host")
    allowed = _normalise_allowed(allowed_hosts)
    if host in allowed:
        return
    try:
        infos = socket.getaddrinfo(host, port or (443 if scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        # Unresolvable now: the request itself reports the DNS failure, and the
        # connection guard still checks whatever address it finally reaches.
        return
    for info in infos:
        address = info[4][0]
        if address not in allowed and not is_public_address(address):
            raise BlockedURLError(
                f"refused URL {shown!r}: host {host} resolves to non-public address {address}"
                " (allow it with NEWSROOM_FETCH_ALLOWED_HOSTS)"
            )


def _guarded_connection(base: type, allowed: frozenset[str]) -> type:
    class GuardedConnection(base):  # type: ignore[misc, valid-type]
        def _new_conn(self):  # noqa: ANN202 - urllib3's signature
            sock = super()._new_conn()
            peer = sock.getpeername()[0]
            host = (self.host or "").lower().strip("[]")
            if host not in allowed and peer not in allowed and not is_public_address(peer):
                sock.close()
                raise BlockedURLError(
                    f"refused to connect to {host}: it resolved to non-public address {peer}"
                    " (allow it with NEWSROOM_FETCH_ALLOWED_HOSTS)"
                )
            return sock

    return GuardedConnection


class GuardedAdapter(HTTPAdapter):
    """An HTTPAdapter whose sockets may only reach public or allowed addresses."""

    # What the guard wraps; a subclass may name its own connection classes.
    http_connection: type = HTTPConnection
    https_connection: type = HTTPSConnection

    def __init__(self, allowed_hosts: Iterable[str] = (), **kwargs) -> None:
        self._allowed = _normalise_allowed(allowed_hosts)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        http_pool = type("GuardedHTTPPool", (HTTPConnectionPool,),
                         {"ConnectionCls": _guarded_connection(self.http_connection, self._allowed)})
        https_pool = type("GuardedHTTPSPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": _guarded_connection(self.https_connection, self._allowed)})
        self.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}
