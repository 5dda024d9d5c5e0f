from __future__ import annotations

from dataclasses import replace

from tasks.changes import describe_changes, fingerprint
from tasks.models import Article, LeadImage

BASE = Article(url="https://n.example/a", headline="Old headline", byline="A", published="2024-01-01T00:00:00Z",
               language="en", paragraphs=("One paragraph.", "Two paragraph."),
               image=LeadImage("https://n.example/i.jpg", "A caption", None), tags=("X",))


def test_first_version_and_each_kind_of_change():
    before = fingerprint(BASE, None, "usable")
    assert describe_changes(None, before) == {"first_version": True}
    after = fingerprint(replace(BASE, headline="New headline", tags=("X", "Y"),
                                paragraphs=("One paragraph.", "Three paragraph.", "Four.")), None, "usable")
    changes = describe_changes(before, after)
    assert changes["headline"] == {"from": "Old headline", "to": "New headline"}
    assert changes["tags"] == {"added": ["Y"], "removed": []}
    assert changes["paragraphs"] == {"added": 2, "removed": 1, "count": 3}
    assert describe_changes(before, fingerprint(BASE, None, "canceled")) == {
        "pub_status": {"from": "usable", "to": "canceled"}}
    assert describe_changes(before, before) == {}
