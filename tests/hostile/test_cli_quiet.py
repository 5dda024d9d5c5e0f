"""`newsroom publish` on bad input prints its one line, not Prefect's logs."""

from __future__ import annotations

import pytest

from tests.test_cli import newsroom


@pytest.mark.timeout(600)
def test_a_failed_publish_prints_one_line_and_debug_shows_the_logs(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>nothing</p></body></html>", encoding="utf-8")
    quiet = newsroom("publish", str(page), "--url", "https://news.example/empty")
    assert quiet.returncode == 2
    assert quiet.stderr.strip().splitlines() == ["newsroom: error: the page has no article: no story body was found"]
    loud = newsroom("--debug", "publish", str(page), "--url", "https://news.example/empty")
    assert loud.returncode != 0
    assert "Finished in state Failed" in loud.stderr and "Traceback" in loud.stderr
