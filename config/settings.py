"""One settings object for the whole pipeline.

Every value comes from an environment variable prefixed ``NEWSROOM_`` or from
an optional dotenv-style file named by ``NEWSROOM_SETTINGS_FILE`` (default
``.env`` in the working directory, if present), unless a caller builds its
``Settings`` itself. S3 credentials come from the standard AWS credential
chain, unless a store's own keys are given (``s3_access_key_id`` and
``s3_secret_access_key``): those are ``SecretStr``, shown masked in every
repr, log line and flow run's parameters.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSROOM_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A refused value is named by its field, never repeated: it may be a key.
        hide_input_in_errors=True,
    )

    # --- storage -----------------------------------------------------------
    s3_endpoint_url: str | None = Field(
        None, description="S3-compatible endpoint (MinIO, moto, ...); empty for AWS S3."
    )
    s3_bucket: str = Field("newsroom", description="Bucket that receives the bundles.")
    s3_prefix: str = Field("stories", description="Key prefix under which stories live.")
    s3_region: str = Field("us-east-1", description="Region used to sign requests.")
    s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        "auto", description="'path' for most self-hosted S3 servers."
    )
    s3_connect_timeout: float = Field(5.0, description="Seconds to open a storage connection.")
    s3_read_timeout: float = Field(30.0, description="Seconds to wait for a storage response.")
    s3_max_attempts: int = Field(
        5, ge=1, description="Attempts per storage request (retries on 5xx and throttling)."
    )
    s3_create_bucket: bool = Field(
        False, description="Create the bucket when it is missing (local endpoints, tests)."
    )
    s3_access_key_id: SecretStr | None = Field(
        None, description="Access key for the S3 endpoint; empty for boto3's credential chain"
        " (environment, ~/.aws, instance or task role).",
    )
    s3_secret_access_key: SecretStr | None = Field(
        None, description="Secret key that goes with s3_access_key_id.",
    )
    s3_trust_storage: bool = Field(
        False, description="Skip the check, before the first write, that the store honours conditional"
        " writes (only for a store verified by hand: `newsroom check-storage`).",
    )

    # --- fetching ----------------------------------------------------------
    fetch_connect_timeout: float = Field(5.0, description="Seconds to connect to a site.")
    fetch_timeout: float = Field(20.0, description="Seconds to wait for each read from a site.")
    fetch_max_bytes: int = Field(
        32 * 1024 * 1024, gt=0, description="Largest page accepted, enforced while streaming."
    )
    parse_max_chars: int = Field(
        10 * 1024 * 1024, gt=0, description="Most markup parsed per page, after scripts, styles, comments"
        " and inline data are dropped; bounds the parser's time and memory.",
    )
    image_max_bytes: int = Field(
        15 * 1024 * 1024, gt=0, description="Largest lead image copied into a bundle."
    )
    fetch_max_redirects: int = Field(5, ge=0, description="Redirects followed per fetch.")
    fetch_retries: int = Field(3, ge=0, description="Retries on connection errors, 429 and 5xx.")
    fetch_user_agent: str = Field(
        "newsroom-pipeline/0.1 (+https://github.com/newsroom-pipeline)",
        description="User-Agent sent with every request.",
    )
    # NoDecode: the value is a comma-separated list, not JSON.
    fetch_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts allowed even when they resolve to private or loopback addresses.",
    )

    # --- processing --------------------------------------------------------
    dedupe_similarity: float = Field(
        0.9, gt=0, le=1, description="Paragraphs at least this similar count as repeats."
    )
    publish_concurrency: int = Field(4, ge=1, description="Stories published at once by a poll.")
    poll_batch_size: int = Field(
        10, ge=1, description="Most stories one Prefect task of a poll publishes, one after another. Fewer,"
        " larger tasks cost the Prefect server less; 1 gives every story its own task run.",
    )
    sources_file: str | None = Field(None, description="YAML list of feeds and sitemaps to poll.")
    sources_dir: str | None = Field(
        None, description="The folder sources files are read from; any other is refused. Default: the"
        " folder of sources_file, or the packaged config folder.",
    )

    step_timeout: float = Field(
        60.0, gt=0, description="Wall-clock seconds that parsing, cleaning and deduplicating one page may take;"
        " they run in a child process that is stopped and replaced when it overruns.",
    )
    step_memory_mb: int = Field(
        2048, ge=0, description="Address-space limit, in MiB, of that child process (0: none).",
    )

    # --- what the bucket publishes besides the stories ----------------------
    kill_mode: Literal["archive", "takedown"] = Field(
        "archive", description="What a kill does with a story's earlier versions: 'archive' moves them under"
        " the private archive prefix; 'takedown' deletes them and keeps only an audit record.",
    )
    archive_prefix: str = Field("_archive", description="Private prefix that killed stories' versions move to.")
    audit_prefix: str = Field("_audit/kills", description="Private prefix of the kill audit records.")
    embargo_prefix: str = Field("_embargoed", description="Private prefix that embargoed versions wait under"
                                " until their release.")
    release_deployment: str = Field(
        "release-story/on-demand", description="The Prefect deployment that releases an embargoed story: an"
        " embargo schedules one of its runs for the embargo's end.",
    )
    catalog_enabled: bool = Field(True, description="Keep the feed, news sitemap and index current on publish.")
    catalog_recent_key: str = Field("catalog/recent.json", description="The newest stories, the feed's source.")
    catalog_feed_key: str = Field("feeds/latest.xml", description="Atom feed of the newest stories.")
    catalog_sitemap_key: str = Field("sitemaps/news.xml", description="Google News sitemap (last 48 hours).")
    catalog_index_key: str = Field("index/stories.json", description="Index of every live story (its shards beside it).")
    public_base_url: str = Field(
        "", description="Where readers reach the bucket (a CDN or website URL): the feed's links. Empty: keys.",
    )
    publication_name: str = Field("Newsroom", description="The publication's name, as news sitemaps give it.")

    @field_validator("fetch_allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        # Operators write "127.0.0.1,localhost", not JSON.
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @field_validator("s3_endpoint_url", "s3_access_key_id", "s3_secret_access_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @model_validator(mode="after")
    def _both_keys_or_neither(self) -> Settings:
        # Half a pair would not be used at all (tasks/storage.py passes keys
        # only as a pair): the credential chain would quietly sign instead.
        if (self.s3_access_key_id is None) != (self.s3_secret_access_key is None):
            raise ValueError("s3_access_key_id and s3_secret_access_key go together: set both, or neither"
                             " (for boto3's credential chain)")
        return self

    @field_validator("s3_prefix")
    @classmethod
    def _clean_prefix(cls, value: str) -> str:
        return value.strip("/")


def read_settings(**overrides: object) -> Settings:
    """The settings from the environment (and NEWSROOM_SETTINGS_FILE), with
    ``overrides`` (field names) in place of what they say.

    Only where a run's resources are built should read settings: here,
    ``get_settings`` (tasks/resources.py) or a command that runs with
    settings of its own (cli/demo.py); everything else is handed its settings.
    """
    return Settings(_env_file=os.environ.get("NEWSROOM_SETTINGS_FILE", ".env"), **overrides)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment (and NEWSROOM_SETTINGS_FILE), read once."""
    return read_settings()
