"""The story's own fields that need to know where the article sits: headline,
byline and lead image. (Dates and tags are read with the page's metadata,
before scripts are stripped; see ``metadata.read_metadata``.)"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html

from tasks.clean.bylines import pick_byline
from tasks.clean.headline import pick_headline, site_words, untitled_headline  # noqa: F401 - untitled_headline: API
from tasks.clean.images import pick_lead_image
from tasks.clean.tags import without_writers
from tasks.clean.metadata import PageMetadata
from tasks.models import LeadImage


@dataclass(frozen=True)
class StoryFields:
    headline: str | None
    byline: str | None
    image: LeadImage | None
    published: str | None  # read with the metadata (dates.pick_published)
    tags: tuple[str, ...]  # read with the metadata (tags.pick_tags)


def pick_fields(root: html.HtmlElement, scope: html.HtmlElement | None, meta: PageMetadata,
                base_url: str | None) -> StoryFields:
    site_names = [n for n in (meta.site_name, meta.publisher) if n]
    headline = pick_headline(meta.ld_headline, meta.og_title, scope, root, site_names, base_url)
    anchor = next((h for where in (scope, root) if where is not None for h in where.iter("h1")), scope)
    byline = pick_byline(meta.ld_authors, meta.meta_authors, scope, {n.casefold() for n in site_names},
                         root, anchor, site_words(site_names, meta.canonical_url or base_url),
                         meta.ld_authors_are_people)
    image = pick_lead_image([scope] if scope is not None else [root], base_url,
                            meta.image_url, meta.image_caption, meta.image_credit, byline)
    return StoryFields(headline, byline, image, meta.published, without_writers(meta.tags, meta.keyword_tags, byline))


def page_fields(html_text: bytes | str, url: str | None = None, max_chars: int | None = None) -> StoryFields:
    """The fields of a page read on their own, for a page with no story body
    (its metadata can still be explained and measured)."""
    from tasks.clean.metadata import read_metadata
    from tasks.clean.parse import parse_html

    root = parse_html(html_text, max_chars)
    meta = read_metadata(root, url)
    return pick_fields(root, next(iter(root.iter("article", "main")), None), meta, url)
