"""Run-to-Completed latency of publish-story/on-demand, as an editor sees it.

Brings up the local stack (cli/stack.py: Prefect server, S3 endpoint, the
fixture site, the work pool, prefect.yaml's deployments, one process worker),
warms the worker with one run, then presses Run N times, one after another:
``POST /deployments/{id}/create_flow_run``, the call the UI's Run button makes
(the Python client's ``create_flow_run_from_deployment``), and waits for the
run to be Completed. Each run publishes a fixture page with ``force``, so
every run does the whole job. From the run's state history it splits the
wait into: worker pick-up (Scheduled -> Pending), start-up (Pending ->
Running: process, imports, pull step, flow load) and the flow's own work
(Running -> Completed).

    python bench/latency.py [--runs 20] [--cold] [--postgres]

``--cold`` is Prefect's defaults (a new Python process per run, the worker
asking every 10 s): the figures before the stack's tuning. The last line is:
latency: N runs p50 X s p95 Y s
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.project_venv import use_project_venv  # noqa: E402

use_project_venv()

import requests  # noqa: E402

from cli.local_services import FIXTURES  # noqa: E402
from cli.stack import local_stack  # noqa: E402

PHASES = (("pick-up", "SCHEDULED", "PENDING"), ("start-up", "PENDING", "RUNNING"),
          ("flow", "RUNNING", "COMPLETED"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def call(method: str, url: str, **kwargs) -> requests.Response:
    """A busy server (SQLite, 2 shared cores) answers 503 now and then: the UI retries, so do we."""
    for attempt in range(6):
        response = requests.request(method, url, timeout=30, **kwargs)
        if response.status_code not in (502, 503, 504):
            break
        time.sleep(0.2 * 2**attempt)
    response.raise_for_status()
    return response


def press_run(api: str, deployment_id: str, url: str) -> tuple[float, dict]:
    started = time.monotonic()
    response = call("POST", f"{api}/deployments/{deployment_id}/create_flow_run",
                    json={"parameters": {"url": url, "force": True}, "state": {"type": "SCHEDULED"}})
    run_id = response.json()["id"]
    while True:
        run = call("GET", f"{api}/flow_runs/{run_id}").json()
        if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            elapsed = time.monotonic() - started
            break
        time.sleep(0.05)
    if run["state"]["type"] != "COMPLETED":
        raise SystemExit(f"run {run_id} ended {run['state']['type']}: {run['state'].get('message')}")
    return elapsed, run


def phases(api: str, run_id: str) -> dict[str, float]:
    from datetime import datetime

    states = call("GET", f"{api}/flow_run_states/", params={"flow_run_id": run_id}).json()
    first: dict[str, datetime] = {}
    for state in states:
        first.setdefault(state["type"], datetime.fromisoformat(state["timestamp"]))
    return {name: (first[end] - first[begin]).total_seconds() for name, begin, end in PHASES
            if begin in first and end in first}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="Prefect's defaults: no warm engine, 10 s polling")
    parser.add_argument("--postgres", action="store_true", help="the Prefect server on PostgreSQL")
    args = parser.parse_args()
    pages = sorted((FIXTURES / "pages").glob("*.html"))
    with tempfile.TemporaryDirectory(prefix="newsroom-latency-") as state, \
            local_stack(Path(state), postgres=args.postgres, warm=not args.cold,
                        query_seconds=10 if args.cold else 1) as stack:
        mode = "cold (process per run, 10 s polling)" if args.cold else "warm engine, 1 s polling"
        print(f"stack up: {stack.ui_url} ({stack.database}), {mode}; {load()}", flush=True)
        deployment_id = call("GET", f"{stack.api_url}/deployments/name/publish-story/on-demand").json()["id"]
        warm_up, _ = press_run(stack.api_url, deployment_id, f"{stack.site}/pages/{pages[0].name}")
        print(f"warm-up run: {warm_up:.1f} s", flush=True)
        latencies: list[float] = []
        split: dict[str, list[float]] = {name: [] for name, _, _ in PHASES}
        for index in range(args.runs):
            page = pages[index % len(pages)]
            elapsed, run = press_run(stack.api_url, deployment_id, f"{stack.site}/pages/{page.name}")
            latencies.append(elapsed)
            parts = phases(stack.api_url, run["id"])
            for name, seconds in parts.items():
                split[name].append(seconds)
            detail = "  ".join(f"{name} {seconds:.1f}" for name, seconds in parts.items())
            print(f"  run {index + 1:2d} {page.stem[:32]:32s} {elapsed:5.1f} s   ({detail})", flush=True)
        medians = "  ".join(f"{name} {statistics.median(v):.1f} s" for name, v in split.items() if v)
        print(f"median phases: {medians}")
        print(f"{load()} at the end")
    print(f"latency: {len(latencies)} runs p50 {percentile(latencies, 0.5):.1f} s"
          f" p95 {percentile(latencies, 0.95):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
