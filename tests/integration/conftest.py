"""The integration tests store into SeaweedFS (see tests/integration/seaweedfs.py)."""

# The SeaweedFS server itself is one per test process (tests/conftest.py).
from tests.integration.seaweedfs import s3_endpoint  # noqa: F401 - fixtures
