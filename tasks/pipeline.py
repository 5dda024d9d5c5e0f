"""The five steps for one story as one plain function.

Used where a story does not need a Prefect task per step: the feed poll
(one task per story keeps orchestration overhead small, and publishing is
idempotent, so retrying the whole story is safe) and the benchmarks.
"""

from __future__ import annotations

from config.settings import Settings, get_settings
from tasks.bundle import build_bundle
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import PipelineError
from tasks.fetch import fetch_image, fetch_page
from tasks.models import Bundle, PublishResult
from tasks.publish import ensure_bucket, publish_bundle


def publish_url(url: str, *, extra_tags: tuple[str, ...] = (), force: bool = False, note: str | None = None,
                settings: Settings | None = None) -> tuple[Bundle, PublishResult]:
    """fetch → clean → dedupe → (lead image) → bundle → publish for one URL."""
    settings = settings or get_settings()
    page = fetch_page(url, settings=settings)
    deduped = dedupe_article(clean_page(page), settings.dedupe_similarity)
    image, notes = None, ()
    if deduped.article.image is not None:
        try:
            image = fetch_image(deduped.article.image.url, settings=settings)
        except PipelineError as exc:
            notes = (f"lead image not bundled: {exc}",)  # a missing picture never holds back a story
    bundle = build_bundle(deduped, page, image, extra_tags=extra_tags, notes=notes)
    if settings.s3_create_bucket:
        ensure_bucket(settings)
    return bundle, publish_bundle(bundle, settings, force=force, note=note)
