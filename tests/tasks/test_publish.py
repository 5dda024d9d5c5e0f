"""Publish against a real S3-compatible server (moto in server mode, over HTTP)."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import replace

import pytest

from config.settings import Settings
from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import StorageUnavailableError
from tasks.fetch import fetch_page
from tasks.models import FetchedImage
from tasks.publish import publish_draft
from tasks.render import render_bundle
from tasks.storage import ObjectStore, ensure_bucket, s3_client
from tasks.storykeys import story_prefix
from tests.conftest import SEED_PAGE, expected_article

URL = expected_article("aleppo-offensive")["url"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 128


@pytest.fixture(scope="module")
def bundle():
    page = fetch_page(str(SEED_PAGE), URL, settings=Settings())
    return build_draft(dedupe_article(clean_page(page), threshold=0.9), page,
                        FetchedImage("https://x.example/i.png", PNG, "image/png"))


def _keys(s3, settings: Settings) -> list[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket)
    return sorted(o["Key"] for p in pages for o in p.get("Contents", []))


def _read(s3, settings, key) -> bytes:
    return s3.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read()


def assert_consistent(s3, settings: Settings, story_id: str) -> dict:
    """latest → manifest → every listed object exists with the listed sha256."""
    base = story_prefix(settings.s3_prefix, story_id)
    pointer = json.loads(_read(s3, settings, f"{base}/latest.json"))
    manifest = json.loads(_read(s3, settings, pointer["manifest"]))
    assert manifest["version"] == pointer["version"]
    folder = pointer["manifest"].rsplit("/", 1)[0]
    for entry in manifest["objects"]:
        head = s3.get_object(Bucket=settings.s3_bucket, Key=f"{folder}/{entry['name']}")
        data = head["Body"].read()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
        assert head["ContentType"] == entry["content_type"]
    return pointer


def test_first_publish_writes_every_object_then_the_pointer(s3, settings, bundle):
    result = publish_draft(bundle, settings)
    assert (result.status, result.version) == ("published", 1)
    base = story_prefix(settings.s3_prefix, bundle.story_id)
    assert _keys(s3, settings) == sorted([f"{base}/latest.json"] + [
        f"{base}/v0001/{name}" for name in
        ("article.json", "article.html", "article.txt", "image.png", "manifest.json")])
    pointer = assert_consistent(s3, settings, bundle.story_id)
    assert pointer["version"] == 1 and pointer["content_sha256"] == bundle.content_sha256
    types = {k.rsplit("/", 1)[1]: s3.head_object(Bucket=settings.s3_bucket, Key=k)["ContentType"]
             for k in _keys(s3, settings)}
    assert types["article.html"] == "text/html; charset=utf-8" and types["image.png"] == "image/png"
    assert types["latest.json"] == types["manifest.json"] == "application/json"
    assert result.objects[0] == f"s3://{settings.s3_bucket}/{base}/v0001/article.json"


def test_same_content_again_writes_nothing(s3, settings, bundle):
    publish_draft(bundle, settings)
    before = {k: s3.head_object(Bucket=settings.s3_bucket, Key=k)["ETag"] for k in _keys(s3, settings)}
    again = publish_draft(bundle, settings)
    assert (again.status, again.version) == ("unchanged", 1)
    after = {k: s3.head_object(Bucket=settings.s3_bucket, Key=k)["ETag"] for k in _keys(s3, settings)}
    assert after == before


def test_changed_content_is_the_next_version_and_keeps_the_first(s3, settings, bundle):
    first = publish_draft(bundle, settings)
    v1_json = _read(s3, settings, first.objects[0].split("/", 3)[3])
    changed = replace(bundle, article=replace(bundle.article, headline="Corrected headline"))
    second = publish_draft(changed, settings, note="headline corrected")
    assert (second.status, second.version) == ("published", 2)
    assert _read(s3, settings, first.objects[0].split("/", 3)[3]) == v1_json
    pointer = assert_consistent(s3, settings, bundle.story_id)
    assert pointer["version"] == 2 and pointer["history"][-1]["note"] == "headline corrected"
    doc = json.loads(_read(s3, settings, second.objects[0].split("/", 3)[3]))
    assert doc["version"] == "2" and doc["firstCreated"] == json.loads(v1_json)["firstCreated"]
    forced = publish_draft(changed, settings, force=True)
    assert (forced.status, forced.version) == ("published", 3)


def test_concurrent_publishers_of_the_same_story_make_one_version(s3, settings, bundle):
    results = []
    barrier = threading.Barrier(6)

    def run():
        barrier.wait()
        results.append(publish_draft(bundle, settings))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6  # a publisher that raised would leave no result and pass unseen
    assert sorted(r.status for r in results).count("published") == 1
    assert {r.version for r in results} == {1}
    assert not [k for k in _keys(s3, settings) if "/v0002/" in k]
    assert_consistent(s3, settings, bundle.story_id)


def test_a_rerun_completes_what_a_crash_left(s3, settings, bundle):
    # A run that died after two objects of version 1: nothing is reachable yet.
    partial = render_bundle(bundle)
    store = ObjectStore(s3, settings.s3_bucket)
    base = story_prefix(settings.s3_prefix, bundle.story_id)
    meta = {"content-sha256": bundle.content_sha256}
    for file in partial.files[:2]:
        assert store.create(f"{base}/v0001/{file.name}", file.data, content_type=file.content_type, metadata=meta,
                            cache_control="no-cache")
    result = publish_draft(bundle, settings)
    assert (result.status, result.version) == ("published", 1)
    assert_consistent(s3, settings, bundle.story_id)


def test_leftovers_of_other_content_are_skipped_not_overwritten(s3, settings, bundle):
    store = ObjectStore(s3, settings.s3_bucket)
    base = story_prefix(settings.s3_prefix, bundle.story_id)
    stray = render_bundle(bundle).files[0]
    store.create(f"{base}/v0001/article.json", stray.data, content_type=stray.content_type,
                 metadata={"content-sha256": "f" * 64}, cache_control="no-cache")
    result = publish_draft(bundle, settings)
    assert result.version == 2
    assert _read(s3, settings, f"{base}/v0001/article.json") == stray.data
    assert_consistent(s3, settings, bundle.story_id)


def test_unreachable_storage_is_a_clear_typed_error(bundle, free_port_settings):
    with pytest.raises(StorageUnavailableError) as info:
        publish_draft(bundle, free_port_settings)
    message = str(info.value)
    assert "latest.json" in message and "unreachable" in message
    assert "newsroom-local-secret" not in message


def test_missing_bucket_is_named(s3_endpoint):
    settings = Settings(s3_endpoint_url=s3_endpoint, s3_bucket="no-such-bucket-here", s3_create_bucket=False,
                        s3_addressing_style="path")
    from tasks.errors import PublishError

    with pytest.raises(PublishError, match="no-such-bucket-here"):
        ensure_bucket(settings, s3_client(settings))


@pytest.fixture
def free_port_settings() -> Settings:
    from cli.local_services import free_port

    return Settings(s3_endpoint_url=f"http://127.0.0.1:{free_port()}", s3_bucket="nowhere",
                    s3_addressing_style="path", s3_max_attempts=2, s3_connect_timeout=1, s3_read_timeout=1)


def test_the_pointer_names_the_publish_that_wrote_it(s3, settings, bundle):
    publish_draft(bundle, settings)
    changed = replace(bundle, article=replace(bundle.article, headline="Updated headline"))
    publish_draft(changed, settings)
    pointer = assert_consistent(s3, settings, bundle.story_id)
    ids = [h["publish_id"] for h in pointer["history"]]
    assert pointer["publish_id"] == ids[-1] and len(set(ids)) == 2


def test_max_attempts_counts_every_attempt(bundle):
    from tasks.storage import new_client

    client = new_client(Settings(s3_region="us-east-1", s3_addressing_style="path", s3_connect_timeout=1,
                                 s3_read_timeout=1, s3_max_attempts=3))
    assert client.meta.config.retries["total_max_attempts"] == 3
    assert client.meta.config.retries["mode"] == "standard"


def _keywords(s3, settings, result) -> list[str]:
    doc = json.loads(_read(s3, settings, result.objects[0].split("/", 3)[3]))
    return [s["name"] for s in doc.get("subjects", [])]


def test_an_editors_tags_stick_to_the_story_through_later_polls(s3, settings, bundle):
    edited = publish_draft(bundle.with_tags(["Exclusive"]), settings, editor_tags=("Exclusive",))
    assert "Exclusive" in _keywords(s3, settings, edited)
    # A poll sees the same page, without the editor's tag: nothing to publish.
    assert publish_draft(bundle, settings).status == "unchanged"
    # The page changes: the new version keeps the editor's tag.
    changed = replace(bundle.article, paragraphs=bundle.article.paragraphs + ("An update from the scene.",))
    polled = publish_draft(replace(bundle, article=changed, removed=()), settings)
    assert (polled.status, polled.version) == ("published", 2)
    assert "Exclusive" in _keywords(s3, settings, polled)
    pointer = assert_consistent(s3, settings, bundle.story_id)
    assert pointer["editor_tags"] == ["Exclusive"]
    # Another editor adds one (case-insensitively new); both stay.
    more = publish_draft(bundle, settings, editor_tags=("exclusive", "Follow-up"))
    assert json.loads(_read(s3, settings, more.latest_uri.split("/", 3)[3]))["editor_tags"] == ["Exclusive", "Follow-up"]


def test_force_with_editor_tags_replaces_the_kept_ones(s3, settings, bundle):
    publish_draft(bundle.with_tags(["Exclusive"]), settings, editor_tags=("Exclusive",))
    cleared = publish_draft(bundle, settings, force=True, editor_tags=())
    assert (cleared.status, cleared.version) == ("published", 2)
    assert "Exclusive" not in _keywords(s3, settings, cleared)
    assert publish_draft(bundle, settings).status == "unchanged"  # and a poll does not bring it back


def test_each_publish_renders_its_version_once(s3, settings, bundle, monkeypatch):
    import tasks.publish

    rendered: list[int] = []
    real = tasks.publish.render_files

    def counting(draft, version, *args):
        rendered.append(version)
        return real(draft, version, *args)

    monkeypatch.setattr(tasks.publish, "render_files", counting)
    publish_draft(bundle, settings, editor_tags=("Exclusive",))
    changed = replace(bundle, article=replace(bundle.article, headline="Corrected headline"))
    publish_draft(changed, settings)
    assert publish_draft(changed, settings).status == "unchanged"
    assert rendered == [1, 2]


@pytest.mark.parametrize(("pointer", "field"), [
    ('"x"', "a JSON object was expected"),
    ('{"version": "abc"}', "field 'version'"),
    ('{"version": 1e30, "manifest": "s/v0001/manifest.json", "content_sha256": "' + "a" * 64 + '"}',
     "field 'version'"),
    ('{"version": 1, "history": 5, "manifest": "s/v0001/manifest.json", "content_sha256": "' + "a" * 64 + '"}',
     "field 'history'"),
    ('{"version": 1, "content_sha256": "' + "a" * 64 + '"}', "field 'manifest' is missing"),
    ('{"version": 1, "manifest": "s/v0001/manifest.json", "content_sha256": "' + "a" * 64
     + '", "editor_tags": "abc"}', "field 'editor_tags'"),
])
def test_a_corrupt_pointer_is_named_and_nothing_is_written_over_it(settings, s3, bundle, pointer, field):
    ensure_bucket(settings)
    key = f"{story_prefix(settings.s3_prefix, bundle.story_id)}/latest.json"
    s3.put_object(Bucket=settings.s3_bucket, Key=key, Body=pointer.encode())
    with pytest.raises(Exception) as raised:
        publish_draft(bundle, settings)
    message = str(raised.value)
    assert message.startswith(f"stored object {key} is corrupt") and field in message and "\n" not in message
    assert _keys(s3, settings) == [key]  # no version folder, no tags split from a string
