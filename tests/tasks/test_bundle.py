from __future__ import annotations

import hashlib
import json

import pytest

from config.settings import Settings
from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import BundleError
from tasks.fetch import fetch_page
from tasks.models import FetchedImage, merge_tags
from tasks.ninjs import validate_ninjs
from tasks.render import render_bundle
from tests.conftest import SEED_PAGE, expected_article

URL = expected_article("aleppo-offensive")["url"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def seed():
    page = fetch_page(str(SEED_PAGE), URL, settings=Settings())
    return page, dedupe_article(clean_page(page), threshold=0.9)


def test_seed_bundle_is_valid_ninjs_with_caption_tags_and_bodies(seed):
    page, deduped = seed
    bundle = render_bundle(build_draft(deduped, page, FetchedImage("https://x.example/i.png", PNG, "image/png")))
    names = [f.name for f in bundle.files]
    assert names == ["article.json", "article.html", "article.txt", "image.png", "manifest.json"]
    doc = json.loads(bundle.file("article.json").data)
    validate_ninjs(doc)
    assert doc["headlines"][0]["value"] == "Syrian army announces offensive against rebels in Aleppo"
    assert doc["by"] == "Nadia Haddad" and doc["language"] == "en-GB"
    assert doc["contentCreated"] == "2016-09-23T04:12:00+03:00"
    assert [s["name"] for s in doc["subjects"]] == ["Mideast", "Egypt", "Migrants"]
    (image,) = doc["associations"]
    assert image["descriptions"] == [{"role": "caption", "contentType": "text/plain",
                                      "value": expected_article("aleppo-offensive")["image"]["caption"]}]
    assert image["by"] == "Youssef Nader/Courier"
    bodies = {b["contentType"]: b["value"] for b in doc["bodies"]}
    assert bodies["text/plain"].split("\n\n") == expected_article("aleppo-offensive")["paragraphs"]
    assert bodies["text/html"].count("<p>") == 18


def test_manifest_lists_every_object_with_size_hash_and_type(seed):
    page, deduped = seed
    bundle = render_bundle(build_draft(deduped, page, FetchedImage("https://x.example/i.png", PNG, "image/png")))
    manifest = json.loads(bundle.file("manifest.json").data)
    listed = {o["name"]: o for o in manifest["objects"]}
    for file in bundle.files[:-1]:
        entry = listed.pop(file.name)
        assert entry == {"name": file.name, "size": len(file.data),
                         "sha256": hashlib.sha256(file.data).hexdigest(), "content_type": file.content_type}
    assert listed == {}
    assert manifest["source_url"] == URL and manifest["fetched_at"] == page.fetched_at
    assert manifest["pipeline"]["name"] == "newsroom-pipeline"
    assert len(manifest["dedupe_removed"]) == 2
    assert manifest["extraction"] == {"body_source": deduped.article.body_source, "uncertain": []}


def test_manifest_names_the_fields_an_editor_should_check(tmp_path):
    untitled = "<html><body><div>" + "".join(
        f"<p>The flood barrier held for a {n} night running, the council said, and the river fell by a metre.</p>"
        for n in ("first", "second", "third")) + "</div></body></html>"
    source = tmp_path / "untitled.html"
    source.write_text(untitled)
    page = fetch_page(str(source), "https://news.example/flood", settings=Settings())
    draft = build_draft(dedupe_article(clean_page(page), threshold=0.9), page, None)
    manifest = json.loads(render_bundle(draft).file("manifest.json").data)
    assert manifest["extraction"]["uncertain"] == ["headline"]


def test_content_hash_ignores_time_but_not_content(seed):
    page, deduped = seed
    first = build_draft(deduped, page)
    again = build_draft(deduped, page)
    assert first.content_sha256 == again.content_sha256
    tagged = build_draft(deduped, page, extra_tags=["Syria"])
    assert tagged.content_sha256 != first.content_sha256
    assert tagged.article.tags[-1] == "Syria"
    assert render_bundle(first, 3, "2020-01-01T00:00:00+00:00").content_sha256 == first.content_sha256


def test_standalone_page_escapes_text_and_forbids_scripts(seed):
    from dataclasses import replace

    page, deduped = seed
    hostile = replace(deduped, article=replace(deduped.article, headline="<script>alert(1)</script> & co"))
    html = render_bundle(build_draft(hostile, page)).file("article.html").data.decode()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_svg_images_are_never_bundled(seed):
    page, deduped = seed
    svg = FetchedImage("https://x.example/i.svg", b"<svg onload=alert(1)>", "image/svg+xml")
    draft = build_draft(deduped, page, svg)
    assert "image.svg" not in [f.name for f in render_bundle(draft).files]
    assert "not allowed" in draft.notes[0]


def test_invalid_ninjs_is_refused_with_the_failing_field():
    with pytest.raises(BundleError, match="pubStatus"):
        validate_ninjs({"uri": "https://x.example/a", "pubStatus": "gone"})


def test_the_draft_carries_no_version_and_renders_as_any_version(seed):
    page, deduped = seed
    draft = build_draft(deduped, page)
    assert not hasattr(draft, "version") and not hasattr(draft, "files")
    third = render_bundle(draft, 3, "2020-01-01T00:00:00+00:00", now="2020-02-01T00:00:00+00:00")
    doc = json.loads(third.file("article.json").data)
    assert (doc["version"], doc["firstCreated"], doc["versionCreated"]) == (
        "3", "2020-01-01T00:00:00+00:00", "2020-02-01T00:00:00+00:00")
    assert json.loads(third.file("manifest.json").data)["version"] == 3


def test_tags_merge_one_way_everywhere():
    assert merge_tags(("Syria", "Aleppo"), [" syria ", "", "Conflict", "conflict", "Aleppo "]) == (
        "Syria", "Aleppo", "Conflict")
    assert merge_tags(("A", "a"), ()) == ("A", "a")  # a page's own tags are kept as they are
