"""The brief's charts as drawings: incidence bars from 0 to 100%, and a forest plot of ratios
on a log scale with the line of no effect at 1, every value printed beside its mark."""

from __future__ import annotations

import math
from pathlib import Path

from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from reviewapp.exporters.brief_charts import forest_plot, incidence_bars
from reviewapp.exporters.fonts import register_font
from reviewapp.exporters.pdf_base import INK


def _strings(drawing: Drawing) -> list[str]:
    return [s.text for s in drawing.contents if isinstance(s, String)]


def _rects(drawing: Drawing) -> list[Rect]:
    return [r for r in drawing.contents if isinstance(r, Rect)]


def test_incidence_bars_are_in_proportion_and_clamped_to_the_axis() -> None:
    rows = [("CMV viremia (Luskin 2025)", 23.3), ("Neutropenia", 46.6), ("Odd value", 130.0)]
    drawing = incidence_bars(rows, 400, "Helvetica")
    bars = _rects(drawing)
    assert len(bars) == 3
    assert math.isclose(bars[1].width, 2 * bars[0].width)
    full = bars[2].width  # 130% is drawn as 100%
    assert math.isclose(bars[0].width, full * 0.233)
    assert drawing.height == 15 * 3 + 24
    texts = _strings(drawing)
    assert texts[:5] == ["0%", "25%", "50%", "75%", "100%"]
    assert {"CMV viremia (Luskin 2025)", "23.3%", "46.6%", "130%"} <= set(texts)


def test_a_zero_incidence_still_shows_a_sliver_and_long_labels_are_cut() -> None:
    label = "Grade ≥3 immune effector cell-associated neurotoxicity syndrome (ICANS) " * 2
    drawing = incidence_bars([(label, 0.0)], 400, "Helvetica")
    [bar] = _rects(drawing)
    assert 0 < bar.width < 1
    [shown] = [s for s in drawing.contents if isinstance(s, String) and s.text.startswith("Grade")]
    assert shown.text.endswith("…") and len(shown.text) < len(label)
    # It starts within the drawing (the brief's text margin), and uses the room it has.
    width = stringWidth(shown.text, "Helvetica", shown.fontSize)
    assert 0 <= shown.x - width < stringWidth("mm", "Helvetica", 7.5)


def test_the_forest_plot_is_logarithmic_with_no_effect_at_one() -> None:
    rows = [("OS, ostrelimab", 0.71, 0.55, 0.92), ("PFS, ostrelimab", 0.5, 0.25, 1.0)]
    drawing = forest_plot(rows, 500, "Helvetica")
    lines = [line for line in drawing.contents if isinstance(line, Line)]
    ticks = {s.text: s.x for s in drawing.contents if isinstance(s, String) and s.y == 7}
    # Equal ratios are equal distances apart: 0.25→0.5 as 0.5→1.
    assert math.isclose(ticks["0.5"] - ticks["0.25"], ticks["1"] - ticks["0.5"])
    [no_effect] = [line for line in lines if line.x1 == line.x2 and line.x1 == ticks["1"]]
    assert no_effect.strokeColor == INK
    texts = _strings(drawing)
    assert "0.71 (0.55–0.92)" in texts and "0.5 (0.25–1)" in texts
    assert "HR (log)" in texts
    estimate = _rects(drawing)[0]
    assert ticks["0.5"] < estimate.x + estimate.width / 2 < ticks["1"]


def test_the_forest_plot_names_its_measure_and_takes_a_ci_touching_zero() -> None:
    drawing = forest_plot([("ORR", 2.4, 0.0, 6.1)], 500, "Helvetica", measure="OR")
    assert "OR (log)" in _strings(drawing)
    assert all(math.isfinite(line.x1) for line in drawing.contents if isinstance(line, Line))


def test_charts_render_in_the_embedded_font(tmp_path: Path) -> None:
    font = register_font()
    out = tmp_path / "chart.pdf"
    renderPDF.drawToFile(incidence_bars([("Grade ≥3 CRS", 12.5)], 400, font), str(out))
    text = PdfReader(str(out)).pages[0].extract_text() or ""
    assert "Grade ≥3 CRS" in text and "12.5%" in text
