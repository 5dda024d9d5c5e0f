"""The list of feeds and sitemaps that ``poll-feeds`` reads, validated.

Kept as YAML (``config/sources.yaml`` by default, or the file named by
``NEWSROOM_SOURCES_FILE``) so editors can add a source without touching code.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.settings import Settings, get_settings


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


def load_sources(path: str | Path | None = None, settings: Settings | None = None) -> list[Source]:
    """The enabled sources from the given file, the configured one, or the packaged default."""
    settings = settings or get_settings()
    chosen = path or settings.sources_file
    try:
        if chosen:
            text = Path(chosen).read_text("utf-8")
            where = str(chosen)
        else:
            text = resources.files("config").joinpath("sources.yaml").read_text("utf-8")
            where = "config/sources.yaml"
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {chosen}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text) or {}
        listing = SourceList.model_validate(data)
    except yaml.YAMLError as exc:
        raise SourcesError(f"{where}: not valid YAML ({' '.join(str(exc).split())})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise SourcesError(f"{where}: {loc}: {first['msg']}") from None
    return [s for s in listing.sources if s.enabled]
