"""The atomic moto server of the fault and race tests.

It is the project's local S3-compatible endpoint itself (``cli.atomic_moto``
started by ``cli.local_services.s3_server``); see there for why object
requests are made atomic.
"""

from __future__ import annotations

from cli.local_services import s3_server as atomic_s3_server

__all__ = ["atomic_s3_server"]
