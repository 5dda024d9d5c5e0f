"""Steps under hard limits: an overrunning or exploding call fails alone."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tasks.errors import ExtractionError
from tasks.isolation import StepCrashedError, StepRunner, StepTimeoutError, step_runner


# Run in the child processes: module-level so they pickle by reference.
def spin_forever(_label: str) -> None:
    while True:
        pass


def child_pid() -> int:
    return os.getpid()


def double(value: int) -> int:
    return value * 2


def refuse(message: str) -> None:
    raise ExtractionError(message)


def allocate(mebibytes: int) -> int:
    block = bytearray(mebibytes * 1024 * 1024)
    return len(block)


def sleep_then_return(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@pytest.fixture
def runner():
    with StepRunner(seconds=3, memory_mb=1024) as running:
        yield running


@pytest.mark.timeout(60)
def test_a_result_comes_back_from_the_child(runner):
    assert runner.run(double, 21) == 42
    assert runner.run(child_pid) != os.getpid()


@pytest.mark.timeout(60)
def test_the_child_stays_warm_between_calls(runner):
    assert runner.run(child_pid) == runner.run(child_pid)


@pytest.mark.timeout(60)
def test_an_error_is_raised_as_it_was_raised_in_the_child(runner):
    with pytest.raises(ExtractionError, match="no story body"):
        runner.run(refuse, "no story body was found")
    assert runner.run(double, 2) == 4  # the same child goes on


@pytest.mark.timeout(60)
def test_an_endless_step_is_stopped_at_its_limit_and_the_next_call_gets_a_new_child(runner):
    first = runner.run(child_pid)
    started = time.monotonic()
    with pytest.raises(StepTimeoutError) as raised:
        runner.run(spin_forever, "x", step="clean")
    assert time.monotonic() - started < 30  # hang guard: the 3 s limit, not the test's timeout
    message = str(raised.value)
    assert "clean took longer than its 3 s limit" in message and "NEWSROOM_STEP_TIMEOUT" in message
    assert "\n" not in message
    replacement = runner.run(child_pid)
    assert replacement != first
    assert runner.run(double, 5) == 10


@pytest.mark.timeout(60)
def test_a_step_over_its_memory_limit_fails_with_one_line_and_the_runner_goes_on(runner):
    with pytest.raises(StepCrashedError) as raised:
        runner.run(allocate, 4096, step="parse")
    assert "1024 MiB" in str(raised.value) and "NEWSROOM_STEP_MEMORY_MB" in str(raised.value)
    assert runner.run(allocate, 16) == 16 * 1024 * 1024


@pytest.mark.timeout(120)
def test_concurrent_callers_each_get_a_child_and_one_overrun_spares_the_others():
    # A limit a busy machine's new children start well within.
    runner = StepRunner(seconds=15, memory_mb=1024)
    results: dict[str, object] = {}

    def call(name: str, function, *args) -> None:
        try:
            results[name] = runner.run(function, *args)
        except Exception as error:  # noqa: BLE001 - recorded for the assertions
            results[name] = error

    threads = [threading.Thread(target=call, args=("hung", spin_forever, "y"))]
    threads += [threading.Thread(target=call, args=(f"ok{i}", sleep_then_return, 0.2)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runner.close()
    assert isinstance(results["hung"], StepTimeoutError)
    assert [results[f"ok{i}"] for i in range(3)] == [0.2, 0.2, 0.2]


def test_a_limit_must_be_positive():
    with pytest.raises(ValueError):
        StepRunner(seconds=0)


@pytest.mark.timeout(60)
def test_the_process_keeps_one_runner_per_set_of_limits():
    assert step_runner(7, 512) is step_runner(7, 512)
    assert step_runner(7, 512) is not step_runner(8, 512)


@pytest.mark.timeout(300)
def test_the_story_pipeline_cleans_under_the_limit_and_one_overrun_fails_alone(tmp_path):
    from config.settings import Settings
    from tasks.pipeline import plain_steps, read_story
    from tasks.resources import Resources
    from tests.conftest import SEED_PAGE

    url = "https://news.example/world/2016/sep/23/aleppo"
    strict = plain_steps(Resources(Settings(step_timeout=0.001)))
    with pytest.raises(StepTimeoutError) as raised:
        read_story(str(SEED_PAGE), strict, url=url)
    assert "clean took longer than its 0.001 s limit (NEWSROOM_STEP_TIMEOUT)" in str(raised.value)
    page, deduped = read_story(str(SEED_PAGE), plain_steps(Resources(Settings())), url=url)
    assert deduped.article.headline and len(deduped.article.paragraphs) > 5
    # The isolated steps give what the in-process ones give.
    _page, here = read_story(str(SEED_PAGE), plain_steps(Resources(Settings()), isolated=False), url=url)
    assert here == deduped


@pytest.mark.timeout(300)
@pytest.mark.parametrize("isolated", [True, False])
def test_the_runs_parse_limit_reaches_the_clean_step(isolated):
    """The child process parses with the run's settings, not with its environment's."""
    from config.settings import Settings
    from tasks.pipeline import plain_steps, read_story
    from tasks.resources import Resources
    from tests.conftest import SEED_PAGE

    small = plain_steps(Resources(Settings(parse_max_chars=1024)), isolated=isolated)
    with pytest.raises(ExtractionError, match="the parser takes at most 0.0 MB"):
        read_story(str(SEED_PAGE), small, url="https://news.example/world/2016/sep/23/aleppo")
