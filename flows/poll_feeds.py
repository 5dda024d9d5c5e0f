"""Flow ``poll-feeds``: find new or changed stories in the configured sources
and publish each (the same steps as ``publish-story``), a few at a time, in
batches: one Prefect task per batch, each story retried on its own inside it.

One failing story (or source) never stops the others; the run ends with a
table artifact and Completed, or Failed naming what failed.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from config.settings import Settings
from config.sources import load_sources
from flows.publish_story import LOCAL_SETTINGS, refuse_local_only
from tasks.batches import batch_links, failed_outcome, publish_links
from tasks.errors import retry_if_retryable
from tasks.feeds import MAX_CHILD_SITEMAPS, StoryLink, discover_changes, merge_duplicates
from tasks.models import StoryOutcome, StoryStatus
from tasks.pollstate import is_new_or_changed, is_settled, load_state, record_results, seen_version
from tasks.resources import Resources
from tasks.steps import network_options
from tasks.storykeys import normalise_url

discover_task = task(discover_changes, name="discover", cache_policy=NO_CACHE, retry_condition_fn=retry_if_retryable)


def _batch_run_name() -> str:
    from prefect.runtime import task_run

    links = task_run.parameters.get("links") or []
    first = links[0].title or links[0].url if links else ""
    return f"publish {len(links)} stories: {first[:60]}" + ("…" if len(links) > 1 else "")


@task(name="publish-stories", task_run_name=_batch_run_name, cache_policy=NO_CACHE)
def publish_batch(links: list[StoryLink], resources: Resources, force: bool = False) -> list[StoryOutcome]:
    """A batch of stories, all five steps each. Every story is retried on its
    own inside the batch (see tasks/batches.py), so the task itself is not."""
    return publish_links(links, resources, force=force, logger=get_run_logger())


def _outcomes(batch: list[StoryLink], future) -> list[StoryOutcome]:  # noqa: ANN001 - a PrefectFuture
    state = future.wait() or future.state
    if state.is_completed():
        return future.result()
    try:
        future.result()
        message = state.message or state.name
    except Exception as exc:  # noqa: BLE001 - the batch's own error, shown for each of its stories
        message = str(exc)
    return [failed_outcome(link.title or link.url, link.url, message) for link in batch]


@flow(name="poll-feeds")
def poll_feeds(
    sources_file: str | None = Field(None, description="YAML sources file; default NEWSROOM_SOURCES_FILE."),
    force: bool = Field(False, description="Republish every listed story even if already handled."),
    settings: Settings | None = Field(None, description=LOCAL_SETTINGS),
):
    logger = get_run_logger()
    refuse_local_only(settings=settings)
    resources = Resources.build(settings)
    settings = resources.settings
    options = network_options(settings)
    # A sitemap index is read with its child sitemaps: a timeout for each.
    discover = discover_task.with_options(**{**options,
                                             "timeout_seconds": options["timeout_seconds"] * (1 + MAX_CHILD_SITEMAPS)})
    rows: list[dict] = []
    failed: list[str] = []
    work: list[tuple[str, StoryLink]] = []
    validators: dict[str, dict[str, str]] = {}
    for source in load_sources(sources_file, settings):
        # Each source in its own error boundary, its state included: one
        # corrupt state object must not stop the other sources.
        try:
            seen, asked = load_state(source.name, settings, resources.store, on_problem=logger.warning)
            # Unchanged since the last poll, a source costs one 304 and no parsing.
            discovery = discover(source, settings, **({} if force else asked))
        except Exception as exc:  # noqa: BLE001 - a broken source must not stop the others
            row = failed_outcome(f"(source {source.name})", source.url, str(exc)).row()
            logger.error("source %s failed: %s", source.name, row["error"])
            failed.append(f"source {source.name}")
            rows.append(row)
            continue
        if discovery.not_modified:
            logger.info("source %s: unchanged since the last poll", source.name)
            rows.append(StoryOutcome(f"(source {source.name})", source.url, StoryStatus.SOURCE_UNCHANGED).row())
            continue
        validators[source.name] = discovery.validators
        links = discovery.links
        for link in links:
            if force or is_new_or_changed(link, seen):
                work.append((source.name, link))
            else:
                rows.append(StoryOutcome(link.title or link.url, link.url, StoryStatus.SKIPPED,
                                         seen_version(link, seen)).row())
        logger.info("source %s: %d listed, %d to publish", source.name, len(links),
                    sum(1 for name, _ in work if name == source.name))

    # A story listed by several sources is published once, with all their tags.
    unique = merge_duplicates([link for _name, link in work])
    batches = batch_links(list(unique.values()), settings.publish_concurrency, settings.poll_batch_size)
    outcomes: dict[str, StoryOutcome] = {}
    # The run's own pool, sized by its settings when the run starts.
    with ThreadPoolTaskRunner(max_workers=settings.publish_concurrency) as runner:
        futures = [runner.submit(publish_batch, {"links": batch, "resources": resources, "force": force})
                   for batch in batches]
        for batch, future in zip(batches, futures):
            for link, outcome in zip(batch, _outcomes(batch, future)):
                outcomes[normalise_url(link.url)] = outcome
    for key in unique:  # the report lists stories in the feeds' order
        rows.append(outcomes[key].row())
        if outcomes[key].status == StoryStatus.FAILED:
            failed.append(outcomes[key].url)
    by_source: dict[str, list[tuple[StoryLink, StoryOutcome]]] = {name: [] for name in validators}
    for name, link in work:
        by_source[name].append((link, outcomes[normalise_url(link.url)]))
    for name, results in by_source.items():
        # A story that failed must be retried next time even if the source is
        # unchanged: then the source keeps no validators and is read in full.
        retry = any(not is_settled(outcome.status) for _link, outcome in results)
        record_results(name, results, settings, validators={} if retry else validators[name],
                       store=resources.store)

    create_table_artifact(table=rows, key="poll-feeds-report",
                          description=f"{len(unique)} stories published or checked, {len(failed)} failed")
    published = sum(1 for r in rows if r["status"] == StoryStatus.PUBLISHED)
    summary = f"{published} published, {len(rows) - published - len(failed)} unchanged or skipped"
    if failed:
        return Failed(message=f"{summary}; {len(failed)} failed: {', '.join(failed)[:1000]}")
    return Completed(message=summary)
