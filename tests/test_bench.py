"""The end-to-end benchmark keeps running as the README says (its figures are not asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAST_LINE = re.compile(r"^pipeline: 6 stories  bare [\d.]+/s  concurrent [\d.]+/s  prefect [\d.]+/s"
                       r"  overhead [\d.]+×  peak RSS \d+ MB$")


@pytest.mark.integration
def test_pipeline_benchmark_runs_every_phase_and_ends_with_its_summary_line():
    run = subprocess.run([sys.executable, "bench/pipeline.py", "--stories", "6"], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert LAST_LINE.match(lines[-1]), lines[-1]
    assert any("[COMPLETED: 6 published" in line for line in lines), run.stdout
    assert any(line.startswith("  where the time goes (bare): ") for line in lines)
