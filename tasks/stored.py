"""Reading a published story back from storage (for kills and corrections)."""

from __future__ import annotations

from dataclasses import dataclass

from config.settings import Settings, get_settings
from tasks.errors import PublishError
from tasks.models import Article, FetchedImage, LeadImage
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


def article_from_ninjs(doc: dict) -> Article:
    """The Article a ninjs document was made from (the inverse of tasks.bundle)."""
    bodies = {b.get("contentType"): b.get("value", "") for b in doc.get("bodies", [])}
    text = bodies.get("text/plain", "")
    image = None
    for association in doc.get("associations", []):
        if association.get("rel") == "leadimage" or association.get("name") == "leadimage":
            caption = next((d["value"] for d in association.get("descriptions", []) if d.get("role") == "caption"),
                           None)
            image = LeadImage(url=association["uri"], caption=caption, credit=association.get("by"))
            break
    summary = next((d["value"] for d in doc.get("descriptions", []) if d.get("role") == "summary"), None)
    return Article(
        url=doc["uri"],
        headline=next((h["value"] for h in doc.get("headlines", []) if h.get("role") == "main"),
                      doc.get("headlines", [{"value": ""}])[0]["value"]),
        byline=doc.get("by"),
        published=doc.get("contentCreated"),
        language=doc.get("language"),
        paragraphs=tuple(p for p in text.split("\n\n") if p),
        image=image,
        tags=tuple(s.get("name") or s.get("literal") for s in doc.get("subjects", [])),
        body_html=bodies.get("text/html", ""),
        description=summary,
        publisher=next((i.get("name") for i in doc.get("infoSources", [])), None),
    )


def load_story(story_id: str, settings: Settings | None = None) -> StoredStory:
    """The current version of a story: pointer, manifest, article and bundled image."""
    settings = settings or get_settings()
    store = ObjectStore.for_settings(settings)
    base = story_prefix(settings.s3_prefix, story_id)
    pointer, _etag = store.read_json(f"{base}/latest.json")
    if pointer is None:
        raise StoryNotFoundError(f"no published story {story_id} in s3://{settings.s3_bucket}/{base}/")
    manifest, _ = store.read_json(pointer["manifest"])
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
    return StoredStory(story_id, pointer, manifest, article_from_ninjs(document), image)
