"""Errors the pipeline raises on bad input or faults.

Every message is one line that names what was wrong, so the CLI and the
Prefect UI can show it as-is. ``retryable`` tells Prefect's retry condition
whether another attempt could succeed.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a failure the operator can read and act on."""

    retryable = False


class FetchError(PipelineError):
    """The page could not be fetched (network, HTTP status, policy)."""


class TransientFetchError(FetchError):
    """A failure another attempt may fix: connection errors, 429, 5xx.

    ``retry_after``: seconds the server asked us to wait (its Retry-After
    header), when it said; a retry waits at least that long.
    """

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BlockedURLError(FetchError):
    """The URL's scheme or address is not allowed."""


class PageTooLargeError(FetchError):
    """The response exceeded the configured size cap."""


class NotHTMLError(FetchError):
    """The response is not an HTML page."""


class ExtractionError(PipelineError):
    """The page holds no article we can extract."""


class BundleError(PipelineError):
    """The article could not be turned into a valid bundle."""


class PublishError(PipelineError):
    """Storage refused or failed a publish; nothing partial became visible."""


class StorageUnavailableError(PublishError):
    """Storage kept failing (5xx, throttling, timeouts) after all retries."""

    retryable = True


class PublishConflictError(PublishError):
    """Another publisher kept winning the race for the next version."""

    retryable = True


def retry_if_retryable(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's hook signature
    """Prefect retry condition: retry only failures that say another attempt may help."""
    try:
        state.result()
    except PipelineError as exc:
        return exc.retryable
    except Exception:  # noqa: BLE001 - anything unexpected is a bug, not a transient fault
        return False
    return False
