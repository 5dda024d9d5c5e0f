"""robots.txt for URLs found in feeds and sitemaps.

``is_allowed_by_robots`` answers whether our User-Agent may fetch a URL. The
file is fetched through the same guarded fetcher as pages (SSRF checks,
redirects re-checked, timeouts) with a small cap, and kept per origin for
the life of the process, for ``ROBOTS_TTL`` seconds.

The rules are read by protego, Scrapy's parser: it matches ``*`` and ``$``
in paths and lets the longest matching rule win (RFC 9309), where
``urllib.robotparser`` takes ``*`` literally and the first match.

What a response means follows most crawlers:

* 2xx: the rules in the file apply;
* 401 or 403: the site restricts robots: nothing may be fetched;
* 404, 410 and the other 4xx but 429: there are no rules: everything may be fetched;
* 429, 5xx, a timeout, a refused connection, a refused address, a file over
  the cap: treated as "disallow everything" for now (RFC 9309 calls the
  site unreachable and asks crawlers to assume a full disallow), and
  remembered only for ``UNREACHABLE_TTL`` seconds, so an outage does not
  hide a site for an hour.

RFC 9309 differs on 401/403 (it allows all); we keep the stricter reading.
429 is "slow down", not "no rules": some crawlers would allow all, we wait.
Crawl-delay is not honoured: the feed poll's concurrency limit paces us.
Editors' own URLs are not checked, and a source can turn the check off:
the feed-polling flow decides when to call this.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from config.settings import Settings
from tasks.errors import FetchError

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TTL = 3600.0
UNREACHABLE_TTL = 300.0

_lock = threading.Lock()
# origin -> (expires at, parser, or True/False for "all allowed"/"all disallowed")
_cache: dict[str, tuple[float, Protego | bool]] = {}


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme.lower(), netloc.lower(), "", "", ""))


def _load(origin: str, settings: Settings) -> tuple[float, Protego | bool]:
    from tasks.fetch import fetch_response

    now = time.monotonic()
    try:
        response = fetch_response(f"{origin}/robots.txt", settings, ROBOTS_MAX_BYTES, raise_for_status=False)
        status, body = response.status, response.body
    except FetchError:
        return now + UNREACHABLE_TTL, False
    if status == 429:
        return now + UNREACHABLE_TTL, False
    if status in (401, 403):
        return now + ROBOTS_TTL, False
    if 400 <= status < 500:
        return now + ROBOTS_TTL, True
    if status >= 500 or status < 200 or status >= 300:
        return now + UNREACHABLE_TTL, False
    return now + ROBOTS_TTL, Protego.parse(body.decode("utf-8", errors="replace"))


def is_allowed_by_robots(url: str, user_agent: str | None = None, *, settings: Settings) -> bool:
    """True if the site's robots.txt lets ``user_agent`` (default: the settings' own) fetch ``url``."""
    user_agent = user_agent or settings.fetch_user_agent
    origin = _origin(url)
    if origin is None:
        return False
    with _lock:
        entry = _cache.get(origin)
    if entry is None or entry[0] <= time.monotonic():
        # Two threads may both fetch on a miss; the later answer wins, harmlessly.
        entry = _load(origin, settings)
        with _lock:
            _cache[origin] = entry
    rules = entry[1]
    if isinstance(rules, bool):
        return rules
    # Groups are matched on the product token ("newsroom-pipeline"), as robots.txt intends.
    return rules.can_fetch(url, user_agent)


def clear_robots_cache() -> None:
    """Forget every cached robots.txt (tests, or an operator after a site changed its rules)."""
    with _lock:
        _cache.clear()
