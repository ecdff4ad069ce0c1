"""Page furniture for PDFs: styles, the header and "page x of y" footer, outline entries."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

INK = colors.HexColor("#1F2328")
MUTED = colors.HexColor("#59636E")
RULE = colors.HexColor("#D0D7DE")
SHADE = colors.HexColor("#F6F8FA")
LINK = "#1F5FAD"
MARGIN = 18 * mm


class Styles:
    """The paragraph styles of a brief, all in the embedded font."""

    def __init__(self, font: str) -> None:
        bold = font + "-Bold"
        base = ParagraphStyle(
            "base", fontName=font, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT
        )
        self.font, self.bold = font, bold
        self.body = base
        self.title = ParagraphStyle(
            "title", base, fontName=bold, fontSize=19, leading=23, spaceAfter=4
        )
        self.subtitle = ParagraphStyle(
            "subtitle", base, fontSize=10, leading=13, textColor=MUTED, spaceAfter=8
        )
        self.meta = ParagraphStyle("meta", base, textColor=MUTED, fontSize=9, leading=12)
        self.h1 = ParagraphStyle(
            "h1", base, fontName=bold, fontSize=13.5, leading=17, spaceBefore=12, spaceAfter=5
        )
        self.h2 = ParagraphStyle(
            "h2", base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2
        )
        self.cell = ParagraphStyle("cell", base, fontSize=8.2, leading=10.4)
        self.cell_head = ParagraphStyle(
            "cell_head", self.cell, fontName=bold, textColor=colors.white
        )
        self.small = ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED)
        self.bottom_line = ParagraphStyle(
            "bottom_line", base, fontSize=10.5, leading=15, leftIndent=8, borderPadding=(6, 8, 6, 8)
        )


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that knows the page count when it writes each page's header and footer: it
    keeps every page until ``save``, then writes them. Outline entries are kept with their
    page and made as it is written (made before, they would all lead to the first page)."""

    font = "Helvetica"
    header_text = ""
    footer_text = ""
    disclaimer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[str, str, int]] = []  # this page's outline entries

    def mark(self, title: str, key: str, level: int) -> None:
        """An outline entry leading to this page."""
        self._marks.append((title, key, level))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._marks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            for title, key, level in self._marks:
                self.bookmarkPage(key)
                self.addOutlineEntry(title, key, level=level, closed=False)
            self._furniture(total)
            super().showPage()
        super().save()

    def _furniture(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(self.font, 8)
        self.setFillColor(MUTED)
        if self._pageNumber > 1:
            self.drawString(MARGIN, height - 11 * mm, self.header_text)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)
        self.drawString(MARGIN, 11.5 * mm, self.footer_text)
        self.drawString(MARGIN, 8 * mm, self.disclaimer)
        self.drawRightString(width - MARGIN, 8 * mm, f"page {self._pageNumber} of {total}")
        self.restoreState()


class Bookmark(Flowable):  # type: ignore[misc]
    """An invisible flowable that adds a PDF outline entry where it lands."""

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.key, self.level = title, key, level
        self.width = self.height = 0

    def draw(self) -> None:
        if isinstance(self.canv, NumberedCanvas):
            self.canv.mark(self.title, self.key, self.level)
        else:
            self.canv.bookmarkPage(self.key)
            self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
