"""The image, built from the Dockerfile and run the way production runs it.

A container started with the image's default command (a process worker for
the `newsroom` pool) on the host network serves a Prefect server started here;
`publish-story/on-demand` is deployed from the image's own prefect.yaml and
triggered through the REST API as the UI's Run button does; the flow fetches
a fixture page from a web server on the host and publishes the bundle to a
SeaweedFS S3 server on the host (tests/integration/seaweedfs.py).
"""

from __future__ import annotations

import json
import time
import uuid

import boto3
import pytest
from botocore.config import Config

from cli.local_services import LocalS3
from tests.conftest import expected_article
from tests.container import podman as pm
from tests.container.conftest import TIMINGS
from tests.integration.prefect_server import PrefectServer

# The image build is the first test's setup: on a loaded two-core machine it has taken over
# ten minutes, so the hang guard is sized for that, not for a quiet machine.
pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def inspect(image: str, template: str) -> str:
    return pm.podman("image", "inspect", "--format", template, image).stdout.strip()


def test_image_metadata(image):
    config = json.loads(inspect(image.name, "{{json .Config}}"))
    labels = config.get("Labels") or {}
    assert labels["org.opencontainers.image.version"] == image.version
    assert labels["org.opencontainers.image.source"]
    assert labels["org.opencontainers.image.revision"]
    assert config["User"] not in ("", "0", "root", "0:0")
    assert config["WorkingDir"] == "/opt/newsroom"
    assert "NEWSROOM_PROJECT_DIR=/opt/newsroom" in config["Env"]
    assert config["Cmd"] == ["prefect", "worker", "start", "--pool", "newsroom", "--type", "process"]


def test_image_contents(image):
    """Only the allow-listed sources, no build leftovers or caches, code read-only for the runtime user."""
    script = (
        "set -e; cd /opt/newsroom; ls -A | sort | tr '\\n' ' '; echo; "
        "test ! -w flows/publish_story.py; test ! -w /opt/newsroom; "
        "test ! -e build; test ! -e /root/.cache/pip || ! ls -A /root/.cache/pip | grep -q .; "
        "prefect version | sed -n 's/^Version: *//p'; newsroom --help >/dev/null; id -u"
    )
    out = pm.podman("run", "--rm", *pm.RUN_FLAGS, image.name, "sh", "-c", script).stdout.splitlines()
    assert out[0].split() == ["README.md", "cli", "config", "flows", "prefect.yaml", "pyproject.toml", "tasks"]
    base_tag = pm.base_image_of(pm.REPO_ROOT / "Dockerfile").rsplit(":", 1)[1]
    assert out[1] == base_tag.split("-", 1)[0], "the base's Prefect must be kept, not replaced by pip"
    assert out[2] != "0"


def test_flow_runs_in_container(image, prefect_server, seaweedfs, site):
    bucket = f"container-{uuid.uuid4().hex[:12]}"
    name = f"newsroom-test-{uuid.uuid4().hex[:8]}"
    hostname = f"{name}-host"
    server = prefect_server
    server.cli("work-pool", "create", "newsroom", "--type", "process")

    env_flags = env_flags_for(container_env(server.api_url, seaweedfs, bucket))

    # Deploy from the image's own prefect.yaml. With NEWSROOM_PROJECT_DIR unset
    # while deploying, the pull step keeps its template and the worker resolves
    # it from the image's environment when the run starts. (Set, it would be
    # resolved at deploy time: the compose stack's deploy step records
    # /opt/newsroom that way, which is right there too.)
    started = time.monotonic()
    pm.podman("run", "--rm", *pm.RUN_FLAGS, *env_flags, "--unsetenv", "NEWSROOM_PROJECT_DIR", image.name,
              "prefect", "--no-prompt", "deploy", "--name", "publish-story/on-demand")
    deploy_seconds = time.monotonic() - started

    # The worker: the image's default command, nothing added.
    pm.podman("run", "--detach", "--name", name, "--hostname", hostname, *pm.RUN_FLAGS, *env_flags, image.name)
    try:
        # The server's API through its own retries: a loaded SQLite server answers 503 now and then.
        deployment = server.api("GET", "/deployments/name/publish-story/on-demand")
        deployment.raise_for_status()
        assert deployment.json()["pull_steps"] == [
            {"config.project_dir.set_project_directory": {}}
        ], "resolved on the worker, from the image's NEWSROOM_PROJECT_DIR"

        story_url = f"{site}/pages/aleppo-offensive.html"
        triggered = time.monotonic()
        response = server.api("POST", f"/deployments/{deployment.json()['id']}/create_flow_run",
                              json={"parameters": {"url": story_url}})
        response.raise_for_status()
        run_id = response.json()["id"]
        flow_run = wait_for_terminal(server, run_id, timeout=300)
        run_seconds = time.monotonic() - triggered
        logs = pm.podman("logs", name, check=False)
        assert flow_run["state_type"] == "COMPLETED", (
            f"flow run ended {flow_run['state_type']}: {flow_run['state'].get('message')}\n"
            f"{(logs.stdout + logs.stderr)[-4000:]}"
        )
        # It ran in the container: the pool's only worker is the container's, and it took this run.
        workers = server.api("POST", "/work_pools/newsroom/workers/filter", json={}).json()
        assert len(workers) == 1, workers
        assert run_id in logs.stdout + logs.stderr

        # Every process in the container runs as a non-root user.
        uids = pm.podman("exec", name, "sh", "-c",
                         "for f in /proc/[0-9]*/status; do sed -n 's/^Uid:[[:space:]]*\\([0-9]*\\).*/\\1/p' $f; done"
                         ).stdout.split()
        assert uids and "0" not in uids, uids

        assert_bundle_published(seaweedfs, bucket)
    finally:
        pm.podman("rm", "--force", "--time", "5", name, check=False)

    TIMINGS["deploy from the image"] = f"{deploy_seconds:.1f} s"
    TIMINGS["flow run in the container, trigger to Completed"] = f"{run_seconds:.1f} s"


def wait_for_terminal(server: PrefectServer, run_id: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        flow_run = server.api("GET", f"/flow_runs/{run_id}").json()
        if flow_run.get("state_type") in TERMINAL or time.monotonic() > deadline:
            return flow_run
        time.sleep(1)


def test_docker_deployment_runs_as_a_docker_worker_runs_it(image, prefect_server, seaweedfs, site):
    """`publish-story/on-demand-docker`: the container a docker worker starts, started by hand.

    A docker worker runs the deployment's image with PREFECT__FLOW_RUN_ID in its
    environment and `prefect flow-run execute` as the command; the pull step
    (/opt/newsroom) must find the flows there, without NEWSROOM_PROJECT_DIR.
    """
    bucket = f"container-{uuid.uuid4().hex[:12]}"
    server = prefect_server
    server.cli("work-pool", "create", "newsroom-docker", "--type", "docker")
    env = container_env(server.api_url, seaweedfs, bucket)
    pm.podman("run", "--rm", *pm.RUN_FLAGS, *env_flags_for(env), image.name,
              "prefect", "--no-prompt", "deploy", "--name", "publish-story/on-demand-docker")
    deployment = server.api("GET", "/deployments/name/publish-story/on-demand-docker")
    deployment.raise_for_status()
    assert deployment.json()["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "/opt/newsroom"}}
    ]
    response = server.api("POST", f"/deployments/{deployment.json()['id']}/create_flow_run",
                          json={"parameters": {"url": f"{site}/pages/aleppo-offensive.html"}})
    response.raise_for_status()
    run_id = response.json()["id"]

    started = time.monotonic()
    result = pm.podman("run", "--rm", *pm.RUN_FLAGS, *env_flags_for(env), "--env", f"PREFECT__FLOW_RUN_ID={run_id}",
                       "--env", "NEWSROOM_PROJECT_DIR=", image.name, "prefect", "flow-run", "execute", check=False)
    seconds = time.monotonic() - started
    flow_run = server.api("GET", f"/flow_runs/{run_id}").json()
    assert flow_run["state_type"] == "COMPLETED", (result.stdout + result.stderr)[-4000:]
    assert_bundle_published(seaweedfs, bucket)
    TIMINGS["docker-pool flow run, container start to exit"] = f"{seconds:.1f} s"


def container_env(api_url: str, store: LocalS3, bucket: str) -> dict[str, str]:
    return {
        "PREFECT_API_URL": api_url,
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "NEWSROOM_S3_ENDPOINT_URL": store.endpoint,
        "NEWSROOM_S3_BUCKET": bucket,
        "NEWSROOM_S3_ADDRESSING_STYLE": "path",
        "NEWSROOM_S3_CREATE_BUCKET": "true",
        "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AWS_DEFAULT_REGION": "us-east-1",
        # The local S3 server's own credentials, from the server itself: the
        # environment of a test process is shared with other tests' servers.
        **store.credentials,
    }


def env_flags_for(env: dict[str, str]) -> list[str]:
    return [flag for key, value in env.items() for flag in ("--env", f"{key}={value}")]


def assert_bundle_published(store: LocalS3, bucket: str) -> None:
    s3 = boto3.client("s3", endpoint_url=store.endpoint, region_name="us-east-1",
                      aws_access_key_id=store.credentials["AWS_ACCESS_KEY_ID"],
                      aws_secret_access_key=store.credentials["AWS_SECRET_ACCESS_KEY"],
                      config=Config(s3={"addressing_style": "path"}))
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    latest = [key for key in keys if key.endswith("/latest.json")]
    assert len(latest) == 1, keys
    prefix = latest[0].rsplit("/", 1)[0]
    for part in ("article.json", "article.html", "article.txt", "manifest.json"):
        assert f"{prefix}/v0001/{part}" in keys, keys
    ninjs = json.loads(s3.get_object(Bucket=bucket, Key=f"{prefix}/v0001/article.json")["Body"].read())
    assert ninjs["headlines"][0]["value"] == expected_article("aleppo-offensive")["headline"]
