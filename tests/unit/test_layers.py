"""Layering: nothing outside reviewapp.gui (and the launcher) loads Qt."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

_IMPORT_ALL = textwrap.dedent(
    """
    import importlib
    import json
    import pkgutil
    import sys

    import reviewapp

    SKIPPED = ("reviewapp.gui", "reviewapp.launcher", "reviewapp.__main__")

    def skipped(name):
        return any(name == s or name.startswith(s + ".") for s in SKIPPED)

    def walk(package):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if skipped(info.name):
                continue
            module = importlib.import_module(info.name)
            yield info.name
            if info.ispkg:
                yield from walk(module)

    imported = sorted(walk(reviewapp))
    print(json.dumps({"imported": imported,
                      "qt": sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")}))
    """
)


def test_no_module_outside_the_gui_imports_pyside6() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    imported = set(report["imported"])
    assert {
        "reviewapp.cli",
        "reviewapp.core.validation",
        "reviewapp.store.database",
        "reviewapp.search.index",
        "reviewapp.importers.plaintext",
        "reviewapp.exporters.brief_pdf",
        "reviewapp.services.library",
        "reviewapp.services.briefs",
    } <= imported
    assert not any(name.startswith("reviewapp.gui") for name in imported)
    assert report["qt"] == []


def test_import_contracts_are_kept() -> None:
    executable = Path(sys.executable).parent / "lint-imports"
    if not executable.is_file():
        found = shutil.which("lint-imports")
        if found is None:
            pytest.skip("lint-imports is not installed")
        executable = Path(found)
    completed = subprocess.run(
        [str(executable)], capture_output=True, text=True, timeout=300, check=False, cwd=REPO
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 broken" in completed.stdout


def test_the_gui_and_the_cli_reach_the_library_only_through_services() -> None:
    """No ``session.library`` (the store's repositories) in the window or the terminal: they
    read through services.reading and write through the use cases."""
    import ast

    sources = [
        *(REPO / "reviewapp" / "gui").rglob("*.py"),
        *(REPO / "reviewapp" / "cli").rglob("*.py"),
    ]
    reaching = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for path in sources
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "library"
    ]
    assert reaching == []
