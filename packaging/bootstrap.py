#!/usr/bin/env python3
"""Set up reviewapp from a fresh checkout, then open it or test it. Standard library only.

    python3 packaging/bootstrap.py run   [reviewapp arguments…]
    python3 packaging/bootstrap.py test  [pytest arguments…]

Both install what is missing: the Debian packages Qt and the PDF tools need (when run as
root; otherwise it says what to install), a virtual environment in .venv, and reviewapp
with its dependencies. ``test`` then runs lint (ruff), formatting, types (mypy), the
layer contracts (import-linter) and the whole pytest suite.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

# Qt's offscreen and xcb platforms, and the font the PDF brief embeds.
QT_PACKAGES = [
    "libegl1",
    "libgl1",
    "libglib2.0-0",
    "libfontconfig1",
    "libxkbcommon0",
    "libdbus-1-3",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-render-util0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-util1",
    "libxcb-xkb1",
    "fonts-dejavu-core",
]
# Everything ruff lints and checks the formatting of.
CODE_DIRS = ["reviewapp", "tests", "benchmarks", "packaging", "docs"]
# pdftotext/pdftoppm for the PDF tests; the validators of the desktop entry and AppStream
# metadata, and binutils (PyInstaller reads the bundle's libraries with objdump) for
# tests/packaging.
TEST_PACKAGES = ["poppler-utils", "desktop-file-utils", "appstream", "binutils"]


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def missing_debian_packages(packages: list[str]) -> list[str]:
    missing = []
    for package in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_system_packages(packages: list[str]) -> None:
    if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        say(
            "not a Debian-like system: make sure Qt 6 runtime libraries and a Unicode font "
            "(DejaVu Sans) are installed"
        )
        return
    if not _has_venv():
        packages = [*packages, f"python3.{sys.version_info.minor}-venv"]
    missing = missing_debian_packages(packages)
    if not missing:
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not is_root or shutil.which("apt-get") is None:
        say(
            "these system packages are missing; install them, e.g.:\n"
            f"    sudo apt-get install {' '.join(missing)}"
        )
        return
    say(f"installing system packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )


def _has_venv() -> bool:
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        return False
    return True


def ensure_venv(extra: str) -> None:
    """Create .venv and install reviewapp into it, unless it is already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - the point is to say so on an old Python
        sys.exit(f"reviewapp needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if (
        PYTHON.exists()
        and subprocess.run([str(PYTHON), "-c", "import sys"], check=False).returncode != 0
    ):
        say("the virtual environment is broken; recreating it")
        shutil.rmtree(VENV)
    if not PYTHON.exists():
        say(f"creating the virtual environment in {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / f".installed-{extra or 'app'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    say("installing reviewapp and its dependencies (first time takes a minute or two)")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    target = f".[{extra}]" if extra else "."
    subprocess.run([*pip, "install", "-e", target], check=True, cwd=ROOT)
    stamp.write_text(wanted)


def run_app(args: list[str]) -> int:
    ensure_system_packages(QT_PACKAGES)
    ensure_venv("")
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        if not args:
            say(
                "no display found: the window needs a desktop session (or run it under "
                "xvfb-run). The terminal commands work anywhere: .venv/bin/reviewapp --help"
            )
            return 1
    return subprocess.run([str(BIN / "reviewapp"), *args], check=False).returncode


def run_tests(args: list[str]) -> int:
    ensure_system_packages(QT_PACKAGES + TEST_PACKAGES)
    ensure_venv("test")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    steps = [
        ("lint", [str(BIN / "ruff"), "check", *CODE_DIRS]),
        ("format", [str(BIN / "ruff"), "format", "--check", *CODE_DIRS]),
        ("types", [str(BIN / "mypy")]),
        ("layers", [str(BIN / "lint-imports")]),
        ("tests", [str(PYTHON), "-m", "pytest", *args]),
    ]
    failed = []
    for name, command in steps:
        say(f"{name}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}")
        if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
            failed.append(name)
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    say("all checks passed")
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return run_app(rest) if command == "run" else run_tests(rest)


if __name__ == "__main__":
    sys.exit(main())
