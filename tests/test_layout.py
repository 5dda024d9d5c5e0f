"""The shape of the code: modules keep to their own private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tasks", "flows", "config", "cli")


def _modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every ``from module import name`` of the project's own packages."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            found += [(node.module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_another_modules_private_names(path):
    private = [f"{module}.{name}" for module, name in _imports(path) if name.startswith("_")]
    assert private == []


def test_publish_does_not_call_back_into_the_bundle_step():
    assert not [m for m, _name in _imports(ROOT / "tasks" / "publish.py") if m == "tasks.bundle"]


MAX_LINES = 400
# Modules over the bound today (none): strict, so such a test fails, and
# the mark must go, once the module is back under it.
OVER_TODAY: set[str] = set()


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="still over the bound"))
    if str(p.relative_to(ROOT)) in OVER_TODAY else p for p in _modules()], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text("utf-8").splitlines()) <= MAX_LINES
