"""The five steps for one story as one plain function, and for a batch of them.

Used where a story does not need a Prefect task per step: the feed poll and
the benchmarks. A poll publishes its stories in batches, one Prefect task per
batch: every task run costs the Prefect server tens of milliseconds of CPU
(its state changes are events the server records), which on a small machine
competes with the pipeline itself. Publishing is idempotent, so each story in
a batch is retried on its own, and one story's failure never touches another.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence

from config.settings import Settings, get_settings
from tasks.bundle import build_bundle
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import PipelineError
from tasks.feeds import StoryLink
from tasks.fetch import fetch_image, fetch_page
from tasks.models import Bundle, PublishResult, StoryOutcome
from tasks.publish import ensure_bucket_once, publish_bundle
from tasks.robots import is_allowed_by_robots

# Pauses between a story's attempts: 2 s, 4 s, 8 s ... each stretched by up
# to half again at random, so stories failing together do not retry together.
RETRY_BACKOFF_SECONDS = 2.0
RETRY_JITTER = 0.5

StepTimer = Callable[[str, float], None]


def publish_url(url: str, *, extra_tags: tuple[str, ...] = (), force: bool = False, note: str | None = None,
                settings: Settings | None = None, on_step: StepTimer | None = None) -> tuple[Bundle, PublishResult]:
    """fetch → clean → dedupe → (lead image) → bundle → publish for one URL.

    ``on_step(step, seconds)`` is told how long each step took (benchmarks).
    """
    settings = settings or get_settings()
    clock = _StepClock(on_step)
    page = fetch_page(url, settings=settings)
    clock.mark("fetch")
    article = clean_page(page)
    clock.mark("clean")
    deduped = dedupe_article(article, settings.dedupe_similarity)
    clock.mark("dedupe")
    image, notes = None, ()
    if deduped.article.image is not None:
        try:
            image = fetch_image(deduped.article.image.url, settings=settings)
        except PipelineError as exc:
            notes = (f"lead image not bundled: {exc}",)  # a missing picture never holds back a story
        clock.mark("fetch")
    bundle = build_bundle(deduped, page, image, extra_tags=extra_tags, notes=notes)
    clock.mark("bundle")
    ensure_bucket_once(settings)
    result = publish_bundle(bundle, settings, force=force, note=note)
    clock.mark("publish")
    return bundle, result


class _StepClock:
    def __init__(self, on_step: StepTimer | None) -> None:
        self.on_step = on_step
        self.last = time.perf_counter()

    def mark(self, step: str) -> None:
        if self.on_step is not None:
            now = time.perf_counter()
            self.on_step(step, now - self.last)
            self.last = now


def batch_links(links: Sequence[StoryLink], workers: int, max_size: int) -> list[list[StoryLink]]:
    """Split a poll's stories into batches for ``workers`` parallel tasks.

    Batches are dealt like cards (story 1 to batch 1, story 2 to batch 2, ...)
    so the first stories of the feed, usually the newest, go out first; and
    there are at least ``workers`` batches, so a short poll still runs in parallel.
    """
    if not links:
        return []
    size = max(1, min(max_size, math.ceil(len(links) / max(1, workers))))
    count = math.ceil(len(links) / size)
    return [list(links[i::count]) for i in range(count)]


def publish_links(links: Sequence[StoryLink], *, force: bool = False, settings: Settings | None = None,
                  logger: logging.Logger | logging.LoggerAdapter | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> list[StoryOutcome]:
    """Publish each story; one outcome per link, in the links' order.

    A story that fails with a transient error (``retryable``: connection
    errors, 429, 5xx, storage unavailable) is tried again, up to
    ``fetch_retries`` more times, after the rest of the batch has had its
    turn: a flaky site holds back only its own stories. Any other error,
    including a bug, fails that story alone.
    """
    settings = settings or get_settings()
    log = logger or logging.getLogger(__name__)
    started: dict[int, float] = {}  # each story's first attempt
    outcomes: dict[int, StoryOutcome] = {}
    pending = list(links)
    for attempt in range(settings.fetch_retries + 1):
        again: list[StoryLink] = []
        last_failure = 0.0
        for link in pending:
            began = started.setdefault(id(link), time.monotonic())
            outcome, retryable = _publish_one(link, force, settings, log, began, attempt + 1)
            if retryable and attempt < settings.fetch_retries:
                log.warning("story %s: %s; will try again", link.url, outcome.error)
                again.append(link)
                last_failure = time.monotonic()
            else:
                outcomes[id(link)] = outcome
        if not again:
            break
        # The rest of the batch ran meanwhile: wait only what is left of the
        # pause after the last failure, so every story gets a full pause.
        pause = RETRY_BACKOFF_SECONDS * 2 ** attempt * (1 + random.random() * RETRY_JITTER)
        sleep(max(0.0, last_failure + pause - time.monotonic()))
        pending = again
    return [outcomes[id(link)] for link in links]


def _publish_one(link: StoryLink, force: bool, settings: Settings, log, started: float,
                 attempt: int) -> tuple[StoryOutcome, bool]:
    """(outcome, whether another attempt could help)."""
    name = link.title or link.url
    try:
        if link.robots and not is_allowed_by_robots(link.url, settings=settings):
            return StoryOutcome(name, link.url, "disallowed by robots.txt", seconds=time.monotonic() - started,
                                attempts=attempt), False
        _bundle, result = publish_url(link.url, extra_tags=link.tags, force=force, settings=settings)
    except PipelineError as exc:
        return failed_outcome(name, link.url, str(exc), time.monotonic() - started, attempt), exc.retryable
    except Exception as exc:  # noqa: BLE001 - a bug in one story must not sink the batch
        log.exception("story %s failed unexpectedly", link.url)
        return failed_outcome(name, link.url, f"{type(exc).__name__}: {exc}", time.monotonic() - started,
                              attempt), False
    manifest = next((o for o in result.objects if o.endswith("/manifest.json")), result.latest_uri)
    log.info("story %s: %s, version %s", result.story_id, result.status, result.version)
    return StoryOutcome(name, link.url, result.status, result.version, result.story_id, manifest,
                        seconds=time.monotonic() - started, attempts=attempt), False


def failed_outcome(story: str, url: str, message: str, seconds: float = 0.0, attempts: int = 1) -> StoryOutcome:
    """A failure's row in the poll's report: its error on one line, cut to 300 characters."""
    return StoryOutcome(story, url, "failed", error=" ".join(message.split())[:300], seconds=seconds,
                        attempts=attempts)
