"""A story as an IPTC ninjs 3.1 document, and back.

``render_ninjs`` writes ``article.json``; ``parse_ninjs`` reads it back into
the ``Article`` it was made from (a kill or a correction starts from what was
published). The two are tested as a round trip, so a field added to one
without the other fails a test.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from importlib import resources

import jsonschema

from tasks.errors import BundleError
from tasks.models import Article, FetchedImage, LeadImage, PubStatus

NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"


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


def _is_datetime(value: str | None) -> bool:
    if not value:
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def render_ninjs(
    article: Article,
    story_id: str,
    *,
    version: int,
    version_created: str,
    first_created: str,
    pub_status: PubStatus = PubStatus.USABLE,
    image_name: str | None = None,
    image: FetchedImage | None = None,
    source_url: str | None = None,
    embargoed_until: str | None = None,
) -> dict:
    """The ninjs document of one version (not yet validated: see ``validate_ninjs``)."""
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
    if embargoed_until:
        doc["embargoedUntil"] = embargoed_until
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


def _lead_image(doc: dict) -> LeadImage | None:
    for association in doc.get("associations", []):
        if association.get("rel") == "leadimage" or association.get("name") == "leadimage":
            caption = next((d["value"] for d in association.get("descriptions", []) if d.get("role") == "caption"),
                           None)
            return LeadImage(url=association["uri"], caption=caption, credit=association.get("by"))
    return None


def parse_ninjs(doc: dict) -> Article:
    """The Article a ninjs document was rendered from."""
    bodies = {b.get("contentType"): b.get("value", "") for b in doc.get("bodies", [])}
    text = bodies.get("text/plain", "")
    summary = next((d["value"] for d in doc.get("descriptions", []) if d.get("role") == "summary"), None)
    return Article(
        url=doc["uri"],
        headline=next((h["value"] for h in doc.get("headlines", []) if h.get("role") == "main"),
                      doc.get("headlines", [{"value": ""}])[0]["value"]),
        byline=doc.get("by"),
        published=doc.get("contentCreated"),
        language=doc.get("language"),
        paragraphs=tuple(p for p in text.split("\n\n") if p),
        image=_lead_image(doc),
        tags=tuple(s.get("name") or s.get("literal") for s in doc.get("subjects", [])),
        body_html=bodies.get("text/html", ""),
        description=summary,
        publisher=next((i.get("name") for i in doc.get("infoSources", [])), None),
    )

