"""Prefect events that tell other systems a story changed.

Search indexing, CDN purges, a partner push or a social post each need to
know when a story is published, corrected, withdrawn, embargoed or
released. Every such change emits one event, ``newsroom.story.<kind>``,
whose resource is ``newsroom.story.<story id>`` and whose payload carries
the story's URL, its version and where it lives in storage. Automations
(see ``prefect.yaml``) and webhooks subscribe to them; an unchanged
republish emits nothing.

Emitting is best effort: a publish that landed is never failed by a lost
event (Prefect's events client buffers and retries on its own).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from prefect.events import emit_event

KINDS = ("published", "corrected", "withdrawn", "embargoed", "released")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoryEvent:
    kind: str  # one of KINDS
    story_id: str
    url: str
    version: int
    headline: str
    bucket: str
    latest_key: str
    manifest_key: str
    objects: tuple[str, ...] = ()  # s3:// URIs of the version's objects

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown story event {self.kind!r}; expected one of {', '.join(KINDS)}")

    @property
    def name(self) -> str:
        return f"newsroom.story.{self.kind}"

    def resource(self) -> dict[str, str]:
        return {"prefect.resource.id": f"newsroom.story.{self.story_id}",
                "prefect.resource.name": self.headline[:200] or self.story_id,
                "newsroom.url": self.url}

    def payload(self) -> dict:
        return {"story_id": self.story_id, "url": self.url, "version": self.version, "headline": self.headline,
                "latest": f"s3://{self.bucket}/{self.latest_key}",
                "manifest": f"s3://{self.bucket}/{self.manifest_key}",
                "objects": list(self.objects)}


def kind_of_change(*, pub_status: str, version: int, previous_status: str | None,
                   released: bool = False) -> str:
    """Which event a new version is: the status it reached and where it came from."""
    if pub_status == "canceled":
        return "withdrawn"
    if pub_status == "withheld":
        return "embargoed"
    if released:
        return "released"
    if version > 1 and previous_status == "usable":
        return "corrected"
    return "published"  # the first version, or a story restored after a kill or embargo


def emit_story_event(event: StoryEvent) -> bool:
    """Emit the event; False (and a warning) when it could not be handed to Prefect."""
    try:
        emitted = emit_event(event=event.name, resource=event.resource(), payload=event.payload())
    except Exception as error:  # noqa: BLE001 - a lost event never fails a publish that landed
        log.warning("event %s for %s not emitted: %s", event.name, event.story_id, error)
        return False
    return emitted is not None
