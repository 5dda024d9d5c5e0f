"""The story artifact tells the truth and cannot be broken by what it shows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pydantic import TypeAdapter

from flows.publish_story import publish_story
from flows.report import story_markdown
from tasks.models import Article, Draft, PublishResult, PubStatus, StoryStatus


def draft(**article_changes) -> Draft:
    article = Article(url="https://www.example.com/world/aleppo", headline="Aleppo offensive", byline=None,
                      published=None, language="en", paragraphs=("Text.",), image=None, tags=("Syria",))
    return Draft(story_id="aleppo-1", article=replace(article, **article_changes), image=None, removed=(),
                 source_url="https://www.example.com/world/aleppo", fetched_at="2026-12-01T00:00:00+00:00")


def result(status: StoryStatus = StoryStatus.PUBLISHED, version: int = 1) -> PublishResult:
    return PublishResult(story_id="aleppo-1", version=version, status=status, bucket="b",
                         prefix=f"stories/aleppo-1/v{version:04d}", objects=(), latest_uri="s3://b/latest.json",
                         content_sha256="0" * 64)


def test_a_tag_that_opens_a_code_fence_cannot_swallow_the_object_table():
    markdown = story_markdown(draft(tags=("ok", "evil\n~~~\nfence")), result())
    assert "~~~" not in markdown and "\n~" not in markdown
    assert "| latest | `s3://b/latest.json` |" in markdown


def test_the_source_link_works():
    markdown = story_markdown(draft(url="https://www.example.com/a b(1)"), result())
    assert "Source: <https://www.example.com/a%20b(1)>" in markdown
    assert "www\\." not in markdown.split("Source:")[1]


@pytest.mark.parametrize(("pub_status", "status", "version", "label"), [
    (PubStatus.USABLE, StoryStatus.PUBLISHED, 1, "published"),
    (PubStatus.USABLE, StoryStatus.PUBLISHED, 2, "corrected"),
    (PubStatus.USABLE, StoryStatus.UNCHANGED, 2, "unchanged"),
    (PubStatus.CANCELED, StoryStatus.PUBLISHED, 3, "withdrawn"),
])
def test_the_status_says_what_happened(pub_status, status, version, label):
    shown = story_markdown(replace(draft(), pub_status=pub_status, notes=("withdrawn: court order",)
                                   if pub_status == PubStatus.CANCELED else ()), result(status, version))
    assert f"**Status:** {label} · **version** {version}" in shown
    assert ("**Withdrawn:** court order" in shown) == (pub_status == PubStatus.CANCELED)


@pytest.mark.parametrize("tag", ["two\nlines", "nul\x00", "\u202eevil", "tab\there"])
def test_editor_tags_with_control_characters_are_refused_at_the_parameter(tag):
    field = publish_story.parameters.properties["extra_tags"]
    pattern = field["items"]["pattern"]
    adapter = TypeAdapter(list[str])
    import re

    assert adapter.validate_python([tag]) and not re.fullmatch(pattern, tag)
    assert re.fullmatch(pattern, "Middle East")


def test_the_flow_refuses_such_a_tag_before_any_work():
    from prefect.exceptions import ParameterTypeError

    with pytest.raises(ParameterTypeError) as raised:
        publish_story.validate_parameters({"url": "https://news.example/a", "extra_tags": ["bad\nline"]})
    assert "extra_tags" in str(raised.value)
