"""Finding a Unicode TrueType font to embed in PDFs (Greek, ≥ ≤ ± µ must render).

reportlab's built-in Helvetica has none of these glyphs, so a brief is never made with it:
when no suitable font is found the export stops with a message that says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "BriefSans"

# (regular, bold) file names, best first; each covers Latin, Greek and math symbols.
_CANDIDATES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)
_SYSTEM_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)


class FontMissing(Exception):
    """No Unicode TrueType font was found."""


@dataclass(frozen=True)
class FontPair:
    regular: Path
    bold: Path


def _fontconfig(name: str) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", name],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).name.lower() == name.lower() else None


def find_font(extra_dirs: list[Path] | None = None) -> FontPair:
    """The first (regular, bold) pair found in ``extra_dirs``, via fontconfig, or in the
    system font folders."""
    dirs = list(extra_dirs or [])
    if os.environ.get("REVIEWAPP_FONT_DIR"):
        dirs.insert(0, Path(os.environ["REVIEWAPP_FONT_DIR"]))
    for regular, bold in _CANDIDATES:
        for folder in dirs:
            if (folder / regular).is_file() and (folder / bold).is_file():
                return FontPair(folder / regular, folder / bold)
        found_regular, found_bold = _fontconfig(regular), _fontconfig(bold)
        if found_regular and found_bold:
            return FontPair(found_regular, found_bold)
    for regular, bold in _CANDIDATES:
        for system_dir in _SYSTEM_DIRS:
            root = Path(system_dir).expanduser()
            if not root.is_dir():
                continue
            hits = {p.name: p for p in root.rglob("*.ttf") if p.name in (regular, bold)}
            if regular in hits and bold in hits:
                return FontPair(hits[regular], hits[bold])
    raise FontMissing(
        "no Unicode TrueType font found for the PDF (install DejaVu Sans, e.g. the Debian "
        "package fonts-dejavu-core, or set REVIEWAPP_FONT_DIR to a folder holding "
        "DejaVuSans.ttf and DejaVuSans-Bold.ttf)"
    )


def register_font(extra_dirs: list[Path] | None = None) -> str:
    """Register the brief's font family with reportlab (once) and return its name."""
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return FAMILY
    pair = find_font(extra_dirs)
    pdfmetrics.registerFont(TTFont(FAMILY, str(pair.regular)))
    pdfmetrics.registerFont(TTFont(FAMILY + "-Bold", str(pair.bold)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=FAMILY, bold=FAMILY + "-Bold", italic=FAMILY, boldItalic=FAMILY + "-Bold"
    )
    return FAMILY
