"""A draft rendered as one version: the files readers and partners consume.

* ``article.json``: an IPTC ninjs 3.1 document, validated before it leaves;
* ``article.html``: a standalone page (no script may run: strict CSP);
* ``article.txt``: headline, byline, date and paragraphs as plain text;
* ``image.<ext>``: the lead image, when it could be fetched;
* ``manifest.json``: every object with size, sha256 and type, and provenance.

Publish renders a draft once, after storage has settled its version number;
the manifest is written last, from the objects as stored.
"""

from __future__ import annotations

from dataclasses import replace

import hashlib
import json
from datetime import datetime, timezone
from functools import lru_cache
from html import escape

from tasks.models import Article, Bundle, BundleFile, Draft, PubStatus
from tasks.ninjs import render_ninjs, validate_ninjs

PIPELINE_NAME = "newsroom-pipeline"
IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
                    "image/avif": "avif", "image/svg+xml": "svg"}
# SVG can carry script: it is never copied into a bundle.
BUNDLED_IMAGE_TYPES = frozenset(IMAGE_EXTENSIONS) - {"image/svg+xml"}
MANIFEST = "manifest.json"


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    # Looking it up scans every installed distribution (milliseconds); it
    # cannot change while the process runs.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PIPELINE_NAME)
    except PackageNotFoundError:
        return "0+unknown"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


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


def _web_url(url: str | None) -> str | None:
    from tasks.clean.sanitize import web_url

    return web_url(url)


def article_page(article: Article, image_name: str | None, pub_status: PubStatus = PubStatus.USABLE,
                 embargo_until: str | None = None) -> str:
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
    if pub_status == PubStatus.CANCELED:
        parts.append('<p class="withdrawn">This story has been withdrawn.</p>')
    elif pub_status == PubStatus.WITHHELD:
        until = e(embargo_until or "its release")
        parts.append(f'<p class="withdrawn">Embargoed: not for publication before <time datetime="{until}">'
                     f"{until}</time>.</p>")
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


def image_name(draft: Draft) -> str | None:
    return f"image.{IMAGE_EXTENSIONS[draft.image.content_type]}" if draft.image else None


def file_names(draft: Draft) -> list[str]:
    """The objects of a version of this draft, in write order, manifest last."""
    image = image_name(draft)
    return ["article.json", "article.html", "article.txt", *([image] if image else []), MANIFEST]


def render_files(draft: Draft, version: int, first_created: str, now: str) -> tuple[BundleFile, ...]:
    """The version's objects but its manifest (written last, from what was stored)."""
    image = image_name(draft)
    # Only a picture in the bundle is referenced: a lead image the fetcher
    # refused (an internal address, a type not allowed, too large) must not
    # reach a reader's browser through <img src> or a partner through ninjs.
    # The manifest's notes say what was left out and why.
    article = draft.article if draft.image is not None else replace(draft.article, image=None)
    document = render_ninjs(article, draft.story_id, version=version, version_created=now,
                            first_created=first_created, pub_status=draft.pub_status, image_name=image,
                            image=draft.image, source_url=draft.source_url,
                            embargoed_until=draft.embargo_until)
    validate_ninjs(document)
    files = [
        BundleFile("article.json", _json_bytes(document), "application/json"),
        BundleFile("article.html", article_page(article, image, draft.pub_status, draft.embargo_until).encode("utf-8"),
                   "text/html; charset=utf-8"),
        BundleFile("article.txt", plain_text(article).encode("utf-8"), "text/plain; charset=utf-8"),
    ]
    if draft.image is not None and image:
        files.append(BundleFile(image, draft.image.data, draft.image.content_type))
    return tuple(files)


def object_entry(name: str, data: bytes, content_type: str) -> dict:
    """A manifest's line for one object."""
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "content_type": content_type}


def manifest_file(draft: Draft, version: int, first_created: str, objects: list[dict],
                  bundled_at: str) -> BundleFile:
    """The manifest of a version: the objects as stored, and where they came from."""
    manifest = {
        "story_id": draft.story_id,
        "version": version,
        "pub_status": draft.pub_status,
        "content_sha256": draft.content_sha256,
        "canonical_url": draft.article.url,
        "source_url": draft.source_url,
        "fetched_at": draft.fetched_at,
        "bundled_at": bundled_at,
        "first_created": first_created,
        "pipeline": {"name": PIPELINE_NAME, "version": pipeline_version()},
        "objects": objects,
        "dedupe_removed": [
            {"index": r.index, "reason": r.reason, "duplicate_of": r.duplicate_of, "similarity": r.similarity,
             "text": r.text}
            for r in draft.removed
        ],
        "notes": list(draft.notes),
        # How the clean step read the page: where the body came from, and
        # which fields are guesses an editor may want to check.
        "extraction": {"body_source": draft.article.body_source, "uncertain": list(draft.article.uncertain)},
    }
    if draft.embargo_until:
        manifest["embargo_until"] = draft.embargo_until
    return BundleFile(MANIFEST, _json_bytes(manifest), "application/json")


def render_bundle(draft: Draft, version: int = 1, first_created: str | None = None,
                  now: str | None = None) -> Bundle:
    """Every file of one version, manifest included, as they would be stored
    (``newsroom bundle`` writes them to a folder)."""
    now = now or utc_now()
    first_created = first_created or now
    files = render_files(draft, version, first_created, now)
    entries = [object_entry(f.name, f.data, f.content_type) for f in files]
    manifest = manifest_file(draft, version, first_created, entries, now)
    return Bundle(draft.story_id, version, draft.content_sha256, (*files, manifest))
