#!/usr/bin/env python3
"""Build reviewapp's desktop bundle and installers into ``dist/``. Standard library only.

    python3 packaging/build.py [--bundle-only] [--reuse] [--fast]

Run from a checkout after the README's set-up (``python3 packaging/bootstrap.py run`` or
``test`` made ``.venv``); PyInstaller is installed into ``.venv`` (the ``build`` extra)
when missing. Makes the one-folder bundle ``dist/reviewapp/`` (the program
``dist/reviewapp/reviewapp``) with ``packaging/reviewapp.spec``, then, by system:

- Linux: ``dist/reviewapp_VERSION_ARCH.deb`` (``dpkg-deb``: /opt/reviewapp, the launcher
  /usr/bin/reviewapp, the menu entry, icons, AppStream metadata and the .rvpack MIME type)
  and ``dist/reviewapp-VERSION-linux-MACHINE.tar.xz`` (the bundle and the same desktop
  files, for other distributions);
- Windows: ``dist/reviewapp-VERSION-setup.exe`` with Inno Setup's ``iscc``
  (``packaging/windows/reviewapp.iss``), when ``iscc`` is on the PATH;
- macOS: ``dist/reviewapp.app`` (the spec's BUNDLE) in ``dist/reviewapp-VERSION.dmg``
  (``hdiutil``).

``--bundle-only`` stops after the bundle; ``--reuse`` keeps a bundle built from the same
sources (the fingerprint of reviewapp/, resources/, the spec and the installed packages,
kept in ``build/bundle.fingerprint``); ``--fast`` compresses the .deb and the tarball
lightly (for tests).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE = DIST / "reviewapp"
SPEC = HERE / "reviewapp.spec"
LINUX = HERE / "linux"
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.reviewapp.ReviewApp"
FINGERPRINT = WORK / "bundle.fingerprint"
# What the bundle is made from: a change to any of these makes it stale.
SOURCES = [ROOT / "reviewapp", ROOT / "resources", SPEC, HERE / "frozen_main.py"]
# What the .deb needs from the system besides the C library (as new as the build machine's:
# the bundle carries that machine's libraries): OpenGL/EGL, X11's and Wayland's client
# libraries (the bundle carries the rest of Qt's), fontconfig's configuration and a font
# for the window's text.
DEB_DEPENDS = [
    "libgl1",
    "libegl1",
    "libxcb1",
    "libdrm2",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "fontconfig",
    "fonts-dejavu-core",
]
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def version() -> str:
    text = (ROOT / "reviewapp" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if not found:
        sys.exit("no __version__ in reviewapp/__init__.py")
    return found.group(1)


def builder_python() -> Path:
    """A Python with PyInstaller and reviewapp's dependencies: this one if it has them
    (the test run's), else the checkout's .venv, given the ``build`` extra if needed."""
    if importlib.util.find_spec("PyInstaller") and importlib.util.find_spec("PySide6"):
        return Path(sys.executable)
    # bootstrap.py by its path: "packaging" is also the name of a library on sys.path.
    spec = importlib.util.spec_from_file_location("bootstrap", HERE / "bootstrap.py")
    assert spec is not None and spec.loader is not None
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
    bootstrap.ensure_venv("build")
    python: Path = bootstrap.PYTHON
    return python


def fingerprint(python: Path) -> str:
    """A digest of every source file's path and bytes and of the builder's packages."""
    digest = hashlib.sha256()
    for source in SOURCES:
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    freeze = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    digest.update(freeze.encode())
    digest.update(sys.platform.encode())
    return digest.hexdigest()


def build_bundle(python: Path, reuse: bool) -> None:
    program = BUNDLE / ("reviewapp.exe" if os.name == "nt" else "reviewapp")
    wanted = fingerprint(python)
    fresh = program.is_file() and FINGERPRINT.is_file() and FINGERPRINT.read_text() == wanted
    if reuse and fresh:
        say(f"{BUNDLE.relative_to(ROOT)} is up to date with the sources; kept")
        return
    say(f"PyInstaller: {SPEC.relative_to(ROOT)} → {BUNDLE.relative_to(ROOT)}/")
    started = time.monotonic()
    FINGERPRINT.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # the checkout's reviewapp, not another
    subprocess.run(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK / "pyinstaller"),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )
    strip_python_library()
    WORK.mkdir(exist_ok=True)
    FINGERPRINT.write_text(wanted)
    say(f"bundle built in {time.monotonic() - started:.0f} s ({tree_size(BUNDLE) / 1e6:.0f} MB)")


def strip_python_library() -> None:
    """Drop the debugging symbols of a libpython built with them (a Python compiled from
    source keeps 17 MB of them); wheels' libraries are left as they came."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return
    for library in (BUNDLE / "_internal").glob("libpython3*.so*"):
        if not library.is_symlink():
            subprocess.run(["strip", "--strip-debug", str(library)], check=True)


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# -- Linux ---------------------------------------------------------------------------------


def desktop_files(share: Path) -> None:
    """The menu entry, AppStream metadata, MIME type and icons under ``share`` (a
    ``/usr/share`` to be)."""
    (share / "applications").mkdir(parents=True)
    shutil.copy(LINUX / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy(LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy(LINUX / "reviewapp-mime.xml", share / "mime" / "packages" / "reviewapp.xml")
    hicolor = share / "icons" / "hicolor"
    for size in HICOLOR_SIZES:
        folder = hicolor / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy(ICONS / f"reviewapp-{size}.png", folder / "reviewapp.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy(ICONS / "reviewapp.svg", hicolor / "scalable" / "apps" / "reviewapp.svg")


def build_deb(fast: bool, out_dir: Path = DIST) -> Path:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    staging = WORK / "deb"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(BUNDLE, staging / "opt" / "reviewapp", symlinks=True)
    (staging / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/reviewapp/reviewapp", staging / "usr" / "bin" / "reviewapp")
    share = staging / "usr" / "share"
    desktop_files(share)
    doc = share / "doc" / "reviewapp"
    doc.mkdir(parents=True)
    shutil.copy(LINUX / "copyright", doc / "copyright")
    control = staging / "DEBIAN"
    control.mkdir()
    installed_kb = (tree_size(staging) + 1023) // 1024
    glibc = platform.libc_ver()[1] or "2.34"
    (control / "control").write_text(
        f"Package: reviewapp\n"
        f"Version: {version()}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: The reviewapp developers <reviewapp@localhost>\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: libc6 (>= {glibc}), {', '.join(DEB_DEPENDS)}\n"
        f"Section: science\n"
        f"Priority: optional\n"
        f"Description: offline evidence-review desk for oncologists\n"
        f" Import clinical-trial articles and reference exports, search them with oncology\n"
        f" synonyms, tag findings with the sentences they rest on, and write PDF evidence\n"
        f" briefs for tumor boards and journal clubs. Self-contained: Python and Qt are\n"
        f" bundled in /opt/reviewapp.\n",
        encoding="utf-8",
    )
    for script in ("postinst", "postrm"):
        shutil.copy(LINUX / script, control / script)
        (control / script).chmod(0o755)
    out = out_dir / f"reviewapp_{version()}_{arch}.deb"
    compression = ["-Zgzip", "-z1"] if fast else ["-Zxz"]
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", *compression, "--build", str(staging), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    say(f"{out} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


def build_tarball(fast: bool) -> Path:
    """The bundle as ``reviewapp-VERSION/`` with ``share/`` (desktop files) beside it."""
    name = f"reviewapp-{version()}"
    out = DIST / f"{name}-linux-{platform.machine()}.tar.xz"
    staging = WORK / "tarball"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    desktop_files(staging / "share")
    shutil.copy(LINUX / "INSTALL.txt", staging / "INSTALL.txt")
    members = [
        (DIST, "reviewapp", f"{name}/reviewapp"),
        (staging, "share", f"{name}/share"),
        (staging, "INSTALL.txt", f"{name}/INSTALL.txt"),
    ]
    if shutil.which("tar") and shutil.which("xz"):
        # GNU tar with xz on every core: a minute, where tarfile's one-core xz takes three.
        command = ["tar", "-cJf", str(out), "--owner=0", "--group=0"]
        command += [f"--transform=s,^{member},{arcname}," for _, member, arcname in members]
        for folder, member, _ in members:
            command += ["-C", str(folder), member]
        env = dict(os.environ, XZ_OPT=f"{'-1' if fast else '-6'} -T0")
        subprocess.run(command, check=True, env=env)
    else:
        with tarfile.open(out, "w:xz", preset=1 if fast else 6) as tar:
            for folder, member, arcname in members:
                tar.add(folder / member, arcname)
    say(f"{out.relative_to(ROOT)} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


# -- Windows and macOS ---------------------------------------------------------------------


def build_windows_installer() -> Path | None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    default = Path(os.environ.get("PROGRAMFILES(X86)", "C:/Program Files (x86)"))
    if iscc is None and (default / "Inno Setup 6" / "ISCC.exe").is_file():
        iscc = str(default / "Inno Setup 6" / "ISCC.exe")
    if iscc is None:
        say("Inno Setup's iscc was not found: no installer made (the bundle is in dist/)")
        return None
    subprocess.run(
        [iscc, f"/DAppVersion={version()}", str(HERE / "windows" / "reviewapp.iss")],
        check=True,
        cwd=ROOT,
    )
    out = DIST / f"reviewapp-{version()}-setup.exe"
    say(f"{out.relative_to(ROOT)}")
    return out


def build_dmg() -> Path:
    app = DIST / "reviewapp.app"
    staging = WORK / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(app, staging / "reviewapp.app", symlinks=True)
    os.symlink("/Applications", staging / "Applications")  # drag the app onto it
    out = DIST / f"reviewapp-{version()}.dmg"
    out.unlink(missing_ok=True)
    subprocess.run(
        ["hdiutil", "create", "-volname", "reviewapp", "-srcfolder", str(staging), "-ov",
         "-format", "UDZO", str(out)],
        check=True,
    )  # fmt: skip
    say(f"{out.relative_to(ROOT)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--bundle-only", action="store_true", help="stop after the bundle")
    parser.add_argument("--reuse", action="store_true", help="keep a bundle of these sources")
    parser.add_argument("--fast", action="store_true", help="compress lightly (tests)")
    args = parser.parse_args()
    python = builder_python()
    build_bundle(python, args.reuse)
    if args.bundle_only:
        return 0
    if sys.platform.startswith("linux"):
        if shutil.which("dpkg-deb"):
            build_deb(args.fast)
        else:
            say("dpkg-deb was not found: no .deb made")
        build_tarball(args.fast)
    elif sys.platform == "win32":
        build_windows_installer()
    elif sys.platform == "darwin":
        build_dmg()
    return 0


if __name__ == "__main__":
    sys.exit(main())
