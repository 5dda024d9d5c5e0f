"""Bundle step: an article becomes the files readers and partners consume.

* ``article.json``: an IPTC ninjs 3.1 document, validated before it leaves;
* ``article.html``: a standalone page (no script may run: strict CSP);
* ``article.txt``: headline, byline, date and paragraphs as plain text;
* ``image.<ext>``: the lead image, when it could be fetched;
* ``manifest.json``: every object with size, sha256 and type, and provenance.

The content hash covers what a reader sees (text, HTML, image, tags), not
timestamps, so the same story fetched twice has the same hash and publish
can tell "unchanged" from "corrected".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from importlib import resources

import jsonschema
from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.errors import BundleError
from tasks.models import (
    Article,
    Bundle,
    BundleFile,
    DedupeResult,
    FetchedImage,
    FetchedPage,
    RemovedParagraph,
)
from tasks.storykeys import story_id_for

PIPELINE_NAME = "newsroom-pipeline"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
_IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
                     "image/avif": "avif", "image/svg+xml": "svg"}
# SVG can carry script: it is never copied into a bundle.
_BUNDLED_IMAGE_TYPES = frozenset(_IMAGE_EXTENSIONS) - {"image/svg+xml"}


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    # Looking it up scans every installed distribution (milliseconds); it
    # cannot change while the process runs.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PIPELINE_NAME)
    except PackageNotFoundError:
        return "0+unknown"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema_text = resources.files("config").joinpath("schemas/ninjs-schema_3.1.json").read_text("utf-8")
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate_ninjs(document: dict) -> None:
    """Raise BundleError naming the first schema violation."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        raise BundleError(f"article.json is not valid ninjs 3.1 at {where}: {error.message}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _is_datetime(value: str | None) -> bool:
    if not value:
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def content_hash(article: Article, image: FetchedImage | None, pub_status: str = "usable") -> str:
    """Identity of what readers see; timestamps and fetch details excluded."""
    identity = {
        "pub_status": pub_status,
        "article": article.as_public_dict(),
        "body_html": article.body_html,
        "image_sha256": _sha256(image.data) if image else None,
    }
    return _sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def plain_text(article: Article) -> str:
    lines = [article.headline, ""]
    if article.byline:
        lines.append(f"By {article.byline}")
    if article.published:
        lines.append(article.published)
    if article.byline or article.published:
        lines.append("")
    lines.append("\n\n".join(article.paragraphs))
    if article.image and article.image.caption:
        credit = f" ({article.image.credit})" if article.image.credit else ""
        lines += ["", f"Image: {article.image.caption}{credit}"]
    if article.tags:
        lines += ["", "Tags: " + ", ".join(article.tags)]
    lines += ["", f"Source: {article.url}"]
    return "\n".join(lines) + "\n"


def ninjs_document(
    article: Article,
    story_id: str,
    *,
    version: int,
    version_created: str,
    first_created: str,
    pub_status: str = "usable",
    image_name: str | None = None,
    image: FetchedImage | None = None,
    source_url: str | None = None,
) -> dict:
    text_body = "\n\n".join(article.paragraphs)
    doc: dict = {
        "uri": article.url,
        "standard": {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "version": str(version),
        "firstCreated": first_created,
        "versionCreated": version_created,
        "pubStatus": pub_status,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {"role": "main", "contentType": "text/plain", "value": text_body,
             "charCount": len(text_body), "wordCount": len(text_body.split())},
            {"role": "main", "contentType": "text/html", "value": article.body_html},
        ],
        "altIds": [{"role": "storyId", "value": story_id}],
    }
    if _is_datetime(article.published):
        doc["contentCreated"] = article.published
    if article.language:
        doc["language"] = article.language
    if article.byline:
        doc["by"] = article.byline
    if article.description:
        doc["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": article.description}]
    if article.tags:
        doc["subjects"] = [{"name": tag, "literal": tag, "rel": "about"} for tag in article.tags]
    if source_url and source_url != article.url:
        doc["altIds"].append({"role": "sourceUrl", "value": source_url})
    if article.publisher:
        doc["infoSources"] = [{"name": article.publisher, "role": "originator"}]
    if article.image:
        association: dict = {
            "name": "leadimage",
            "rel": "leadimage",
            "uri": article.image.url,
            "type": "picture",
            "renditions": [{"name": "original", "href": article.image.url}],
        }
        if image_name and image:
            association["renditions"].append({
                "name": "bundled", "href": image_name, "contentType": image.content_type,
                "sizeInBytes": len(image.data),
            })
        if article.image.caption:
            association["descriptions"] = [{"role": "caption", "contentType": "text/plain",
                                            "value": article.image.caption}]
        if article.image.credit:
            association["by"] = article.image.credit
            association["copyrightHolder"] = article.image.credit
        doc["associations"] = [association]
    return doc


def _web_url(url: str | None) -> str | None:
    from tasks.clean.sanitize import web_url

    return web_url(url)


def article_page(article: Article, image_name: str | None, pub_status: str = "usable") -> str:
    """A standalone page; every value is escaped and the CSP forbids scripts."""
    e = escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(article.language or "und")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src 'self' https: http:; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(article.headline)}</title>",
        "<style>body{font:18px/1.6 Georgia,serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}"
        "figure{margin:1.5em 0}img{max-width:100%;height:auto}figcaption{font:14px/1.4 sans-serif;color:#555}"
        ".meta,.tags,.source{font:14px sans-serif;color:#555}.withdrawn{background:#fee;padding:.5em}</style>",
        "</head>",
        "<body>",
        "<article>",
    ]
    if pub_status == "canceled":
        parts.append('<p class="withdrawn">This story has been withdrawn.</p>')
    parts.append(f"<h1>{e(article.headline)}</h1>")
    meta = []
    if article.byline:
        meta.append(f"By {e(article.byline)}")
    if article.published:
        meta.append(f'<time datetime="{e(article.published)}">{e(article.published)}</time>')
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    src = image_name or (_web_url(article.image.url) if article.image else None)
    if article.image and src:
        alt = article.image.caption or ""
        caption = e(article.image.caption or "")
        if article.image.credit:
            caption += f" <span class=\"credit\">{e(article.image.credit)}</span>"
        parts.append(f'<figure><img src="{e(src)}" alt="{e(alt)}"><figcaption>{caption}</figcaption></figure>')
    parts.append(article.body_html)  # already sanitized by the clean step
    if article.tags:
        parts.append('<p class="tags">Tags: ' + ", ".join(e(t) for t in article.tags) + "</p>")
    if _web_url(article.url):
        parts.append(f'<p class="source">Source: <a href="{e(article.url)}">{e(article.url)}</a></p>')
    else:
        parts.append(f'<p class="source">Source: {e(article.url)}</p>')
    parts += ["</article>", "</body>", "</html>", ""]
    return "\n".join(parts)


def build_bundle(
    deduped: DedupeResult,
    page: FetchedPage,
    image: FetchedImage | None = None,
    *,
    extra_tags: tuple[str, ...] | list[str] = (),
    notes: tuple[str, ...] = (),
) -> Bundle:
    """All files of a story as its first version; publish renumbers it."""
    article = _only_web_urls(deduped.article, page.url)
    if extra_tags:
        known = {t.casefold() for t in article.tags}
        added = tuple(dict.fromkeys(t.strip() for t in extra_tags
                                    if t.strip() and t.strip().casefold() not in known))
        article = replace(article, tags=article.tags + added)
    if image is not None and image.content_type not in _BUNDLED_IMAGE_TYPES:
        notes = (*notes, f"lead image not bundled: type {image.content_type} is not allowed")
        image = None
    return render_bundle(article, image, deduped.removed, page.url, page.fetched_at, notes=notes)


def _only_web_urls(article: Article, page_url: str) -> Article:
    """A page can name any URL as canonical or lead image (javascript:, data:, a
    hostile <base>); only http(s) may reach a bundle, where readers follow them."""
    from tasks.clean.sanitize import web_url

    url = web_url(article.url) or web_url(page_url) or article.url
    image = article.image
    if image is not None and web_url(image.url) is None:
        image = None
    if (url, image) == (article.url, article.image):
        return article
    return replace(article, url=url, image=image)


def render_bundle(
    article: Article,
    image: FetchedImage | None,
    removed: tuple[RemovedParagraph, ...],
    source_url: str,
    fetched_at: str,
    *,
    version: int = 1,
    first_created: str | None = None,
    pub_status: str = "usable",
    notes: tuple[str, ...] = (),
    now: str | None = None,
) -> Bundle:
    story_id = story_id_for(article.url)
    now = now or datetime.now(timezone.utc).isoformat(timespec="seconds")
    first_created = first_created or now
    image_name = f"image.{_IMAGE_EXTENSIONS[image.content_type]}" if image else None
    document = ninjs_document(article, story_id, version=version, version_created=now,
                              first_created=first_created, pub_status=pub_status,
                              image_name=image_name, image=image, source_url=source_url)
    validate_ninjs(document)
    files = [
        BundleFile("article.json", _json_bytes(document), "application/json"),
        BundleFile("article.html", article_page(article, image_name, pub_status).encode("utf-8"),
                   "text/html; charset=utf-8"),
        BundleFile("article.txt", plain_text(article).encode("utf-8"), "text/plain; charset=utf-8"),
    ]
    if image is not None and image_name:
        files.append(BundleFile(image_name, image.data, image.content_type))
    digest = content_hash(article, image, pub_status)
    bundle = Bundle(story_id=story_id, content_sha256=digest, files=tuple(files), article=article,
                    image=image, removed=tuple(removed), source_url=source_url, fetched_at=fetched_at,
                    version=version, first_created=first_created, pub_status=pub_status, notes=tuple(notes))
    entries = [{"name": f.name, "size": len(f.data), "sha256": _sha256(f.data), "content_type": f.content_type}
               for f in files]
    return replace(bundle, files=(*bundle.files, manifest_file(bundle, entries, bundled_at=now)))


def manifest_file(bundle: Bundle, objects: list[dict], bundled_at: str | None = None) -> BundleFile:
    """The manifest of a version: the objects as stored, and where they came from."""
    manifest = {
        "story_id": bundle.story_id,
        "version": bundle.version,
        "pub_status": bundle.pub_status,
        "content_sha256": bundle.content_sha256,
        "canonical_url": bundle.article.url,
        "source_url": bundle.source_url,
        "fetched_at": bundle.fetched_at,
        "bundled_at": bundled_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "first_created": bundle.first_created,
        "pipeline": {"name": PIPELINE_NAME, "version": pipeline_version()},
        "objects": objects,
        "dedupe_removed": [
            {"index": r.index, "reason": r.reason, "duplicate_of": r.duplicate_of, "similarity": r.similarity,
             "text": r.text}
            for r in bundle.removed
        ],
        "notes": list(bundle.notes),
    }
    return BundleFile("manifest.json", _json_bytes(manifest), "application/json")


def with_tags(bundle: Bundle, tags: tuple[str, ...] | list[str]) -> Bundle:
    """The bundle with these tags added where missing (compared without case)."""
    known = {t.casefold() for t in bundle.article.tags}
    added = tuple(dict.fromkeys(t for t in tags if t.strip() and t.casefold() not in known))
    if not added:
        return bundle
    return render_bundle(replace(bundle.article, tags=bundle.article.tags + added), bundle.image, bundle.removed,
                         bundle.source_url, bundle.fetched_at, version=bundle.version,
                         first_created=bundle.first_created, pub_status=bundle.pub_status, notes=bundle.notes)


def renumber(bundle: Bundle, version: int, first_created: str | None, pub_status: str | None = None) -> Bundle:
    """The same content rendered as another version (storage picks the number)."""
    pub_status = pub_status or bundle.pub_status
    if version == bundle.version and pub_status == bundle.pub_status and first_created in (None, bundle.first_created):
        return bundle  # already rendered as this version (the common first publish): no second render
    return render_bundle(bundle.article, bundle.image, bundle.removed, bundle.source_url, bundle.fetched_at,
                         version=version, first_created=first_created, pub_status=pub_status,
                         notes=bundle.notes)


@task(name="bundle", cache_policy=NO_CACHE)
def bundle_task(
    deduped: DedupeResult,
    page: FetchedPage,
    image: FetchedImage | None = None,
    extra_tags: list[str] | None = None,
    notes: tuple[str, ...] = (),
) -> Bundle:
    return build_bundle(deduped, page, image, extra_tags=tuple(extra_tags or ()), notes=notes)
