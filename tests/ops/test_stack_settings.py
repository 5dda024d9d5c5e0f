"""The local stack's Prefect server settings: its port for the UI too, and retention."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.stack import RETENTION_ENV, retention_seconds, server_environment, warm_pool_template


def test_the_ui_and_the_api_share_the_served_port(tmp_path):
    env = server_environment(4321, tmp_path)
    assert env["PREFECT_API_URL"] == "http://127.0.0.1:4321/api"
    assert env["PREFECT_SERVER_API_PORT"] == "4321"
    assert "PREFECT_API_DATABASE_CONNECTION_URL" not in env  # SQLite, Prefect's default


def test_postgres_is_named_by_its_connection_url(tmp_path):
    env = server_environment(4321, tmp_path, "postgresql+asyncpg://prefect@127.0.0.1:5999/prefect")
    assert env["PREFECT_API_DATABASE_CONNECTION_URL"].startswith("postgresql+asyncpg://")


def test_old_flow_runs_are_vacuumed_after_the_project_setting(tmp_path, monkeypatch):
    monkeypatch.setenv(RETENTION_ENV, "7")
    env = server_environment(4321, tmp_path)
    assert set(env["PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED"].split(",")) == {"events", "flow_runs"}
    assert env["PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD"] == str(7 * 86400)
    # What Prefect itself makes of them.
    from prefect.settings.models.server.services import ServerServicesDBVacuumSettings

    monkeypatch.setenv("PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED", env["PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED"])
    monkeypatch.setenv("PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD",
                       env["PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD"])
    vacuum = ServerServicesDBVacuumSettings()
    assert "flow_runs" in vacuum.enabled_vacuum_types
    assert vacuum.retention_period.days == 7


def test_retention_defaults_to_thirty_days():
    assert retention_seconds({}) == 30 * 86400


@pytest.mark.parametrize("value", ["soon", "0.01", "-1"])
def test_a_bad_retention_is_refused_with_the_setting_named(value):
    with pytest.raises(ValueError, match=RETENTION_ENV):
        retention_seconds({RETENTION_ENV: value})


def test_the_pool_runs_flows_through_the_warm_engine():
    template = warm_pool_template()
    command = template["variables"]["properties"]["command"]["default"]
    python, *flags, client = command.split()
    assert Path(python).exists() and Path(client).name == "warm_engine.py" and Path(client).exists()
    assert flags == ["-I", "-S"]  # the client imports nothing from site-packages
    assert template["job_configuration"]["command"] == "{{ command }}"
