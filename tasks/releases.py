"""Scheduling the release of an embargoed story as a Prefect flow run.

An embargo ends at a time an editor chose, not when a poll happens to pass
by: holding a story creates a run of the release deployment
(``release-story/on-demand``, the ``release_deployment`` setting) in state
Scheduled for that time. Prefect's server keeps it, shows it in the UI
under the deployment's upcoming runs, and a worker starts it when it is due
(Prefect refuses to move a run to Running before its scheduled time). A
kill, or a newer version, cancels the run.

The release flow checks the stored embargo again when it runs, so a run
that could not be cancelled (the server was briefly unreachable) releases
nothing that was withdrawn or replaced.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from tasks.errors import PublishError

log = logging.getLogger(__name__)
# Scheduled and Pending runs have not started: cancelling them is safe. A
# running release finishes, and checks the embargo itself.
CANCELLABLE = ("SCHEDULED", "PENDING", "PAUSED")


class ReleaseSchedulingError(PublishError):
    """The release of an embargo could not be scheduled; the embargo was not stored."""


class Releases(Protocol):
    """Where embargo releases are scheduled (Prefect; a recorder in unit tests)."""

    def schedule(self, story_id: str, embargo_id: str, at: datetime) -> str:
        """Schedule the release; returns the flow run's id."""

    def cancel(self, run_id: str, reason: str) -> bool:
        """Cancel the release if it has not started; whether it was cancelled."""


class PrefectReleases:
    """Releases as runs of a Prefect deployment, on the API the process is configured for."""

    def __init__(self, deployment: str) -> None:
        self.deployment = deployment

    def schedule(self, story_id: str, embargo_id: str, at: datetime) -> str:
        from prefect import get_client
        from prefect.exceptions import ObjectNotFound
        from prefect.states import Scheduled

        try:
            with get_client(sync_client=True) as client:
                deployment = client.read_deployment_by_name(self.deployment)
                run = client.create_flow_run_from_deployment(
                    deployment.id, parameters={"story_id": story_id, "embargo_id": embargo_id},
                    state=Scheduled(scheduled_time=at), name=f"release-{story_id}"[:100],
                    tags=["newsroom", "embargo"],
                    # A retried hold (its answer lost) finds the run it made, not a second one.
                    idempotency_key=f"release-{embargo_id}")
        except ObjectNotFound:
            raise ReleaseSchedulingError(
                f"an embargo needs the Prefect deployment {self.deployment!r} to schedule its release, and the"
                " Prefect API has none (deploy prefect.yaml, or set NEWSROOM_RELEASE_DEPLOYMENT)") from None
        except Exception as error:  # noqa: BLE001 - any failure means no release: say so in one line
            raise ReleaseSchedulingError(f"the release of an embargo could not be scheduled on Prefect: "
                                         f"{type(error).__name__}: {' '.join(str(error).split())[:300]}") from None
        return str(run.id)

    def cancel(self, run_id: str, reason: str) -> bool:
        from prefect import get_client
        from prefect.states import Cancelled

        try:
            with get_client(sync_client=True) as client:
                run = client.read_flow_run(run_id)
                if run.state is None or run.state.type.value not in CANCELLABLE:
                    return False
                client.set_flow_run_state(run_id, Cancelled(message=reason[:500]), force=True)
        except Exception as error:  # noqa: BLE001 - the release checks the embargo itself when it runs
            log.warning("release run %s not cancelled (%s); it will find its embargo gone", run_id, error)
            return False
        return True
