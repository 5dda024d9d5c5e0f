"""Credentials never reach error messages, logs or bundles.

Storage credentials come from the AWS chain; page URLs may carry a user
name and password. Each path that can fail is made to fail with known
secrets in place, and everything it says is searched for them.
"""

from __future__ import annotations

import logging

import pytest

from config.settings import Settings
from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.errors import PipelineError
from tasks.fetch import fetch_page
from tasks.publish import publish_draft
from tasks.render import render_bundle
from tests.conftest import SEED_PAGE
from tests.httpstub import Reply, http_stub

ACCESS_KEY = "AKIAHOSTILETEST00042"
SECRET_KEY = "hostile/Secret+Key/0123456789abcdefghijklmn"
URL_SECRET = "url-pa55word"


@pytest.fixture
def bundle():
    page = fetch_page(str(SEED_PAGE), "https://news.example/world/2016/sep/23/aleppo-offensive", settings=Settings())
    return build_draft(dedupe_article(clean_page(page)), page)


@pytest.fixture
def known_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:1", f"http://user:{URL_SECRET}@127.0.0.1:1"])
def test_storage_failure_messages_and_logs_hold_no_credentials(known_credentials, bundle, caplog, endpoint):
    settings = Settings(s3_endpoint_url=endpoint, s3_bucket="b", s3_max_attempts=1, s3_connect_timeout=1,
                        s3_read_timeout=1, s3_addressing_style="path")
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(PipelineError) as info:
            publish_draft(bundle, settings)
    message = str(info.value)
    assert "\n" not in message
    for secret in (SECRET_KEY, URL_SECRET, ACCESS_KEY):
        assert secret not in message
    # Even botocore's debug log never holds the secret key (requests are signed, not sent the key).
    assert len(caplog.records) > 10  # botocore really logged the attempt
    assert SECRET_KEY not in caplog.text
    info_and_above = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert ACCESS_KEY not in info_and_above and URL_SECRET not in info_and_above


def test_a_page_fetched_with_userinfo_leaves_no_trace_in_the_bundle():
    page_html = SEED_PAGE.read_bytes()
    with http_stub() as stub:
        url = stub.route("/story", Reply(body=page_html)).replace("http://", f"http://editor:{URL_SECRET}@")
        page = fetch_page(url, settings=Settings(fetch_allowed_hosts=["127.0.0.1"]))
    bundle = render_bundle(build_draft(dedupe_article(clean_page(page)), page))
    for file in bundle.files:
        assert URL_SECRET.encode() not in file.data, file.name
        assert b"editor:" not in file.data, file.name
