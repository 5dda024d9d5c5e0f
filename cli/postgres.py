"""A throwaway PostgreSQL server for Prefect: Debian's `postgresql` package,
``initdb`` and ``pg_ctl`` into a data directory, TCP on 127.0.0.1 only.

PostgreSQL refuses to run as root; as root the server runs as the
``postgres`` user the package creates, from a data directory that user can
reach (inside ``parent`` when it can, else a private folder under /tmp).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cli.local_services import free_port

DATABASE = "prefect"
ROLE = "prefect"


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                      None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: apt-get install postgresql"
                           " (.ci/postgres-prereqs does it)")
    return found


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _reachable_by_postgres(path: Path) -> bool:
    if os.geteuid() != 0:
        return True
    return subprocess.run(_as_owner(["test", "-w", str(path)]), capture_output=True).returncode == 0


def _data_dir(parent: Path) -> Path:
    candidate = parent / "postgres"
    candidate.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(candidate, user.pw_uid, user.pw_gid)
        if not _reachable_by_postgres(candidate):
            candidate.rmdir()
            candidate = Path(tempfile.mkdtemp(prefix="newsroom-postgres-"))
            os.chown(candidate, user.pw_uid, user.pw_gid)
            (parent / "postgres-data-dir").write_text(str(candidate))
    return candidate


def start(parent: Path) -> tuple[str, Path]:
    """initdb and start a server; returns (SQLAlchemy URL for Prefect, data directory)."""
    data = _data_dir(parent)
    port = free_port()
    run = lambda argv: subprocess.run(_as_owner(argv), check=True, capture_output=True, text=True)  # noqa: E731
    try:
        run([_bin("initdb"), "-D", str(data / "db"), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--no-sync"])
        # Prefect opens a pool per API process; several workers and services need more than 100.
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='' "
                   "-c max_connections=200 -c fsync=off -c synchronous_commit=off")
        run([_bin("pg_ctl"), "-D", str(data / "db"), "-o", options, "-l", str(data / "server.log"), "-w", "start"])
        run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", ROLE, DATABASE])
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"PostgreSQL did not start: {' '.join(exc.cmd[-3:])}: {exc.stderr.strip()[-500:]}") \
            from None
    return f"postgresql+asyncpg://{ROLE}@127.0.0.1:{port}/{DATABASE}", data


def stop(data: Path) -> None:
    """Stop the server (fast shutdown) and delete its data directory."""
    if (data / "db" / "postmaster.pid").exists():
        subprocess.run(_as_owner([_bin("pg_ctl"), "-D", str(data / "db"), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def postgres_server(parent: Path) -> Iterator[str]:
    url, data = start(parent)
    try:
        yield url
    finally:
        stop(data)


def data_dir_of(parent: Path) -> Path | None:
    """Where :func:`start` put the data directory for ``parent``, if it did."""
    moved = parent / "postgres-data-dir"
    data = Path(moved.read_text()) if moved.exists() else parent / "postgres"
    return data if (data / "db").exists() else None
