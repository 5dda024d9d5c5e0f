"""What keeping the bucket's feed, sitemap and index current costs, as the bucket grows.

Fills a catalog on a local SeaweedFS server with N live stories (written
directly, shard by shard, as N publishes would leave it), then times
``update_catalog`` for publishes, corrections and kills of random stories,
and reports the bytes each update read and wrote. An update never lists
the bucket, so its cost follows the recent list (at most 1,000 entries)
and one index shard (N/64 entries), not N.

    python bench/catalog.py [--stories 10000] [--updates 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def entry(n: int, now: datetime, version: int = 1):  # noqa: ANN201
    from tasks.catalog import CatalogEntry

    at = (now - timedelta(minutes=n)).isoformat(timespec="seconds")
    return CatalogEntry(story_id=f"story-{n:06d}", url=f"https://news.example/{n}", headline=f"Story number {n}",
                        version=version, published=at, updated=at, summary="A summary of the story. " * 6,
                        language="en", page=f"stories/story-{n:06d}/v{version:04d}/article.html")


def fill(store, locations, count: int, now: datetime) -> None:  # noqa: ANN001
    from tasks.catalog import RECENT_ENTRIES, SHARDS, index_root, render_index, shard_of

    shards: dict[int, list] = {}
    entries = [entry(n, now) for n in range(count)]
    for item in entries:
        shards.setdefault(shard_of(item.story_id, SHARDS), []).append(item)
    for shard, items in shards.items():
        store.swap_json(locations.index_shard.format(shard=shard), json.loads(render_index(items, shard=shard)), None)
    store.swap_json(locations.index, json.loads(index_root({s: len(i) for s, i in shards.items()},
                                                           locations.index_shard)), None)
    recent = sorted(entries, key=lambda e: e.updated, reverse=True)[:RECENT_ENTRIES]
    store.swap_json(locations.recent, {"revision": count, "stories": [e.as_dict() for e in recent]}, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=50)
    args = parser.parse_args(argv)

    from cli.seaweedfs import seaweedfs_server
    from tasks.catalog import StoryChange
    from tasks.catalog_store import CatalogLocations, update_catalog
    from tasks.storage import ObjectStore

    now = datetime.now(timezone.utc)
    rng = random.Random(7)
    with seaweedfs_server() as server:
        client = server.client()
        bucket = f"catalog-bench-{uuid.uuid4().hex[:8]}"
        client.create_bucket(Bucket=bucket)
        store = ObjectStore(client, bucket)
        locations = CatalogLocations()
        started = time.perf_counter()
        fill(store, locations, args.stories, now)
        print(f"filled a catalog of {args.stories} stories in {time.perf_counter() - started:.1f} s", flush=True)
        sent = {"read": 0, "written": 0}

        def count_read(**kwargs) -> None:  # noqa: ANN003 - botocore event arguments
            response = kwargs.get("http_response")
            if response is not None:  # never touch the body: GetObject streams it
                sent["read"] += int(response.headers.get("Content-Length") or 0)

        def count_written(request=None, **_kwargs) -> None:  # noqa: ANN001, ANN003
            if request is not None and request.method == "PUT":
                sent["written"] += int(request.headers.get("Content-Length") or 0)

        client.meta.events.register("after-call.s3", count_read)
        client.meta.events.register("before-send.s3", count_written)
        timings = []
        for n in range(args.updates):
            story = rng.randrange(args.stories)
            kind = ("usable", "usable", "canceled")[n % 3]
            change = StoryChange(entry(story, now, version=2 + n), kind)
            began = time.perf_counter()
            update_catalog(store, change, locations, now=now)
            timings.append(time.perf_counter() - began)
    per_update = {k: v / args.updates / 1024 for k, v in sent.items()}
    print(f"catalog: {args.stories} stories  {args.updates} updates  median {statistics.median(timings) * 1000:.0f} ms"
          f"  p95 {sorted(timings)[int(len(timings) * 0.95) - 1] * 1000:.0f} ms  read {per_update['read']:.0f} KiB"
          f"  written {per_update['written']:.0f} KiB per update")
    return 0


if __name__ == "__main__":
    sys.exit(main())
