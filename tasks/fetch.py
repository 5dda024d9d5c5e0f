"""Fetch step: get a story page (or its lead image) over HTTP, or from a file.

The response is streamed and cut off at the size cap, so a 5 GB "page" costs
at most the cap in memory. Text is decoded here, once (``tasks.charset``: the
byte-order mark, the HTTP header or the page's meta tag, else detection).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from prefect.tasks import exponential_backoff

from config.settings import Settings
from tasks.charset import decode_html
from tasks.errors import (
    FetchError,
    NotHTMLError,
    PageTooLargeError,
    PipelineError,
    TransientFetchError,
)
from tasks.exchange import RETRYABLE_STATUS, Exchange, deadline_seconds, exchange, session
from tasks.models import FetchedImage, FetchedPage
from tasks.netguard import check_url, redact, without_userinfo

__all__ = ["decode_html", "ensure_html", "fetch_image", "fetch_if_changed", "fetch_page", "fetch_resource",
           "fetch_response", "is_url", "Response"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Types that are plainly not a page; anything else is sniffed.
_BINARY_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "a RIFF (WebP/AVI/WAV) file"),
)
_CHUNK = 64 * 1024


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- validating -------------------------------------------------------------

def ensure_html(data: bytes, content_type: str, source: str) -> None:
    """Raise NotHTMLError unless the bytes look like an HTML page."""
    if not data.strip():
        raise NotHTMLError(f"{source}: the response is empty")
    head = data[:16]
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise NotHTMLError(f"{source}: the response is {what}, not an HTML page")
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in HTML_TYPES and mime not in ("text/plain", "application/octet-stream"):
        raise NotHTMLError(f"{source}: content type {mime!r} is not HTML")
    sample = data[:2048]
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # every other byte of ASCII text is NUL
    if not utf16 and sample.count(b"\x00") > 8:
        raise NotHTMLError(f"{source}: the response is binary data, not an HTML page")
    if mime not in HTML_TYPES and b"<" not in sample and not utf16:
        raise NotHTMLError(f"{source}: the response has no HTML markup")


# --- reading ----------------------------------------------------------------

class BodyInterruptedError(TransientFetchError):
    """The connection broke after the headers: the adapter has handed the
    response over and cannot retry it, so the whole fetch step is repeated."""


def _read_capped(response: requests.Response, limit: int, url: str, settings: Settings,
                 current: Exchange) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PageTooLargeError(f"{url}: response of {int(declared)} bytes exceeds the {limit}-byte cap")
    chunks: list[bytes] = []
    size = 0
    raw = response.raw
    while True:
        # read1 returns after at most one socket read, so the deadline and
        # the cap are checked between reads, never after a whole body.
        try:
            chunk = raw.read1(_CHUNK, decode_content=True)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            if current.expired:
                raise current.error() from None
            raise TransientFetchError(f"{url}: timed out waiting for the server (nothing read for"
                                      f" {settings.fetch_timeout:g} s)") from None
        except urllib3.exceptions.DecodeError as exc:
            raise FetchError(f"{url}: the body cannot be decoded ({_short(exc)})") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if current.expired:
                raise current.error() from None
            raise BodyInterruptedError(f"{url}: the connection broke while reading ({_short(exc)})") from None
        # The deadline's timer shuts the socket down: what follows reads as EOF.
        if current.expired or current.remaining() <= 0:
            raise current.error()
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise PageTooLargeError(f"{url}: response exceeds the {limit}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)


def _get(url: str, settings: Settings, limit: int) -> tuple[str, bytes, str]:
    """GET with manual redirects (each hop re-checked); returns (final url, body, type)."""
    response = fetch_response(url, settings, limit, raise_for_status=True)
    return response.url, response.body, response.content_type


class Response(NamedTuple):
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None


def fetch_response(url: str, settings: Settings, limit: int, *, raise_for_status: bool = True,
                   headers: Mapping[str, str] | None = None) -> Response:
    """The guarded GET behind every fetch.

    With ``raise_for_status=False`` an HTTP error status is returned rather
    than raised (robots.txt needs to tell 403 from 404); network failures,
    refused addresses, the cap and the deadline still raise. ``headers`` are
    added to the request (conditional GETs); a 304 answer has an empty body.
    """
    with exchange(redact(url), deadline_seconds(settings)) as current:
        return _follow(url, settings, limit, raise_for_status, dict(headers or {}), current)


def _follow(url: str, settings: Settings, limit: int, raise_for_status: bool, headers: dict[str, str],
            current: Exchange) -> Response:
    """The exchange hop by hop: each redirect target is checked before it is asked."""
    http = session(settings)
    address = url
    for _hop in range(settings.fetch_max_redirects + 1):
        shown = redact(address)
        check_url(address, settings.fetch_allowed_hosts)
        current.phase = "headers"
        try:
            with http.get(address, headers=headers, allow_redirects=False, stream=True,
                          timeout=(settings.fetch_connect_timeout, settings.fetch_timeout)) as response:
                current.phase = "body"
                if response.is_redirect:
                    address = urljoin(address, response.headers.get("Location", ""))
                    continue
                status = response.status_code
                # Retryable statuses reach here once the adapter's retries are spent.
                if raise_for_status and status in RETRYABLE_STATUS:
                    raise TransientFetchError(f"{shown}: HTTP {status} {response.reason}")
                if raise_for_status and status >= 400:
                    raise FetchError(f"{shown}: HTTP {status} {response.reason}")
                body = b"" if status == 304 else _read_capped(response, limit, shown, settings, current)
                return Response(address, status, body, response.headers.get("Content-Type", ""),
                                response.headers.get("ETag"), response.headers.get("Last-Modified"))
        except PipelineError:
            raise
        except Exception as exc:  # noqa: BLE001 - sorted into one clear line by _network_error
            raise _network_error(exc, shown, settings, current) from None
    raise FetchError(f"{redact(url)}: more than {settings.fetch_max_redirects} redirects")


def _network_error(exc: Exception, shown: str, settings: Settings, current: Exchange) -> Exception:
    if current.expired:
        return current.error()
    reason = getattr(exc.args[0], "reason", None) if exc.args else None  # what the last retry met
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransientFetchError(
            f"{shown}: timed out connecting (no answer within {settings.fetch_connect_timeout:g} s)")
    if isinstance(exc, requests.exceptions.Timeout) or isinstance(reason, urllib3.exceptions.ReadTimeoutError):
        return TransientFetchError(
            f"{shown}: timed out waiting for the server (nothing read for {settings.fetch_timeout:g} s)")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return TransientFetchError(f"{shown}: connection failed ({_short(exc)})")
    if isinstance(exc, (requests.exceptions.RequestException, OSError, ValueError)):
        # urllib3 and http.client let a few of these through (bad ports,
        # odd status lines); they are the site's fault, not a bug of ours.
        return FetchError(f"{shown}: {_short(exc)}")
    return exc


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return redact(text)[:300]


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def fetch_page(source: str, url: str | None = None, *, settings: Settings) -> FetchedPage:
    """Fetch a page from an http(s) URL, or read it from a local file.

    ``url`` is the page's public address when ``source`` is a file; relative
    links resolve against it.
    """
    if is_url(source):
        final_url, data, content_type = _get(source, settings, settings.fetch_max_bytes)
        # A user name and password in the URL are for the request only: they
        # must not reach links, bundles, manifests or logs.
        address, final_url = without_userinfo(source), without_userinfo(final_url)
    else:
        if "://" in source:
            check_url(source)  # raises the clear "scheme is not http or https" error
        path = Path(source)
        cap = settings.fetch_max_bytes
        try:
            # Read at most one byte past the cap, whatever stat says: a FIFO or
            # /dev/zero has no size and would otherwise be read forever.
            with path.open("rb") as handle:
                data = handle.read(cap + 1)
        except OSError as exc:
            raise FetchError(f"{path}: cannot read ({exc.strerror or exc})") from None
        if len(data) > cap:
            raise PageTooLargeError(f"{path}: file exceeds the {cap}-byte cap")
        content_type = ""
        address = without_userinfo(url) if url else path.resolve().as_uri()
        final_url = address
    ensure_html(data, content_type, redact(source))
    text, encoding = decode_html(data, content_type)
    return FetchedPage(
        url=address,
        final_url=final_url,
        text=text,
        encoding=encoding,
        content_type=content_type.split(";", 1)[0].strip().lower() or "text/html",
        fetched_at=_now(),
    )


def fetch_image(url: str, settings: Settings) -> FetchedImage:
    """Fetch a lead image, capped at ``image_max_bytes``."""
    _final, data, content_type = _get(url, settings, settings.image_max_bytes)
    mime = content_type.split(";", 1)[0].strip().lower()
    if not mime.startswith("image/"):
        raise NotHTMLError(f"{redact(url)}: content type {mime or '(none)'!r} is not an image")
    return FetchedImage(url=without_userinfo(url), data=data, content_type=mime)


def fetch_resource(url: str, settings: Settings, max_bytes: int | None = None) -> tuple[str, bytes, str]:
    """Any document (a feed, a sitemap, robots.txt) through the same guarded,
    capped fetcher; returns (final URL, body, content type)."""
    return _get(url, settings, max_bytes or settings.fetch_max_bytes)


def fetch_if_changed(url: str, settings: Settings, *, etag: str | None = None,
                     last_modified: str | None = None) -> Response:
    """A conditional GET: status 304 and no body when the document is unchanged
    since the validators (ETag, Last-Modified) of the last fetch."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = fetch_response(url, settings, settings.fetch_max_bytes, headers=headers)
    if response.status == 304 and not headers:
        raise FetchError(f"{redact(url)}: answered 304 Not Modified to a request that was not conditional")
    return response


# --- Prefect task options ------------------------------------------------------
# The adapter retries what one request can retry: connection failures and
# 429/5xx answers, honouring Retry-After, within the fetch's deadline. Prefect
# repeats a whole fetch step only for what the adapter cannot see, a
# connection broken in the middle of a body it had already handed over.
# The fetch tasks (tasks/steps.py) take their options from the run's
# settings when they are called:
#     fetch_page_task.with_options(**network_task_options(settings))
# No Prefect timeout here: the fetch's own deadline ends it, and a timeout
# could not interrupt a blocking call anyway.

def retry_if_body_interrupted(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's hook signature
    """Prefect retry condition: only a body cut off mid-stream is worth a whole new fetch."""
    try:
        state.result()
    except BodyInterruptedError:
        return True
    except Exception:  # noqa: BLE001 - anything else was retried by the adapter already, or is final
        return False
    return False


def network_task_options(settings: Settings) -> dict:
    """Options for every Prefect task that fetches from the web, from the run's settings."""
    return {
        "retries": settings.fetch_retries,
        "retry_delay_seconds": exponential_backoff(backoff_factor=2),
        "retry_jitter_factor": 0.5,
        "retry_condition_fn": retry_if_body_interrupted,
    }
