"""Shared test fixtures: real local servers, started once per session."""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from cli.local_services import FIXTURES, LOCAL_CREDENTIALS, s3_server, static_site
from config.settings import Settings, get_settings
from tests import figures as figures_module
# One SeaweedFS server per test process, shared by the integration and
# container tests: it puts its keys in the process's environment, so two
# would take turns owning AWS_ACCESS_KEY_ID (tests/integration/seaweedfs.py).
from tests.integration.seaweedfs import seaweedfs  # noqa: F401 - a fixture

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# Prefect gives its ephemeral API 20 s to start; a busy 2-core machine can need more.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# Never let a test reach real AWS with real credentials.
for _key, _value in LOCAL_CREDENTIALS.items():
    os.environ[_key] = _value
os.environ.pop("AWS_PROFILE", None)
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

SEED_PAGE = FIXTURES / "pages" / "aleppo-offensive.html"

# Slowest first, so that with several test processes the longest files start
# at once instead of ending the run alone (measured with --durations).
SLOW_FIRST = ("tests/scale/", "tests/container/test_image.py", "tests/hostile/test_pages.py",
              "tests/integration/test_operator_walkthrough.py", "tests/ops/test_stack.py",
              "tests/ops/test_deploy.py", "tests/faults/test_property.py")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller (or the only process)
        figures = Path(tempfile.mkdtemp(prefix="newsroom-figures-")) / "figures.jsonl"
        os.environ[figures_module.ENVIRONMENT] = str(figures)
        config.stash[_FIGURES] = figures


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.replace("\\", "/")
        return next((i for i, prefix in enumerate(SLOW_FIRST) if path.startswith(prefix)), len(SLOW_FIRST))
    items.sort(key=rank)  # stable: the order within a file stays


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # noqa: ANN001 - pytest hook
    figures = config.stash.get(_FIGURES, None)
    for section, lines in figures_module.recorded(figures).items() if figures else ():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)


_FIGURES = pytest.StashKey[Path]()


def expected_article(name: str) -> dict:
    return json.loads((FIXTURES / "expected" / f"{name}.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto in server mode) over HTTP."""
    with s3_server() as url:
        yield url


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """The fixtures folder served over HTTP on 127.0.0.1."""
    with static_site() as url:
        yield url


@pytest.fixture
def bucket_name() -> str:
    return f"test-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def settings(s3_endpoint: str, bucket_name: str, monkeypatch: pytest.MonkeyPatch,
             tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh bucket on the local S3 server, also exported to the environment.
    Sources files are read from the test's own folder."""
    env = {
        "NEWSROOM_SOURCES_DIR": str(tmp_path),
        "NEWSROOM_S3_ENDPOINT_URL": s3_endpoint,
        "NEWSROOM_S3_BUCKET": bucket_name,
        "NEWSROOM_S3_ADDRESSING_STYLE": "path",
        "NEWSROOM_S3_CREATE_BUCKET": "true",
        "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSROOM_S3_MAX_ATTEMPTS": "2",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def s3(settings: Settings):
    """A boto3 client on the test bucket, for checking what landed."""
    client = boto3.client("s3", endpoint_url=settings.s3_endpoint_url, region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}))
    client.create_bucket(Bucket=settings.s3_bucket)
    return client


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's test harness (a temporary API and database): only for flow tests."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
