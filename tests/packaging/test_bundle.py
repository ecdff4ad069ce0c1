"""The frozen bundle (PyInstaller, ``packaging/build.py``) does the work headless and opens the
window, with no Python of ours beside it.

The bundle is built once per set of sources (``build.py --reuse`` keeps one whose fingerprint
matches: about a minute to build, seconds to reuse) and run from a folder outside the
checkout, with no PYTHONPATH, as an installed copy runs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.pdf_reading import pdf_text

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "reviewapp"
# On Windows the terminal's program (reviewapp.exe opens the window without a console).
PROGRAM = BUNDLE / ("reviewapp-cli.exe" if sys.platform == "win32" else "reviewapp")
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
# The ceiling for the unpacked bundle.
MAX_BUNDLE_BYTES = 250_000_000


@pytest.fixture(scope="module")
def program() -> Path:
    """The frozen program, built now unless one of these very sources is there."""
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--bundle-only", "--reuse"],
        check=True,
        cwd=ROOT,
        timeout=900,
    )
    assert PROGRAM.is_file()
    return PROGRAM


class Frozen:
    """Runs the bundle's program as one reviewer, in a folder of their own."""

    def __init__(self, program: Path, home: Path) -> None:
        self.program, self.home = program, home
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "REVIEWAPP_", "VIRTUAL_ENV"))
        }
        self.env.update(
            REVIEWAPP_CONFIG_DIR=str(home / "config"),
            REVIEWAPP_REVIEWER="Ada Frozen",
            QT_QPA_PLATFORM="offscreen",
            HOME=str(home),
        )

    def __call__(self, *args: str, library: str = "library.sqlite") -> str:
        done = subprocess.run(
            [str(self.program), "--library", str(self.home / library), *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.home,
            env=self.env,
            check=False,
        )
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done.stdout


@pytest.fixture(scope="module")
def frozen(program: Path, tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    return Frozen(program, tmp_path_factory.mktemp("frozen"))


def test_the_bundle_holds_qt_s_widgets_only_and_stays_small(program: Path) -> None:
    internal = BUNDLE / "_internal"
    modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.*")}
    assert modules == {"QtCore", "QtGui", "QtWidgets"}
    libraries = " ".join(p.name for p in (internal / "PySide6").rglob("*"))
    for unwanted in ("WebEngine", "Qml", "Quick", "3D", "Multimedia", "Network"):
        assert unwanted not in libraries
    fonts = internal / "resources" / "fonts"
    assert {p.name for p in fonts.iterdir()} >= {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"}
    assert (internal / "resources" / "synonyms.txt").is_file()
    size = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < MAX_BUNDLE_BYTES


def test_version(frozen: Frozen) -> None:
    from reviewapp import __version__

    assert frozen("--version").strip() == f"reviewapp {__version__}"


def test_import_search_tag_brief_and_pack_headless(frozen: Frozen) -> None:
    # The file reader runs in a spawned child of the frozen program: three files, three articles.
    out = frozen("import", str(ARTICLES))
    assert "3 imported, 0 duplicates, 0 failed" in out
    # "SCLC" is in no fixture's SCLC article: the bundled synonyms file finds it by its
    # spelled-out name.
    found = json.loads(frozen("search", "SCLC", "--json"))
    assert [hit["title"] for hit in found] == [
        "First U.S. Patient Treated With Alveltamig for Small Cell Lung Cancer"
    ]
    assert "SCLC" not in (ARTICLES / "alveltamig_sclc.txt").read_text(encoding="utf-8")
    article = found[0]["article_id"]
    frozen(
        "tag", str(article), "--category", "mechanism", "--quote", "trispecific T-cell engager",
        "--field", "agent=alveltamig", "--field", "modality=trispecific T-cell engager",
    )  # fmt: skip
    brief = frozen.home / "brief.pdf"
    frozen("brief", "--out", str(brief), "--article", str(article), "--title", "Frozen brief")
    reader = PdfReader(brief)
    text = pdf_text(reader)
    assert "Frozen brief" in text
    assert "trispecific T-cell engager" in text
    resources: list[Any] = [page["/Resources"].get_object() for page in reader.pages]
    fonts = [font.get_object() for found in resources for font in found["/Font"].values()]
    embedded = {
        str(font["/BaseFont"]).split("+")[-1]
        for font in fonts
        if "/FontFile2" in font["/FontDescriptor"].get_object()
    }
    assert embedded == {"DejaVuSans", "DejaVuSans-Bold"}
    # A pack out of one library and into another.
    pack = frozen.home / "club.rvpack"
    frozen("pack", "export", "--out", str(pack))
    out = frozen("pack", "import", str(pack), library="second.sqlite")
    assert "3 new articles" in out
    findings = json.loads(frozen("findings", "--json", library="second.sqlite"))
    assert [f["quote"] for f in findings] == ["trispecific T-cell engager"]


def _articles_in(library: Path) -> int:
    try:
        with sqlite3.connect(f"file:{library}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not made yet, or mid-migration
        return 0


@pytest.fixture
def window(frozen: Frozen) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """The window on a new library with a pack named on its command line, as a desktop's
    double click runs it (the desktop entry's ``Exec=reviewapp %F``)."""
    pack = frozen.home / "club.rvpack"
    if not pack.is_file():
        frozen("import", str(ARTICLES), library="packed.sqlite")
        frozen("pack", "export", "--out", str(pack), library="packed.sqlite")
    library = frozen.home / "window.sqlite"
    shown = subprocess.Popen(
        [str(frozen.program), "--library", str(library), str(pack)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=frozen.home,
        env={**frozen.env, "REVIEWAPP_TELL_SHOWN": "1"},
    )
    try:
        yield shown, library
    finally:
        if shown.poll() is None:
            shown.kill()
            shown.wait()
        if shown.stderr is not None:
            shown.stderr.close()


@pytest.mark.skipif(sys.platform == "win32", reason="closes the window with SIGTERM")
def test_the_window_opens_merges_a_pack_named_on_its_command_line_and_closes(
    window: tuple[subprocess.Popen[str], Path], frozen: Frozen
) -> None:
    shown, library = window
    assert shown.stderr is not None
    line = shown.stderr.readline()
    while line and "window shown" not in line:
        line = shown.stderr.readline()
    assert "window shown" in line, "the window never painted"
    deadline = time.monotonic() + 60
    while _articles_in(library) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _articles_in(library) == 3
    # The window's index process (spawned from the frozen program) brings the index up to
    # date; `check` only reports, it does not index.
    while time.monotonic() < deadline:
        report = json.loads(frozen("check", "--json", library="window.sqlite"))
        if report["index"] == "ok" and report["articles"] == 3:
            break
        time.sleep(0.5)
    assert report["index"] == "ok", report
    shown.send_signal(signal.SIGTERM)  # closes as Quit does
    assert shown.wait(timeout=30) == 0


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="Debian's dpkg-deb")
def test_the_deb_installs_the_bundle_the_launcher_and_the_desktop_files(
    program: Path, tmp_path: Path
) -> None:
    spec = importlib.util.spec_from_file_location("build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    deb = build.build_deb(fast=True, out_dir=tmp_path)
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    paths = {line.split()[5].removeprefix(".") for line in listing.splitlines()}
    assert {
        "/opt/reviewapp/reviewapp",
        "/opt/reviewapp/_internal/resources/fonts/LICENSE",
        "/usr/share/applications/org.reviewapp.ReviewApp.desktop",
        "/usr/share/metainfo/org.reviewapp.ReviewApp.metainfo.xml",
        "/usr/share/mime/packages/reviewapp.xml",
        "/usr/share/icons/hicolor/scalable/apps/reviewapp.svg",
        "/usr/share/icons/hicolor/48x48/apps/reviewapp.png",
        "/usr/share/doc/reviewapp/copyright",
    } <= paths
    assert "./usr/bin/reviewapp -> /opt/reviewapp/reviewapp" in listing
    assert all(" root/root " in line for line in listing.splitlines())
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Depends"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Package: reviewapp" in fields
    assert "python" not in fields.lower()  # Python is inside the bundle
