"""Finding a published story by any name an editor might give it.

An editor has the page's address at hand, not the canonical URL the clean
step settled on, nor the story id. A story can therefore be found by:

1. its story id (``aleppo-offensive-3f2a9c1b0d4e``);
2. its canonical URL, under the current story-id scheme or an earlier one;
3. any URL it was fetched from, redirects included: each publish records
   those as alias objects (``<prefix>/_aliases/<hash>.json``), one small
   object per URL, so a lookup is one read, never a scan.

An unknown story's error names what was looked up, and how.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from tasks.storage import ObjectStore
from tasks.stored import StoryNotFoundError
from tasks.storykeys import is_story_id, normalise_url, story_ids, story_prefix


@dataclass(frozen=True)
class FoundStory:
    story_id: str
    how: str  # "story id", "canonical URL", "earlier story-id scheme" or "fetched URL"
    public: bool = True  # False: only held under embargo, never published yet


def alias_key(prefix: str, url: str) -> str:
    digest = hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()[:32]
    clean = "/".join(seg for seg in prefix.split("/") if seg and seg not in (".", ".."))
    return f"{clean}/_aliases/{digest}.json" if clean else f"_aliases/{digest}.json"


def record_aliases(store: ObjectStore, prefix: str, story_id: str, urls: tuple[str, ...]) -> list[str]:
    """Remember the URLs a story was fetched from (those whose id is not its own); returns new keys.

    Create-only: an alias already naming a story is left alone (the first
    story published from a URL keeps it).
    """
    written = []
    for url in dict.fromkeys(u for u in urls if u):
        if story_id in story_ids(url).all:
            continue  # the URL already leads to the story by its id
        key = alias_key(prefix, url)
        body = json.dumps({"story_id": story_id, "url": url}).encode("utf-8")
        if store.create(key, body, content_type="application/json", cache_control="no-cache"):
            written.append(key)
    return written


def find_story(store: ObjectStore, prefix: str, name: str, *, embargo_prefix: str | None = None) -> FoundStory:
    """The stored story that ``name`` (a story id or any of its URLs) names.

    With ``embargo_prefix``, a story only held under embargo is found too
    (``public`` False).
    """
    name = name.strip()
    tried: list[str] = []

    def found(story_id: str, how: str) -> FoundStory | None:
        if _exists(store, f"{story_prefix(prefix, story_id)}/latest.json"):
            return FoundStory(story_id, how)
        held = f"{embargo_prefix.strip('/')}/{story_prefix(prefix, story_id)}/pending.json" if embargo_prefix else None
        if held and _exists(store, held):
            return FoundStory(story_id, how, public=False)
        return None

    if is_story_id(name):
        if hit := found(name, "story id"):
            return hit
        tried.append(f"story id {name}")
    if name.startswith(("http://", "https://")):
        ids = story_ids(name)
        for index, story_id in enumerate(ids.all):
            if hit := found(story_id, "canonical URL" if index == 0 else "earlier story-id scheme"):
                return hit
        tried.append(f"canonical URL (story id {', '.join(ids.all)})")
        alias, _etag = store.read_json(alias_key(prefix, name))
        if isinstance(alias, dict) and isinstance(alias.get("story_id"), str) and is_story_id(alias["story_id"]):
            if hit := found(alias["story_id"], "fetched URL"):
                return hit
        tried.append("URLs stories were fetched from")
    if not tried:
        raise StoryNotFoundError(f"{name[:200]!r} is neither a story id nor an http(s) URL")
    raise StoryNotFoundError(f"no published story for {name[:200]!r} in bucket {store.bucket}: looked up by "
                             + "; by ".join(tried))


def _exists(store: ObjectStore, key: str) -> bool:
    return store.read(key) is not None
