"""Reading a published story back from storage (for kills and corrections)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape

from config.settings import Settings
from tasks.documents import CorruptObjectError, Manifest, Pointer, parse_document
from tasks.errors import PublishError
from tasks.models import Article, Block, Draft, FetchedImage, PubStatus
from tasks.ninjs import parse_ninjs
from tasks.storage import ObjectStore
from tasks.storykeys import story_prefix


class StoryNotFoundError(PublishError):
    """No published story under that id."""


@dataclass(frozen=True)
class StoredStory:
    story_id: str
    pointer: dict
    manifest: dict
    article: Article
    image: FetchedImage | None

    def withdrawn(self, note: str, at: str | None = None) -> Draft:
        """The tombstone a kill publishes: the headline and a kill notice (the
        editor's note and the time), ``pubStatus`` canceled. Nothing of the
        story's body, text, image, caption or tags: they must stop being served."""
        at = at or datetime.now(timezone.utc).isoformat(timespec="seconds")
        notice = f"This story was withdrawn on {at}. {note}".strip()
        article = Article.from_blocks(
            [Block(kind="paragraph", items=(notice,), html=(escape(notice),))],
            url=self.article.url, headline=self.article.headline, byline=None, published=self.article.published,
            language=self.article.language, image=None, tags=(), publisher=self.article.publisher,
            body_source="kill notice")
        return Draft(story_id=self.story_id, article=article, image=None, removed=(),
                     source_url=self.manifest.get("source_url") or self.article.url,
                     fetched_at=self.manifest.get("fetched_at") or "", pub_status=PubStatus.CANCELED,
                     notes=(f"withdrawn: {note}",))


def load_story(story_id: str, settings: Settings, store: ObjectStore | None = None) -> StoredStory:
    """The current version of a story: pointer, manifest, article and bundled image."""
    store = store or ObjectStore.for_settings(settings)
    base = story_prefix(settings.s3_prefix, story_id)
    pointer, _etag = store.read_json(f"{base}/latest.json")
    if pointer is None:
        raise StoryNotFoundError(f"no published story {story_id} in s3://{store.bucket}/{base}/")
    parse_document(Pointer, f"{base}/latest.json", pointer)
    if not pointer["manifest"].startswith(f"{base}/"):
        raise CorruptObjectError(f"{base}/latest.json", "field 'manifest' names a key outside the story")
    manifest, _ = store.read_json(pointer["manifest"])
    if manifest is not None:
        parse_document(Manifest, pointer["manifest"], manifest)
    if manifest is None:
        raise PublishError(f"story {story_id}: latest.json names a missing manifest {pointer['manifest']}")
    folder = pointer["manifest"].rsplit("/", 1)[0]
    document, _ = store.read_json(f"{folder}/article.json")
    if document is None:
        raise PublishError(f"story {story_id}: version {pointer['version']} has no article.json")
    image = None
    for entry in manifest.get("objects", []):
        if entry["name"].startswith("image."):
            found = store.read(f"{folder}/{entry['name']}")
            if found is not None:
                bundled = next((r for a in document.get("associations", []) for r in a.get("renditions", [])
                                if r.get("name") == "original"), {})
                image = FetchedImage(url=bundled.get("href", entry["name"]), data=found.data,
                                     content_type=entry["content_type"])
    return StoredStory(story_id, pointer, manifest, parse_ninjs(document), image)
