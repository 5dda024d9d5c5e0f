"""Hard limits for the CPU-bound steps: parse, clean and dedupe.

A blocking call cannot be interrupted from another thread, and Prefect's
``timeout_seconds`` cannot stop a synchronous task. A hostile page that sends
a regex or the parser into super-linear time would hold its worker forever.
So those steps run in a child process, under a wall-clock limit and an
address-space limit: a child that overruns is killed and replaced, and the
story fails alone with one line naming the limit. The caller's process, its
threads and the other stories go on.

Children come from a ``forkserver`` (never a plain ``fork``): the caller is
often a threaded Prefect worker, and forking a threaded process can copy a
lock that some other thread held. The server preloads the extraction modules
once, so a new child starts in milliseconds, already warm.

Each call sends the arguments to an idle child over a pipe and waits for the
answer; idle children are kept for the next call (one per concurrent caller,
at most). A story costs one pickle of its page and of its article.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import resource
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tasks.errors import PipelineError

T = TypeVar("T")

# Imported once by the fork server so every child starts with them loaded.
# htmldate and trafilatura are imported by clean only when a page needs them:
# in a fresh child that import (seconds on a busy machine) would count
# against the step's limit.
PRELOAD = ("lxml.html", "tasks.clean", "tasks.dedupe", "htmldate", "trafilatura")
# How long a new child may take to start (fork, limits) before its first step.
START_SECONDS = 120.0
MIB = 1024 * 1024


class StepTimeoutError(PipelineError):
    """A CPU-bound step overran its wall-clock limit; its process was replaced."""


class StepCrashedError(PipelineError):
    """The process running a step died (most often: it hit its memory limit)."""


def _serve(connection: multiprocessing.connection.Connection, memory_bytes: int) -> None:
    """A child's loop: run each call it is sent, answer with its result or error."""
    if memory_bytes:
        # Address space, not resident memory: a page that makes lxml or a
        # regex allocate without bound gets MemoryError here, not the OOM killer.
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    connection.send(("ready", None))  # the step's clock starts after this, not at the fork
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return  # the parent went away
        try:
            answer: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            answer = ("error", StepCrashedError(
                f"{_name(function)} ran out of memory under the {memory_bytes // MIB} MiB limit"
                " (NEWSROOM_STEP_MEMORY_MB)"))
        except Exception as error:  # noqa: BLE001 - every failure goes back to the caller
            answer = ("error", error)
        try:
            connection.send(answer)
        except Exception as error:  # noqa: BLE001 - an answer that does not pickle
            connection.send(("error", PipelineError(f"{_name(function)}: its result could not be returned: "
                                                    f"{type(error).__name__}: {error}")))


def _name(function: Callable[..., Any]) -> str:
    return getattr(function, "__qualname__", repr(function))


class _Child:
    def __init__(self, context: multiprocessing.context.BaseContext, memory_bytes: int) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, memory_bytes), daemon=True,
                                       name="newsroom-step")
        self.process.start()
        child_end.close()
        try:
            ready = self.connection.poll(START_SECONDS) and self.connection.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop()
            raise StepCrashedError(f"a process for the step could not start within {START_SECONDS:g} s"
                                   " (the machine is overloaded or out of memory)")

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class StepRunner:
    """Runs functions in killable child processes under the given limits.

    ``seconds`` bounds each call's wall-clock time; ``memory_mb`` bounds the
    child's address space (0: no memory limit). Thread-safe: each concurrent
    caller gets a child of its own.
    """

    def __init__(self, seconds: float, memory_mb: int = 0) -> None:
        if seconds <= 0:
            raise ValueError("a step's time limit must be positive")
        self.seconds = seconds
        self.memory_bytes = max(0, int(memory_mb)) * MIB
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(PRELOAD))
        self._idle: list[_Child] = []
        self._lock = threading.Lock()
        self._closed = False

    def run(self, function: Callable[..., T], *args: Any, step: str | None = None) -> T:
        """``function(*args)`` in a child; its exception is raised here as it was raised there."""
        step = step or _name(function)
        child = self._checkout()
        try:
            child.connection.send((function, args))
            if not child.connection.poll(self.seconds):
                child.stop()
                child = None
                raise StepTimeoutError(f"{step} took longer than its {self.seconds:g} s limit"
                                       " (NEWSROOM_STEP_TIMEOUT); it was stopped")
            kind, value = child.connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            code = child.process.exitcode if child else None
            if child:
                child.process.join(timeout=1)
                code = child.process.exitcode
                child.stop()
                child = None
            raise StepCrashedError(f"{step} stopped its process (exit code {code}); most often that is its"
                                   f" {self.memory_bytes // MIB} MiB memory limit (NEWSROOM_STEP_MEMORY_MB)")
        finally:
            if child is not None:
                self._checkin(child)
        if kind == "ok":
            return value
        raise value

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for child in idle:
            child.stop()

    def _checkout(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.process.is_alive():
                    return child
                child.stop()
        return _Child(self._context, self.memory_bytes)

    def _checkin(self, child: _Child) -> None:
        with self._lock:
            if not self._closed and child.process.is_alive():
                self._idle.append(child)
                return
        child.stop()

    def __enter__(self) -> StepRunner:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_RUNNERS: dict[tuple[float, int, int], StepRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def step_runner(seconds: float, memory_mb: int = 0) -> StepRunner:
    """The process's runner for these limits: its children stay warm between stories.

    Keyed by the process id too, so a forked process never reuses its
    parent's children.
    """
    key = (float(seconds), int(memory_mb), os.getpid())
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = StepRunner(seconds, memory_mb)
        return runner


def clean_in_child(page, settings):  # noqa: ANN001, ANN201 - FetchedPage -> Article
    """The clean step under the run's hard limits (``step_timeout``, ``step_memory_mb``)."""
    from tasks.clean import clean_page

    return step_runner(settings.step_timeout, settings.step_memory_mb).run(
        clean_page, page, settings.parse_max_chars, step="clean")


def dedupe_in_child(article, settings):  # noqa: ANN001, ANN201 - Article -> DedupeResult
    """The dedupe step under the run's hard limits."""
    from tasks.dedupe import dedupe_article

    return step_runner(settings.step_timeout, settings.step_memory_mb).run(
        dedupe_article, article, settings.dedupe_similarity, step="dedupe")
