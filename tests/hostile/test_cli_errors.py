"""The CLI turns every failure a hostile page can cause into one line, never a traceback."""

from __future__ import annotations

import pytest
from lxml import etree

from cli import main as cli
from tests.conftest import SEED_PAGE


def _raise(exc: BaseException):
    def failing(*_args, **_kwargs):
        raise exc

    return failing


@pytest.mark.parametrize("exc, expected", [
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
    (MemoryError(), "too large to process in memory"),
    (etree.ParserError("Document is empty"), "ParserError: Document is empty"),
    (etree.XMLSyntaxError("bad", 1, 1, 1), "XMLSyntaxError"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "UnicodeDecodeError"),
    (UnicodeEncodeError("ascii", "\u00e9", 0, 1, "ordinal not in range"), "UnicodeEncodeError"),
    (ValueError("All strings must be XML compatible"), "XML compatible"),
])
def test_errors_from_page_content_are_one_line_exit_2(monkeypatch, capsys, exc, expected):
    import tasks.pipeline

    monkeypatch.setattr(tasks.pipeline, "clean_in_child", _raise(exc))
    code = cli.main(["extract", str(SEED_PAGE), "--url", "https://news.example/x"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("newsroom: error: ") and expected in err
    assert "Traceback" not in err


def test_unexpected_errors_are_one_line_exit_1_and_redacted(monkeypatch, capsys):
    import tasks.pipeline

    monkeypatch.setattr(tasks.pipeline, "clean_in_child",
                        _raise(RuntimeError("boom at https://user:hunter2@db.internal/x\nsecond line")))
    code = cli.main(["extract", str(SEED_PAGE)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "hunter2" not in err and "RuntimeError: boom" in err


def test_debug_shows_the_traceback(monkeypatch):
    import tasks.pipeline

    monkeypatch.setattr(tasks.pipeline, "clean_in_child", _raise(RecursionError("deep")))
    with pytest.raises(RecursionError):
        cli.main(["--debug", "extract", str(SEED_PAGE)])
