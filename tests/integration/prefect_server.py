"""A real Prefect server and worker in child processes, as an operator runs them."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from cli.local_services import REPO_ROOT, free_port, stop_process, wait_for_http
from cli.stack import server_environment

PREFECT = str(Path(sys.executable).with_name("prefect"))


def prefect_api(api_url: str, method: str, path: str, **kwargs) -> requests.Response:
    """One call to a Prefect server's API. A busy server (SQLite, 2 cores)
    answers 503 now and then while another writer holds the database: the UI
    and Prefect's own client retry, so do we."""
    for attempt in range(6):
        response = requests.request(method, f"{api_url}{path}", timeout=30, **kwargs)
        if response.status_code not in (502, 503, 504):
            return response
        time.sleep(0.5 * 2**attempt)
    return response


@dataclass
class PrefectServer:
    api_url: str
    env: dict[str, str]
    log: Path

    def cli(self, *args: str, cwd: Path = REPO_ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
        run = subprocess.run([PREFECT, *args], cwd=cwd, env=self.env, capture_output=True, text=True,
                             timeout=timeout)
        if run.returncode != 0:
            raise AssertionError(f"prefect {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
        return run

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return prefect_api(self.api_url, method, path, **kwargs)

    def wait_for_run(self, flow_run_id: str, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.api("GET", f"/flow_runs/{flow_run_id}").json()
            if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                return run
            time.sleep(1)
        raise AssertionError(f"flow run {flow_run_id} did not finish in {timeout:.0f}s")

    def state_names(self, flow_run_id: str) -> list[str]:
        """The run's state names, oldest first ("Pending", "Running", "Lost", ...)."""
        states = self.api("GET", "/flow_run_states/", params={"flow_run_id": flow_run_id}).json()
        return [s["name"] for s in sorted(states, key=lambda s: s["timestamp"])]

    def logs(self, flow_run_id: str, expect: str, timeout: float = 20) -> list[str]:
        """Flow-run logs reach the server shortly after the run ends: poll for them."""
        deadline = time.monotonic() + timeout
        messages: list[str] = []
        while time.monotonic() < deadline:
            body = {"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "TIMESTAMP_ASC", "limit": 200}
            messages = [entry["message"] for entry in self.api("POST", "/logs/filter", json=body).json()]
            if any(expect in m for m in messages):
                return messages
            time.sleep(0.5)
        raise AssertionError(f"no log line containing {expect!r}; got {messages[-5:]}")


@contextlib.contextmanager
def prefect_server(home: Path) -> Iterator[PrefectServer]:
    # free_port() only finds a port free now: another test's server, started at
    # the same moment, may take it first. Our server then exits ("Port … is
    # already in use") while the other one answers the health check, so the
    # server counts as started only once its own log shows it past the port check.
    for _ in range(_START_ATTEMPTS):
        port = free_port()
        env = {
            **os.environ,
            # The settings the stack's own server runs with (its API and UI on
            # the port, analytics off, retention by the vacuum service) ...
            **server_environment(port, home),
            # ... but runs are started by the test, as the UI's Run button does;
            # the 15-minute schedule must not add runs of its own mid-test.
            "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        }
        log = home / "server.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                       env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            if _started(process, port, log):
                yield PrefectServer(f"http://127.0.0.1:{port}/api", env, log)
                return
        finally:
            stop_process(process, timeout=20)
    raise RuntimeError(f"prefect server lost its port {_START_ATTEMPTS} times; last log: {log.read_text()[-500:]}")


_START_ATTEMPTS = 3


def _started(process: subprocess.Popen, port: int, log: Path) -> bool:
    """Whether our server came up on the port; False when another process holds it."""
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/health", timeout=120, process=process)
    except RuntimeError:
        if "already in use" in log.read_text(errors="replace"):
            return False
        raise
    deadline = time.monotonic() + 120
    while "Check out the dashboard" not in log.read_text(errors="replace"):
        if process.poll() is not None:
            if "already in use" in log.read_text(errors="replace"):
                return False
            raise RuntimeError(f"prefect server exited with code {process.returncode}: {log.read_text()[-500:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"prefect server printed no banner within 120 s: {log.read_text()[-500:]}")
        time.sleep(0.2)
    return process.poll() is None


@contextlib.contextmanager
def worker(server: PrefectServer, pool: str, env: dict[str, str], cwd: Path) -> Iterator[Path]:
    log = cwd / f"worker-{pool}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([PREFECT, "worker", "start", "--pool", pool, "--type", "process"],
                                   cwd=cwd, env={**server.env, **env}, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield log
    finally:
        stop_process(process, timeout=30)
