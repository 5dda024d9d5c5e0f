"""A fresh `prefect deploy` from prefect.yaml: nothing scheduled fails, and a
worker that does not know where the project is says so in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.project_dir import ENV_VAR
from tests.integration.prefect_server import prefect_server, worker

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SEED = "pages/aleppo-offensive.html"


def _press_run(server, deployment: str, parameters: dict) -> dict:
    """The UI's Run button: create_flow_run on the deployment, then wait for the end."""
    deployment_id = server.api("GET", f"/deployments/name/{deployment}").json()["id"]
    response = server.api("POST", f"/deployments/{deployment_id}/create_flow_run",
                          json={"parameters": parameters, "state": {"type": "SCHEDULED"}})
    assert response.status_code == 201, response.text
    return server.wait_for_run(response.json()["id"])


def test_fresh_deploy_is_paused_and_the_pull_step_names_the_variable(tmp_path, settings, site, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    home = tmp_path / "prefect-home"
    home.mkdir()
    with prefect_server(home) as server:
        server.cli("work-pool", "create", "newsroom", "--type", "process")
        server.cli("--no-prompt", "deploy", "--name", "*/on-demand", "--name", "*/scheduled")

        poll = server.api("GET", "/deployments/name/poll-feeds/scheduled").json()
        assert [s["active"] for s in poll["schedules"]] == [False]
        publish = server.api("GET", "/deployments/name/publish-story/on-demand").json()
        assert publish["pull_steps"] == [{"config.project_dir.set_project_directory": {}}]

        storage = {
            "NEWSROOM_S3_ENDPOINT_URL": settings.s3_endpoint_url,
            "NEWSROOM_S3_BUCKET": settings.s3_bucket,
            "NEWSROOM_S3_ADDRESSING_STYLE": "path",
            "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        elsewhere = tmp_path / "worker-cwd"
        elsewhere.mkdir()
        with worker(server, "newsroom", storage, elsewhere):
            lost = _press_run(server, "publish-story/on-demand", {"url": f"{site}/{SEED}"})
            assert lost["state"]["type"] in ("FAILED", "CRASHED"), lost["state"]
            lines = server.logs(lost["id"], f"{ENV_VAR} is not set")
            # Not the old symptom: the flow's file looked for in the worker's own folder.
            assert not any("No such file" in line and "publish_story.py" in line for line in lines)

        with worker(server, "newsroom", {**storage, ENV_VAR: str(REPO)}, elsewhere):
            found = _press_run(server, "publish-story/on-demand", {"url": f"{site}/{SEED}"})
            assert found["state"]["type"] == "COMPLETED", found["state"]
