"""Story events: what each change emits, and that emitting never fails a publish."""

from __future__ import annotations

import pytest
from prefect.events import Event

from tasks.events import StoryEvent, emit_story_event, kind_of_change


def story_event(kind: str = "published", version: int = 1) -> StoryEvent:
    return StoryEvent(kind=kind, story_id="aleppo-cafb82", url="https://news.example/aleppo", version=version,
                      headline="Syrian army announces offensive", bucket="newsroom",
                      latest_key="stories/aleppo-cafb82/latest.json",
                      manifest_key=f"stories/aleppo-cafb82/v{version:04d}/manifest.json",
                      objects=(f"s3://newsroom/stories/aleppo-cafb82/v{version:04d}/article.json",))


@pytest.mark.parametrize(("pub_status", "version", "previous", "released", "kind"), [
    ("usable", 1, None, False, "published"),
    ("usable", 2, "usable", False, "corrected"),
    ("canceled", 3, "usable", False, "withdrawn"),
    ("withheld", 1, None, False, "embargoed"),
    ("usable", 2, "withheld", True, "released"),
    ("usable", 4, "canceled", False, "published"),  # restored after a kill
])
def test_each_change_has_its_event(pub_status, version, previous, released, kind):
    assert kind_of_change(pub_status=pub_status, version=version, previous_status=previous,
                          released=released) == kind


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown story event"):
        story_event(kind="deleted")


def test_the_event_names_the_story_as_its_resource_and_carries_its_locations(monkeypatch):
    sent: list[dict] = []

    def record(**arguments):
        sent.append(arguments)
        return Event(**arguments)  # Prefect's own model validates what we send

    monkeypatch.setattr("tasks.events.emit_event", record)
    assert emit_story_event(story_event("corrected", version=2))
    event = Event(**sent[0])
    assert event.event == "newsroom.story.corrected"
    assert event.resource.id == "newsroom.story.aleppo-cafb82"
    assert event.resource["newsroom.url"] == "https://news.example/aleppo"
    assert event.payload["version"] == 2
    assert event.payload["manifest"] == "s3://newsroom/stories/aleppo-cafb82/v0002/manifest.json"
    assert event.payload["latest"] == "s3://newsroom/stories/aleppo-cafb82/latest.json"


def test_a_failing_events_client_never_fails_the_publish(monkeypatch, caplog):
    def broken(**_kwargs):
        raise ConnectionError("events endpoint unreachable")

    monkeypatch.setattr("tasks.events.emit_event", broken)
    assert emit_story_event(story_event()) is False
    assert "not emitted: events endpoint unreachable" in caplog.text
