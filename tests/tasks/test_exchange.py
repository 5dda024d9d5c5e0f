"""One retry layer (urllib3's Retry in the adapter) and one deadline per fetch."""

from __future__ import annotations

import pytest
from prefect.states import Completed, Failed
from urllib3.util import retry as urllib3_retry

from config.settings import Settings
from tasks.errors import FetchError, NotHTMLError, TransientFetchError
from tasks.fetch import (
    BodyInterruptedError,
    fetch_page,
    network_task_options,
    retry_if_body_interrupted,
)
from tasks.steps import fetch_page_task
from tests.httpstub import Reply, http_stub

PAGE = b"<html><body><p>Harbour works resume</p></body></html>"


def _settings(**kw) -> Settings:
    return Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=1, **kw)


@pytest.fixture
def stub():
    with http_stub() as server:
        yield server


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """The pauses the adapter takes between attempts (recorded, not slept)."""
    taken: list[float] = []
    monkeypatch.setattr(urllib3_retry.time, "sleep", taken.append)
    return taken


def test_a_busy_server_is_asked_again_and_its_retry_after_is_honoured(stub, pauses):
    url = stub.route("/busy", Reply(status=503, headers={"Retry-After": "1"}), Reply(body=PAGE))
    assert "Harbour works resume" in fetch_page(url, settings=_settings()).text
    assert stub.hits["/busy"] == 2 and pauses == [1.0]


@pytest.mark.parametrize("retries", [0, 2])
def test_one_layer_of_retries_sends_exactly_retries_plus_one_requests(stub, pauses, retries):
    url = stub.route("/down", Reply(status=502, body=b"bad gateway"))
    with pytest.raises(TransientFetchError, match="HTTP 502"):
        fetch_page(url, settings=_settings(fetch_retries=retries))
    assert stub.hits["/down"] == retries + 1
    # backoff: the first retry at once, then 1 s, 2 s, ... each plus up to 0.5 s of jitter
    assert len(pauses) == max(0, retries - 1) and all(1 <= p <= 1.5 for p in pauses)


def test_a_client_error_is_never_retried(stub, pauses):
    url = stub.route("/missing", Reply(status=404, body=b"no"))
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_page(url, settings=_settings(fetch_retries=3))
    assert stub.hits["/missing"] == 1 and pauses == []


def test_a_retry_after_beyond_the_deadline_fails_at_once_and_says_so(stub, pauses):
    url = stub.route("/later", Reply(status=429, headers={"Retry-After": "3600"}))
    with pytest.raises(TransientFetchError) as info:
        fetch_page(url, settings=_settings(fetch_retries=3))
    assert str(info.value) == (f"{url}: HTTP 429 Too Many Requests; the server asks to retry after 3600 s,"
                               " within the 6 s deadline")
    assert stub.hits["/later"] == 1 and pauses == []


def test_redirects_are_left_to_the_fetcher(stub, pauses):
    """Each hop is the fetcher's, so the guard checks it: the adapter's Retry follows none."""
    target = stub.route("/new", Reply(body=PAGE))
    start = stub.route("/old", Reply(status=301, headers={"Location": "/new"}))
    assert fetch_page(start, settings=_settings()).final_url == target
    not_html = stub.route("/pdf", Reply(status=302, headers={"Location": "/doc"}))
    stub.route("/doc", Reply(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}))
    with pytest.raises(NotHTMLError):
        fetch_page(not_html, settings=_settings())
    assert stub.hits["/old"] == stub.hits["/pdf"] == 1 and pauses == []


def test_task_options_come_from_the_settings_at_call_time():
    options = network_task_options(_settings(fetch_retries=7))
    assert options["retries"] == 7
    assert fetch_page_task.with_options(**options).retries == 7
    assert network_task_options(_settings(fetch_retries=0))["retries"] == 0


def test_prefect_repeats_only_a_body_cut_off_mid_stream():
    """What the adapter retried already, or what no retry can fix, is not repeated."""
    assert retry_if_body_interrupted(None, None, Failed(data=BodyInterruptedError("cut")))
    assert not retry_if_body_interrupted(None, None, Failed(data=TransientFetchError("HTTP 503")))
    assert not retry_if_body_interrupted(None, None, Failed(data=FetchError("HTTP 404")))
    assert not retry_if_body_interrupted(None, None, Completed(data=1))
