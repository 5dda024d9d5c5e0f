"""Building and running the project's image with podman, where no Docker engine runs.

The flags below are what this kind of machine needs (cgroup v1 in hybrid
mode, restricted ulimits, no registry access):

* ``--runtime runc --cgroup-manager cgroupfs``: crun refuses hybrid cgroups;
* ``--ulimit nofile=1024:1024 --ulimit nproc=1024:1024``: raising the default
  limits fails with EPERM;
* ``--network host --pull=never``: no image registry can be reached, and the
  containers talk to servers the tests run on 127.0.0.1;
* the host's CA bundle mounted over the image's during builds, so pip trusts
  whatever the host trusts (the mount is not committed to any layer).

When the base image named in the Dockerfile is not in local storage (it
cannot be pulled here), a stand-in is built under that exact name from a
Debian bookworm root file system: see ``standin/Containerfile`` for what it
shares with the official image and how it differs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
STANDIN_DIR = HERE / "standin"
ROOTFS_IMAGE = "localhost/newsroom-standin/bookworm-minbase:latest"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
STANDIN_LABEL = "org.newsroom.standin"

GLOBAL_FLAGS = ["--runtime", "runc", "--cgroup-manager", "cgroupfs"]
ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
RUN_FLAGS = ["--network", "host", "--pull=never", *ULIMITS]


def podman(*args: str, check: bool = True, timeout: float = 900, log: Path | None = None,
           ) -> subprocess.CompletedProcess[str]:
    """Run one podman command with the machine's global flags."""
    command = ["podman", *GLOBAL_FLAGS, *args]
    if log is None:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    else:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"$ {' '.join(command)}\n")
            handle.flush()
            result = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, text=True,
                                    timeout=timeout)
            result.stdout = result.stderr = ""
    if check and result.returncode != 0:
        detail = result.stderr.strip() or (f"see {log}" if log else "")
        raise RuntimeError(f"{' '.join(command[:6])}… exited with {result.returncode}: {detail}"
                           + (f"\n{tail(log)}" if log else ""))
    return result


def build_flags() -> list[str]:
    flags = ["--network", "host", "--pull=never", *ULIMITS]
    if CA_BUNDLE.is_file():
        flags += ["-v", f"{CA_BUNDLE}:{CA_BUNDLE}:ro"]
    return flags


def tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-lines:])


def base_image_of(dockerfile: Path) -> str:
    """The image named by the Dockerfile's (single) FROM line."""
    match = re.search(r"^FROM\s+(?:--platform=\S+\s+)?(\S+)", dockerfile.read_text("utf-8"), re.MULTILINE)
    if not match:
        raise ValueError(f"no FROM line in {dockerfile}")
    return match.group(1)


def qualified(name: str) -> str:
    """Docker Hub's full name for a short image name (prefecthq/prefect:… → docker.io/…)."""
    first = name.split("/", 1)[0]
    if "/" in name and ("." in first or ":" in first or first == "localhost"):
        return name
    return f"docker.io/{name}" if "/" in name else f"docker.io/library/{name}"


def image_exists(name: str) -> bool:
    return podman("image", "exists", name, check=False).returncode == 0


def label(image: str, key: str) -> str | None:
    value = podman("image", "inspect", "--format", f'{{{{index .Labels "{key}"}}}}', image).stdout.strip()
    return None if value in ("", "<no value>") else value


def image_size(image: str) -> int:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())


@dataclass
class BaseImage:
    name: str
    standin: bool
    built_seconds: float | None  # None: it was already in local storage
    description: str


def ensure_base_image(dockerfile: Path, workdir: Path) -> BaseImage:
    """Make sure the Dockerfile's base image is in local storage, as a stand-in if need be."""
    name = qualified(base_image_of(dockerfile))
    if image_exists(name):
        standin = label(name, STANDIN_LABEL) == "true"
        return BaseImage(name, standin, None, _describe(name, standin))
    started = time.monotonic()
    log = workdir / "standin-build.log"
    if not image_exists(ROOTFS_IMAGE):
        _import_bookworm_rootfs(workdir, log)
    tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else "latest"
    prefect_version = tag.split("-", 1)[0]
    if not re.fullmatch(r"\d+\.\d+\.\d+", prefect_version):
        raise ValueError(f"cannot tell the Prefect version from the base image tag {tag!r}")
    podman("build", *build_flags(), "--build-arg", f"ROOTFS_IMAGE={ROOTFS_IMAGE}",
           "--build-arg", f"PREFECT_VERSION={prefect_version}", "-t", name, "-f", str(STANDIN_DIR / "Containerfile"), str(STANDIN_DIR), log=log)
    return BaseImage(name, True, time.monotonic() - started, _describe(name, True))


def _describe(name: str, standin: bool) -> str:
    if not standin:
        return f"base image {name} (from local storage)"
    python = podman("run", "--rm", *RUN_FLAGS, "--entrypoint", "python", name, "--version").stdout.strip()
    prefect = podman("run", "--rm", *RUN_FLAGS, "--entrypoint", "prefect", name, "--version").stdout.strip()
    return (f"base image {name} is a LOCAL STAND-IN (the official image cannot be pulled here): "
            f"Debian bookworm, {python} instead of Python 3.12, Prefect {prefect}, "
            f"python/pip/prefect on PATH at /usr/local/bin, tini entrypoint; "
            f"see tests/container/standin/Containerfile")


def _import_bookworm_rootfs(workdir: Path, log: Path) -> None:
    """debootstrap a minimal Debian bookworm with Python, and import it into podman."""
    debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    if not Path(debootstrap).exists():
        raise RuntimeError("debootstrap is not installed (run .ci/container-prereqs as root)")
    if os.geteuid() != 0:
        raise RuntimeError("making the stand-in base needs root (debootstrap); run as root or "
                           "load the official base image into podman's storage")
    rootfs = Path(tempfile.mkdtemp(prefix="bookworm-", dir=workdir))
    try:
        with log.open("a", encoding="utf-8") as handle:
            command = [debootstrap, "--variant=minbase",
                       "--include=python3,python3-venv,ca-certificates,tini", "bookworm", str(rootfs)]
            handle.write(f"$ {' '.join(command)}\n")
            handle.flush()
            result = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"debootstrap exited with {result.returncode}\n{tail(log)}")
        archive = workdir / "bookworm-minbase.tar"
        subprocess.run(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", str(archive),
                        "--exclude=./var/cache/apt/archives/*.deb", "--exclude=./var/cache/apt/*.bin",
                        "--exclude=./var/lib/apt/lists/*", "--exclude=./dev/*", "--exclude=./proc/*",
                        "--exclude=./sys/*", "."], check=True)
        podman("import", "--change", 'CMD ["bash"]', str(archive), ROOTFS_IMAGE, log=log)
        archive.unlink()
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
