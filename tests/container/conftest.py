"""Fixtures of the container tests: podman, the image built from the Dockerfile, a Prefect server.

CI (``CI`` set) must run these tests: there, a missing podman is a failure.
Elsewhere they skip, with the reason, only when podman is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests import figures
from tests.container import podman as pm
from tests.integration.seaweedfs import s3_endpoint  # noqa: F401 - the S3 server (tests/conftest.py starts it)
from tests.integration.prefect_server import PrefectServer
from tests.integration.prefect_server import prefect_server as start_prefect_server

IMAGE = "localhost/newsroom-pipeline:test"


class _Timings(dict):
    """The image's figures, each also kept for the run's summary (tests/figures.py)."""

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key, value)
        figures.record("container image", f"{key}: {value}")


TIMINGS: dict[str, str] = _Timings()


@pytest.fixture(scope="session")
def podman_available() -> None:
    if shutil.which("podman") is None:
        message = "podman is not installed: run .ci/container-prereqs as root (apt-get install podman buildah runc debootstrap)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must run the container tests", pytrace=False)
        pytest.skip(message)


@dataclass(frozen=True)
class BuiltImage:
    name: str
    base: pm.BaseImage
    version: str
    size_bytes: int
    build_seconds: float


@pytest.fixture(scope="session")
def image(podman_available, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltImage]:
    """The image built from the repository's Dockerfile, every step run afresh (no layer cache)."""
    workdir = tmp_path_factory.mktemp("image")
    dockerfile = pm.REPO_ROOT / "Dockerfile"
    base = pm.ensure_base_image(dockerfile, workdir)
    TIMINGS["base"] = base.description
    if base.built_seconds is not None:
        TIMINGS["stand-in base built in"] = f"{base.built_seconds:.0f} s (debootstrap, import, pip install prefect)"
    print(base.description)

    version = tomllib.loads((pm.REPO_ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=pm.REPO_ROOT, capture_output=True,
                              text=True).stdout.strip() or "unknown"
    source = subprocess.run(["git", "config", "--get", "remote.origin.url"], cwd=pm.REPO_ROOT,
                            capture_output=True, text=True).stdout.strip()
    source = re.sub(r"//[^/@]*@", "//", source) or "unknown"  # never a credential in a label
    log = workdir / "build.log"
    started = time.monotonic()
    pm.podman("build", *pm.build_flags(), "--no-cache",
              "--build-arg", f"NEWSROOM_VERSION={version}", "--build-arg", f"NEWSROOM_REVISION={revision}",
              "--build-arg", f"NEWSROOM_SOURCE={source}",
              "-t", IMAGE, "-f", str(dockerfile), str(pm.REPO_ROOT), log=log)
    seconds = time.monotonic() - started
    size = pm.image_size(IMAGE)
    base_size = pm.image_size(base.name)
    TIMINGS["image"] = IMAGE
    TIMINGS["image build (no layer cache)"] = f"{seconds:.0f} s"
    TIMINGS["image size"] = f"{size / 1e6:.0f} MB ({(size - base_size) / 1e6:.0f} MB over the base's {base_size / 1e6:.0f} MB)"
    image_id = pm.podman("image", "inspect", "--format", "{{.Id}}", IMAGE).stdout.strip()
    try:
        yield BuiltImage(IMAGE, base, version, size, seconds)
    finally:
        if not os.environ.get("NEWSROOM_KEEP_TEST_IMAGE"):
            # By id: the tag may have moved, and every run leaves ~240 MB otherwise.
            removed = pm.podman("rmi", "--force", image_id, check=False)
            if removed.returncode != 0:
                TIMINGS["test image NOT removed"] = f"{image_id[:12]}: {removed.stderr.strip()[-300:]}"


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    """A real ``prefect server`` on a free port, SQLite in a temporary PREFECT_HOME
    (the same launcher as the operator walk-through's)."""
    with start_prefect_server(tmp_path_factory.mktemp("prefect-home")) as server:
        yield server
