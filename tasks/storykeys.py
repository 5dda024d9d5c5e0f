"""Story ids and object keys that can never escape the configured prefix.

A story id is a readable slug from the canonical URL plus a hash of the
normalised URL: stable across fetches, unique per story, and made only of
``[a-z0-9-]``, so no URL or headline can produce ``..``, ``/`` or control
characters in a key.

Story ids are stored keys, so how a URL is normalised is versioned:

* scheme 1 lower-cased scheme and host, dropped the default port, the
  fragment and tracking parameters, and kept everything else as written;
* scheme 2 (current) also canonicalises the URL with w3lib: query parameters
  sorted, percent-encoding normalised (``%7E`` is ``~``, ``café`` is
  ``caf%C3%A9``), dot segments removed, the host in IDNA form.

A URL that was already canonical has the same id under both schemes, so most
stored stories keep their id. For the others ``story_ids`` gives the legacy
id too, under which a story published before the change is found.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

STORY_ID_SCHEME = 2
SCHEMES = (1, 2)
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ito|icid|ns_\w+|at_\w+)$",
                              re.IGNORECASE)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_STORY_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
SLUG_MAX = 60


class StoryIds(NamedTuple):
    current: str  # the id a story gets when it is first published now
    legacy: tuple[str, ...]  # ids the same URL had under earlier schemes, where they differ, newest first

    @property
    def all(self) -> tuple[str, ...]:
        """Where to look for a stored story, in order."""
        return (self.current, *self.legacy)


def normalise_url(url: str, scheme: int = STORY_ID_SCHEME) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking query dropped;
    under scheme 2 also canonicalised (sorted query, percent-encoding, dot segments)."""
    if scheme == 1:
        return _normalise_v1(url)
    if scheme == 2:
        return _normalise_v2(url)
    raise ValueError(f"unknown story id scheme {scheme!r}")


def _split(text: str) -> tuple[str, str, str, str] | None:
    """(scheme, host[:port], path, query without tracking), or None when unparseable."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return scheme, host, path, parts.query


def _normalise_v1(url: str) -> str:
    # Frozen: the ids of stories published before scheme 2 are derived from this.
    text = url.strip()
    split = _split(text)
    if split is None:
        # "http://[" or a port of "99999": not normalisable, but still a
        # page's own address, so its text alone identifies the story.
        return text
    scheme, host, path, query = split
    query = urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
                       if not _TRACKING_PARAMS.match(k)])
    return urlunsplit((scheme, host, path, query, ""))


def _normalise_v2(url: str) -> str:
    text = url.strip()
    try:
        canonical = canonicalize_url(text)
    except (ValueError, UnicodeError):
        return text  # as scheme 1: the text alone identifies the story
    split = _split(canonical)
    if split is None:
        return text
    scheme, host, path, query = split
    # canonicalize_url has encoded and sorted the pairs: filter them, do not re-encode.
    kept = [pair for pair in query.split("&") if pair and not _TRACKING_PARAMS.match(unquote(pair.split("=", 1)[0]))]
    return urlunsplit((scheme, host, path, "&".join(kept), ""))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def story_id_for(url: str, scheme: int = STORY_ID_SCHEME) -> str:
    """'https://x.example/world/2016/sep/23/aleppo-offensive' → 'aleppo-offensive-3f2a…'."""
    normal = normalise_url(url, scheme)
    digest = hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]
    try:
        path = urlsplit(normal).path
    except ValueError:
        path = ""
    # Scheme 2 paths are percent-encoded: the slug is made from what they spell.
    segments = [unquote(seg) if scheme >= 2 else seg for seg in path.split("/")]
    last = next((seg for seg in reversed(segments) if slugify(seg.rsplit(".", 1)[0])), "")
    slug = slugify(last.rsplit(".", 1)[0]) or "story"
    return f"{slug}-{digest}"


def story_ids(url: str) -> StoryIds:
    """The URL's current story id and the different ids it had under earlier schemes.

    A publisher looks for a stored story under each of ``.all`` in turn and
    keeps writing under the id it found, so a story published before a
    scheme change keeps its address.
    """
    current = story_id_for(url)
    legacy: list[str] = []
    for scheme in sorted((s for s in SCHEMES if s != STORY_ID_SCHEME), reverse=True):
        old = story_id_for(url, scheme)
        if old != current and old not in legacy:
            legacy.append(old)
    return StoryIds(current, tuple(legacy))


def is_story_id(value: str) -> bool:
    return bool(_STORY_ID.fullmatch(value))


def story_prefix(prefix: str, story_id: str) -> str:
    """The key prefix of one story, refusing anything that is not a story id."""
    if not is_story_id(story_id):
        raise ValueError(f"not a valid story id: {story_id!r}")
    clean = "/".join(seg for seg in prefix.split("/") if seg and seg not in (".", ".."))
    return f"{clean}/{story_id}" if clean else story_id


def version_folder(version: int) -> str:
    return f"v{version:04d}"
