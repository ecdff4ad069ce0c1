"""The Unicode font a brief embeds: found in a folder given, the environment's folder or the
system's, or a clear failure naming what to install."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from reviewapp.exporters import fonts


def test_find_font_prefers_an_extra_folder(tmp_path: Path) -> None:
    system = fonts.find_font()
    assert system.regular.is_file()
    assert system.bold.is_file()
    own = tmp_path / "fonts"
    own.mkdir()
    regular, bold = fonts._CANDIDATES[0]
    shutil.copy(system.regular, own / regular)
    shutil.copy(system.bold, own / bold)
    assert fonts.find_font([own]) == fonts.FontPair(own / regular, own / bold)


def test_find_font_reads_the_environment_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = fonts.find_font()
    regular, bold = fonts._CANDIDATES[0]
    shutil.copy(system.regular, tmp_path / regular)
    shutil.copy(system.bold, tmp_path / bold)
    monkeypatch.setenv("REVIEWAPP_FONT_DIR", str(tmp_path))
    assert fonts.find_font() == fonts.FontPair(tmp_path / regular, tmp_path / bold)


def test_no_unicode_font_is_a_clear_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_CANDIDATES", (("NoSuchFont.ttf", "NoSuchFont-Bold.ttf"),))
    with pytest.raises(fonts.FontMissing, match="DejaVu"):
        fonts.find_font()


def test_the_font_is_registered_once_with_its_bold_face() -> None:
    assert fonts.register_font() == fonts.FAMILY
    assert fonts.register_font() == fonts.FAMILY
    registered = pdfmetrics.getRegisteredFontNames()
    assert {fonts.FAMILY, fonts.FAMILY + "-Bold"} <= set(registered)
    face = pdfmetrics.getFont(fonts.FAMILY).face
    for glyph in "αβ≥≤±µ":  # what Helvetica cannot show
        assert ord(glyph) in face.charToGlyph, glyph
