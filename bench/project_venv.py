"""Run a benchmark in the project's virtual environment.

After the README's set-up (``make test`` or ``make demo`` creates ``.venv``),
``python bench/pipeline.py`` with any interpreter re-runs itself with
``.venv/bin/python`` when the one it was started with lacks the pipeline's
dependencies.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def use_project_venv(needs: tuple[str, ...] = ("prefect", "lxml", "boto3")) -> None:
    venv_python = REPO / ".venv" / "bin" / "python"
    if all(importlib.util.find_spec(name) is not None for name in needs):
        return
    if not venv_python.exists() or Path(sys.prefix).resolve() == (REPO / ".venv").resolve():
        sys.exit(f"{Path(sys.argv[0]).name}: missing {', '.join(needs)}; run `make test` (it creates .venv) first")
    os.execv(str(venv_python), [str(venv_python), *sys.argv])
