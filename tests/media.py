"""Media for tests: a tmpfs, where this machine lets the test mount one (as CI does, as
root); and a read-only medium: such a tmpfs remounted read-only (root ignores file
permissions, so only a read-only mount is read-only for it), else a folder and file without
write permission."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a tmpfs of ``size`` on ``folder`` where this process may (as root); whether it
    did."""
    return (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


@contextlib.contextmanager
def read_only_medium(
    tmp_path: Path, library: Path, extra: dict[str, Path] | None = None
) -> Iterator[Path]:
    """``library`` (and its index, and ``extra`` files under the names given) copied to a
    read-only place; yields the copy's path."""
    place = tmp_path / "medium"
    place.mkdir()
    mounted = mount_tmpfs(place, "32m")
    if os.geteuid() == 0 and not mounted:
        pytest.skip("root ignores file permissions and this machine cannot mount a tmpfs")
    copy = place / library.name
    shutil.copy(library, copy)
    shutil.copytree(library.with_name(library.stem + ".index"), place / (library.stem + ".index"))
    for name, source in (extra or {}).items():
        shutil.copy(source, place / name)
    try:
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(place)], check=True)
        else:
            copy.chmod(0o444)
            place.chmod(0o555)
        yield copy
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(place)], check=False)
        else:
            place.chmod(0o755)
