"""Figures the tests measure (image size, throughput, faults fired), shown
at the end of the run.

Tests run in several processes (pytest-xdist), and only the controller
prints the summary, so each figure is appended as one JSON line to a file
the controller names in ``NEWSROOM_TEST_FIGURES`` (tests/conftest.py) and
reads back in its terminal summary. Run without that variable (a helper
script, a single process started by hand), a figure is printed instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENVIRONMENT = "NEWSROOM_TEST_FIGURES"


def record(section: str, line: str) -> None:
    """Keep ``line`` for the end-of-run summary, under ``section``."""
    target = os.environ.get(ENVIRONMENT)
    if not target:
        print(f"{section}: {line}", flush=True)
        return
    # One short write in append mode: lines from concurrent processes never interleave.
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"section": section, "line": line}) + "\n")


def recorded(path: Path) -> dict[str, list[str]]:
    """The figures in ``path``, by section, in the order they were recorded."""
    sections: dict[str, list[str]] = {}
    if path.exists():
        for raw in path.read_text("utf-8").splitlines():
            entry = json.loads(raw)
            sections.setdefault(entry["section"], []).append(entry["line"])
    return sections
