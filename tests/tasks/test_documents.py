"""Stored documents are validated on read: a bad one names its key and field."""

from __future__ import annotations

import json

import pytest

from tasks.documents import CorruptObjectError, Manifest, PollState, Pointer, parse_document

KEY = "stories/aleppo-1a2b3c/latest.json"
SHA = "ab" * 32


def good_pointer(**changes) -> dict:
    pointer = {
        "story_id": "aleppo-1a2b3c", "publish_id": "p1", "version": 2,
        "manifest": "stories/aleppo-1a2b3c/v0002/manifest.json", "content_sha256": SHA,
        "pub_status": "usable", "canonical_url": "https://news.example/a", "headline": "A",
        "first_created": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-02T00:00:00+00:00",
        "objects": ["article.json", "manifest.json"], "fingerprint": {"headline": "x"},
        "editor_tags": ["Syria"],
        "history": [{"version": 1, "content_sha256": SHA, "pub_status": "usable", "note": None,
                     "changes": ["first version"], "publish_id": "p0"}],
    }
    pointer.update(changes)
    return pointer


def test_a_pointer_written_by_the_publisher_reads_back():
    pointer = parse_document(Pointer, KEY, json.dumps(good_pointer()).encode())
    assert pointer.version == 2 and pointer.editor_tags == ["Syria"]
    assert pointer.history[0].version == 1


def test_keys_a_newer_release_adds_survive_a_read():
    pointer = parse_document(Pointer, KEY, good_pointer(aliases=["https://x.example/a"]))
    assert pointer.model_dump()["aliases"] == ["https://x.example/a"]


@pytest.mark.parametrize(("document", "named"), [
    ('"x"', "a JSON object was expected, not str"),
    ("{not json", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (good_pointer(version="abc"), "field 'version'"),
    (good_pointer(version="2"), "field 'version'"),
    (good_pointer(version=1e30), "field 'version'"),
    (good_pointer(version=10**30), "field 'version'"),
    (good_pointer(version=0), "field 'version'"),
    (good_pointer(history=5), "field 'history'"),
    (good_pointer(history=[{"version": "x"}]), "field 'history.0.version'"),
    (good_pointer(editor_tags="abc"), "field 'editor_tags'"),
    (good_pointer(editor_tags=["ok", "line\nbreak"]), "field 'editor_tags.1'"),
    (good_pointer(editor_tags=["\u202eevil"]), "field 'editor_tags.0'"),
    (good_pointer(manifest="../../etc/passwd"), "field 'manifest'"),
    (good_pointer(content_sha256="nothex"), "field 'content_sha256'"),
    (good_pointer(pub_status="deleted"), "field 'pub_status'"),
])
def test_a_bad_pointer_gives_one_line_naming_the_key_and_the_field(document, named):
    raw = document.encode() if isinstance(document, str) else document if isinstance(document, bytes) \
        else json.dumps(document).encode()
    with pytest.raises(CorruptObjectError) as raised:
        parse_document(Pointer, KEY, raw)
    message = str(raised.value)
    assert message.startswith(f"stored object {KEY} is corrupt: ")
    assert named in message
    assert "\n" not in message and len(message) < 400


def test_a_pointer_without_a_manifest_names_the_missing_field():
    document = good_pointer()
    del document["manifest"]
    with pytest.raises(CorruptObjectError, match="field 'manifest' is missing"):
        parse_document(Pointer, KEY, document)


def test_a_manifest_needs_its_objects_with_sizes_and_hashes():
    manifest = {"story_id": "s", "version": 1, "content_sha256": SHA,
                "objects": [{"name": "article.json", "size": 10, "sha256": SHA, "content_type": "application/json"}]}
    assert parse_document(Manifest, "m", manifest).objects[0].size == 10
    manifest["objects"][0]["size"] = -1
    with pytest.raises(CorruptObjectError, match="field 'objects.0.size'"):
        parse_document(Manifest, "m", manifest)
    manifest["objects"] = [{"name": "../x", "size": 1, "sha256": SHA, "content_type": "t"}]
    with pytest.raises(CorruptObjectError, match="field 'objects.0.name'"):
        parse_document(Manifest, "m", manifest)


def test_poll_state_entries_must_be_records():
    state = {"source": "wire", "entries": {"https://a.example/1": {"status": "published", "version": 1}},
             "validators": {"etag": '"abc"'}}
    assert parse_document(PollState, "s", state).entries["https://a.example/1"].version == 1
    with pytest.raises(CorruptObjectError, match="field 'entries'"):
        parse_document(PollState, "s", {"entries": ["https://a.example/1"]})
    with pytest.raises(CorruptObjectError, match="field 'validators.etag'"):
        parse_document(PollState, "s", {"entries": {}, "validators": {"etag": 5}})
