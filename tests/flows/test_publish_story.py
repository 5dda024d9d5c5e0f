"""The publish-story flow on Prefect's test harness, against real local servers."""

from __future__ import annotations

import json

import pytest

from tests.conftest import expected_article

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_flow_publishes_the_seed_story_with_its_image(settings, s3, site):
    from flows.publish_story import publish_story

    result = publish_story(url=f"{site}/pages/aleppo-offensive.html")
    assert (result.status, result.version) == ("published", 1)
    names = [uri.rsplit("/", 1)[1] for uri in result.objects]
    assert names == ["article.json", "article.html", "article.txt", "image.png", "manifest.json"]
    key = result.objects[0].split("/", 3)[3]
    doc = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=key)["Body"].read())
    assert doc["headlines"][0]["value"] == expected_article("aleppo-offensive")["headline"]
    assert [r.reason for r in result.removed_paragraphs] == ["normalized", "exact"]

    again = publish_story(url=f"{site}/pages/aleppo-offensive.html")
    assert (again.status, again.version) == ("unchanged", 1)


def test_flow_leaves_a_markdown_artifact(settings, s3, site):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    from flows.publish_story import publish_story

    result = publish_story(url=f"{site}/pages/aleppo-offensive.html", extra_tags=["Syria"])
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"story-{result.story_id}"])),
            sort=ArtifactSort.CREATED_DESC)
    markdown = artifacts[0].data
    assert "Syrian forces loyal to Bashar al" in markdown
    assert "Mideast, Egypt, Migrants, Syria" in markdown
    assert "manifest.json" in markdown


def test_an_editors_extra_tags_survive_the_next_poll(settings, s3, site):
    from flows.publish_story import publish_story
    from tasks.pipeline import plain_steps, run_story
    from tasks.resources import Resources

    url = f"{site}/pages/aleppo-offensive.html"
    edited = publish_story(url=url, extra_tags=["Exclusive"])
    # What poll-feeds runs, with a feed's tag.
    _draft, polled = run_story(url, plain_steps(Resources(settings)), extra_tags=("World",))
    assert (polled.status, polled.version) == ("published", 2)
    doc = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=polled.objects[0].split("/", 3)[3])["Body"].read())
    assert [s["name"] for s in doc["subjects"]] == ["Mideast", "Egypt", "Migrants", "World", "Exclusive"]
    assert edited.version == 1


@pytest.mark.parametrize("params", [
    {"url": "ftp://news.example/story"},
    {"url": "not a url"},
    {"url": "https://news.example/a", "note": "x" * 501},
])
def test_invalid_parameters_are_refused_before_any_work(settings, params):
    from prefect.exceptions import ParameterTypeError

    from flows.publish_story import publish_story

    with pytest.raises(ParameterTypeError):
        publish_story(**params)


def test_a_page_that_is_not_html_fails_the_run_with_a_clear_error(settings, site):
    from flows.publish_story import publish_story
    from tasks.errors import NotHTMLError

    with pytest.raises(NotHTMLError, match="PNG image"):
        publish_story(url=f"{site}/media/2016/09/aleppo-military-complex.png")


def test_a_deployments_run_may_not_replace_the_workers_settings_or_read_its_files(monkeypatch):
    from types import SimpleNamespace

    import flows.publish_story as module
    from config.settings import Settings
    from tasks.errors import BlockedURLError

    module.refuse_local_only(source_file="/etc/passwd", settings=Settings())  # a local run may
    monkeypatch.setattr(module, "deployment", SimpleNamespace(id="a-deployment"))
    with pytest.raises(BlockedURLError, match="settings are for local runs only"):
        module.refuse_local_only(settings=Settings(fetch_allowed_hosts=["10.0.0.1"]))
    with pytest.raises(BlockedURLError, match="source_file is for local runs only"):
        module.refuse_local_only(source_file="/etc/passwd")
    module.refuse_local_only()


def test_a_local_runs_store_keys_are_masked_in_its_stored_parameters(settings, s3, site):
    from prefect.client.orchestration import get_client
    from pydantic import SecretStr

    from flows.publish_story import publish_story

    secret = "newsroom-local-secret-of-this-run"
    keyed = settings.model_copy(update={"s3_access_key_id": SecretStr("newsroom-local"),
                                        "s3_secret_access_key": SecretStr(secret)})
    state = publish_story(url=f"{site}/pages/aleppo-offensive.html", settings=keyed, return_state=True)
    assert state.result().status == "published"
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    assert run.parameters["settings"]["s3_secret_access_key"] == "**********"
    assert secret not in json.dumps(run.parameters)
