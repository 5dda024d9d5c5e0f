"""Flow-run processes that start with Prefect and the pipeline already imported.

A process worker starts every flow run as a new Python process that imports
Prefect, boto3, lxml and the flows before doing any work: seconds of CPU per
run on a small machine, most of the wait between pressing Run and Completed.

This module is the work pool's job ``command`` (see cli/stack.py). Each run's
command is a small client that imports nothing heavy: it hands its
environment, working directory and standard streams to a long-lived server
over a Unix socket; the server, which imported everything once, forks, and
the child runs Prefect's own engine (``python -m prefect.engine``) for the
flow run. States, logs, heartbeats and cancellation are Prefect's as before:
the client forwards the worker's signals to the child and exits with its
status; a client killed outright takes its child with it. Without a server
(no socket, or nothing listening) the client simply becomes
``python -m prefect.engine``.

    python -m cli.warm_engine serve --socket PATH   # next to the worker
    python -I -S cli/warm_engine.py                 # the job command (stdlib only)
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import socket
import sys

SOCKET_ENV = "NEWSROOM_WARM_ENGINE_SOCKET"
PRELOAD = ("prefect.engine", "prefect.flow_engine", "prefect.deployments.steps.core", "config.project_dir",
           "flows.publish_story", "flows.poll_feeds", "flows.kill_story", "flows.release_story",
           "flows.refresh_catalog")


# --- the job command ---------------------------------------------------------------------------

def run_client(argv: list[str]) -> int:
    path = os.environ.get(SOCKET_ENV)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if not path:
            raise OSError("no warm engine configured")
        sock.connect(path)
    except OSError:
        sock.close()
        os.execv(sys.executable, [sys.executable, "-m", "prefect.engine", *argv])
    request = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
    socket.send_fds(sock, [b"R"], [0, 1, 2])
    sock.sendall(request + b"\n")
    replies = sock.makefile("rb")
    answer = replies.readline()
    if not answer.strip():  # the server could not take the run: start the engine here
        sock.close()
        os.execv(sys.executable, [sys.executable, "-m", "prefect.engine", *argv])
    child = int(answer)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda received, _frame: os.kill(child, received))
    status = replies.readline()
    # No status: the server went away mid-run; the child died with it.
    if not status.strip():
        return 1
    code = int(status)
    return 128 - code if code < 0 else code  # killed by signal N: the shell's 128+N


# --- the server ----------------------------------------------------------------------------------

def serve(path: str, preload: tuple[str, ...] = PRELOAD, engine: str = "prefect.engine") -> None:
    """Import ``preload``, then for each client fork a child that runs ``engine`` as ``__main__``."""
    _warm_up(preload)
    settings_env = _prefect_settings_env(os.environ)
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}
    stopping = False

    def stop(_signum, _frame) -> None:  # noqa: ANN001 - signal handler signature
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"warm engine ready on {path} ({len(preload)} modules imported)", flush=True)
    try:
        while not stopping:
            for key, _events in selector.select(timeout=0.2):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    pid = _start_child(conn, listener, settings_env, engine)
                    if pid:
                        children[pid] = conn
                        selector.register(conn, selectors.EVENT_READ, pid)
                elif not key.fileobj.recv(1):  # the client is gone: so is its run
                    _kill(key.data)
            _reap(children, selector)
    finally:
        for pid in children:
            _kill(pid)
        listener.close()
        os.unlink(path)


def _warm_up(preload: tuple[str, ...]) -> None:
    import importlib

    for name in preload:
        importlib.import_module(name)
    # A storage client takes about a second to build (botocore's service
    # model); built here, every run whose storage settings match reuses it.
    # Building one opens no connection.
    try:
        from config.settings import Settings
        from tasks.storage import s3_client

        s3_client(Settings())
    except Exception as exc:  # noqa: BLE001 - a run will report the storage problem itself
        print(f"warm engine: no storage client built ahead: {exc}", file=sys.stderr, flush=True)


def _prefect_settings_env(environ: dict[str, str]) -> dict[str, str]:
    # PREFECT__* (two underscores) are per-run values, not settings.
    return {k: v for k, v in environ.items() if k.startswith("PREFECT_") and not k.startswith("PREFECT__")}


def _start_child(conn: socket.socket, listener: socket.socket, settings_env: dict[str, str],
                 engine: str) -> int | None:
    conn.settimeout(10)
    try:
        _, fds, _, _ = socket.recv_fds(conn, 1, 3)
        request = json.loads(conn.makefile("rb").readline())
    except (OSError, ValueError):
        conn.close()
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child never returns
        listener.close()
        conn.close()
        _run_engine(request, fds, engine, same_settings=_prefect_settings_env(request["env"]) == settings_env)
    for fd in fds:
        os.close(fd)
    conn.settimeout(None)
    conn.sendall(f"{pid}\n".encode())
    return pid


def _run_engine(request: dict, fds: list[int], engine: str, same_settings: bool) -> None:
    import atexit

    code = 1
    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [engine, *request["argv"]]
        code = _engine_main(engine, same_settings)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - the engine's own handler logged it
        import traceback

        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()  # flushes the logs still bound for the API
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _engine_main(engine: str, same_settings: bool) -> int:
    """``python -m prefect.engine``, with settings read from this run's environment
    (unless its Prefect settings are the server's: reading them costs ~0.4 s)."""
    import runpy
    import warnings

    from prefect.context import SettingsContext, get_settings_context
    from prefect.settings import Settings

    from config.settings import get_settings

    # This process is a fork of the server and has just taken the run's
    # environment: settings the server might have read and cached are not
    # this run's. The flow reads them afresh when it builds its resources.
    get_settings.cache_clear()
    # The module was imported here ahead of time on purpose; runpy would warn.
    warnings.filterwarnings("ignore", message=f"'{engine}' found in sys.modules", category=RuntimeWarning)
    if same_settings:
        runpy.run_module(engine, run_name="__main__", alter_sys=True)
        return 0
    with SettingsContext(profile=get_settings_context().profile, settings=Settings()):
        runpy.run_module(engine, run_name="__main__", alter_sys=True)
    return 0


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(children: dict[int, socket.socket], selector: selectors.BaseSelector) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        selector.unregister(conn)
        try:
            conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
        except OSError:
            pass
        conn.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        parser = argparse.ArgumentParser(prog="python -m cli.warm_engine serve")
        parser.add_argument("--socket", required=True)
        parser.add_argument("--engine", default="prefect.engine", help="the module each run executes")
        parser.add_argument("--preload", action="append", help="modules to import first (default: the flows)")
        args = parser.parse_args(argv[1:])
        serve(args.socket, tuple(args.preload) if args.preload else PRELOAD, args.engine)
        return 0
    return run_client(argv)


if __name__ == "__main__":
    sys.exit(main())
