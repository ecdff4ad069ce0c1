"""Reading: the chosen article in the reader with its findings, search matches marked, find
in the article, links opened on a click, and the findings panel beside it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QMenu

from reviewapp.core.models import Finding
from reviewapp.gui.changes import Changed
from reviewapp.gui.views.findings_panel import FindingsPanel
from reviewapp.gui.views.reader import ReaderView
from reviewapp.services import reading
from reviewapp.services.library import LibrarySession, Marks, search_spans


class ReadingFlow(QObject):
    def __init__(
        self,
        session: LibrarySession,
        reader: ReaderView,
        findings_panel: FindingsPanel,
        find_field: QLineEdit,
        tag_actions: Sequence[QAction],
    ) -> None:
        super().__init__(reader)
        self._session = session
        self.reader, self.findings_panel, self.find_field = reader, findings_panel, find_field
        self._tag_actions = list(tag_actions)
        self.current_article_id: int | None = None
        self._marks = Marks()
        reader.anchorClicked.connect(self._on_reader_anchor_clicked)
        reader.customContextMenuRequested.connect(self._on_reader_context_menu)
        reader.selection_changed_in_text.connect(self._on_reader_selection)
        findings_panel.finding_activated.connect(self._on_panel_finding_activated)
        find_field.returnPressed.connect(self.find_next)
        find_field.textChanged.connect(reader.find_text)
        close_find = QShortcut(QKeySequence(Qt.Key.Key_Escape), find_field)
        close_find.setContext(Qt.ShortcutContext.WidgetShortcut)
        close_find.activated.connect(self.close_find)

    def open_article(self, article_id: int | None) -> None:
        """Show an article; another than the one shown opens at its first search match (the
        same one, read again after a change, stays where the reader was)."""
        another = article_id != self.current_article_id
        self.current_article_id = article_id
        article, findings = reading.article_with_findings(self._session, article_id)
        self.reader.show_article(article, findings)
        self.findings_panel.set_findings(findings)
        self._mark_terms(reveal=another)

    def on_terms_changed(self, marks: Marks) -> None:
        """What the table's search matched, marked in the article; a new query shows its
        first match (more words of the same query, from its further rows, leave the reader
        where it is)."""
        new_query = marks.query != self._marks.query
        self._marks = marks
        self._mark_terms(reveal=new_query)

    def _mark_terms(self, reveal: bool) -> None:
        article = self.reader.article
        spans = search_spans(article.text, self._marks) if article is not None else []
        self.reader.set_search_spans(spans)
        if reveal:
            self.reader.reveal_first_search_match()

    def on_changed(self, change: Changed) -> None:
        """Re-read the article shown if a write changed it, keeping the changed finding
        selected in the panel."""
        if self.current_article_id not in change.article_ids:
            return
        self.open_article(self.current_article_id)
        if change.finding is not None and change.finding.deleted_at is None:
            self.findings_panel.select_finding(change.finding.id or 0)

    def _on_panel_finding_activated(self, finding: Finding) -> None:
        if finding.anchored:
            self.reader.show_span(finding.anchor.start, finding.anchor.end)

    def _on_reader_anchor_clicked(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)  # only ever on a click: nothing is fetched by itself

    def reader_context_menu(self) -> QMenu:
        """Copy and Select All, then the four tag actions (enabled with a selection)."""
        menu = self.reader.createStandardContextMenu()
        menu.addSeparator()
        for action in self._tag_actions:
            menu.addAction(action)
        return menu

    def _on_reader_context_menu(self, point: QPoint) -> None:
        self.reader_context_menu().exec(self.reader.viewport().mapToGlobal(point))

    def _on_reader_selection(self, has_text: bool) -> None:
        for action in self._tag_actions:
            action.setEnabled(has_text)

    # -- find in the article -------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_field.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def find_next(self) -> None:
        self.reader.find_text(self.find_field.text())

    def close_find(self) -> None:
        self.find_field.hide()
        self.reader.setFocus()
