"""The warm engine: a run's process is a fork of a server that imported
everything, with the client's arguments, environment, folder, streams,
exit status and signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.warm_engine import SOCKET_ENV

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def warm_socket(tmp_path):
    path = tmp_path / "warm.sock"
    server = subprocess.Popen([sys.executable, "-m", "cli.warm_engine", "serve", "--socket", str(path),
                               "--engine", "tests.ops.fake_engine", "--preload", "json"], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    assert "warm engine ready" in server.stdout.readline()
    yield path
    server.terminate()
    server.wait(timeout=20)
    assert not path.exists()


def _client(socket_path, cwd, **env) -> subprocess.Popen:
    # As the work pool runs it: the script alone, without site-packages.
    return subprocess.Popen([sys.executable, "-I", "-S", str(REPO / "cli" / "warm_engine.py"), "run-id-1"],
                            cwd=cwd, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO), SOCKET_ENV: str(socket_path), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _gone(pid: int) -> bool:
    for _ in range(100):
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_the_child_gets_the_clients_arguments_folder_environment_and_streams(warm_socket, tmp_path):
    client = _client(warm_socket, tmp_path, RUN_NAME="first", FAKE_EXIT="3")
    out, err = client.communicate(timeout=60)
    seen = json.loads(out)
    assert (seen["argv"], seen["cwd"], seen["run"]) == (["run-id-1"], str(tmp_path), "first")
    assert seen["pid"] != client.pid  # a fork of the server, not the client itself
    assert err.strip() == "to stderr"
    assert client.returncode == 3


def test_the_workers_sigterm_reaches_the_run(warm_socket, tmp_path):
    client = _client(warm_socket, tmp_path, FAKE_WAIT="1")
    child = json.loads(client.stdout.readline())["pid"]
    client.send_signal(signal.SIGTERM)
    assert client.wait(timeout=30) == 128 + signal.SIGTERM
    assert _gone(child)


def test_a_client_killed_outright_takes_its_run_with_it(warm_socket, tmp_path):
    client = _client(warm_socket, tmp_path, FAKE_WAIT="1")
    child = json.loads(client.stdout.readline())["pid"]
    client.kill()
    client.wait(timeout=30)
    assert _gone(child)


def test_without_a_server_the_client_becomes_the_engine_itself(tmp_path):
    client = subprocess.run([sys.executable, "-I", "-S", str(REPO / "cli" / "warm_engine.py"), "not-a-uuid"],
                            cwd=REPO, text=True,
                            env={**os.environ, SOCKET_ENV: str(tmp_path / "nobody.sock")},
                            capture_output=True, timeout=120)
    # prefect.engine's own answer to a bad flow run id: proof it ran in place.
    assert client.returncode == 1
    assert "Invalid flow run id" in client.stderr + client.stdout
