from __future__ import annotations

import os

import pytest

from config.settings import Settings
from config.sources import SourcesError, load_sources
from tests.conftest import FIXTURES

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY"
GOOD = "sources:\n  - name: a\n    url: https://n.example/rss\n"


def test_sources_file_is_validated_with_clear_messages(tmp_path):
    folder = Settings(sources_dir=str(tmp_path))
    good = tmp_path / "s.yaml"
    good.write_text("sources:\n  - name: a\n    url: https://n.example/rss\n    tags: X, Y\n"
                    "  - name: b\n    url: https://n.example/map.xml\n    enabled: false\n")
    (only,) = load_sources(good, folder)
    assert only.tags == ("X", "Y") and only.limit == 50 and only.robots
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: a\n    url: ftp://n.example/rss\n")
    with pytest.raises(SourcesError, match="sources.0.url"):
        load_sources(bad, folder)
    dupes = tmp_path / "dupes.yaml"
    dupes.write_text("sources:\n  - {name: a, url: 'https://n.example/1'}\n  - {name: a, url: 'https://n.example/2'}\n")
    with pytest.raises(SourcesError, match="duplicate source names: a"):
        load_sources(dupes, folder)
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "missing.yaml", folder)
    assert load_sources(FIXTURES.parent / "config" / "sources.yaml", Settings())  # the shipped example parses


@pytest.fixture
def worker(tmp_path):
    """A worker's files: a sources folder, and beside it an .env with a secret."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "news.yaml").write_text(GOOD)
    env = tmp_path / ".env"
    env.write_text(f"AWS_SECRET_ACCESS_KEY: {SECRET}\nNEWSROOM_S3_BUCKET=x\n")
    return folder, env, Settings(sources_dir=str(folder))


def test_a_file_outside_the_sources_folder_is_refused_unread(worker):
    folder, env, settings = worker
    for path in (env, folder / ".." / ".env", folder / ".." / "sources" / ".." / ".env", "/etc/passwd"):
        with pytest.raises(SourcesError, match="outside the sources folder") as info:
            load_sources(path, settings)
        assert SECRET not in str(info.value)
    assert [s.name for s in load_sources(folder / "news.yaml", settings)] == ["a"]


def test_a_link_inside_the_folder_to_a_file_outside_is_refused(worker):
    folder, env, settings = worker
    link = folder / "innocent.yaml"
    link.symlink_to(env)
    with pytest.raises(SourcesError, match="outside the sources folder"):
        load_sources(link, settings)


def test_only_yaml_files_and_regular_ones_are_read(worker):
    folder, env, settings = worker
    inside = folder / ".env"
    inside.write_text(env.read_text())
    with pytest.raises(SourcesError, match="not a .yaml or .yml file") as info:
        load_sources(inside, settings)
    assert SECRET not in str(info.value)
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SourcesError, match="not a regular file"):
        load_sources(fifo, settings)
    big = folder / "big.yaml"
    big.write_text("# " + "x" * (1024 * 1024) + "\n" + GOOD)
    with pytest.raises(SourcesError, match="larger than 1024 KiB"):
        load_sources(big, settings)
    latin = folder / "latin.yaml"
    latin.write_bytes(b"sources: []  # caf\xe9\n")
    with pytest.raises(SourcesError, match="not UTF-8 text"):
        load_sources(latin, settings)


@pytest.mark.parametrize("content", [
    f"password: {SECRET}\n\tbroken: [",
    f"key: [unclosed {SECRET}\n",
    f"{SECRET}: *undefined_alias\n",
    f"a: !{SECRET} tag\n",
    f"'{SECRET}\n",
])
def test_a_yaml_error_names_the_place_never_the_content(worker, content):
    folder, _env, settings = worker
    bad = folder / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(SourcesError, match="not valid YAML") as info:
        load_sources(bad, settings)
    assert SECRET not in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("content", [
    f"AWS_SECRET_ACCESS_KEY: {SECRET}\n",
    f"sources:\n  - name: a\n    url: https://n.example/rss\n    {SECRET}: 1\n",
    f"sources: {SECRET}\n",
    f"{SECRET}\n",
])
def test_a_schema_error_never_repeats_a_key_or_value_of_the_file(worker, content):
    folder, _env, settings = worker
    bad = folder / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(SourcesError) as info:
        load_sources(bad, settings)
    assert SECRET not in str(info.value)


def test_the_folder_defaults_to_that_of_the_configured_file(worker):
    folder, env, _settings = worker
    settings = Settings(sources_file=str(folder / "news.yaml"))
    assert [s.name for s in load_sources(None, settings)] == ["a"]
    with pytest.raises(SourcesError, match="outside"):
        load_sources(env, settings)
    # with nothing configured, only the packaged folder is readable
    with pytest.raises(SourcesError, match="outside"):
        load_sources(folder / "news.yaml", Settings())
    assert load_sources(None, Settings())

