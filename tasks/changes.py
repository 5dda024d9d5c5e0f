"""What changed between two versions of a story, for the correction log.

The pointer (``latest.json``) keeps a small fingerprint of its version, so
the next publish can say what it changed without reading the old bundle.
"""

from __future__ import annotations

import hashlib

from tasks.models import Article, FetchedImage


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def fingerprint(article: Article, image: FetchedImage | None, pub_status: str) -> dict:
    return {
        "headline": article.headline,
        "byline": article.byline,
        "published": article.published,
        "tags": list(article.tags),
        "paragraphs": [_h(p) for p in article.paragraphs],
        "image": article.image.url if article.image else None,
        "caption": article.image.caption if article.image else None,
        "image_sha256": hashlib.sha256(image.data).hexdigest() if image else None,
        "pub_status": pub_status,
    }


def describe_changes(before: dict | None, after: dict) -> dict:
    """A compact summary: which fields changed and how many paragraphs came and went."""
    if not before:
        return {"first_version": True}
    changes: dict = {}
    for field in ("headline", "byline", "published", "image", "caption", "image_sha256", "pub_status"):
        if before.get(field) != after.get(field):
            changes[field] = {"from": before.get(field), "to": after.get(field)}
    old_tags, new_tags = before.get("tags") or [], after.get("tags") or []
    if old_tags != new_tags:
        changes["tags"] = {"added": [t for t in new_tags if t not in old_tags],
                           "removed": [t for t in old_tags if t not in new_tags]}
    old_p, new_p = before.get("paragraphs") or [], after.get("paragraphs") or []
    if old_p != new_p:
        changes["paragraphs"] = {"added": sum(1 for p in new_p if p not in old_p),
                                 "removed": sum(1 for p in old_p if p not in new_p),
                                 "count": len(new_p)}
    return changes
