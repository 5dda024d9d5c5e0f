"""What one run works with: its settings and its storage, built once and passed in.

A flow, a poll, the CLI or a benchmark builds one ``Resources`` at its start
(``Resources.build``) and hands it to every step; no step reads settings
from the environment on its own.
"""

from __future__ import annotations

import threading

from config.settings import Settings, get_settings
from tasks.releases import PrefectReleases, Releases
from tasks.storage import ObjectStore, ensure_bucket, s3_client
from tasks.storage_check import require_capable_storage


class Resources:
    """Settings and the object store of one run (thread-safe: shared by a poll's workers)."""

    __slots__ = ("settings", "_store", "_bucket_checked", "_lock", "releases")

    def __init__(self, settings: Settings, store: ObjectStore | None = None, releases: Releases | None = None) -> None:
        self.settings = settings
        self._store = store
        # Where embargo releases are scheduled: the Prefect API this process talks to.
        self.releases: Releases = releases or PrefectReleases(settings.release_deployment)
        self._bucket_checked = False
        self._lock = threading.Lock()

    @property
    def store(self) -> ObjectStore:
        """The run's object store, made when first needed (``newsroom extract`` never is)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = ObjectStore(s3_client(self.settings), self.settings.s3_bucket)
        return self._store

    @classmethod
    def build(cls, settings: Settings | None = None) -> Resources:
        """The run's resources: from ``settings``, else from the environment."""
        return cls(settings if settings is not None else get_settings())

    def ensure_bucket(self) -> None:
        """Before the run's first write, once: create the bucket if missing
        (with ``s3_create_bucket``), then check that the store keeps the
        conditional-write promises publishing rests on (tasks/storage_check.py:
        once per process for each endpoint and bucket; skipped with
        ``s3_trust_storage``). A HEAD per story would be one storage round trip in eight."""
        if self._bucket_checked:
            return
        store = self.store
        with self._lock:
            if not self._bucket_checked:
                if self.settings.s3_create_bucket:
                    ensure_bucket(self.settings, store.client)
                require_capable_storage(self.settings, store.client)
                self._bucket_checked = True

    def __repr__(self) -> str:  # shown in Prefect's logs and UI, never the client
        return f"Resources(bucket={self.settings.s3_bucket!r}, endpoint={self.settings.s3_endpoint_url!r})"
