"""The desktop integration files pass their validators and agree with one another: the menu
entry, the AppStream metadata, the .rvpack MIME type, the icons, and the Windows and macOS
installers' associations."""

from __future__ import annotations

import configparser
import importlib.util
import plistlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.reviewapp.ReviewApp"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / "reviewapp-mime.xml"
MIME_TYPE = "application/x-reviewapp-pack"
ICONS = ROOT / "resources" / "icons"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: packaging/bootstrap.py test installs it (as root)")
    return found


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_is_valid() -> None:
    done = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Hints are advice, but none is expected either.
    assert done.stdout.strip() == "", done.stdout


def test_the_appstream_metadata_is_valid() -> None:
    done = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"^[EW]:", done.stdout, re.MULTILINE), done.stdout


def test_the_menu_entry_opens_packs_with_reviewapp() -> None:
    entry = _entry()
    assert entry["Exec"] == "reviewapp %F"  # a double-clicked pack: reviewapp FILE
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert (ICONS / f"{entry['Icon']}.svg").is_file()
    metainfo = ET.parse(METAINFO).getroot()
    assert metainfo.findtext("id") == APP_ID
    assert metainfo.findtext("launchable") == DESKTOP.name
    assert metainfo.findtext("provides/mediatype") == MIME_TYPE


def test_the_mime_type_claims_the_rvpack_extension() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(MIME).getroot().find("m:mime-type", ns)
    assert mime is not None
    assert mime.get("type") == MIME_TYPE
    globs = [glob.get("pattern") for glob in mime.findall("m:glob", ns)]
    assert globs == ["*.rvpack"]


def test_every_icon_size_is_drawn_from_the_svg() -> None:
    root = ET.parse(ICONS / "reviewapp.svg").getroot()
    assert root.get("viewBox") == "0 0 256 256"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = (ICONS / f"reviewapp-{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (size, size)
    assert (ICONS / "reviewapp.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (ICONS / "reviewapp.icns").read_bytes()[:4] == b"icns"


def test_the_windows_installer_associates_packs_and_uninstalls() -> None:
    script = (ROOT / "packaging" / "windows" / "reviewapp.iss").read_text(encoding="utf-8")
    assert "ChangesAssociations=yes" in script
    assert '#define PackExt ".rvpack"' in script
    assert r'Subkey: "Software\Classes\{#PackExt}\OpenWithProgids"' in script
    assert '"%1"' in script  # the pack's path handed to reviewapp
    assert "{group}" in script and "Uninstall" in script


def test_the_mac_app_declares_packs_as_its_documents() -> None:
    spec = importlib.util.spec_from_file_location(
        "info_plist", ROOT / "packaging" / "macos" / "info_plist.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    info = module.info_plist("1.2.3")
    plistlib.loads(plistlib.dumps(info))  # a valid property list
    (document,) = info["CFBundleDocumentTypes"]
    assert document["CFBundleTypeExtensions"] == ["rvpack"]
    (exported,) = info["UTExportedTypeDeclarations"]
    assert exported["UTTypeIdentifier"] in document["LSItemContentTypes"]
    assert exported["UTTypeTagSpecification"]["public.mime-type"] == [MIME_TYPE]
    assert info["CFBundleShortVersionString"] == "1.2.3"
    assert "info_plist(__version__)" in (ROOT / "packaging" / "reviewapp.spec").read_text()
