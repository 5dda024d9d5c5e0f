"""Typed models of the documents the pipeline keeps in storage.

Storage is not trusted: a pointer (``latest.json``), a manifest or a poll
state may have been written by an older release, edited by hand, cut short
or tampered with. Every such document is validated against its model when
it is read, and a bad one gives ``CorruptObjectError``: one line naming the
object's key and the first field that is wrong, never a traceback, a folder
named after a number of thirty digits or tags split from a string.

The models accept what earlier releases wrote (extra keys are kept, so a
newer writer's fields survive a round trip through an older reader) and
refuse what no release writes.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from tasks.errors import PublishError

# Version folders are v0001 … and pointers keep at most this many versions.
MAX_VERSION = 999_999
MAX_HISTORY = 200
MAX_STATE_ENTRIES = 50_000
Sha256 = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
Version = Annotated[StrictInt, Field(ge=1, le=MAX_VERSION)]
# A tag an editor typed: printable, on one line, no bidi overrides.
Tag = Annotated[StrictStr, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]+$")]
PubStatus = Literal["usable", "withheld", "canceled"]


class CorruptObjectError(PublishError):
    """A stored document is not what the pipeline writes; it is left in place."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"stored object {key} is corrupt: {problem}")
        self.key = key
        self.problem = problem


class _Document(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class HistoryEntry(_Document):
    version: Version
    content_sha256: Sha256 | None = None
    pub_status: PubStatus = "usable"
    published_at: StrictStr | None = None
    note: StrictStr | None = None
    changes: list[StrictStr] | dict[str, Any] | None = None
    publish_id: StrictStr | None = None


class Pointer(_Document):
    """``latest.json``: which version readers get, and the correction log."""

    version: Version
    manifest: Annotated[StrictStr, Field(min_length=1, pattern=r"/v\d{4,6}/manifest\.json$")]
    content_sha256: Sha256
    story_id: StrictStr | None = None
    publish_id: StrictStr | None = None
    pub_status: PubStatus = "usable"
    canonical_url: StrictStr | None = None
    headline: StrictStr | None = None
    first_created: StrictStr | None = None
    updated_at: StrictStr | None = None
    objects: list[StrictStr] = Field(default_factory=list)
    fingerprint: dict[str, Any] | None = None
    editor_tags: list[Tag] = Field(default_factory=list, max_length=200)
    history: list[HistoryEntry] = Field(default_factory=list, max_length=MAX_HISTORY)


class ManifestObject(_Document):
    name: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    size: Annotated[StrictInt, Field(ge=0)]
    sha256: Sha256
    content_type: StrictStr


class Manifest(_Document):
    """``vNNNN/manifest.json``: every object of one version, and its provenance."""

    story_id: StrictStr
    version: Version
    content_sha256: Sha256
    objects: list[ManifestObject] = Field(min_length=1)
    pub_status: PubStatus = "usable"
    canonical_url: StrictStr | None = None
    source_url: StrictStr | None = None
    fetched_at: StrictStr | None = None
    bundled_at: StrictStr | None = None
    first_created: StrictStr | None = None


class PendingEmbargo(_Document):
    """``<embargo prefix>/<story prefix>/pending.json``: the story's held version, and its release."""

    story_id: StrictStr
    embargo_id: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{16}$")]
    until: StrictStr  # ISO 8601, UTC
    folder: Annotated[StrictStr, Field(min_length=1)]
    files: list[Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]] = Field(min_length=1)
    content_sha256: Sha256
    version: Version  # the number it was rendered with: the public version after the one it followed
    base_version: Annotated[StrictInt, Field(ge=0, le=MAX_VERSION)]
    created_at: StrictStr
    release_run: StrictStr | None = None
    note: StrictStr | None = None
    canonical_url: StrictStr | None = None
    headline: StrictStr | None = None


class StateEntry(_Document):
    status: StrictStr
    marker: StrictStr | None = None
    story_id: StrictStr | None = None
    version: Version | None = None
    at: StrictStr | None = None


class PollState(_Document):
    """``_state/sources/<name>.json``: what a source's earlier polls handled."""

    source: StrictStr | None = None
    updated_at: StrictStr | None = None
    entries: dict[StrictStr, StateEntry] = Field(default_factory=dict, max_length=MAX_STATE_ENTRIES)
    validators: dict[StrictStr, StrictStr] = Field(default_factory=dict)


Model = TypeVar("Model", bound=_Document)


def parse_document(model: type[Model], key: str, data: bytes | Any) -> Model:
    """The document at ``key`` as ``model``; ``data`` is its raw bytes, or its decoded JSON.

    Raises CorruptObjectError naming the key and the first wrong field.
    """
    if isinstance(data, (bytes, bytearray)):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CorruptObjectError(key, f"not JSON ({_first_line(error)})") from None
    if not isinstance(data, dict):
        raise CorruptObjectError(key, f"a JSON object was expected, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise CorruptObjectError(key, _describe(error)) from None


def _describe(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "(document)"
    problem = first["msg"]
    if first["type"] == "missing":
        return f"field {where!r} is missing"
    return f"field {where!r}: {_first_line(problem)}"


def _first_line(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:199] + "…"
