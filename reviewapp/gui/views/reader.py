"""The reader: the article with its findings highlighted, search matches marked, find, zoom.

The document is built with a QTextCursor, not from HTML, so that every character of the
article text is one character of the document: a selection maps exactly to offsets in the
stored text, which is what a finding's anchor records.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reviewapp.core.models import Article, Finding
from reviewapp.gui.palette import SEARCH_HIGHLIGHT, category_highlight

FLASH_MS = 900


class ReaderView(QTextBrowser):
    """Read-only article view; reports selections as offsets into the article text."""

    selection_changed_in_text = Signal(bool)  # whether article text is selected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setAccessibleName(self.tr("Article reader"))
        self.setReadOnly(True)
        self.setOpenLinks(False)  # identifiers open only when clicked, in the browser
        self.setOpenExternalLinks(False)
        self.article: Article | None = None
        self.findings: list[Finding] = []
        self._body_start = 0
        self._astral: list[int] = []  # offsets of characters beyond U+FFFF in the text
        self._astral_units: list[int] = []  # their second UTF-16 unit, from the body start
        self._search_spans: list[tuple[int, int]] = []
        self._flash: list[QTextEdit.ExtraSelection] = []
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)
        self.selectionChanged.connect(
            lambda: self.selection_changed_in_text.emit(self.selected_span() is not None)
        )
        self._placeholder()

    def _placeholder(self) -> None:
        self.article = None
        self.setHtml(
            "<p style='color:#8C959F; margin-top:40px' align='center'>"
            + self.tr(
                "Select an article to read it.<br>Select text, then press 1 efficacy, "
                "2 toxicity, 3 mechanism or 4 reference to tag a finding."
            )
            + "</p>"
        )

    # -- content -----------------------------------------------------------------------------

    def show_article(self, article: Article | None, findings: Iterable[Finding] = ()) -> None:
        if article is None:
            self._placeholder()
            return
        keep_position = self.article is not None and self.article.id == article.id
        scroll = self.verticalScrollBar().value()
        self.article, self.findings = article, list(findings)
        document = QTextDocument(self)
        document.setDefaultFont(self.font())
        cursor = QTextCursor(document)
        title = QTextCharFormat()
        title.setFontPointSize(self.font().pointSizeF() * 1.45)
        title.setFontWeight(QFont.Weight.Bold)
        cursor.insertText(article.title, title)
        meta = QTextCharFormat()
        meta.setForeground(QColor("#6E7781"))
        source = " · ".join(
            p
            for p in (
                ", ".join(article.authors[:6]),
                article.journal or "",
                str(article.year or ""),
            )
            if p
        )
        if source:
            cursor.insertBlock()
            cursor.insertText(source, meta)
        links = self._links(article)
        if links:
            cursor.insertBlock()
            for i, (label, url) in enumerate(links):
                if i:
                    cursor.insertText("   ", meta)
                link = QTextCharFormat()
                link.setAnchor(True)
                link.setAnchorHref(url)
                link.setForeground(QColor("#1F5FAD"))
                link.setFontUnderline(True)
                cursor.insertText(label, link)
        cursor.insertBlock()
        cursor.insertBlock()
        self._body_start = cursor.position()
        self._astral = [i for i, ch in enumerate(article.text) if ord(ch) > 0xFFFF]
        self._astral_units = [i + n + 1 for n, i in enumerate(self._astral)]
        cursor.insertText(article.text, QTextCharFormat())
        self._space_paragraphs(document)
        self.setDocument(document)
        self._apply_findings()
        self._apply_extra_selections()
        if keep_position:
            self.verticalScrollBar().setValue(scroll)

    def _space_paragraphs(self, document: QTextDocument) -> None:
        """Air between the article's paragraphs; block formats never shift characters."""
        block = document.findBlock(self._body_start)
        while block.isValid():
            cursor = QTextCursor(block)
            spacing = cursor.blockFormat()
            spacing.setBottomMargin(self.font().pointSizeF() * 0.6)
            cursor.setBlockFormat(spacing)
            block = block.next()

    @staticmethod
    def _links(article: Article) -> list[tuple[str, str]]:
        links = []
        if article.doi:
            links.append((f"DOI {article.doi}", f"https://doi.org/{article.doi}"))
        if article.pmid:
            links.append(
                (f"PMID {article.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{article.pmid}/")
            )
        links.extend((nct, f"https://clinicaltrials.gov/study/{nct}") for nct in article.nct_ids)
        return links

    def _apply_findings(self) -> None:
        if self.article is None:
            return
        length = len(self.article.text)
        for finding in self.findings:
            start, end = finding.anchor.start, finding.anchor.end
            if not finding.anchored or not 0 <= start < end <= length:
                continue  # a quote not found in this copy is listed, never marked
            cursor = self._text_cursor(start, end)
            mark = QTextCharFormat()
            mark.setBackground(QColor(category_highlight(finding.category)))
            mark.setForeground(QColor("#1F2328"))
            mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            mark.setUnderlineColor(QColor(finding.reviewer_colour or "#59636E"))
            mark.setToolTip(f"{finding.category.value} · {finding.reviewer}")
            cursor.mergeCharFormat(mark)

    # -- offsets -----------------------------------------------------------------------------

    # Qt counts document positions in UTF-16 code units, Python counts code points: every
    # character beyond U+FFFF (emoji, mathematical letters) is two units in the document.
    def _doc_position(self, offset: int) -> int:
        return self._body_start + offset + bisect_left(self._astral, offset)

    def _text_offset(self, position: int) -> int:
        units = position - self._body_start
        # astral characters that start before this unit each took one extra unit
        count = bisect_left(self._astral_units, units)
        return units - count

    def _text_cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._doc_position(start))
        cursor.setPosition(self._doc_position(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as (start, end) offsets into the article text, if it lies in it."""
        if self.article is None:
            return None
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = max(self._text_offset(cursor.selectionStart()), 0)
        end = min(self._text_offset(cursor.selectionEnd()), len(self.article.text))
        if end <= start:
            return None
        text = self.article.text
        while start < end and text[start].isspace():  # trim what a double-click drags in
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        self.setTextCursor(self._text_cursor(start, end))

    # -- search matches, flashing, find, zoom ------------------------------------------------

    def set_search_spans(self, spans: Iterable[tuple[int, int]]) -> None:
        self._search_spans = list(spans)
        self._apply_extra_selections()

    def reveal_first_search_match(self) -> None:
        """Scroll the first search match into view, a third of the way down, if it is out of
        view (the selection stays as it is)."""
        if not self._search_spans or self.article is None:
            return
        start, _end = self._search_spans[0]
        if start > len(self.article.text):
            return
        shown = self.cursorRect(self._text_cursor(start, start))
        view = self.viewport().rect()
        if view.top() <= shown.top() and shown.bottom() <= view.bottom():
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + shown.top() - view.height() // 3)

    def _apply_extra_selections(self) -> None:
        selections = []
        for start, end in self._search_spans:
            if self.article is None or end > len(self.article.text):
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self._text_cursor(start, end)
            selection.format.setBackground(QColor(SEARCH_HIGHLIGHT))
            selection.format.setForeground(QColor("#1F2328"))
            selections.append(selection)
        self.setExtraSelections(selections + self._flash)

    def show_span(self, start: int, end: int) -> None:
        """Scroll to a quote and flash it."""
        cursor = self._text_cursor(start, end)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        flash = QTextEdit.ExtraSelection()
        flash.cursor = cursor
        flash.format.setBackground(QColor("#FFB000"))
        flash.format.setProperty(QTextFormat.Property.OutlinePen, QColor("#B35C00"))
        self._flash = [flash]
        self._apply_extra_selections()
        self._flash_timer.start(FLASH_MS)

    def _end_flash(self) -> None:
        self._flash = []
        self._apply_extra_selections()

    @property
    def flashing(self) -> bool:
        return bool(self._flash)

    def find_text(self, text: str, backward: bool = False) -> bool:
        """Find the next (or previous) occurrence, wrapping around at the end."""
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.find(text, flags):
            return True
        cursor = self.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
        )
        self.setTextCursor(cursor)
        return bool(self.find(text, flags))

    def set_font_size(self, points: int) -> None:
        font = self.font()
        font.setPointSize(max(6, min(points, 40)))
        self.setFont(font)
        if self.article is not None:
            self.show_article(self.article, self.findings)
