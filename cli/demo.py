"""``newsroom demo``: the whole job on embedded defaults.

Starts a local S3 server (SeaweedFS) and a local web server for the fixture
site, publishes the seed story through the ``publish-story`` flow on
Prefect's local API, publishes it again to show that unchanged content adds
nothing, and copies the published version to a local folder so
``article.html`` can be opened in a browser. With ``keep`` the S3 server is
left running, and how to look inside it and how to stop it is printed.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

from cli.local_services import LocalS3, local_s3, static_site
from cli.seaweedfs import stop_script
from config.settings import Settings, read_settings

SEED_PAGE = "pages/aleppo-offensive.html"


def run_demo(out: Path, *, keep: bool = False) -> int:
    with local_s3("seaweedfs", keep=keep) as store, static_site() as site:
        bucket = os.environ.get("NEWSROOM_S3_BUCKET", "newsroom-demo")
        settings = demo_settings(store, bucket)
        from flows.publish_story import publish_story
        from tasks.storage import s3_client

        url = f"{site}/{SEED_PAGE}"
        print(f"S3 server (SeaweedFS): {store.endpoint}   fixture site: {site}", flush=True)
        print(f"Publishing {url} through the publish-story flow ...", flush=True)
        first = publish_story(url=url, settings=settings)
        print(f"  {first.status}: story {first.story_id} version {first.version}")
        second = publish_story(url=url, settings=settings)
        print(f"  again: {second.status} (version {second.version}; no object written)")

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
        if keep:
            print(kept_store_instructions(store, bucket))
    return 0


def demo_settings(store: LocalS3, bucket: str) -> Settings:
    """The environment's settings, pointed at the local store (with its own
    keys, never real ones) and allowed to fetch the local fixture site."""
    # The variables the kept store's instructions print, as field names: the
    # demo runs with exactly what it tells a shell to export.
    overrides = {name.removeprefix("NEWSROOM_").lower(): value
                 for name, value in _store_environment(store, bucket).items()}
    return read_settings(**overrides, s3_access_key_id=store.credentials["AWS_ACCESS_KEY_ID"],
                         s3_secret_access_key=store.credentials["AWS_SECRET_ACCESS_KEY"])


def _store_environment(store: LocalS3, bucket: str) -> dict[str, str]:
    """The NEWSROOM_* variables that point the pipeline at the local store and site."""
    return {
        "NEWSROOM_S3_ENDPOINT_URL": store.endpoint,
        "NEWSROOM_S3_BUCKET": bucket,
        "NEWSROOM_S3_ADDRESSING_STYLE": "path",
        "NEWSROOM_S3_CREATE_BUCKET": "true",
        "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def kept_store_instructions(store: LocalS3, bucket: str) -> str:
    """What a newcomer needs to look inside the kept server, and to stop it."""
    exports = {**store.credentials, **_store_environment(store, bucket), "AWS_DEFAULT_REGION": "us-east-1"}
    export_line = "export " + " ".join(f"{key}={shlex.quote(value)}" for key, value in exports.items())
    list_line = (f"aws --endpoint-url {store.endpoint} s3 ls --recursive s3://{bucket}/"
                 "   # or any S3 client, with the variables above")
    return "\n".join([
        "",
        f"The S3 server is still running (pid {store.pid}, data and log in {store.data_dir}).",
        f"  Browse the objects:  {store.browse_url}{bucket}/",
        "  Use it from a shell (newsroom publish, newsroom check-storage, any S3 client):",
        f"    {export_line}",
        f"    {list_line}",
        f"  Stop it:  sh {shlex.quote(str(stop_script(store)))}",
    ])
