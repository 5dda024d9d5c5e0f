"""Memory and time for one story at the extremes of page size, each in its own process.

    python bench/memory.py

Runs ``newsroom bundle`` (fetch from file, clean, dedupe, bundle; no storage)
on the seed story, the reference, and on generated heavy pages:

  heavy-20mb   20 MB, mostly hydration JSON, styles and an inline data: image
  huge-9mb     9 MB of real markup, just under the 10 MB parse cap
  markup-20mb  20 MB of real markup: refused at the parse cap
  huge-50mb    50 MB: refused at the 32 MB download cap

and prints each one's outcome, wall time and peak RSS, and their ratio to the
seed story's. Bounds are in the README's performance section.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.project_venv import use_project_venv  # noqa: E402

use_project_venv()

from tests.hostile.measure import generate, run_cli  # noqa: E402

SEED = REPO / "fixtures" / "pages" / "aleppo-offensive.html"
CASES = ("heavy-20mb.html", "huge-9mb.html", "markup-20mb.html", "huge-50mb.html")
URL = "https://news.example/world/2026/heavy-page"


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pages = {name: path for name, _type, path in generate(folder / "pages") if name in CASES}
        runs = []
        for name, path in [("seed story", SEED), *((n, pages[n]) for n in CASES)]:
            out = folder / "bundles" / name
            runs.append((path.stat().st_size, run_cli(name, ["bundle", str(path), "--url", URL, "--no-image", "--out", str(out)],
                                       limit_seconds=600)))
    reference = runs[0][1]
    print(f"{'page':18} {'size':>8}  {'outcome':44} {'time':>7} {'peak RSS':>9}  {'× seed':>7}")
    for size, run in runs:
        outcome = "bundled" if run.returncode == 0 else (run.stderr.strip().splitlines() or ["?"])[-1]
        outcome = outcome.replace("newsroom: error: ", "")[:44]
        print(f"{run.name:18} {size / 2**20:6.1f} MB  {outcome:44} {run.seconds:6.1f}s"
              f" {run.peak_rss_mb:6.0f} MB  {run.peak_rss_mb / reference.peak_rss_mb:6.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
