"""prefect.yaml's lost-run automations on a real Prefect server.

A worker can die at any point of a run's life: while the run is Pending
(before the run's own process took over), after it entered Running but
before its first heartbeat reached the server, or later. Each must end
Lost and back in the queue (AwaitingRetry); a run that finishes is left
alone. The automations are created from prefect.yaml itself, with their
windows shortened so the test does not wait 90 s and 10 minutes: what is
checked is which events arm and satisfy each trigger, not the clock.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from tests.integration.prefect_server import prefect_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
WINDOW = 15  # seconds, in place of prefect.yaml's 90 s and 10 minutes


def _automations_with_short_windows(path: Path) -> Path:
    automations = yaml.safe_load((REPO / "prefect.yaml").read_text())["automations"]
    for automation in automations:
        if automation["trigger"]["posture"] == "Proactive":
            automation["trigger"]["within"] = WINDOW
    path.write_text(yaml.safe_dump({"automations": automations}))
    return path


def _set_state(server, run_id: str, state_type: str, name: str) -> None:
    response = server.api("POST", f"/flow_runs/{run_id}/set_state",
                          json={"state": {"type": state_type, "name": name}, "force": True})
    assert response.status_code in (200, 201), response.text
    assert response.json()["status"] == "ACCEPT", response.json()


def test_a_run_whose_worker_died_is_lost_and_requeued_wherever_it_died(tmp_path: Path):
    home = tmp_path / "prefect-home"
    home.mkdir()
    with prefect_server(home) as server:
        server.cli("automation", "create", "--from-file", str(_automations_with_short_windows(tmp_path / "a.yaml")))
        flow_id = server.api("POST", "/flows/", json={"name": "publish-story"}).json()["id"]
        # Only a deployment's run can go back in a queue, as every newsroom run is.
        deployment = server.api("POST", "/deployments/", json={"name": "on-demand", "flow_id": flow_id})
        assert deployment.status_code in (200, 201), deployment.text

        def new_run(name: str) -> str:
            response = server.api("POST", f"/deployments/{deployment.json()['id']}/create_flow_run",
                                  json={"name": name, "state": {"type": "SCHEDULED", "name": "Scheduled"}})
            assert response.status_code == 201, response.text
            return response.json()["id"]

        died_pending, died_before_first_beat, finished = new_run("pending"), new_run("running"), new_run("done")
        # Give the triggers service time to load the automations before the first event.
        time.sleep(5)
        for run_id in (died_pending, died_before_first_beat, finished):
            _set_state(server, run_id, "PENDING", "Pending")
        for run_id in (died_before_first_beat, finished):
            _set_state(server, run_id, "RUNNING", "Running")
        _set_state(server, finished, "COMPLETED", "Completed")

        # The server's proactive evaluation can fire one arming twice (Lost,
        # AwaitingRetry, Lost, AwaitingRetry): the run ends requeued all the
        # same, and a publish is idempotent. So the histories are read once
        # they have settled: unchanged for 10 s, each ending back in the queue.
        deadline = time.monotonic() + 240
        lost = {died_pending: [], died_before_first_beat: []}
        settled_since = time.monotonic()
        while time.monotonic() < deadline:
            now = {run_id: server.state_names(run_id) for run_id in lost}
            if now != lost:
                lost, settled_since = now, time.monotonic()
            elif all(names[-1:] == ["AwaitingRetry"] for names in lost.values()) \
                    and time.monotonic() - settled_since > 10:
                break
            time.sleep(2)
        for run_id, names in lost.items():
            transitions = [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]
            assert transitions[-2:] == ["Lost", "AwaitingRetry"], (run_id, names)
        assert server.state_names(finished)[-1] == "Completed"
        time.sleep(WINDOW + 10)  # well past its window: still not touched
        assert server.state_names(finished)[-1] == "Completed"
