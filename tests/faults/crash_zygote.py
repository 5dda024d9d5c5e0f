"""A process that forks publishers on demand, so a test can kill many quickly.

``python -m tests.faults.crash_zygote ENDPOINT BUCKET BUNDLES`` imports the
publisher once, then for each line ``INDEX`` read on stdin forks a child that
publishes draft INDEX of the pickled list, and prints ``started PID``; when
the child ends it prints ``ended PID STATUS`` (STATUS: ``ok``, or the signal
that killed it). Forking a warm, single-threaded process costs milliseconds,
where starting Python and importing the stack costs seconds.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def _publish_in_child(endpoint: str, bucket: str, draft) -> None:  # noqa: ANN001
    from tasks.publish import publish_draft
    from tests.faults.helpers import fault_settings, publisher_client

    # A client of the child's own: a parent's connections must not be shared.
    settings = fault_settings(endpoint, bucket, s3_read_timeout=10.0, s3_connect_timeout=5.0)
    publish_draft(draft, settings, client=publisher_client(settings))


def main(argv: list[str]) -> int:
    from tests.faults.helpers import load_drafts

    import tasks.publish  # noqa: F401 - warm the imports every child inherits

    endpoint, bucket, drafts_path = argv
    drafts = load_drafts(Path(drafts_path))
    print("ready", flush=True)
    for line in sys.stdin:
        index = int(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _publish_in_child(endpoint, bucket, drafts[index])
            except BaseException as error:  # noqa: BLE001 - reported as the child's status
                print(f"child failed: {error!r}", file=sys.stderr, flush=True)
                code = 1
            os._exit(code)
        print(f"started {pid}", flush=True)
        _pid, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            outcome = signal.Signals(os.WTERMSIG(status)).name
        else:
            outcome = "ok" if os.WEXITSTATUS(status) == 0 else f"exit {os.WEXITSTATUS(status)}"
        print(f"ended {pid} {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
