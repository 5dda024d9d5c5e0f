"""`make up` brings the whole stack up, the Run button publishes a fixture
story, and `make down` leaves nothing running and nothing behind."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.config import Config

from tests.integration.prefect_server import prefect_api


pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def _make(target: str, state: Path, *extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSROOM_"))}
    run = subprocess.run(["make", "-s", "-C", str(REPO), target, f"STACK_DIR={state}", *extra],
                         capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, f"make {target} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout


def _field(output: str, label: str) -> str:
    match = re.search(rf"^{label}:\s+(\S+)", output, re.MULTILINE)
    assert match, f"no {label!r} line in:\n{output}"
    return match.group(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not looked yet.
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command and "pytest" not in command:
            found.append(command)
    return found


def _press_run(api: str, url: str) -> dict:
    # Every call through prefect_api: a loaded SQLite server answers 503 now and then, reads too.
    deployment = prefect_api(api, "GET", "/deployments/name/publish-story/on-demand").json()
    created = prefect_api(api, "POST", f"/deployments/{deployment['id']}/create_flow_run",
                          json={"parameters": {"url": url}, "state": {"type": "SCHEDULED"}})
    assert created.status_code == 201, created.text
    for _ in range(600):
        run = prefect_api(api, "GET", f"/flow_runs/{created.json()['id']}").json()
        if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(0.5)
    raise AssertionError("the run did not finish")


# PostgreSQL passes the same test (database="postgresql"); the scale test runs
# the stack on PostgreSQL in every CI run, so this one runs on the default.
@pytest.mark.parametrize("database", ["sqlite"])
def test_make_up_run_and_make_down(tmp_path, database):
    state = tmp_path / "stack"
    output = _make("up", state, *(["POSTGRES=1"] if database == "postgresql" else []))
    ui = _field(output, "Prefect UI")
    assert f"database {database}" in output
    assert requests.get(ui, timeout=30).status_code == 200  # the UI itself
    api = ui + "/api"
    pids = [int(p.read_text()) for p in (state / "pids").glob("*.pid")]
    assert len(pids) >= 4  # the stack, the Prefect server, the warm engine, a worker
    try:
        poll = prefect_api(api, "GET", "/deployments/name/poll-feeds/scheduled").json()
        assert [s["active"] for s in poll["schedules"]] == [False]

        run = _press_run(api, _field(output, "Story to try"))
        assert run["state"]["type"] == "COMPLETED", run["state"]
        endpoint, bucket = _field(output, "S3 endpoint"), re.search(r"bucket: (\S+)", output).group(1)
        credentials_file = Path(re.search(r"its local credentials: (\S+)\)", output).group(1))
        credentials = dict(line.split("=", 1) for line in credentials_file.read_text().split())
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
                          config=Config(s3={"addressing_style": "path"}))
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
        (manifest,) = [k for k in keys if k.endswith("/v0001/manifest.json")]
        body = json.loads(s3.get_object(Bucket=bucket, Key=manifest)["Body"].read())
        assert body["canonical_url"]
    finally:
        _make("down", state)
    assert not state.exists()
    assert [pid for pid in pids if _alive(pid)] == []
    assert _processes_mentioning(str(state)) == []


@pytest.mark.parametrize(("flag", "expected"), [("POSTGRES=1", True), ("POSTGRES=0", False), (None, False)])
def test_postgres_is_asked_for_with_one_make_variable(flag, expected):
    dry = subprocess.run(["make", "-n", "-C", str(REPO), "up", *([flag] if flag else [])],
                         capture_output=True, text=True, timeout=60)
    (line,) = [line for line in dry.stdout.replace("\\\n", " ").splitlines() if "cli.stack up" in line]
    assert ("--postgres" in line) is expected
