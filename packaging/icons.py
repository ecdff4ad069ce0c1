"""Render reviewapp's icon (resources/icons/reviewapp.svg, drawn by hand) to the PNG sizes a
Linux desktop looks for, a Windows .ico and a macOS .icns, beside it.

    .venv/bin/python packaging/icons.py

The rendered files are committed (a build needs them on every system, and Qt's SVG
renderer is the one tool to hand on all three); run this again after changing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "reviewapp.svg"
# The hicolor theme's usual sizes (desktop menus, docks, file managers, AppStream's 64/128).
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"reviewapp-{size}.png"


def render() -> list[Path]:
    """Write every rendered file; returns their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    written = []
    images = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        images[size] = image
        if not image.save(str(png_path(size))):
            raise SystemExit(f"cannot write {png_path(size)}")
        written.append(png_path(size))
    # Qt's ico and icns writers take one image each: the largest the format holds well.
    for name, size, fmt in (("reviewapp.ico", 256, b"ICO"), ("reviewapp.icns", 512, b"ICNS")):
        if not images[size].save(str(ICONS / name), fmt):
            raise SystemExit(
                f"cannot write {ICONS / name} (Qt's {fmt.decode()} image plugin missing?)"
            )
        written.append(ICONS / name)
    return written


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ICONS.parent.parent))
