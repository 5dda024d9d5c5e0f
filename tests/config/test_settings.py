"""Settings: from NEWSROOM_* variables or a settings file, in the forms operators write them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from config.settings import Settings, get_settings


@pytest.fixture
def fresh(monkeypatch):
    """get_settings() read again from this test's environment, and forgotten after it."""
    for name in ("NEWSROOM_S3_BUCKET", "NEWSROOM_S3_ENDPOINT_URL", "NEWSROOM_SETTINGS_FILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_hosts_are_a_comma_separated_lower_case_list(monkeypatch):
    monkeypatch.setenv("NEWSROOM_FETCH_ALLOWED_HOSTS", " Example.ORG, ,127.0.0.1,")
    assert Settings().fetch_allowed_hosts == ["example.org", "127.0.0.1"]


def test_an_empty_endpoint_means_aws_and_the_prefix_loses_its_slashes(monkeypatch):
    monkeypatch.setenv("NEWSROOM_S3_ENDPOINT_URL", "")
    monkeypatch.setenv("NEWSROOM_S3_PREFIX", "/news/stories/")
    settings = Settings()
    assert settings.s3_endpoint_url is None and settings.s3_prefix == "news/stories"


@pytest.mark.parametrize("name, value", [("NEWSROOM_S3_MAX_ATTEMPTS", "0"), ("NEWSROOM_DEDUPE_SIMILARITY", "1.5"),
                                         ("NEWSROOM_S3_ADDRESSING_STYLE", "sideways")])
def test_values_out_of_range_are_refused_naming_the_field(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.removeprefix("NEWSROOM_").lower()):
        Settings()


def test_the_settings_file_is_the_one_named_when_settings_are_read(fresh, tmp_path):
    first, second = tmp_path / "first.env", tmp_path / "second.env"
    first.write_text("NEWSROOM_S3_BUCKET=from-first\n")
    second.write_text("NEWSROOM_S3_BUCKET=from-second\nNEWSROOM_PUBLISH_CONCURRENCY=7\n")
    fresh.setenv("NEWSROOM_SETTINGS_FILE", str(first))
    assert get_settings().s3_bucket == "from-first"
    assert get_settings() is get_settings()  # read once per process
    fresh.setenv("NEWSROOM_SETTINGS_FILE", str(second))
    get_settings.cache_clear()
    settings = get_settings()
    assert (settings.s3_bucket, settings.publish_concurrency) == ("from-second", 7)


def test_the_environment_wins_over_the_settings_file(fresh, tmp_path):
    path = tmp_path / "settings.env"
    path.write_text("NEWSROOM_S3_BUCKET=from-file\n")
    fresh.setenv("NEWSROOM_SETTINGS_FILE", str(path))
    fresh.setenv("NEWSROOM_S3_BUCKET", "from-env")
    assert get_settings().s3_bucket == "from-env"


def test_a_stores_own_keys_reach_its_client_and_never_its_repr(monkeypatch):
    from tasks.storage import s3_client

    monkeypatch.setenv("NEWSROOM_S3_ACCESS_KEY_ID", "newsroom-local")
    monkeypatch.setenv("NEWSROOM_S3_SECRET_ACCESS_KEY", "newsroom-local-secret")
    keyed = Settings()
    assert "newsroom-local-secret" not in repr(keyed) and "newsroom-local-secret" not in str(keyed.model_dump())
    credentials = s3_client(keyed)._request_signer._credentials
    assert (credentials.access_key, credentials.secret_key) == ("newsroom-local", "newsroom-local-secret")
    monkeypatch.setenv("NEWSROOM_S3_ACCESS_KEY_ID", "")
    monkeypatch.setenv("NEWSROOM_S3_SECRET_ACCESS_KEY", "")
    chain = Settings()  # empty: boto3's own credential chain
    assert chain.s3_access_key_id is None and chain.s3_secret_access_key is None
    assert s3_client(chain) is not s3_client(keyed)


def test_half_a_key_pair_is_refused_without_repeating_it(monkeypatch):
    monkeypatch.delenv("NEWSROOM_S3_ACCESS_KEY_ID", raising=False)
    monkeypatch.setenv("NEWSROOM_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-K7MDENG")
    with pytest.raises(ValidationError, match="s3_access_key_id and s3_secret_access_key go together") as info:
        Settings()
    assert "wJalrXUtnFEMI-K7MDENG" not in str(info.value)
