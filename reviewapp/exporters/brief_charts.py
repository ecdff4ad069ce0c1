"""Charts for the brief (reportlab.graphics): incidence bars and a forest plot."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reviewapp.exporters.pdf_base import INK, MUTED, RULE, shorten

TOXICITY_BAR = colors.HexColor("#B3261E")
ESTIMATE = colors.HexColor("#1F5FAD")
ROW = 15.0
LABEL_WIDTH = 0.46  # share of the width given to the row labels
LABEL_SIZE = 7.5
LABEL_GAP = 6.0  # between a row's label and its plot


def _label(label: str, x: float, y: float, font: str) -> String:
    """A row's label, ending at ``x``: cut (with "…") to start no further left than the
    drawing's edge, the text's margin."""
    room = x
    shown = label
    while stringWidth(shown, font, LABEL_SIZE) > room and len(shown) > 1:
        shown = shorten(label, len(shown) - 1)
    return String(x, y, shown, fontName=font, fontSize=LABEL_SIZE, fillColor=INK, textAnchor="end")


def _drawing(width: float, height: float, font: str) -> Drawing:
    """A drawing whose initial state uses the embedded font: the renderer starts each drawing
    in the drawing's own font, which is otherwise Helvetica (never embedded)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = font
    return drawing


def incidence_bars(rows: Sequence[tuple[str, float]], width: float, font: str) -> Drawing:
    """Horizontal bars, 0–100%, one a (label, incidence %) row, with the value printed."""
    height = ROW * len(rows) + 24
    drawing = _drawing(width, height, font)
    left = width * LABEL_WIDTH
    plot = width - left - 36
    top = height - 6
    for tick in (0, 25, 50, 75, 100):
        x = left + plot * tick / 100
        drawing.add(Line(x, 16, x, top, strokeColor=RULE, strokeWidth=0.4))
        drawing.add(
            String(
                x, 5, f"{tick}%", fontName=font, fontSize=7, fillColor=MUTED, textAnchor="middle"
            )
        )
    for i, (label, pct) in enumerate(rows):
        y = top - ROW * (i + 1) + 3
        drawing.add(_label(label, left - LABEL_GAP, y + 2, font))
        bar = plot * max(0.0, min(pct, 100.0)) / 100
        drawing.add(Rect(left, y, max(bar, 0.8), ROW - 5, fillColor=TOXICITY_BAR, strokeColor=None))
        drawing.add(
            String(left + bar + 3, y + 2, f"{pct:g}%", fontName=font, fontSize=7.5, fillColor=INK)
        )
    return drawing


def forest_plot(
    rows: Sequence[tuple[str, float, float, float]],
    width: float,
    font: str,
    measure: str = "HR",
) -> Drawing:
    """A forest plot of ratio estimates with 95% CIs on a log scale, with the line of no
    effect at 1. Rows: (label, estimate, CI low, CI high)."""
    height = ROW * len(rows) + 34
    drawing = _drawing(width, height, font)
    left = width * LABEL_WIDTH
    plot = width - left - 70
    lows = [max(r[2], 1e-3) for r in rows] + [0.5]
    highs = [r[3] for r in rows] + [2.0]
    lo, hi = math.log(min(lows)) - 0.1, math.log(max(highs)) + 0.1

    def x_of(value: float) -> float:
        return left + plot * (math.log(max(value, 1e-3)) - lo) / (hi - lo)

    top = height - 8
    for tick in (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0):
        if lo <= math.log(tick) <= hi:
            x = x_of(tick)
            drawing.add(
                Line(
                    x,
                    18,
                    x,
                    top,
                    strokeColor=INK if tick == 1 else RULE,
                    strokeWidth=0.8 if tick == 1 else 0.4,
                )
            )
            drawing.add(
                String(
                    x,
                    7,
                    f"{tick:g}",
                    fontName=font,
                    fontSize=7,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
    drawing.add(
        String(left + plot + 4, 7, f"{measure} (log)", fontName=font, fontSize=7, fillColor=MUTED)
    )
    for i, (label, estimate, low, high) in enumerate(rows):
        y = top - ROW * (i + 1) + 6
        drawing.add(_label(label, left - LABEL_GAP, y - 3, font))
        drawing.add(Line(x_of(low), y, x_of(high), y, strokeColor=ESTIMATE, strokeWidth=1.2))
        size = 5.0
        drawing.add(
            Rect(
                x_of(estimate) - size / 2,
                y - size / 2,
                size,
                size,
                fillColor=ESTIMATE,
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                left + plot + 4,
                y - 3,
                f"{estimate:g} ({low:g}–{high:g})",
                fontName=font,
                fontSize=7.5,
                fillColor=INK,
            )
        )
    return drawing
