"""The desktop bundle's size and cold start, beside the virtual environment's.

    python3 packaging/build.py            (or --bundle-only: the bundle to measure)
    .venv/bin/python -m benchmarks.bundle [--rounds 5] [--platform offscreen|xcb]

Prints the bundle's size unpacked (``dist/reviewapp``) and compressed (the tarball in
``dist/``, or, without one, the bundle packed now as tar.xz), the size of what the virtual
environment installs for the app, and the cold start to the window: a fresh process, from
its start until the window's first paint (``REVIEWAPP_TELL_SHOWN`` has the window say so on
stderr), for the bundle's program and for ``.venv/bin/reviewapp``, alternating, on the demo
library: every start is a new process (Python, Qt and the app loaded anew), with the
files in the page cache after the first round. ``--drop-caches`` (root, Linux) also drops
the page cache before each start, so the files come from disk (it slows everything else
on the machine meanwhile). Use ``--platform xcb`` under ``xvfb-run -a`` for a real X
server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "reviewapp"
PROGRAM = BUNDLE / "reviewapp"
TIMEOUT_S = 120


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def compressed_bytes() -> tuple[int, str]:
    tarballs = sorted((ROOT / "dist").glob("reviewapp-*-linux-*.tar.xz"))
    if tarballs:
        return tarballs[-1].stat().st_size, tarballs[-1].name
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bundle.tar.xz"
        with tarfile.open(out, "w:xz", preset=6) as tar:
            tar.add(BUNDLE, "reviewapp")
        return out.stat().st_size, "the bundle packed now (tar.xz, preset 6)"


def venv_app_bytes() -> int:
    """What .venv holds for the app to run (site-packages less the test and build tools)."""
    import site

    tools = ("pytest", "_pytest", "hypothesis", "ruff", "mypy", "statsmodels", "scipy",
             "pandas", "PyInstaller", "importlinter", "grimp", "patsy")  # fmt: skip
    total = 0
    for packages in site.getsitepackages():
        for entry in Path(packages).iterdir():
            if entry.name.split("-")[0].split(".")[0] in tools:
                continue
            total += tree_bytes(entry) if entry.is_dir() else entry.stat().st_size
    return total


def drop_file_pages() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def start_to_window(command: list[str], library: Path, env: dict[str, str]) -> float:
    """Seconds from starting ``command`` until its window says it painted; then it is
    closed (SIGTERM: the window closes as Quit does) and waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--library", str(library)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    shown = None
    # A window that never says it painted (an older reviewapp) is killed, not waited for.
    watchdog = threading.Timer(TIMEOUT_S, process.kill)
    watchdog.start()
    try:
        for line in process.stderr:
            if "window shown" in line:
                shown = time.perf_counter() - started
                break
        process.terminate()
        process.wait(timeout=TIMEOUT_S)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    if shown is None:
        raise SystemExit(f"{command[0]} never showed its window (exit {process.returncode})")
    return shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--drop-caches", action="store_true", help="cold files (root)")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    if not PROGRAM.is_file():
        sys.exit("no bundle: run python3 packaging/build.py --bundle-only first")
    venv_program = Path(sys.executable).with_name("reviewapp")
    if not venv_program.is_file():
        sys.exit(f"no {venv_program}: run this with the virtual environment's Python")

    unpacked = tree_bytes(BUNDLE)
    packed, packed_name = compressed_bytes()
    print(
        f"bundle unpacked:   {unpacked / 1e6:7.1f} MB  ({unpacked / 2**20:.1f} MiB)  dist/reviewapp"
    )
    print(f"bundle compressed: {packed / 1e6:7.1f} MB  ({packed / 2**20:.1f} MiB)  {packed_name}")
    print(
        f"venv (app's part): {venv_app_bytes() / 1e6:7.1f} MB  site-packages less test/build tools"
    )

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        # PYTHONPATH stays: it may name the checkout the venv's program is to run (the
        # bundle ignores it).
        env = {k: v for k, v in os.environ.items() if not k.startswith("REVIEWAPP_")}
        env.update(
            QT_QPA_PLATFORM=args.platform,
            REVIEWAPP_CONFIG_DIR=str(home / "config"),
            REVIEWAPP_REVIEWER="Bench Mark",
            REVIEWAPP_TELL_SHOWN="1",
        )
        library = home / "demo.sqlite"
        os.environ["REVIEWAPP_CONFIG_DIR"] = env["REVIEWAPP_CONFIG_DIR"]
        from reviewapp.services.demo import create_demo_library

        create_demo_library(library)  # what a first start opens
        cold = args.drop_caches and drop_file_pages()
        timings: dict[str, list[float]] = {"bundle": [], "venv": []}
        commands = {"bundle": [str(PROGRAM)], "venv": [str(venv_program)]}
        for _ in range(args.rounds):
            for name, command in commands.items():
                if cold:
                    drop_file_pages()
                timings[name].append(start_to_window(command, library, env))
    files = "page cache dropped before each" if cold else "new processes, files in the page cache"
    print(f"start to window ({args.platform}, {args.rounds} rounds each, {files}):")
    for name, values in timings.items():
        print(
            f"  {name:6} median {statistics.median(values):5.2f} s  "
            f"(min {min(values):.2f}, max {max(values):.2f})"
        )
    if shutil.which("xvfb-run") is None and args.platform == "xcb":
        print("note: --platform xcb needs an X server (xvfb-run -a …)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
