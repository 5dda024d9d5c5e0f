"""Bundle step: a deduplicated article becomes a ``Draft``, ready to publish.

The draft holds what readers will get (article, lead image, tags) and where
it came from (source, fetch time, what dedupe removed, notes), but nothing
that depends on the version number: publish settles that, and the editor
tags kept with the story, then renders the files once (tasks/render.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.models import Article, DedupeResult, Draft, FetchedImage, FetchedPage, merge_tags
from tasks.render import BUNDLED_IMAGE_TYPES
from tasks.storykeys import story_id_for


def build_draft(
    deduped: DedupeResult,
    page: FetchedPage,
    image: FetchedImage | None = None,
    *,
    extra_tags: Iterable[str] = (),
    notes: tuple[str, ...] = (),
) -> Draft:
    """The story of a page, with ``extra_tags`` added to the page's own."""
    article = _only_web_urls(deduped.article, page.url)
    article = replace(article, tags=merge_tags(article.tags, extra_tags))
    if image is not None and image.content_type not in BUNDLED_IMAGE_TYPES:
        notes = (*notes, f"lead image not bundled: type {image.content_type} is not allowed")
        image = None
    return Draft(story_id=story_id_for(article.url), article=article, image=image, removed=tuple(deduped.removed),
                 source_url=page.url, fetched_at=page.fetched_at, notes=tuple(notes),
                 fetched_urls=tuple(dict.fromkeys(u for u in (page.url, page.final_url) if u.startswith("http"))))


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


@task(name="bundle", cache_policy=NO_CACHE)
def bundle_task(
    deduped: DedupeResult,
    page: FetchedPage,
    image: FetchedImage | None = None,
    extra_tags: list[str] | None = None,
    notes: tuple[str, ...] = (),
) -> Draft:
    return build_draft(deduped, page, image, extra_tags=tuple(extra_tags or ()), notes=notes)
