"""Fixtures that put a test directory's S3 endpoint on SeaweedFS, a real S3 server.

A conftest imports them; the root conftest's ``settings`` and ``s3`` fixtures
then reach SeaweedFS through ``s3_endpoint``, with the server's own generated
credentials in the environment for the AWS credential chain.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.local_services import LocalS3
from cli.seaweedfs import seaweedfs_server


@pytest.fixture(scope="session")
def seaweedfs() -> Iterator[LocalS3]:
    with seaweedfs_server() as store, store.credentials_in_environment():
        yield store


@pytest.fixture(scope="session")
def s3_endpoint(seaweedfs: LocalS3) -> str:
    return seaweedfs.endpoint
