"""Stands in for ``prefect.engine`` in the warm engine's tests: reports what it
was given, then exits with the status it is asked for, or waits to be killed."""

import json
import os
import sys
import time

if __name__ == "__main__":
    print(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "run": os.environ.get("RUN_NAME"),
                      "pid": os.getpid()}), flush=True)
    print("to stderr", file=sys.stderr, flush=True)
    if os.environ.get("FAKE_WAIT"):
        time.sleep(120)
    sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
