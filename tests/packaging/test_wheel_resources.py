"""The wheel carries every shipped resource: pyproject.toml's data-files list resources/
folder by folder, and a folder or file added later must not be left out of it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_resource_is_installed_with_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files: dict[str, list[str]] = config["tool"]["setuptools"]["data-files"]
    installed = {
        (Path(target) / found.name).as_posix()
        for target, patterns in data_files.items()
        for pattern in patterns
        for found in ROOT.glob(pattern)
        if found.is_file()
    }
    shipped = {
        ("share/reviewapp" / path.relative_to(ROOT)).as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file()
    }
    assert shipped, "resources/ is empty"
    assert shipped - installed == set(), "add these to pyproject.toml's data-files"
    assert installed <= shipped
