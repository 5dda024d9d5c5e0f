"""The plain values that flow between pipeline steps.

Frozen dataclasses: each step takes values and returns new ones, so a step
can be rerun (by a retry or by hand) without surprises.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from functools import cached_property


class PubStatus(StrEnum):
    """ninjs ``pubStatus`` of a version."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"  # withdrawn: a kill


class StoryStatus(StrEnum):
    """What became of a story (or a source) in a publish or a poll. The values
    are what reports, poll state and JSON output have always said."""

    PUBLISHED = "published"
    UNCHANGED = "unchanged"
    WITHDRAWN = "withdrawn"  # a killed story left alone
    EMBARGOED = "embargoed"  # held privately until its release time
    FAILED = "failed"
    DISALLOWED = "disallowed by robots.txt"
    SKIPPED = "skipped"  # handled by an earlier poll, unchanged in its feed
    SOURCE_UNCHANGED = "source unchanged"  # the feed answered 304

    @classmethod
    def done(cls) -> tuple[StoryStatus, ...]:
        """Statuses that need nothing more: any other (a failure) must be retried."""
        return (cls.PUBLISHED, cls.UNCHANGED, cls.WITHDRAWN, cls.EMBARGOED)


@dataclass(frozen=True)
class FetchedPage:
    """A page as received: decoded text plus what we learnt fetching it."""

    url: str  # the address asked for
    final_url: str  # after redirects; relative links resolve against it
    text: str
    encoding: str
    content_type: str
    fetched_at: str  # ISO 8601, UTC


@dataclass(frozen=True)
class LeadImage:
    url: str
    caption: str | None = None
    credit: str | None = None


BLOCK_KINDS = ("paragraph", "heading", "list", "quote", "table", "figure")


@dataclass(frozen=True)
class Block:
    """One block of the story body, in reading order.

    ``items`` are its text lines: the paragraph, each list item, each
    paragraph of a quote, each table row (cells joined by " | "), a
    figure's caption ("" when it has none). ``html`` holds the sanitized
    inner HTML of each item, in the same order (a figure's: its picture and
    caption), so the text and the HTML of the body are two views of one list.
    A figure is a picture in the story: in its HTML, never in its text, since
    a caption is not a paragraph.
    """

    kind: str  # one of BLOCK_KINDS
    items: tuple[str, ...]
    html: tuple[str, ...]
    tag: str = "p"  # the element it renders as: p, h2-h4, ul, ol, blockquote, table, figure

    def render(self) -> str:
        if self.kind == "list":
            return f"<{self.tag}>" + "".join(f"<li>{h}</li>" for h in self.html) + f"</{self.tag}>"
        if self.kind == "quote":
            return "<blockquote>" + "".join(f"<p>{h}</p>" for h in self.html) + "</blockquote>"
        if self.kind == "table":
            return "<table><tbody>" + "".join(f"<tr>{h}</tr>" for h in self.html) + "</tbody></table>"
        if self.kind == "figure":
            return "<figure>" + "".join(self.html) + "</figure>"
        return "\n".join(f"<{self.tag}>{h}</{self.tag}>" for h in self.html)


def body_text(blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """The body as paragraphs of text: every item of every text block (not
    figures), in order."""
    return tuple(item for block in blocks if block.kind != "figure" for item in block.items)


def body_html(blocks: tuple[Block, ...]) -> str:
    """The body as sanitized HTML: one element per block, in order."""
    return "\n".join(block.render() for block in blocks if block.items)


@dataclass(frozen=True)
class Article:
    """What the clean step keeps of a page.

    ``blocks`` is the body; ``paragraphs`` and ``body_html`` are derived from
    it by ``from_blocks`` and ``with_blocks``, so the two never disagree. A
    body known only as text (a stored bundle) has no blocks.
    """

    url: str
    headline: str
    byline: str | None
    published: str | None
    language: str | None
    paragraphs: tuple[str, ...]
    image: LeadImage | None
    tags: tuple[str, ...]
    body_html: str = ""  # sanitized semantic HTML of the body
    description: str | None = None
    modified: str | None = None
    publisher: str | None = None
    blocks: tuple[Block, ...] = ()
    # Why this body was chosen: "markup", "json-ld", "second-opinion", and
    # what it was reconciled with ("markup; checked against json-ld").
    body_source: str = ""
    # Fields whose value is a guess from weak evidence (a date only a date
    # library found in the text, a headline taken from the body): published
    # as they are, and named in the manifest and the run's log for an editor.
    uncertain: tuple[str, ...] = ()

    @classmethod
    def from_blocks(cls, blocks: tuple[Block, ...] | list[Block], **fields) -> "Article":
        blocks = tuple(b for b in blocks if b.items)
        return cls(paragraphs=body_text(blocks), body_html=body_html(blocks), blocks=blocks, **fields)

    def with_blocks(self, blocks: tuple[Block, ...] | list[Block]) -> "Article":
        """The same article with another body (dedupe's output)."""
        from dataclasses import replace

        blocks = tuple(b for b in blocks if b.items)
        return replace(self, blocks=blocks, paragraphs=body_text(blocks), body_html=body_html(blocks))

    def as_public_dict(self) -> dict:
        """The fields of ``newsroom extract``, exactly, in a stable order."""
        return {
            "url": self.url,
            "headline": self.headline,
            "byline": self.byline,
            "published": self.published,
            "language": self.language,
            "paragraphs": list(self.paragraphs),
            "image": asdict(self.image) if self.image else None,
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class RemovedParagraph:
    index: int  # position in the paragraphs given to dedupe
    text: str
    duplicate_of: int  # position of the kept paragraph it repeats
    reason: str  # "exact", "normalized" or "similar"
    similarity: float


@dataclass(frozen=True)
class DedupeResult:
    article: Article
    removed: tuple[RemovedParagraph, ...] = ()


@dataclass(frozen=True)
class FetchedImage:
    url: str
    data: bytes
    content_type: str


@dataclass(frozen=True)
class BundleFile:
    name: str  # file name inside the version folder, e.g. "article.json"
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Draft:
    """A story ready to publish: what the bundle step made of a page, before
    storage gives it a version number. Nothing here depends on the version;
    publish settles the number and the editor tags, then renders it once."""

    story_id: str
    article: Article
    image: FetchedImage | None
    removed: tuple[RemovedParagraph, ...]
    source_url: str
    fetched_at: str
    pub_status: PubStatus = PubStatus.USABLE
    notes: tuple[str, ...] = ()
    # Every address the page was fetched from (asked, and after redirects):
    # the story is found by any of them (tasks/lookup.py). Not content.
    fetched_urls: tuple[str, ...] = ()
    # ISO 8601 UTC: the time before which the story must not be published
    # (ninjs embargoedUntil) while it is held. Not content: once released, the
    # story is the same as the page a later poll fetches.
    embargo_until: str | None = None

    @cached_property
    def content_sha256(self) -> str:
        """Identity of what readers see (text, HTML, image, tags, status), not
        timestamps: the same story fetched twice has the same hash, so publish
        can tell "unchanged" from "corrected"."""
        identity = {
            "pub_status": self.pub_status,
            "article": self.article.as_public_dict(),
            "body_html": self.article.body_html,
            "image_sha256": hashlib.sha256(self.image.data).hexdigest() if self.image else None,
        }
        return hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def with_tags(self, tags: Iterable[str]) -> Draft:
        """The draft with these tags added where missing (see ``merge_tags``)."""
        merged = merge_tags(self.article.tags, tags)
        if merged == self.article.tags:
            return self
        return replace(self, article=replace(self.article, tags=merged))


def merge_tags(tags: Iterable[str], extra: Iterable[str]) -> tuple[str, ...]:
    """``tags`` as they are, then each of ``extra`` not already there,
    compared without case (blanks dropped, spaces around a tag trimmed). The
    one rule for every place tags meet: a page's, an editor's, a feed's, those
    kept with a story."""
    merged = list(tags)
    known = {t.casefold() for t in merged}
    for tag in extra:
        tag = tag.strip()
        if tag and tag.casefold() not in known:
            known.add(tag.casefold())
            merged.append(tag)
    return tuple(merged)


@dataclass(frozen=True)
class Bundle:
    """One version of a story as files: what a version folder holds."""

    story_id: str
    version: int
    content_sha256: str
    files: tuple[BundleFile, ...]

    def file(self, name: str) -> BundleFile:
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class PublishResult:
    story_id: str
    version: int
    status: StoryStatus  # published, unchanged or withdrawn
    bucket: str
    prefix: str  # key prefix of this version's folder
    objects: tuple[str, ...]  # s3:// URIs of every object of the version
    latest_uri: str
    content_sha256: str
    removed_paragraphs: tuple[RemovedParagraph, ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class StoryOutcome:
    """What became of one story in a poll: one row of the poll's report."""

    story: str  # the feed's title for it, else its URL
    url: str
    status: StoryStatus
    version: int | None = None
    story_id: str | None = None
    link: str = ""  # the version's manifest
    error: str = ""
    seconds: float = 0.0  # from the first attempt to the outcome, retry pauses included
    attempts: int = 1

    def row(self) -> dict:
        return {"story": self.story, "url": self.url, "status": self.status, "version": self.version,
                "link": self.link, "error": self.error, "seconds": round(self.seconds, 2)}
