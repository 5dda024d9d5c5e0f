"""The story pipeline's steps as Prefect tasks, for the publish-story flow.

Each task wraps the same plain function ``plain_steps`` calls; retries and
timeouts come from the run's settings when the task is called
(``with_options``), not when this module is imported.

Prefect task retries, and why each stays:

* fetching a page or an image: the whole step is repeated only when a body
  was cut off mid-stream; 429, 5xx and connection errors were already
  retried by the fetch adapter (urllib3's Retry, tasks/exchange.py);
* publish: only when the race for a new version was lost ``MAX_RACE_ROUNDS``
  times (``PublishConflictError``); the whole step starts again from a fresh
  read. Storage faults are not retried here: botocore has already retried
  each request (tasks/storage.py).
"""

from __future__ import annotations

from datetime import datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from config.settings import Settings
from tasks.bundle import bundle_task
from tasks.isolation import clean_in_child, dedupe_in_child
from tasks.errors import PublishConflictError
from tasks.fetch import fetch_image, fetch_page, network_task_options, retry_if_body_interrupted
from tasks.models import Draft, PublishResult
from tasks.pipeline import Steps
from tasks.embargo import hold_draft
from tasks.pipeline import publish_and_announce
from tasks.resources import Resources

# A backstop only: every request has its own connect and read timeouts.
TIMEOUT_READS = 4

# Repeated by Prefect only when a body was cut mid-stream: the fetch
# adapter has already retried 429, 5xx and connection errors (tasks/exchange.py).
fetch_page_task = task(fetch_page, name="fetch-page", cache_policy=NO_CACHE, retry_condition_fn=retry_if_body_interrupted)
fetch_image_task = task(fetch_image, name="fetch-image", cache_policy=NO_CACHE,
                        retry_condition_fn=retry_if_body_interrupted)
# Parse, clean and dedupe run in a child process under hard limits: a Prefect
# timeout cannot stop a blocking sync task (tasks/isolation.py).
clean_task = task(clean_in_child, name="clean", cache_policy=NO_CACHE)
dedupe_task = task(dedupe_in_child, name="dedupe", cache_policy=NO_CACHE)


def _conflict_lost(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's hook signature
    """Retry condition of publish: only a race lost every round."""
    try:
        state.result()
    except PublishConflictError:
        return True
    except Exception:  # noqa: BLE001 - any other failure: botocore retried it, or it is not transient
        return False
    return False


@task(name="publish", retries=2, retry_delay_seconds=[2, 10], retry_jitter_factor=0.5,
      retry_condition_fn=_conflict_lost, cache_policy=NO_CACHE, timeout_seconds=600)
def publish_task(draft: Draft, resources: Resources, force: bool = False, note: str | None = None,
                 editor_tags: tuple[str, ...] | None = None) -> PublishResult:
    resources.ensure_bucket()
    # Then aliases, the bucket's feed, sitemap and index, and the story's event.
    return publish_and_announce(resources, draft, force, note, editor_tags)


# No retries: the storage reads and writes were retried by botocore, and a
# release that could not be scheduled is one line the editor acts on.
@task(name="hold-under-embargo", cache_policy=NO_CACHE, timeout_seconds=600)
def hold_task(draft: Draft, until: datetime, resources: Resources, force: bool = False, note: str | None = None,
              editor_tags: tuple[str, ...] | None = None) -> PublishResult:
    resources.ensure_bucket()
    return hold_draft(draft, resources.settings, resources.store, resources.releases, until=until, note=note,
                      editor_tags=editor_tags, force=force).result


def network_options(settings: Settings) -> dict:
    """Retries and timeout of a task that fetches from the web, from the run's settings."""
    return {**network_task_options(settings),
            "timeout_seconds": (settings.fetch_connect_timeout + settings.fetch_timeout) * TIMEOUT_READS}


def task_steps(resources: Resources) -> Steps:
    """The steps as Prefect tasks, with the run's settings and storage."""
    settings = resources.settings
    page_task = fetch_page_task.with_options(**network_options(settings))
    image_task = fetch_image_task.with_options(**network_options(settings))
    return Steps(
        fetch_page=lambda source, url: page_task(source, url, settings=settings),
        clean=lambda page: clean_task(page, settings),
        dedupe=lambda article: dedupe_task(article, settings),
        fetch_image=lambda url: image_task(url, settings),
        bundle=lambda deduped, page, image, tags, notes: bundle_task(deduped, page, image, list(tags), notes),
        publish=lambda draft, force, note, editor_tags: publish_task(draft, resources, force, note, editor_tags),
        hold=lambda draft, until, force, note, editor_tags: hold_task(draft, until, resources, force, note,
                                                                      editor_tags),
    )
