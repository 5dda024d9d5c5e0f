"""Run ``newsroom extract`` on every hostile page (and each small page that was
once super-linear) in its own process and measure it.

    python -m tests.hostile.measure [OUT_DIR]

prints one line per page: exit status, wall time, peak RSS of that process
and the first line of stderr. The tests use the same function and assert
bounds far above what is measured, so they do not flake on a slow machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "fixtures" / "hostile"))
from make import generate  # noqa: E402

PAGE_URL = "https://news.example/world/2026/hostile-page"


@dataclass(frozen=True)
class Run:
    name: str
    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


# A small middle process runs the CLI and reports the CLI's own peak RSS.
# (Linux carries a parent's peak RSS over a fork into the child's figure, so
# measuring straight from a large test process would report its size.)
_MIDDLE = """
import json, resource, subprocess, sys
limit, report, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
try:
    code = subprocess.run(cmd, timeout=limit).returncode
except subprocess.TimeoutExpired:
    code = -9
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(report, "w").write(json.dumps({"code": code, "peak_kib": peak}))
"""


def run_extract(path: Path | str, limit_seconds: float = 180.0, env: dict[str, str] | None = None) -> Run:
    """``newsroom extract PATH`` (a file or a URL) in a child process; killed (reported as -9) past the limit."""
    name = path.name if isinstance(path, Path) else str(path)
    return run_cli(name, ["extract", str(path), "--url", PAGE_URL], limit_seconds, env)


def run_cli(name: str, arguments: list[str], limit_seconds: float = 180.0, env: dict[str, str] | None = None) -> Run:
    """``newsroom ARGUMENTS`` in a child process, with its wall time and peak RSS."""
    with tempfile.TemporaryDirectory() as scratch:
        report, out, err = (Path(scratch) / n for n in ("report.json", "out", "err"))
        command = [sys.executable, "-m", "cli.main", *arguments]
        started = time.monotonic()
        with out.open("wb") as stdout, err.open("wb") as stderr:
            subprocess.run([sys.executable, "-c", _MIDDLE, str(limit_seconds), str(report), *command],
                           stdout=stdout, stderr=stderr, cwd=REPO, env={**os.environ, **(env or {})},
                           timeout=limit_seconds + 30, check=True)
        seconds = time.monotonic() - started
        figures = json.loads(report.read_text())
        return Run(name, figures["code"], seconds, figures["peak_kib"] / 1024,
                   out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"))


def run_all(folder: Path, workers: int = 2, names: set[str] | None = None) -> list[Run]:
    """Every hostile page (or the named ones) through the CLI, ``workers`` at a time."""
    paths = [path for name, _type, path in generate(folder) if names is None or name in names]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run_extract, paths))


def superlinear_pages(folder: Path) -> list[Path]:
    """The small pages that once cost minutes in clean or dedupe (tests/hostile/test_superlinear.py)."""
    from tests.hostile.test_superlinear import SUPERLINEAR_PAGES

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in SUPERLINEAR_PAGES.items():
        path = folder / name
        path.write_text(make(), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hostile-"))
    worst_time = worst_rss = None
    runs = run_all(folder, workers=1) + [run_extract(path) for path in superlinear_pages(folder / "superlinear")]
    for run in runs:
        first = (run.stderr.strip().splitlines() or ["(article printed)"])[0]
        print(f"{run.name:32} exit {run.returncode:>2}  {run.seconds:6.1f} s  {run.peak_rss_mb:6.0f} MB  {first[:90]}")
        worst_time = max(worst_time or run, run, key=lambda r: r.seconds)
        worst_rss = max(worst_rss or run, run, key=lambda r: r.peak_rss_mb)
    print(f"slowest: {worst_time.name} {worst_time.seconds:.1f} s; "
          f"largest: {worst_rss.name} {worst_rss.peak_rss_mb:.0f} MB (peak RSS of the whole CLI process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
