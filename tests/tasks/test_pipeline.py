"""The story pipeline with plain steps, and batch publishing as a poll does it, against the local servers."""

from __future__ import annotations

import pytest

from cli.local_services import FIXTURES
from tasks import batches, pipeline
from tasks.batches import batch_links, publish_links
from tasks.feeds import StoryLink
from tasks.resources import Resources
from tests.httpstub import Reply, http_stub

NEWS = ("harbour-bridge-reopens", "library-digitises-archive", "river-flood-warning")


def _links(n: int) -> list[StoryLink]:
    return [StoryLink(url=f"https://example.org/{i}", source="s", title=f"story {i}") for i in range(n)]


def test_batches_are_dealt_so_the_first_stories_start_first():
    links = _links(23)
    batches = batch_links(links, workers=4, max_size=5)
    assert [len(b) for b in batches] == [5, 5, 5, 4, 4]
    assert [b[0].title for b in batches] == ["story 0", "story 1", "story 2", "story 3", "story 4"]
    assert sorted(link.title for b in batches for link in b) == sorted(link.title for link in links)


def test_a_short_poll_still_uses_every_worker():
    assert [len(b) for b in batch_links(_links(6), workers=4, max_size=10)] == [2, 2, 2]
    assert [len(b) for b in batch_links(_links(3), workers=4, max_size=10)] == [1, 1, 1]
    assert batch_links([], workers=4, max_size=10) == []


def test_one_story_per_task_when_the_batch_size_is_one():
    assert [len(b) for b in batch_links(_links(7), workers=2, max_size=1)] == [1] * 7


def test_a_flaky_story_is_retried_by_the_fetch_layer_alone(settings, site):
    pauses: list[float] = []
    resources = Resources(settings)
    # The storage client and bucket first: made during the batch, they could
    # take longer than the first pause on a busy machine, leaving none to wait.
    resources.ensure_bucket()
    with http_stub() as stub:
        page = (FIXTURES / "news" / f"{NEWS[0]}.html").read_bytes()
        flaky = stub.route("/flaky.html", Reply(status=503), Reply(status=503), Reply(body=page))
        links = [StoryLink(url=flaky, source="s", title="flaky"),
                 StoryLink(url=f"{site}/news/{NEWS[1]}.html", source="s", title="steady")]
        outcomes = publish_links(links, resources, sleep=pauses.append)
    assert [o.story for o in outcomes] == ["flaky", "steady"]  # the links' order, not the finishing order
    # One retry layer: the fetch adapter repeated the 503s (urllib3's Retry);
    # the batch did not repeat the story on top of it.
    assert [(o.status, o.version, o.attempts) for o in outcomes] == [("published", 1, 1), ("published", 1, 1)]
    assert stub.hits["/flaky.html"] == 3
    assert pauses == []
    assert outcomes[0].link.endswith("/v0001/manifest.json") and outcomes[0].error == ""


def test_retries_stop_at_the_configured_count_and_say_why(settings, monkeypatch):
    monkeypatch.setattr(settings, "fetch_retries", 1)
    with http_stub() as stub:
        down = stub.route("/down.html", Reply(status=503))
        (outcome,) = publish_links([StoryLink(url=down, source="s")], Resources(settings), sleep=lambda _s: None)
    # fetch_retries=1: the adapter's two requests in all, and no second layer.
    assert (outcome.status, outcome.attempts, stub.hits["/down.html"]) == ("failed", 1, 2)
    assert "503" in outcome.error and outcome.story == down


def test_a_permanent_failure_is_not_retried_and_spares_the_rest(settings, site):
    with http_stub() as stub:
        gone = stub.route("/gone.html", Reply(status=404))
        links = [StoryLink(url=gone, source="s", title="gone"),
                 StoryLink(url=f"{site}/news/{NEWS[2]}.html", source="s", title="fine")]
        outcomes = publish_links(links, Resources(settings), sleep=lambda _s: pytest.fail("nothing to retry"))
    assert stub.hits["/gone.html"] == 1
    assert outcomes[0].status == "failed" and "404" in outcomes[0].error
    assert outcomes[1].status == "published"


def test_a_bug_in_one_story_fails_that_story_alone(settings, site, monkeypatch):
    real = batches.run_story

    def broken_for_one(url, steps, **kwargs):
        if "library" in url:
            raise KeyError("headline")
        return real(url, steps, **kwargs)

    monkeypatch.setattr(batches, "run_story", broken_for_one)
    links = [StoryLink(url=f"{site}/news/{name}.html", source="s", title=name) for name in NEWS]
    outcomes = publish_links(links, Resources(settings), sleep=lambda _s: pytest.fail("a bug is not retried"))
    assert [o.status for o in outcomes] == ["published", "failed", "published"]
    assert outcomes[1].error == "KeyError: 'headline'"


def test_robots_txt_is_respected_per_story(settings, site):
    outcomes = publish_links([StoryLink(url=f"{site}/private/embargo.html", source="s", title="embargo"),
                              StoryLink(url=f"{site}/private/embargo.html", source="s", title="ok", robots=False)],
                             Resources(settings))
    assert outcomes[0].status == "disallowed by robots.txt"
    assert outcomes[1].status == "failed" and "404" in outcomes[1].error  # fetched: robots not asked


def test_on_step_reports_every_step(settings, site):
    steps: list[str] = []
    pipeline.run_story(f"{site}/news/{NEWS[0]}.html", pipeline.plain_steps(Resources(settings)),
                       on_step=lambda step, seconds: steps.append(step) if seconds >= 0 else None)
    assert steps == ["fetch", "clean", "dedupe", "fetch", "bundle", "publish"]


def test_only_what_the_fetch_layer_cannot_repeat_is_retried_by_the_poll(settings, monkeypatch):
    from tasks.fetch import BodyInterruptedError

    calls: dict[str, int] = {"busy": 0, "cut": 0}

    def failing(url, steps, **kwargs):
        name = url.rsplit("/", 1)[1]
        calls[name] += 1
        if name == "busy":  # what the adapter already retried, Retry-After included
            raise TransientFetchError(f"{url}: HTTP 429 Too Many Requests", retry_after=30)
        raise BodyInterruptedError(f"{url}: the connection broke while reading the page")

    monkeypatch.setattr(batches, "run_story", failing)
    monkeypatch.setattr(settings, "fetch_retries", 2)
    pauses: list[float] = []
    links = [StoryLink(url=f"https://example.org/{name}", source="s", robots=False) for name in ("busy", "cut")]
    busy, cut = publish_links(links, Resources(settings), sleep=pauses.append)
    assert (busy.status, busy.attempts, calls["busy"]) == ("failed", 1, 1)
    assert (cut.status, cut.attempts, calls["cut"]) == ("failed", 3, 3)
    assert len(pauses) == 2 and all(p <= batches.RETRY_BACKOFF_SECONDS * 2 * (1 + batches.RETRY_JITTER)
                                    for p in pauses)


def test_storage_faults_are_not_retried_again_by_the_poll(settings, monkeypatch):
    from tasks.errors import StorageUnavailableError

    def storage_down(url, steps, **kwargs):
        raise StorageUnavailableError("writing s3 object 'k' failed: HTTP 503 SlowDown (after 5 attempts)")

    monkeypatch.setattr(batches, "run_story", storage_down)
    (outcome,) = publish_links([StoryLink(url="https://example.org/a", source="s", robots=False)], Resources(settings),
                               sleep=lambda _s: pytest.fail("botocore already retried it"))
    assert (outcome.status, outcome.attempts) == ("failed", 1) and "SlowDown" in outcome.error


def test_a_story_with_guessed_fields_says_so_in_the_run_log(settings, tmp_path, caplog):
    source = tmp_path / "untitled.html"
    source.write_text("<html><body><div>" + "".join(
        f"<p>The ferry ran on time for the {n} day in a row, the operator said, after a winter of delays.</p>"
        for n in ("first", "second", "third")) + "</div></body></html>")
    with caplog.at_level("WARNING"):
        draft = pipeline.draft_story(str(source), pipeline.plain_steps(Resources(settings)),
                                     url="https://news.example/ferry")
    assert draft.article.uncertain == ("headline",)
    assert "guessed from weak evidence, worth an editor's look: headline" in caplog.text
