"""The pull step of the process deployments: change into the project checkout.

``prefect.yaml`` names :func:`set_project_directory` as the deployments' pull
step. It runs on the worker when a flow run starts, before the flow's file is
loaded, so a worker started without ``NEWSROOM_PROJECT_DIR`` (or with it
pointing somewhere else) fails here with one line that says what to set,
instead of a ``FileNotFoundError`` on ``flows/publish_story.py`` later.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NEWSROOM_PROJECT_DIR"
# One file every checkout holds: the on-demand flow's entrypoint.
MARKER = Path("flows") / "publish_story.py"


class ProjectDirError(RuntimeError):
    """The worker's environment does not name a checkout of the project."""


def project_directory(environ: dict[str, str] | None = None) -> Path:
    """The checkout named by NEWSROOM_PROJECT_DIR, or a one-line error."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not value:
        raise ProjectDirError(f"{ENV_VAR} is not set on the worker: set it to the project checkout"
                              f" (the folder holding {MARKER.as_posix()}) and restart the worker")
    directory = Path(value).expanduser()
    if not (directory / MARKER).is_file():
        raise ProjectDirError(f"{ENV_VAR}={value} does not hold the project (no {MARKER.as_posix()} there):"
                              " point it at the project checkout and restart the worker")
    return directory.resolve()


def set_project_directory() -> dict[str, str]:
    """Prefect pull step: chdir into the checkout; its output is ``{{ directory }}``."""
    try:
        directory = project_directory()
    except ProjectDirError as exc:
        _log_to_flow_run(str(exc))
        raise
    os.chdir(directory)
    return {"directory": str(directory)}


def _log_to_flow_run(message: str) -> None:
    # A failing pull step's traceback goes to the worker's stderr only; the
    # run's own log (what the UI shows) gets the one line that says what to do.
    flow_run_id = os.environ.get("PREFECT__FLOW_RUN_ID")
    if not flow_run_id:
        return
    from uuid import UUID

    from prefect.logging.loggers import flow_run_logger

    flow_run_logger(flow_run_id=UUID(flow_run_id)).error(message)
