"""Story ids and object keys that can never escape the configured prefix.

A story id is a readable slug from the canonical URL plus a hash of the
normalised URL: stable across fetches, unique per story, and made only of
``[a-z0-9-]``, so no URL or headline can produce ``..``, ``/`` or control
characters in a key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ito|icid|ns_\w+|at_\w+)$",
                              re.IGNORECASE)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_STORY_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
SLUG_MAX = 60


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking query dropped."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        # "http://[" or a port of "99999": not normalisable, but still a
        # page's own address, so its text alone identifies the story.
        return text
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING_PARAMS.match(k)])
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, query, ""))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def story_id_for(url: str) -> str:
    """'https://x.example/world/2016/sep/23/aleppo-offensive' → 'aleppo-offensive-3f2a…'."""
    normal = normalise_url(url)
    digest = hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]
    try:
        path = urlsplit(normal).path
    except ValueError:
        path = ""
    last = next((seg for seg in reversed(path.split("/")) if slugify(seg.rsplit(".", 1)[0])), "")
    slug = slugify(last.rsplit(".", 1)[0]) or "story"
    return f"{slug}-{digest}"


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
