"""A story link found in a feed or sitemap, and the newest of many of them.

``Newest`` keeps the ``limit`` newest links of a listing as they are read, so
a listing of any length costs memory for ``limit`` links only: dated links
newest first, then undated ones in the listing's order, one per URL.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class StoryLink:
    url: str
    source: str
    title: str | None = None
    published: str | None = None
    updated: str | None = None  # changes when the publisher updates the story
    guid: str | None = None
    tags: tuple[str, ...] = ()
    robots: bool = True  # respect the site's robots.txt before fetching the story

    @property
    def marker(self) -> str:
        """What tells one edition of the entry from the next."""
        return self.updated or self.published or self.guid or ""


class Newest:
    """The ``limit`` newest links added, the first listing of each URL counting."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._dated: list[tuple[float, int, StoryLink]] = []  # a min-heap: the oldest is dropped first
        self._undated: list[StoryLink] = []
        # hash() of every URL seen: a listing repeats a URL with another date,
        # and only its first listing counts, even once that one was dropped.
        self._seen: set[int] = set()
        self._order = itertools.count()

    def add(self, link: StoryLink) -> None:
        key = hash(link.url)
        if key in self._seen:
            return
        self._seen.add(key)
        if link.published:
            # Among equal dates the later listing is dropped first: the order is the listing's.
            entry = (_sort_key(link.published), -next(self._order), link)
            if len(self._dated) < self.limit:
                heapq.heappush(self._dated, entry)
            elif entry[:2] > self._dated[0][:2]:
                heapq.heapreplace(self._dated, entry)
        elif len(self._undated) < self.limit:
            self._undated.append(link)

    def extend(self, links: Iterable[StoryLink]) -> Newest:
        for link in links:
            self.add(link)
        return self

    def links(self) -> list[StoryLink]:
        dated = [link for *_key, link in sorted(self._dated, key=lambda e: e[:2], reverse=True)]
        return (dated + self._undated)[:self.limit]


def newest_first(links: Iterable[StoryLink], limit: int) -> list[StoryLink]:
    return Newest(limit).extend(links).links()


def _sort_key(value: str | None) -> float:
    try:
        parsed = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()
