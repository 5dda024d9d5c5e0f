"""One HTTP exchange: its retries, and one deadline over all of it.

Retries live in one place, urllib3's ``Retry`` in the session's adapter:
connection failures and 429/5xx answers are tried again with exponential
backoff and jitter, and a ``Retry-After`` is honoured. Redirects are not
its business (``redirect=0``): the fetcher follows them itself, hop by hop,
so that the SSRF guard checks every one.

Socket timeouts bound each wait for a byte, not the exchange: a server that
sends its headers a byte every 1.5 s never trips a 2 s read timeout. So each
fetch runs under an ``Exchange``, a deadline for everything it does (every
attempt, redirect hop, connect, header and body byte, and every pause
between attempts). When it passes, a timer shuts the socket in use down,
whatever the thread is blocked on; no retry starts after it, and no pause
that would end after it is taken.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from config.settings import Settings
from tasks.errors import TransientFetchError
from tasks.netguard import GuardedAdapter

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})
# Pauses between attempts: none before the first retry, then 1 s, 2 s, ...,
# each lengthened by up to half a second at random so that fetches failing
# together do not retry together.
BACKOFF_FACTOR = 0.5
BACKOFF_JITTER = 0.5
# The read timeout bounds each wait for bytes; the whole exchange has a
# deadline of this many read timeouts.
DEADLINE_READS = 3

_local = threading.local()


class DeadlineExceeded(TransientFetchError):
    """The exchange ran out of time; the message says in which phase."""


class Exchange:
    """The deadline of one fetch, and the connection it is using now."""

    def __init__(self, shown_url: str, seconds: float) -> None:
        self.shown = shown_url
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.phase = "headers"  # then "body", once the response headers are in
        self.expired = False
        self._connection: HTTPConnection | None = None
        self._finished = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def attach(self, connection: HTTPConnection) -> None:
        """The connection about to carry the exchange's next request (or TLS handshake)."""
        with self._lock:
            if self.expired:
                raise self.error()
            self._connection = connection

    def error(self) -> DeadlineExceeded:
        if self.phase == "body":
            return DeadlineExceeded(f"{self.shown}: the body took longer than {self.seconds:g} s")
        return DeadlineExceeded(f"{self.shown}: timed out waiting for the server"
                                f" (no complete response within the {self.seconds:g} s deadline)")

    def _expire(self) -> None:
        with self._lock:
            if self._finished:
                return
            self.expired = True
            sock = getattr(self._connection, "sock", None)
        if sock is not None:
            # The base class's shutdown, on TLS sockets too: it wakes a thread
            # blocked in recv (it then reads EOF) without closing the fd under it.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def _start(self) -> None:
        self._timer.start()

    def _finish(self) -> None:
        with self._lock:
            self._finished = True
        self._timer.cancel()


@contextlib.contextmanager
def exchange(shown_url: str, seconds: float) -> Iterator[Exchange]:
    """Run the block as one exchange with one deadline (not nested)."""
    current = Exchange(shown_url, seconds)
    _local.exchange = current
    current._start()
    try:
        yield current
    finally:
        current._finish()
        _local.exchange = None


def current_exchange() -> Exchange | None:
    return getattr(_local, "exchange", None)


class _Attached:
    """A connection that tells the thread's exchange it is the one in use."""

    def connect(self) -> None:
        if (current := current_exchange()) is not None:
            current.attach(self)  # type: ignore[arg-type]
        super().connect()  # type: ignore[misc]

    def request(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - urllib3's signature
        if (current := current_exchange()) is not None:
            current.attach(self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _AttachedHTTPConnection(_Attached, HTTPConnection):
    pass


class _AttachedHTTPSConnection(_Attached, HTTPSConnection):
    pass


class FetchAdapter(GuardedAdapter):
    """The guarded adapter, its connections watched by the exchange's deadline."""

    http_connection = _AttachedHTTPConnection
    https_connection = _AttachedHTTPSConnection


class DeadlineRetry(Retry):
    """urllib3's Retry, which never pauses past the exchange's deadline."""

    def sleep(self, response=None) -> None:  # noqa: ANN001 - urllib3's signature
        current = current_exchange()
        if current is not None:
            if current.expired:
                raise current.error()
            wait = (self.get_retry_after(response) if response is not None and self.respect_retry_after_header
                    else None)
            asked = wait is not None
            if wait is None:
                wait = self.get_backoff_time()
            if wait >= current.remaining():
                if response is not None:
                    why = f"the server asks to retry after {wait:g} s" if asked else "no time is left to retry"
                    raise TransientFetchError(f"{current.shown}: HTTP {response.status} {response.reason}; {why},"
                                              f" within the {current.seconds:g} s deadline")
                last = self.history[-1].error if self.history else None
                raise MaxRetryError(None, current.shown, last)  # type: ignore[arg-type]
        super().sleep(response)


def retry_policy(settings: Settings) -> Retry:
    """Every fetch's retries: connection failures and 429/5xx, ``fetch_retries`` times."""
    retries = settings.fetch_retries
    return DeadlineRetry(
        total=retries, connect=retries, read=retries, status=retries, other=0,
        redirect=0,  # redirects are followed, and checked, one hop at a time by the fetcher
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRYABLE_STATUS,
        backoff_factor=BACKOFF_FACTOR, backoff_jitter=BACKOFF_JITTER,
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is returned, and the fetcher reports its status
        raise_on_redirect=False,
    )


def deadline_seconds(settings: Settings) -> float:
    return settings.fetch_timeout * DEADLINE_READS


def session(settings: Settings) -> requests.Session:
    """One HTTP session per thread: connections are reused across stories."""
    key = (tuple(settings.fetch_allowed_hosts), settings.fetch_user_agent, settings.fetch_retries)
    cached = getattr(_local, "session", None)
    if cached is None or cached[0] != key:
        made = requests.Session()
        # Environment proxies would hide the address we really connect to.
        made.trust_env = False
        adapter = FetchAdapter(settings.fetch_allowed_hosts, pool_maxsize=4, max_retries=retry_policy(settings))
        made.mount("http://", adapter)
        made.mount("https://", adapter)
        made.headers["User-Agent"] = settings.fetch_user_agent
        made.headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
        _local.session = cached = (key, made)
    return cached[1]
