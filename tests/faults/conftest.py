"""Fixtures for the storage fault and race tests.

The S3 server here is moto with atomic object requests (see atomic_s3.py),
reached through a fault-injecting proxy (see proxy.py). Checks read straight
from the server, never through the proxy.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.faults.atomic_s3 import atomic_s3_server
from tests.faults.helpers import base_draft, direct_client
from tests.faults.proxy import FaultProxy


@pytest.fixture(scope="session")
def atomic_s3() -> Iterator[str]:
    with atomic_s3_server() as url:
        yield url


@pytest.fixture(scope="session")
def direct(atomic_s3: str):
    return direct_client(atomic_s3)


@pytest.fixture
def bucket(direct) -> str:
    name = f"faults-{uuid.uuid4().hex[:16]}"
    direct.create_bucket(Bucket=name)
    return name


@pytest.fixture
def proxy(atomic_s3: str) -> Iterator[FaultProxy]:
    with FaultProxy(atomic_s3) as running:
        yield running


@pytest.fixture(scope="session")
def story():
    return base_draft()


def pytest_configure(config) -> None:  # noqa: ANN001 - pytest hook
    config.addinivalue_line("markers", "slow: long fault or race runs (tens of seconds); part of `make test`")


def pytest_collection_modifyitems(config, items) -> None:  # noqa: ANN001 - pytest hook
    # Everything here starts a real S3 server (moto) and a proxy.
    for item in items:
        if "tests/faults/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.integration)


def pytest_sessionfinish(session) -> None:  # noqa: ANN001 - pytest hook; runs in each test process
    from tests import figures
    from tests.faults.helpers import CRASHES
    from tests.faults.proxy import FIRED_TOTAL

    total = FIRED_TOTAL + CRASHES
    if total:
        labels = {"call": "process killed (SIGKILL)"}
        kinds = ", ".join(f"{labels.get(kind, kind)} {count}" for kind, count in sorted(total.items()))
        figures.record("storage faults", f"injected: {sum(total.values())} ({kinds})")
