"""SeaweedFS as the local S3 server: its lifecycle, and the publisher on its quirks."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from cli.seaweedfs import WEED_PORT_FLAGS, seaweedfs_server
from tasks.bundle import build_draft
from tasks.clean import clean_page
from tasks.dedupe import dedupe_article
from tasks.fetch import fetch_page
from tasks.publish import publish_draft
from tasks.storage import ensure_bucket, s3_client
from tests.conftest import SEED_PAGE, expected_article

pytestmark = pytest.mark.integration

URL = expected_article("aleppo-offensive")["url"]


def _listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket the process listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                address, port = local.split(":")
                text = (socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if table == "tcp"
                        else f"ipv6:{address}")
                found.add((text, int(port, 16)))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for every purpose but the process table.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_weed_listens_on_loopback_only_on_the_ports_chosen_and_leaves_nothing_behind():
    with seaweedfs_server() as store:
        assert set(store.ports) == set(WEED_PORT_FLAGS)
        assert len(set(store.ports.values())) == len(WEED_PORT_FLAGS)
        listening = _listening(store.pid)
        assert {address for address, _port in listening} == {"127.0.0.1"}, listening
        assert {port for _address, port in listening} <= set(store.ports.values()), (listening, store.ports)
        assert store.ports["s3.port"] in {port for _a, port in listening}
        config = json.loads((store.data_dir / "s3.json").read_text("utf-8"))
        (identity,) = config["identities"]
        assert identity["credentials"][0]["accessKey"] == store.credentials["AWS_ACCESS_KEY_ID"]
        pid, data_dir = store.pid, store.data_dir
        client = store.client()
        client.create_bucket(Bucket="lifecycle-check")
        client.put_object(Bucket="lifecycle-check", Key="a", Body=b"x")
    assert not _alive(pid)
    assert not data_dir.exists()


def test_two_servers_run_side_by_side_with_their_own_credentials():
    with seaweedfs_server() as first, seaweedfs_server() as second:
        assert first.endpoint != second.endpoint
        assert first.credentials != second.credentials
        first.client().create_bucket(Bucket="only-in-first")
        assert [b["Name"] for b in second.client().list_buckets()["Buckets"]] == []


def test_if_match_on_a_missing_key_answers_412_where_aws_answers_404(seaweedfs):
    client = seaweedfs.client()
    client.create_bucket(Bucket="quirk-412")
    etag = client.put_object(Bucket="quirk-412", Key="there", Body=b"1")["ETag"]
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.put_object(Bucket="quirk-412", Key="missing", Body=b"2", IfMatch=etag)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


class _DeletesPointerBeforeSwap:
    """A client that deletes latest.json just before the publisher's If-Match
    swap: the race with an operator removing a story, on SeaweedFS's 412."""

    def __init__(self, client) -> None:
        self._client = client
        self.deleted = 0

    def put_object(self, **kwargs):
        if "IfMatch" in kwargs and kwargs["Key"].endswith("/latest.json") and not self.deleted:
            self._client.delete_object(Bucket=kwargs["Bucket"], Key=kwargs["Key"])
            self.deleted += 1
        return self._client.put_object(**kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_a_pointer_deleted_under_the_swap_is_written_again_on_seaweedfs(settings, s3):
    page = fetch_page(str(SEED_PAGE), URL, settings=settings)
    article = clean_page(page)
    ensure_bucket(settings)
    assert publish_draft(build_draft(dedupe_article(article, 0.9), page, None), settings).version == 1
    updated = replace(article, headline=article.headline + " (updated)")
    changed = build_draft(dedupe_article(updated, 0.9), page, None)
    racing = _DeletesPointerBeforeSwap(s3_client(settings))
    result = publish_draft(changed, settings, client=racing)
    assert racing.deleted == 1
    assert result.status == "published"
    latest = json.loads(s3.get_object(Bucket=settings.s3_bucket, Key=result.latest_uri.split("/", 3)[3])["Body"].read())
    assert latest["content_sha256"] == result.content_sha256
    assert latest["version"] == result.version == 2


def test_check_storage_passes_on_seaweedfs_and_notes_its_412(settings, s3, capsys):
    from cli.main import main

    assert main(["check-storage"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "every capability the publisher relies on is there" in out
    assert "If-Match on a missing key" in out and "refused with 412 (AWS answers 404)" in out
    assert s3.list_objects_v2(Bucket=settings.s3_bucket).get("KeyCount", 0) == 0
