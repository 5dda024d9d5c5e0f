"""The list of feeds and sitemaps that ``poll-feeds`` reads, validated.

Kept as YAML (``config/sources.yaml`` by default, or the file named by
``NEWSROOM_SOURCES_FILE``) so editors can add a source without touching code.
Files are read only from the sources folder (``NEWSROOM_SOURCES_DIR``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.settings import Settings


class SourcesError(ValueError):
    """The sources file is missing or invalid; the message names the problem."""


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
    url: str = Field(pattern=r"^https?://\S+$")
    kind: Literal["feed", "sitemap", "auto"] = "auto"
    tags: tuple[str, ...] = ()
    limit: int = Field(50, ge=1, le=1000)
    robots: bool = True
    enabled: bool = True

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(t.strip() for t in value.split(",") if t.strip())
        return value


class SourceList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[Source]) -> list[Source]:
        names = [s.name for s in sources]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate source names: {', '.join(duplicates)}")
        return sources


# A sources file is a short list; a larger "file" is not one (or is /dev/zero).
MAX_SOURCES_BYTES = 1024 * 1024
SUFFIXES = (".yaml", ".yml")
_FIELDS = frozenset(SourceList.model_fields) | frozenset(Source.model_fields)


def sources_dir(settings: Settings) -> Path:
    """The folder sources files may come from: ``sources_dir``, else the folder of
    ``sources_file``, else the packaged config folder."""
    if settings.sources_dir:
        return Path(settings.sources_dir).resolve()
    if settings.sources_file:
        return Path(settings.sources_file).resolve().parent
    return Path(str(resources.files("config"))).resolve()


def load_sources(path: str | Path | None, settings: Settings) -> list[Source]:
    """The enabled sources from the given file, else the configured one (``sources_file``),
    else the packaged default.

    A file is read only from the sources folder (``sources_dir``): the poll's
    ``sources_file`` parameter comes from whoever may start a run, and must
    not name the worker's other files. No error quotes the file's content.
    """
    chosen = path or settings.sources_file
    if chosen:
        text, where = _read_allowed(Path(chosen), sources_dir(settings)), str(chosen)
    else:
        text, where = resources.files("config").joinpath("sources.yaml").read_text("utf-8"), "config/sources.yaml"
    try:
        data = yaml.safe_load(text) or {}
        listing = SourceList.model_validate(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise SourcesError(f"{where}: not valid YAML{at}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        # A key the schema does not know is the file's content: it is not repeated.
        loc = ".".join(str(p) if isinstance(p, int) or p in _FIELDS else "(unknown key)" for p in first["loc"])
        raise SourcesError(f"{where}: {loc}: {first['msg']}" if loc else f"{where}: {first['msg']}") from None
    return [s for s in listing.sources if s.enabled]


def _read_allowed(path: Path, folder: Path) -> str:
    """The file's text, if it is a YAML file inside ``folder`` (links resolved)."""
    real = path.resolve()
    if not real.is_relative_to(folder):
        raise SourcesError(f"sources file {path} is outside the sources folder {folder}"
                           " (NEWSROOM_SOURCES_DIR)")
    if real.suffix.lower() not in SUFFIXES:
        raise SourcesError(f"sources file {path} is not a .yaml or .yml file")
    try:
        if real.exists() and not real.is_file():
            raise SourcesError(f"sources file {path} is not a regular file")
        with real.open("rb") as handle:
            data = handle.read(MAX_SOURCES_BYTES + 1)
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_SOURCES_BYTES:
        raise SourcesError(f"sources file {path} is larger than {MAX_SOURCES_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SourcesError(f"sources file {path} is not UTF-8 text") from None
