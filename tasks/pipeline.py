"""The story pipeline, defined once: fetch → clean → dedupe → (lead image) → bundle → publish.

``run_story`` is the only place the steps are chained. What runs each step
is a ``Steps``: ``plain_steps`` calls the plain functions (the feed poll,
the CLI, the benchmarks); ``tasks.steps.task_steps`` calls their Prefect
tasks (the publish-story flow), so the Prefect UI shows every step. Either
way, every step gets the run's ``Resources``; none reads the environment.

The data flows one way: ``FetchedPage`` → ``Article`` → ``DedupeResult`` →
``Draft`` → ``PublishResult``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import PipelineError
from tasks.fetch import fetch_image, fetch_page
from tasks.models import Article, DedupeResult, Draft, FetchedImage, FetchedPage, PublishResult
from tasks.announce import announce
from tasks.embargo import held_back, hold_draft
from tasks.isolation import clean_in_child, dedupe_in_child
from tasks.publish import publish_draft
from tasks.resources import Resources

StepTimer = Callable[[str, float], None]
Logger = logging.Logger | logging.LoggerAdapter


@dataclass(frozen=True)
class Steps:
    """What runs each step of one story (plain functions or Prefect tasks)."""

    fetch_page: Callable[[str, str | None], FetchedPage]
    clean: Callable[[FetchedPage], Article]
    dedupe: Callable[[Article], DedupeResult]
    # Raises PipelineError when the image cannot be had; run_story turns that into a note.
    fetch_image: Callable[[str], FetchedImage]
    bundle: Callable[[DedupeResult, FetchedPage, FetchedImage | None, tuple[str, ...], tuple[str, ...]], Draft]
    publish: Callable[[Draft, bool, str | None, tuple[str, ...] | None], PublishResult]
    # Holds the draft under embargo until the given time instead (tasks/embargo.py).
    hold: Callable[[Draft, datetime, bool, str | None, tuple[str, ...] | None], PublishResult]


def plain_steps(resources: Resources, *, isolated: bool = True) -> Steps:
    """The steps as plain function calls, with the run's settings and storage.

    ``isolated``: clean and dedupe run in a child process under the run's hard
    limits (tasks/isolation.py); ``newsroom extract --explain`` runs them here,
    to record how each field was chosen.
    """
    settings = resources.settings

    def publish(draft: Draft, force: bool, note: str | None, editor_tags: tuple[str, ...] | None) -> PublishResult:
        resources.ensure_bucket()
        return publish_and_announce(resources, draft, force, note, editor_tags)

    def hold(draft: Draft, until: datetime, force: bool, note: str | None,
             editor_tags: tuple[str, ...] | None) -> PublishResult:
        resources.ensure_bucket()
        return hold_draft(draft, settings, resources.store, resources.releases, until=until, note=note,
                          editor_tags=editor_tags, force=force).result

    return Steps(
        fetch_page=lambda source, url: fetch_page(source, url, settings=settings),
        clean=(lambda page: clean_in_child(page, settings)) if isolated
        else (lambda page: clean_page(page, settings.parse_max_chars)),
        dedupe=(lambda article: dedupe_in_child(article, settings)) if isolated
        else (lambda article: dedupe_article(article, settings.dedupe_similarity)),
        fetch_image=lambda url: fetch_image(url, settings),
        bundle=lambda deduped, page, image, tags, notes: build_draft(deduped, page, image, extra_tags=tags,
                                                                     notes=notes),
        publish=publish,
        hold=hold,
    )


def publish_and_announce(resources: Resources, draft: Draft, force: bool, note: str | None,
                         editor_tags: tuple[str, ...] | None) -> PublishResult:
    """Publish the draft, then its aliases, catalog and event (tasks/announce.py).

    A story under embargo is left alone by a feed poll (no ``editor_tags``):
    only an editor's publish takes the embargo's place.
    """
    if editor_tags is None:
        waiting = held_back(resources.store, resources.settings, draft)
        if waiting is not None:
            return waiting
    result = publish_draft(draft, resources.settings, force=force, note=note, client=resources.store.client,
                           editor_tags=editor_tags)
    announce(resources.store, resources.settings, draft, result, releases=resources.releases)
    return result


def read_story(source: str, steps: Steps, *, url: str | None = None,
               clock: StepClock | None = None) -> tuple[FetchedPage, DedupeResult]:
    """fetch → clean → dedupe: the story's page and its deduplicated article."""
    clock = clock or StepClock(None)
    page = steps.fetch_page(source, url)
    clock.mark("fetch")
    article = steps.clean(page)
    clock.mark("clean")
    deduped = steps.dedupe(article)
    clock.mark("dedupe")
    return page, deduped


def draft_story(source: str, steps: Steps, *, url: str | None = None, extra_tags: tuple[str, ...] = (),
                with_image: bool = True, log: Logger | None = None,
                clock: StepClock | None = None) -> Draft:
    """Every step but publish: the story as a draft."""
    clock = clock or StepClock(None)
    page, deduped = read_story(source, steps, url=url, clock=clock)
    image, notes = None, ()
    if with_image and deduped.article.image is not None:
        try:
            image = steps.fetch_image(deduped.article.image.url)
        except PipelineError as exc:  # retries, if any, exhausted
            # A missing picture never holds back a story.
            notes = (f"lead image not bundled: {exc}",)
            (log or _log).warning("lead image not bundled: %s", exc)
        clock.mark("fetch")
    if deduped.article.uncertain:
        (log or _log).warning("%s: guessed from weak evidence, worth an editor's look: %s",
                              deduped.article.url, ", ".join(deduped.article.uncertain))
    draft = steps.bundle(deduped, page, image, tuple(extra_tags), notes)
    clock.mark("bundle")
    return draft


def run_story(source: str, steps: Steps, *, url: str | None = None, extra_tags: tuple[str, ...] = (),
              editor_tags: tuple[str, ...] | None = None, force: bool = False, note: str | None = None,
              embargo_until: datetime | None = None, log: Logger | None = None,
              on_step: StepTimer | None = None) -> tuple[Draft, PublishResult]:
    """One story, every step: its draft and what publishing it did.

    ``source`` is the story's URL, or a local file whose public address is
    ``url``. ``extra_tags`` join the page's; ``editor_tags`` (an editor
    publishing) also stay with the story through later polls. ``on_step(step,
    seconds)`` is told how long each step took (benchmarks). With
    ``embargo_until`` the story is held until then instead of published.
    """
    clock = StepClock(on_step)
    draft = draft_story(source, steps, url=url, extra_tags=extra_tags, log=log, clock=clock)
    if embargo_until is not None:
        result = steps.hold(draft, embargo_until, force, note, editor_tags)
    else:
        result = steps.publish(draft, force, note, editor_tags)
    clock.mark("publish")
    return draft, result


class StepClock:
    """Tells ``on_step`` the time since the last mark."""

    def __init__(self, on_step: StepTimer | None) -> None:
        self.on_step = on_step
        self.last = time.perf_counter()

    def mark(self, step: str) -> None:
        if self.on_step is not None:
            now = time.perf_counter()
            self.on_step(step, now - self.last)
            self.last = now


_log = logging.getLogger(__name__)
