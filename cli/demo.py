"""``newsroom demo``: the whole job on embedded defaults.

Starts a local S3-compatible endpoint (moto's server mode) and a local web
server for the fixture site, publishes the seed story through the
``publish-story`` flow on Prefect's local API, publishes it again to show
that unchanged content adds nothing, and copies the published version to a
local folder so ``article.html`` can be opened in a browser.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cli.local_services import LOCAL_CREDENTIALS, s3_server, static_site

SEED_PAGE = "pages/aleppo-offensive.html"


def run_demo(out: Path) -> int:
    with s3_server() as endpoint, static_site() as site:
        os.environ.update({
            "NEWSROOM_S3_ENDPOINT_URL": endpoint,
            "NEWSROOM_S3_BUCKET": os.environ.get("NEWSROOM_S3_BUCKET", "newsroom-demo"),
            "NEWSROOM_S3_ADDRESSING_STYLE": "path",
            "NEWSROOM_S3_CREATE_BUCKET": "true",
            "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
        })
        for key, value in LOCAL_CREDENTIALS.items():
            os.environ[key] = value  # the local endpoint only; never real credentials
        from config.settings import get_settings

        get_settings.cache_clear()
        from flows.publish_story import publish_story
        from tasks.storage import s3_client

        url = f"{site}/{SEED_PAGE}"
        print(f"S3-compatible endpoint: {endpoint}   fixture site: {site}", flush=True)
        print(f"Publishing {url} through the publish-story flow ...", flush=True)
        first = publish_story(url=url)
        print(f"  {first.status}: story {first.story_id} version {first.version}")
        second = publish_story(url=url)
        print(f"  again: {second.status} (version {second.version}; no object written)")

        settings = get_settings()
        client = s3_client(settings)
        target = out / first.story_id / first.prefix.rsplit("/", 1)[-1]
        target.mkdir(parents=True, exist_ok=True)
        print("\nPublished objects:")
        for uri in first.objects:
            key = uri.split("/", 3)[3]
            body = client.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read()
            (target / key.rsplit("/", 1)[-1]).write_bytes(body)
            print(f"  {uri}  ({len(body)} bytes)")
        print(f"  {first.latest_uri}")
        latest = json.loads(client.get_object(Bucket=settings.s3_bucket,
                                              Key=first.latest_uri.split("/", 3)[3])["Body"].read())
        print(f"\nlatest.json -> version {latest['version']}, {latest['manifest']}")
        print(f"A copy of the bundle is in {target.resolve()}/ (open article.html)")
    return 0
