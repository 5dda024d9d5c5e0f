"""The whole local stack in one command: ``make up`` / ``make down``.

A Prefect server with its UI (SQLite, or PostgreSQL with ``--postgres``), the
local S3-compatible endpoint and the fixture news site with its feeds (from
cli/local_services.py), the ``newsroom`` process work pool, the deployments
of prefect.yaml, a warm flow-run engine (cli/warm_engine.py) and a worker.
Every port is a free one; all state lives in one directory, which ``down``
deletes after stopping everything recorded in its pid files.

    python -m cli.stack up [--dir .stack] [--postgres] [--workers N]
    python -m cli.stack down [--dir .stack]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cli.local_services import REPO_ROOT, free_port, local_s3, static_site, stop_process, wait_for_http
from cli.warm_engine import SOCKET_ENV

BIN = Path(sys.executable).parent
PREFECT = str(BIN / "prefect")
POOL = "newsroom"
BUCKET = "newsroom-local"
READY = "stack.json"
# How long Prefect keeps finished flow runs (and their logs, task runs and
# artifacts) before its database vacuum deletes them.
RETENTION_ENV = "NEWSROOM_RUN_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


def retention_seconds(environ: dict[str, str] | None = None) -> int:
    raw = (os.environ if environ is None else environ).get(RETENTION_ENV, str(DEFAULT_RETENTION_DAYS))
    try:
        days = float(raw)
    except ValueError:
        raise ValueError(f"{RETENTION_ENV}={raw!r} is not a number of days") from None
    if days * 86400 <= 3600:
        raise ValueError(f"{RETENTION_ENV}={raw!r}: Prefect keeps runs at least an hour")
    return int(days * 86400)


def server_environment(port: int, home: Path, database_url: str | None = None) -> dict[str, str]:
    """The Prefect server's settings: its API and UI on ``port``, retention by the vacuum service."""
    env = {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        # The UI finds its API from this port too: set with the one served.
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,flow_runs",
        "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD": str(retention_seconds()),
    }
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    return env


def warm_pool_template() -> dict:
    """The process pool's job template, its command the warm engine's client."""
    out = subprocess.run([PREFECT, "work-pool", "get-default-base-job-template", "--type", "process"],
                         check=True, capture_output=True, text=True).stdout
    template = json.loads(out)
    # The client needs only the standard library: -I -S skips site-packages
    # and its path hooks, a quarter of a second per run on a busy machine.
    client = REPO_ROOT / "cli" / "warm_engine.py"
    template["variables"]["properties"]["command"]["default"] = f"{sys.executable} -I -S {client}"
    return template


@dataclass
class Stack:
    state: Path
    api_url: str
    ui_url: str
    s3_endpoint: str
    s3_credentials: dict[str, str]
    s3_browse: str | None
    bucket: str
    site: str
    env: dict[str, str]
    worker_env: dict[str, str]
    workers: list[subprocess.Popen] = field(default_factory=list)
    database: str = "sqlite"

    def cli(self, *args: str, timeout: float = 300) -> str:
        run = subprocess.run([PREFECT, *args], cwd=REPO_ROOT, env=self.env, capture_output=True, text=True,
                             timeout=timeout)
        if run.returncode != 0:
            raise RuntimeError(f"prefect {' '.join(args)} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
        return run.stdout

    def start_worker(self, name: str, limit: int | None = None) -> subprocess.Popen:
        """A process worker on the pool (at most ``limit`` runs at a time), in its own session."""
        cwd = self.state / name
        cwd.mkdir(exist_ok=True)
        out = open(self.state / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the worker
        argv = [PREFECT, "worker", "start", "--pool", POOL, "--type", "process", "--name", name]
        process = subprocess.Popen(argv + (["--limit", str(limit)] if limit else []),
                                   cwd=cwd, env=self.worker_env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        out.close()
        _write_pid(self.state, name, process.pid)
        self.workers.append(process)
        return process

    def summary(self) -> dict:
        return {"ui": self.ui_url, "api": self.api_url, "s3_endpoint": self.s3_endpoint, "bucket": self.bucket,
                "s3_credentials_file": str(self.state / "s3.env"), "s3_browse": self.s3_browse,
                "site": self.site, "database": self.database, "state": str(self.state),
                "feeds": [f"{self.site}/feeds/news.rss", f"{self.site}/feeds/world.atom",
                          f"{self.site}/feeds/news-sitemap.xml"]}


def _write_pid(state: Path, name: str, pid: int) -> None:
    (state / "pids").mkdir(exist_ok=True)
    (state / "pids" / f"{name}.pid").write_text(str(pid))


def _spawn(state: Path, name: str, argv: list[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> subprocess.Popen:
    with open(state / f"{name}.log", "ab") as out:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    _write_pid(state, name, process.pid)
    return process


def _sources_file(state: Path, site: str) -> Path:
    path = state / "sources.yaml"
    path.write_text("# The local news site's feeds (fixtures/feeds), as a publisher serves them.\nsources:\n"
                    f"  - name: gazette\n    url: {site}/feeds/news.rss\n    tags: [Local]\n"
                    f"  - name: courier\n    url: {site}/feeds/world.atom\n"
                    f"  - name: gazette-sitemap\n    url: {site}/feeds/news-sitemap.xml\n    kind: sitemap\n")
    return path


@contextlib.contextmanager
def local_stack(state: Path, *, postgres: bool = False, workers: int = 1, warm: bool = True,
                query_seconds: float = 1.0, sources: Path | None = None, site_root: Path | None = None,
                extra_worker_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Everything up, yielded as a :class:`Stack`; everything down on exit."""
    state = state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        database_url = None
        if postgres:
            from cli.postgres import postgres_server

            database_url = stack.enter_context(postgres_server(state))
        store = stack.enter_context(local_s3())
        # Recorded so that `down` can clean up even after the stack's own process died.
        _write_pid(state, "s3", store.pid)
        if store.data_dir:
            (state / "s3-data-dir").write_text(str(store.data_dir))
        credentials = state / "s3.env"
        credentials.write_text("".join(f"{k}={v}\n" for k, v in store.credentials.items()))
        credentials.chmod(0o600)
        site = stack.enter_context(static_site(site_root) if site_root else static_site())
        port = free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSROOM_"))}
        env = {**base, **server_environment(port, state / "prefect-home", database_url)}
        server = _spawn(state, "prefect-server",
                        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env)
        stack.callback(stop_process, server, 30)
        wait_for_http(f"http://127.0.0.1:{port}/api/health", timeout=180, process=server)

        worker_env = {
            **env,
            **store.credentials,  # the local endpoint's own; never real ones
            "AWS_DEFAULT_REGION": "us-east-1",
            "NEWSROOM_PROJECT_DIR": str(REPO_ROOT),
            "NEWSROOM_S3_ENDPOINT_URL": store.endpoint,
            "NEWSROOM_S3_BUCKET": BUCKET,
            "NEWSROOM_S3_ADDRESSING_STYLE": "path",
            "NEWSROOM_S3_CREATE_BUCKET": "true",
            "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "NEWSROOM_SOURCES_FILE": str(sources or _sources_file(state, site)),
            # The worker asks for new runs every second instead of every ten.
            "PREFECT_WORKER_QUERY_SECONDS": str(query_seconds),
            "PREFECT_WORKER_PREFETCH_SECONDS": "10",
            # Heartbeats let the server notice a run whose worker died (prefect.yaml's automations).
            "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            **(extra_worker_env or {}),
        }
        result = Stack(state, f"http://127.0.0.1:{port}/api", f"http://127.0.0.1:{port}", store.endpoint,
                       dict(store.credentials), store.browse_url, BUCKET, site, env, worker_env,
                       database="postgresql" if postgres else "sqlite")
        template = state / "pool-template.json"
        if warm:
            template.write_text(json.dumps(warm_pool_template()))
            result.cli("work-pool", "create", POOL, "--type", "process", "--overwrite",
                       "--base-job-template", str(template))
        else:
            result.cli("work-pool", "create", POOL, "--type", "process", "--overwrite")
        # Deployed without NEWSROOM_PROJECT_DIR, as prefect.yaml asks: the worker's value is used.
        result.cli("--no-prompt", "deploy", "--name", "*/on-demand", "--name", "*/scheduled")
        result.cli("automation", "create", "--from-file", str(REPO_ROOT / "prefect.yaml"))
        if warm:
            socket_path = state / "warm-engine.sock"
            worker_env[SOCKET_ENV] = str(socket_path)
            engine = _spawn(state, "warm-engine", [sys.executable, "-m", "cli.warm_engine", "serve",
                                                   "--socket", str(socket_path)], worker_env)
            stack.callback(stop_process, engine, 20)
            _wait_for_file(socket_path, engine)
        for index in range(workers):
            result.start_worker(f"worker-{index + 1}")
        stack.callback(lambda: [stop_process(w, 30) for w in result.workers if w.poll() is None])
        yield result


def _wait_for_file(path: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{path.name} did not appear (process exited with {process.returncode})")
        time.sleep(0.1)


# --- make up / make down ------------------------------------------------------------------------

def _serve(args: argparse.Namespace) -> int:
    """The stack's own process: holds everything up until SIGTERM."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    state = Path(args.dir)
    with local_stack(state, postgres=args.postgres, workers=args.workers) as stack:
        (state / READY).write_text(json.dumps(stack.summary(), indent=2))
        while not stopping:
            time.sleep(0.5)
    return 0


def _up(args: argparse.Namespace) -> int:
    state = Path(args.dir).resolve()
    if (state / "pids" / "stack.pid").exists():
        print(f"a stack is already up in {state} (make down first)", file=sys.stderr)
        return 1
    state.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "cli.stack", "serve", "--dir", str(state), "--workers", str(args.workers)]
    process = _spawn(state, "stack", argv + (["--postgres"] if args.postgres else []), dict(os.environ))
    deadline = time.monotonic() + 600
    while not (state / READY).exists():
        if process.poll() is not None or time.monotonic() > deadline:
            print(f"the stack did not come up; see {state}/*.log", file=sys.stderr)
            print((state / "stack.log").read_text()[-3000:], file=sys.stderr)
            _down(args)
            return 1
        time.sleep(0.5)
    info = json.loads((state / READY).read_text())
    print(f"Prefect UI:   {info['ui']}   (API {info['api']}, database {info['database']})")
    print(f"Deployments:  publish-story/on-demand (press Run), poll-feeds/scheduled (paused), kill-story/on-demand")
    print(f"S3 endpoint:  {info['s3_endpoint']}   bucket: {info['bucket']}"
          f"   (its local credentials: {info['s3_credentials_file']})")
    if info["s3_browse"]:
        print(f"Browse files: {info['s3_browse']}")
    print(f"News site:    {info['site']}/news/   feeds: {' '.join(info['feeds'])}")
    print(f"Story to try: {info['site']}/pages/aleppo-offensive.html")
    print(f"State:        {state}   (make down stops everything and deletes it)")
    return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _down(args: argparse.Namespace) -> int:
    state = Path(args.dir).resolve()
    pids = state / "pids"
    stack_pid = pids / "stack.pid"
    if stack_pid.exists():
        pid = int(stack_pid.read_text())
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 90
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.3)
    # Whatever did not stop with the stack's own process: each was started in
    # its own session, so its group takes its children (flow runs) with it.
    for pid_file in sorted(pids.glob("*.pid")) if pids.exists() else ():
        pid = int(pid_file.read_text())
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
    s3_data = state / "s3-data-dir"
    if s3_data.exists():
        shutil.rmtree(s3_data.read_text(), ignore_errors=True)
    leftover = state / "postgres-data-dir"
    for data in ([Path(leftover.read_text())] if leftover.exists() else []) + [state / "postgres"]:
        if data.exists():
            from cli.postgres import stop

            stop(data)
    shutil.rmtree(state, ignore_errors=True)
    print(f"stack stopped; {state} removed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cli.stack", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("up", _up), ("serve", _serve), ("down", _down)):
        command = sub.add_parser(name)
        command.add_argument("--dir", default=str(REPO_ROOT / ".stack"), help="the stack's state directory")
        if name != "down":
            command.add_argument("--postgres", action="store_true", help="the Prefect server on PostgreSQL")
            command.add_argument("--workers", type=int, default=1)
        command.set_defaults(func=func)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
