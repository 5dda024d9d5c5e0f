"""Helpers shared by the storage fault and race tests (and their worker processes)."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from dataclasses import replace
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from config.settings import Settings
from tasks.bundle import build_draft
from tasks.models import Draft, FetchedImage
from tasks.storage import new_client
from tasks.storykeys import story_prefix

PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 256
SECRET = "newsroom-local-secret"
# Simulated crashes of this process, for the test summary.
CRASHES: Counter[str] = Counter()


class SimulatedCrash(BaseException):
    """The process dies here: nothing after this line of the publish runs.

    A BaseException, like KeyboardInterrupt or SystemExit, so no ``except
    Exception`` in the code under test can swallow it.
    """


def base_draft() -> Draft:
    from tasks.clean import clean_page
    from tasks.dedupe import dedupe_article
    from tasks.fetch import fetch_page
    from tests.conftest import SEED_PAGE, expected_article

    url = expected_article("aleppo-offensive")["url"]
    page = fetch_page(str(SEED_PAGE), url, settings=Settings())
    return build_draft(dedupe_article(clean_page(page), threshold=0.9), page,
                        FetchedImage("https://x.example/i.png", PNG, "image/png"))


def variant(draft: Draft, n: int) -> Draft:
    """The same story with content that differs by ``n`` (0 is the draft itself)."""
    if n == 0:
        return draft
    return replace(draft, article=replace(draft.article, headline=f"{draft.article.headline} (update {n})"))


def fault_settings(endpoint: str, bucket: str, **overrides) -> Settings:
    values = {"s3_endpoint_url": endpoint, "s3_bucket": bucket, "s3_addressing_style": "path",
              "s3_max_attempts": 3, "s3_connect_timeout": 1.0, "s3_read_timeout": 1.0}
    values.update(overrides)
    return Settings(**values)


def publisher_client(settings: Settings):
    """A fresh client with the production configuration (retries, timeouts), not shared."""
    return new_client(settings)


def direct_client(endpoint: str):
    """A client straight to the S3 server, for checking what landed (no faults)."""
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5,
                                                                               "mode": "standard"}))


def crash_after_write(client, n: int) -> list[str]:
    """Make the process 'die' right after the nth successful PutObject; returns the keys written."""
    written: list[str] = []

    def after_call(http_response=None, parsed=None, context=None, **kwargs):  # noqa: ANN001, ANN003
        if http_response is not None and 200 <= http_response.status_code < 300:
            written.append(http_response.url)
            if len(written) == n:
                CRASHES["crash (after-call hook)"] += 1
                raise SimulatedCrash(f"crash after write {n}")

    client.meta.events.register("after-call.s3.PutObject", after_call, unique_id=f"crash-after-{id(written)}")
    return written


def remove_crash_hook(client, written: list[str]) -> None:
    client.meta.events.unregister("after-call.s3.PutObject", unique_id=f"crash-after-{id(written)}")


def read(client, bucket: str, key: str) -> bytes | None:
    try:
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            return None
        raise


def etags(client, bucket: str) -> dict[str, str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {o["Key"]: o["ETag"] for p in pages for o in p.get("Contents", [])}


class Inconsistent(AssertionError):
    pass


def check_story(client, settings: Settings, story_id: str) -> dict | None:
    """What a reader starting at latest.json sees must be complete.

    latest → manifest (same version and content) → every listed object
    exists with the listed size, sha256 and type; the history is ordered and
    ends with the current version, and each version in it is complete too.
    Returns the pointer (None when nothing was published yet).
    """
    bucket = settings.s3_bucket
    base = story_prefix(settings.s3_prefix, story_id)
    raw = read(client, bucket, f"{base}/latest.json")
    if raw is None:
        return None
    pointer = json.loads(raw)
    _check_version(client, bucket, base, pointer["manifest"], pointer["version"], pointer["content_sha256"])
    history = pointer.get("history", [])
    versions = [h["version"] for h in history]
    if versions != sorted(set(versions)):
        raise Inconsistent(f"history not strictly increasing: {versions}")
    if not history or (history[-1]["version"], history[-1]["content_sha256"]) != (
            pointer["version"], pointer["content_sha256"]):
        raise Inconsistent("history does not end with the current version")
    if sorted(pointer["objects"]) != sorted(
            [o["name"] for o in json.loads(read(client, bucket, pointer["manifest"]))["objects"]] + ["manifest.json"]):
        raise Inconsistent("pointer object list differs from the manifest")
    return pointer


def check_history_versions(client, settings: Settings, story_id: str, pointer: dict) -> None:
    base = story_prefix(settings.s3_prefix, story_id)
    for entry in pointer.get("history", []):
        folder = f"{base}/v{int(entry['version']):04d}"
        _check_version(client, settings.s3_bucket, base, f"{folder}/manifest.json", entry["version"],
                       entry["content_sha256"])


def _check_version(client, bucket: str, base: str, manifest_key: str, version: int, content: str) -> None:
    raw = read(client, bucket, manifest_key)
    if raw is None:
        raise Inconsistent(f"manifest {manifest_key} is missing")
    manifest = json.loads(raw)
    if manifest["version"] != version or manifest["content_sha256"] != content:
        raise Inconsistent(f"manifest {manifest_key} is version {manifest['version']}, expected {version}")
    folder = manifest_key.rsplit("/", 1)[0]
    if not folder.startswith(base + "/v"):
        raise Inconsistent(f"manifest {manifest_key} is outside the story")
    for entry in manifest["objects"]:
        key = f"{folder}/{entry['name']}"
        try:
            response = client.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            raise Inconsistent(f"{key} listed in the manifest is missing") from error
        data = response["Body"].read()
        if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["size"]:
            raise Inconsistent(f"{key} does not match its manifest entry")
        if response["ContentType"] != entry["content_type"]:
            raise Inconsistent(f"{key} has type {response['ContentType']}, manifest says {entry['content_type']}")


def save_drafts(path: Path, drafts: list[Draft]) -> None:
    path.write_bytes(pickle.dumps(drafts))


def load_drafts(path: Path) -> list[Draft]:
    return pickle.loads(path.read_bytes())
