"""Publishers that run in their own processes, for race and kill tests.

``python -m tests.faults.workers ENDPOINT BUCKET BUNDLES INDEX`` publishes
one bundle from a pickled list and prints the result as JSON (the process
the kill test shoots). ``race_worker`` is a multiprocessing target that
publishes a bundle per round, all workers released together by a barrier.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path


def _publisher(endpoint: str, bucket: str):
    from tests.faults.helpers import fault_settings, publisher_client

    settings = fault_settings(endpoint, bucket, s3_read_timeout=10.0, s3_connect_timeout=5.0)
    return settings, publisher_client(settings)


def race_worker(worker: int, endpoint: str, bucket: str, bundles_path: str, plan: list[int], barrier,
                results) -> None:  # noqa: ANN001 - multiprocessing objects
    from tasks.publish import publish_draft
    from tests.faults.helpers import load_drafts

    settings, client = _publisher(endpoint, bucket)
    bundles = load_drafts(Path(bundles_path))
    for round_no, index in enumerate(plan):
        barrier.wait()
        try:
            result = publish_draft(bundles[index], settings, client=client)
            results.put((round_no, worker, index, result.status, result.version))
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            results.put((round_no, worker, index, f"error: {error!r}", -1))
        barrier.wait()


def main(argv: list[str]) -> int:
    from tasks.publish import publish_draft
    from tests.faults.helpers import load_drafts

    endpoint, bucket, bundles_path, index = argv
    settings, client = _publisher(endpoint, bucket)
    bundle = load_drafts(Path(bundles_path))[int(index)]
    print("ready", flush=True)
    try:
        result = publish_draft(bundle, settings, client=client)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return 1
    print(json.dumps({"status": result.status, "version": result.version}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
