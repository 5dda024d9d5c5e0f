"""Does this store keep the promises the publish protocol rests on?

Publishing is atomic only if the store honours conditional writes exactly:
``If-None-Match: *`` never overwrites (single PUT and multipart completion,
also under concurrent writers), ``If-Match`` moves an object only from the
ETag given, reads see the last write, checksums are verified and metadata
comes back as written. Stores differ here (Ceph RGW 16 refuses the quoted
ETag boto3 sends; some servers ignore conditions altogether), and a
publisher that silently loses atomicity is worse than one that refuses to
start. So every capability is probed against the configured endpoint and
bucket, under a scratch prefix that is removed afterwards:

* ``newsroom check-storage`` prints the table and exits 2 on a failure;
* ``require_capable_storage`` runs the same probes once per process for
  each endpoint and bucket before the first write, and refuses with one
  line (``NEWSROOM_S3_TRUST_STORAGE=true`` skips it).

A known quirk with a safe workaround is detected, used and reported: Ceph's
refusal of a quoted ``If-Match`` is met by sending the ETag unquoted, once
the store is seen to refuse a stale unquoted ETag too.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from config.settings import Settings
from tasks.errors import PublishError
from tasks.storage_probes import Capability, Probes

__all__ = ["Capability", "StorageCapabilityError", "StorageReport", "check_storage", "require_capable_storage"]

SCRATCH_FOLDER = "_storage-check"


class StorageCapabilityError(PublishError):
    """The store lacks a capability the publish protocol needs; publishing would not be atomic."""


@dataclass(frozen=True)
class StorageReport:
    endpoint: str
    bucket: str
    capabilities: tuple[Capability, ...]

    @property
    def first_failure(self) -> Capability | None:
        return next((c for c in self.capabilities if not c.ok), None)

    @property
    def workarounds(self) -> tuple[str, ...]:
        return tuple(c.workaround for c in self.capabilities if c.ok and c.workaround)

    def table(self) -> str:
        width = max(len(c.name) for c in self.capabilities)
        lines = [f"storage {self.endpoint}  bucket {self.bucket}", ""]
        for c in self.capabilities:
            verdict = "ok" if c.ok else "FAIL"
            if c.ok and c.workaround:
                verdict = "ok*"
            lines.append(f"  {c.name:<{width}}  {verdict:<4}  {c.detail}")
        notes = [f"  * workaround in use: {w}" for w in self.workarounds]
        failure = self.first_failure
        verdict = (f"refused: {failure.name}: {failure.detail}" if failure
                   else "every capability the publisher relies on is there")
        return "\n".join([*lines, *([""] + notes if notes else []), "", verdict])

    def refusal(self) -> str:
        """The one line a publish refuses with."""
        failure = self.first_failure
        assert failure is not None
        return (f"storage at {self.endpoint} bucket {self.bucket!r} would break atomic publishing:"
                f" {failure.name}: {failure.detail} (see `newsroom check-storage`; set"
                " NEWSROOM_S3_TRUST_STORAGE=true only for a store verified by hand)")


def _endpoint_name(settings: Settings) -> str:
    return settings.s3_endpoint_url or f"AWS S3 ({settings.s3_region})"


def check_storage(settings: Settings, client=None) -> StorageReport:
    """Probe every capability under a fresh scratch prefix, then remove it.

    A store that cannot be reached (or keeps failing with 5xx) raises
    StorageUnavailableError, missing credentials a PublishError: neither
    says anything about its capabilities.
    """
    if client is None:
        from tasks.storage import s3_client

        client = s3_client(settings)
    prefix = "/".join(p for p in (settings.s3_prefix, SCRATCH_FOLDER, uuid.uuid4().hex) if p)
    probes = Probes(client, settings.s3_bucket, prefix)
    try:
        capabilities = probes.run_all()
    finally:
        probes.clean_up()
    report = StorageReport(_endpoint_name(settings), settings.s3_bucket, tuple(capabilities))
    if report.first_failure is None:
        probes.apply_workarounds()
    return report


_checked: dict[tuple[str | None, str], StorageReport] = {}
_check_lock = threading.Lock()


def require_capable_storage(settings: Settings, client=None) -> StorageReport | None:
    """check_storage once per process for each endpoint and bucket; raises
    StorageCapabilityError (one line) when a capability is missing.

    Returns None when NEWSROOM_S3_TRUST_STORAGE skips the check. A failure to
    reach storage is raised as it is and not remembered: the next call checks again.
    """
    if settings.s3_trust_storage:
        return None
    key = (settings.s3_endpoint_url, settings.s3_bucket)
    with _check_lock:  # threads of one poll must not probe the same store at once
        report = _checked.get(key)
        if report is None:
            report = check_storage(settings, client)
            _checked[key] = report
    if report.first_failure is not None:
        raise StorageCapabilityError(report.refusal())
    return report
