"""A poll's stories, published in batches: one Prefect task per batch.

Every task run costs the Prefect server tens of milliseconds of CPU (its
state changes are events the server records), which on a small machine
competes with the pipeline itself; so a poll runs the story pipeline
(tasks/pipeline.py) with plain steps, several stories per task. Publishing
is idempotent, so each story in a batch is retried on its own, and one
story's failure never touches another.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from tasks.errors import PipelineError, PublishConflictError
from tasks.fetch import BodyInterruptedError
from tasks.feeds import StoryLink
from tasks.models import StoryOutcome, StoryStatus
from tasks.pipeline import plain_steps, run_story
from tasks.resources import Resources
from tasks.robots import is_allowed_by_robots

# Pauses between a story's attempts: 2 s, 4 s, 8 s ... each stretched by up
# to half again at random, so stories failing together do not retry together.
RETRY_BACKOFF_SECONDS = 2.0
RETRY_JITTER = 0.5
# A site's Retry-After is honoured up to this many seconds; past it the
# story waits this long (a poll must end).
MAX_RETRY_AFTER = 120.0


class Attempt(NamedTuple):
    """One attempt at a story: its outcome, and whether (and after how long) to try again."""

    outcome: StoryOutcome
    retryable: bool = False
    retry_after: float | None = None  # what the site asked for, if it did


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


def publish_links(links: Sequence[StoryLink], resources: Resources, *, force: bool = False,
                  logger: logging.Logger | logging.LoggerAdapter | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> list[StoryOutcome]:
    """Publish each story; one outcome per link, in the links' order.

    A story that fails with a transient error (``retryable``: connection
    errors, 429, 5xx, a lost race for a version) is tried again, up to
    ``fetch_retries`` more times, after the rest of the batch has had its
    turn: a flaky site holds back only its own stories. (This is the poll's
    only retry of a whole story: its steps are plain calls, without Prefect
    task retries, and a batch task is never retried as a whole.) Any other
    error, including a bug, fails that story alone.
    """
    settings = resources.settings
    log = logger or logging.getLogger(__name__)
    started: dict[int, float] = {}  # each story's first attempt
    outcomes: dict[int, StoryOutcome] = {}
    pending = list(links)
    for attempt in range(settings.fetch_retries + 1):
        again: list[StoryLink] = []
        resume = 0.0  # when every story to retry has had its full pause
        pause = RETRY_BACKOFF_SECONDS * 2 ** attempt * (1 + random.random() * RETRY_JITTER)
        for link in pending:
            began = started.setdefault(id(link), time.monotonic())
            tried = publish_link(link, resources, force=force, log=log, started=began, attempt=attempt + 1)
            if tried.retryable and attempt < settings.fetch_retries:
                log.warning("story %s: %s; will try again", link.url, tried.outcome.error)
                again.append(link)
                asked = min(MAX_RETRY_AFTER, tried.retry_after or 0.0)
                resume = max(resume, time.monotonic() + max(pause, asked))
            else:
                outcomes[id(link)] = tried.outcome
        if not again:
            break
        # The rest of the batch ran meanwhile: wait only what is left of the
        # pauses, so every story gets a full pause (or what its site asked).
        sleep(max(0.0, resume - time.monotonic()))
        pending = again
    return [outcomes[id(link)] for link in links]


def publish_link(link: StoryLink, resources: Resources, *, force: bool = False, log: logging.Logger |
                 logging.LoggerAdapter | None = None, started: float | None = None,
                 attempt: int = 1) -> Attempt:
    """One story of a feed through the pipeline, once."""
    log = log or logging.getLogger(__name__)
    started = time.monotonic() if started is None else started
    name = link.title or link.url
    try:
        if link.robots and not is_allowed_by_robots(link.url, settings=resources.settings):
            return Attempt(StoryOutcome(name, link.url, StoryStatus.DISALLOWED,
                                        seconds=time.monotonic() - started, attempts=attempt))
        _draft, result = run_story(link.url, plain_steps(resources), extra_tags=link.tags, force=force, log=log)
    except PipelineError as exc:
        # One retry layer per failure: storage faults were retried request by
        # request (botocore), HTTP 429/5xx and connection errors by the fetch
        # adapter (urllib3's Retry). Only what neither can repeat comes back
        # here: a page body cut off mid-stream, and a race lost every round.
        again = isinstance(exc, (BodyInterruptedError, PublishConflictError))
        return Attempt(failed_outcome(name, link.url, str(exc), time.monotonic() - started, attempt), again,
                       getattr(exc, "retry_after", None))
    except Exception as exc:  # noqa: BLE001 - a bug in one story must not sink the batch
        log.exception("story %s failed unexpectedly", link.url)
        return Attempt(failed_outcome(name, link.url, f"{type(exc).__name__}: {exc}", time.monotonic() - started,
                                      attempt))
    manifest = next((o for o in result.objects if o.endswith("/manifest.json")), result.latest_uri)
    log.info("story %s: %s, version %s", result.story_id, result.status, result.version)
    return Attempt(StoryOutcome(name, link.url, result.status, result.version, result.story_id, manifest,
                                seconds=time.monotonic() - started, attempts=attempt))


def failed_outcome(story: str, url: str, message: str, seconds: float = 0.0, attempts: int = 1) -> StoryOutcome:
    """A failure's row in the poll's report: its error on one line, cut to 300 characters."""
    return StoryOutcome(story, url, StoryStatus.FAILED, error=" ".join(message.split())[:300], seconds=seconds,
                        attempts=attempts)
