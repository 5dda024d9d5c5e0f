from __future__ import annotations

import pytest

from config.settings import Settings
from tasks import robots
from tasks.robots import clear_robots_cache, is_allowed_by_robots
from tests.httpstub import Reply, http_stub

UA = "newsroom-pipeline/0.1 (+https://github.com/newsroom-pipeline)"
RULES = b"""# a typical news site
User-agent: *
Disallow: /search
Disallow: /private/

User-agent: newsroom-pipeline
Disallow: /embargoed/
Allow: /private/press/
Disallow: /private/
"""
TEXT = {"Content-Type": "text/plain"}


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_robots_cache()
    yield
    clear_robots_cache()


@pytest.fixture
def local() -> Settings:
    return Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout=2, fetch_connect_timeout=1, fetch_retries=1)


@pytest.fixture
def site():
    with http_stub() as stub:
        yield stub


def test_rules_for_our_agent_apply(site, local):
    site.route("/robots.txt", Reply(body=RULES, headers=TEXT))
    base = site.base
    assert is_allowed_by_robots(f"{base}/world/story", UA, settings=local)
    assert not is_allowed_by_robots(f"{base}/embargoed/story", UA, settings=local)
    assert not is_allowed_by_robots(f"{base}/private/memo", UA, settings=local)
    assert is_allowed_by_robots(f"{base}/private/press/release", UA, settings=local)
    # our group replaces the * group: /search is not forbidden to us
    assert is_allowed_by_robots(f"{base}/search?q=x", UA, settings=local)
    assert not is_allowed_by_robots(f"{base}/search?q=x", "otherbot/1.0", settings=local)
    assert site.hits["/robots.txt"] == 1  # fetched once, then cached


def test_the_user_agent_defaults_to_the_setting(site):
    site.route("/robots.txt", Reply(body=b"User-agent: custom-bot\nDisallow: /\n", headers=TEXT))
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_user_agent="custom-bot/2.0 (+https://x.example)")
    assert not is_allowed_by_robots(f"{site.base}/a", settings=settings)
    assert site.headers_seen[-1]["User-Agent"] == "custom-bot/2.0 (+https://x.example)"


@pytest.mark.parametrize("status, allowed", [
    (401, False), (403, False),  # access restricted: nothing may be fetched
    (404, True), (410, True), (400, True),  # no rules: everything may be fetched
    (429, False), (500, False), (502, False), (503, False),  # unreachable or throttled: disallow for now
])
def test_status_codes_follow_robotparser(site, local, status, allowed):
    site.route("/robots.txt", Reply(status=status, body=b"Disallow: /", headers=TEXT))
    assert is_allowed_by_robots(f"{site.base}/story", UA, settings=local) is allowed


def test_missing_robots_txt_allows_everything(site, local):
    assert is_allowed_by_robots(f"{site.base}/story", UA, settings=local)  # the stub answers 404


def test_unreachable_site_is_disallowed_and_retried_sooner(local, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(robots.time, "monotonic", lambda: clock[0])
    assert not is_allowed_by_robots("http://127.0.0.1:1/story", UA, settings=local)
    expires, verdict = robots._cache["http://127.0.0.1:1"]
    assert verdict is False and expires == 1000.0 + robots.UNREACHABLE_TTL


def test_cache_expires_after_the_ttl(site, local, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(robots.time, "monotonic", lambda: clock[0])
    site.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /a\n", headers=TEXT),
               Reply(body=b"User-agent: *\nDisallow: /b\n", headers=TEXT))
    assert not is_allowed_by_robots(f"{site.base}/a", UA, settings=local)
    clock[0] += robots.ROBOTS_TTL - 1
    assert not is_allowed_by_robots(f"{site.base}/a", UA, settings=local)
    assert site.hits["/robots.txt"] == 1
    clock[0] += 2
    assert is_allowed_by_robots(f"{site.base}/a", UA, settings=local)
    assert not is_allowed_by_robots(f"{site.base}/b", UA, settings=local)
    assert site.hits["/robots.txt"] == 2


def test_robots_is_fetched_through_the_guarded_fetcher(site):
    """Without the loopback allowance the fetch is refused, so the verdict is 'disallow'."""
    site.route("/robots.txt", Reply(body=b"", headers=TEXT))
    assert not is_allowed_by_robots(f"{site.base}/story", UA, settings=Settings())
    assert site.hits.get("/robots.txt", 0) == 0


def test_redirects_are_followed_and_size_is_capped(site, local):
    site.route("/robots.txt", Reply(status=301, headers={"Location": "/real-robots.txt"}))
    site.route("/real-robots.txt", Reply(body=b"User-agent: *\nDisallow: /x\n", headers=TEXT))
    assert not is_allowed_by_robots(f"{site.base}/x", UA, settings=local)
    assert is_allowed_by_robots(f"{site.base}/y", UA, settings=local)
    with http_stub() as other:
        huge = b"User-agent: *\n" + b"Disallow: /zzzzzzzzzzzzzzzzzzzzzzzzzzzz\n" * 40_000
        other.route("/robots.txt", Reply(body=huge, headers=TEXT, chunks=20))
        assert not is_allowed_by_robots(f"{other.base}/y", UA, settings=local)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "javascript:alert(1)", "/relative", ""])
def test_non_web_urls_are_not_allowed(url, local):
    assert not is_allowed_by_robots(url, UA, settings=local)


def test_origins_are_separate(local):
    with http_stub() as one, http_stub() as two:
        one.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /\n", headers=TEXT))
        assert not is_allowed_by_robots(f"{one.base}/a", UA, settings=local)
        assert is_allowed_by_robots(f"{two.base}/a", UA, settings=local)


MODERN = b"""User-agent: *
Disallow: /private/
Allow: /private/press/
Disallow: /*.pdf$
Disallow: /*?print=
"""


def test_wildcards_anchors_and_the_longest_match_follow_rfc_9309(site, local):
    site.route("/robots.txt", Reply(body=MODERN, headers=TEXT))
    base = site.base
    # "*" matches any run of characters and "$" anchors at the end of the path
    assert not is_allowed_by_robots(f"{base}/reports/annual.pdf", UA, settings=local)
    assert is_allowed_by_robots(f"{base}/reports/annual.pdf.html", UA, settings=local)
    assert not is_allowed_by_robots(f"{base}/world/story?print=1", UA, settings=local)
    assert is_allowed_by_robots(f"{base}/world/story?page=2", UA, settings=local)
    # the longer Allow wins over the shorter Disallow before it
    assert is_allowed_by_robots(f"{base}/private/press/release", UA, settings=local)
    assert not is_allowed_by_robots(f"{base}/private/memo", UA, settings=local)
