"""The deployments' pull step: a worker without the project gets one clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.project_dir import ENV_VAR, ProjectDirError, project_directory, set_project_directory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_cwd():
    before = os.getcwd()
    yield
    os.chdir(before)


def test_changes_into_the_checkout_named_by_the_variable(tmp_path, monkeypatch, restore_cwd):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(REPO))
    assert set_project_directory() == {"directory": str(REPO)}
    assert Path.cwd() == REPO


@pytest.mark.parametrize("value", [None, "", "   "])
def test_unset_names_the_variable_in_one_line(value, tmp_path, monkeypatch, restore_cwd):
    monkeypatch.chdir(tmp_path)
    if value is None:
        monkeypatch.delenv(ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(ENV_VAR, value)
    with pytest.raises(ProjectDirError) as raised:
        set_project_directory()
    message = str(raised.value)
    assert message.startswith(f"{ENV_VAR} is not set") and "\n" not in message
    assert Path.cwd() == tmp_path  # nothing changed


def test_a_folder_without_the_project_is_refused(tmp_path, monkeypatch):
    (tmp_path / "flows").mkdir()  # a folder that merely looks alike
    with pytest.raises(ProjectDirError) as raised:
        project_directory({ENV_VAR: str(tmp_path)})
    message = str(raised.value)
    assert message.startswith(f"{ENV_VAR}={tmp_path} does not hold the project") and "\n" not in message
    assert "flows/publish_story.py" in message


def test_a_missing_folder_is_refused():
    with pytest.raises(ProjectDirError, match=ENV_VAR):
        project_directory({ENV_VAR: "/nonexistent/newsroom"})


def test_home_relative_paths_are_expanded(tmp_path, monkeypatch):
    (tmp_path / "checkout" / "flows").mkdir(parents=True)
    (tmp_path / "checkout" / "flows" / "publish_story.py").write_text("")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert project_directory({ENV_VAR: "~/checkout"}) == (tmp_path / "checkout").resolve()


def test_the_error_goes_to_the_flow_runs_log(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("PREFECT__FLOW_RUN_ID", "5f0f6a3e-9d3c-4c55-9a43-1c2b3d4e5f60")
    with caplog.at_level("ERROR", logger="prefect.flow_runs"), pytest.raises(ProjectDirError):
        set_project_directory()
    (record,) = [r for r in caplog.records if r.name == "prefect.flow_runs"]
    assert record.flow_run_id == "5f0f6a3e-9d3c-4c55-9a43-1c2b3d4e5f60"
    assert record.getMessage().startswith(f"{ENV_VAR} is not set")
