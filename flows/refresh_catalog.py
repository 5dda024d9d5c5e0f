"""Flow ``refresh-catalog``: render the bucket's feed and news sitemap again.

Every publish, correction, kill and release already updates them
(tasks/catalog_store.py). This flow renders both again from the stored
recent list, without changing it, so that:

* an update cut short between the list and its renderings is completed;
* the news sitemap drops stories older than 48 hours even when nothing was
  published since.

``prefect.yaml`` runs it on every ``newsroom.story.withdrawn`` event (a
deployment trigger), so a killed story is out of the feed and sitemap
however its kill ended; it can also be run from the UI or on a schedule.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from pydantic import Field

from config.settings import Settings
from flows.publish_story import LOCAL_SETTINGS, refuse_local_only
from tasks.announce import catalog_locations
from tasks.catalog_store import refresh_renderings
from tasks.resources import Resources


@flow(name="refresh-catalog")
def refresh_catalog(
    reason: str = Field("", max_length=500, description="Why it runs (the event that triggered it): logged."),
    settings: Settings | None = Field(None, description=LOCAL_SETTINGS),
) -> int:
    logger = get_run_logger()
    refuse_local_only(settings=settings)
    resources = Resources.build(settings)
    resources.ensure_bucket()
    update = refresh_renderings(resources.store, catalog_locations(resources.settings))
    logger.info("feed and news sitemap rendered again from revision %d (%d stories)%s", update.revision,
                update.recent, f"; {reason}" if reason else "")
    return update.revision
