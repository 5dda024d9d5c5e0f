"""Flow ``poll-feeds``: find new or changed stories in the configured sources
and publish each (the same steps as ``publish-story``), a few at a time.

One failing story (or source) never stops the others; the run ends with a
table artifact and Completed, or Failed naming what failed.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from config.settings import get_settings
from config.sources import load_sources
from tasks.feeds import StoryLink, discover_task, merge_duplicates
from tasks.fetch import NETWORK_RETRIES
from tasks.pipeline import publish_url
from tasks.robots import is_allowed_by_robots
from tasks.storykeys import normalise_url
from tasks.pollstate import is_new_or_changed, load_seen, record_results, seen_version


@task(name="publish-from-feed", **NETWORK_RETRIES)
def publish_link(link: StoryLink, force: bool = False) -> dict:
    """One story, all five steps, as one task: a transient failure retries the
    story (publishing is idempotent), anything else fails just this story."""
    if link.robots and not is_allowed_by_robots(link.url):
        return {"story": link.title or link.url, "url": link.url, "status": "disallowed by robots.txt",
                "version": None, "story_id": None, "link": "", "error": ""}
    _bundle, result = publish_url(link.url, extra_tags=link.tags, force=force)
    manifest = next((o for o in result.objects if o.endswith("/manifest.json")), result.latest_uri)
    return {"story": link.title or link.url, "url": link.url, "status": result.status,
            "version": result.version, "story_id": result.story_id, "link": manifest, "error": ""}


def _outcome(link: StoryLink, future) -> dict:  # noqa: ANN001 - a PrefectFuture
    state = future.wait() or future.state
    if state.is_completed():
        return future.result()
    try:
        future.result()
        message = state.message or state.name
    except Exception as exc:  # noqa: BLE001 - the story's own error, shown in the report
        message = str(exc)
    return {"story": link.title or link.url, "url": link.url, "status": "failed", "version": None,
            "story_id": None, "link": "", "error": " ".join(message.split())[:300]}


@flow(name="poll-feeds", task_runner=ThreadPoolTaskRunner(max_workers=get_settings().publish_concurrency))
def poll_feeds(
    sources_file: str | None = Field(None, description="YAML sources file; default NEWSROOM_SOURCES_FILE."),
    force: bool = Field(False, description="Republish every listed story even if already handled."),
):
    logger = get_run_logger()
    rows: list[dict] = []
    failed: list[str] = []
    work: list[tuple[str, StoryLink]] = []
    for source in load_sources(sources_file):
        try:
            links = discover_task(source)
        except Exception as exc:  # noqa: BLE001 - a broken source must not stop the others
            message = " ".join(str(exc).split())[:300]
            logger.error("source %s failed: %s", source.name, message)
            failed.append(f"source {source.name}")
            rows.append({"story": f"(source {source.name})", "url": source.url, "status": "failed",
                         "version": None, "link": "", "error": message})
            continue
        seen = load_seen(source.name)
        for link in links:
            if force or is_new_or_changed(link, seen):
                work.append((source.name, link))
            else:
                rows.append({"story": link.title or link.url, "url": link.url, "status": "skipped",
                             "version": seen_version(link, seen),
                             "link": "", "error": ""})
        logger.info("source %s: %d listed, %d to publish", source.name, len(links),
                    sum(1 for name, _ in work if name == source.name))

    # A story listed by several sources is published once, with all their tags.
    unique = merge_duplicates([link for _name, link in work])
    futures = publish_link.map(list(unique.values()), force=force)
    outcomes = {key: _outcome(link, future) for (key, link), future in zip(unique.items(), futures)}
    for outcome in outcomes.values():
        rows.append({k: outcome[k] for k in ("story", "url", "status", "version", "link", "error")})
        if outcome["status"] == "failed":
            failed.append(outcome["url"])
    by_source: dict[str, list[tuple[StoryLink, dict]]] = {}
    for name, link in work:
        by_source.setdefault(name, []).append((link, outcomes[normalise_url(link.url)]))
    for name, results in by_source.items():
        record_results(name, results)

    create_table_artifact(table=rows, key="poll-feeds-report",
                          description=f"{len(unique)} stories published or checked, {len(failed)} failed")
    published = sum(1 for r in rows if r["status"] == "published")
    summary = f"{published} published, {len(rows) - published - len(failed)} unchanged or skipped"
    if failed:
        return Failed(message=f"{summary}; {len(failed)} failed: {', '.join(failed)[:1000]}")
    return Completed(message=summary)
