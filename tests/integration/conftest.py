"""The integration tests store into SeaweedFS (see tests/integration/seaweedfs.py)."""

from tests.integration.seaweedfs import s3_endpoint, seaweedfs  # noqa: F401 - fixtures
