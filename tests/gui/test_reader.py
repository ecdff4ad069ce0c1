"""The reader maps a selection to offsets in the article text when characters beyond U+FFFF
(emoji, mathematical letters) start or end it: Qt counts UTF-16 units, Python code points."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from reviewapp.core.models import Article
from reviewapp.gui.views.reader import ReaderView

pytestmark = pytest.mark.gui

TEXT = (
    "Background 🩺 and aims.\n"
    "𝛼-toxicity was rare; fatigue 😫 was common and 𝛼 chain loss occurred in 14 of 60 "
    "patients (23.3%) 🧑‍⚕️.\n"
    "Grade ≥3 CRS 🔥"
)


@pytest.fixture
def reader(qtbot: QtBot) -> ReaderView:
    view = ReaderView()
    qtbot.addWidget(view)
    # Astral characters in the title and authors too: they come before the text.
    view.show_article(
        Article(title="Emoji 🧬 and 𝛼 in one article", text=TEXT, authors=["Ruiz A 🧪"], id=1)
    )
    return view


def _find(view: ReaderView, quote: str) -> QTextCursor:
    """The document's own selection of ``quote`` (its first occurrence), found by Qt."""
    cursor = view.document().find(quote)
    assert not cursor.isNull(), quote
    return cursor


@pytest.mark.parametrize(
    "quote",
    [
        "𝛼-toxicity",  # starts at the first character of a line with a 𝛼
        "fatigue 😫",  # ends at an emoji
        "😫 was common and 𝛼",  # starts at an emoji, ends at a 𝛼
        "𝛼 chain loss occurred in 14 of 60 patients (23.3%) 🧑‍⚕️",  # a joined emoji at the end
        "🩺",  # the one character alone
        "CRS 🔥",  # at the very end of the text
    ],
)
def test_a_selection_found_by_qt_gives_the_python_offsets_of_its_text(
    reader: ReaderView, quote: str
) -> None:
    cursor = _find(reader, quote)
    reader.setTextCursor(cursor)
    assert reader.textCursor().selectedText() == quote
    span = reader.selected_span()
    assert span is not None
    start, end = span
    assert TEXT[start:end] == quote
    assert (start, end) == (TEXT.index(quote), TEXT.index(quote) + len(quote))


def test_a_selection_made_a_character_at_a_time_stops_on_whole_characters(
    reader: ReaderView,
) -> None:
    # As a user extends a selection with Shift+Right: one step per character, an emoji or
    # a 𝛼 being two UTF-16 units but one step.
    cursor = _find(reader, "fatigue")
    cursor.setPosition(cursor.selectionStart())
    expected_start = TEXT.index("fatigue")
    for length in range(1, len("fatigue 😫 was common and 𝛼 chain") + 1):
        cursor.movePosition(
            QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
        )
        reader.setTextCursor(cursor)
        # White space at the end of a selection is trimmed off it.
        selected = TEXT[expected_start : expected_start + length].rstrip()
        span = reader.selected_span()
        assert span == (expected_start, expected_start + len(selected)), repr(selected)


def test_select_span_selects_exactly_the_offsets_given(reader: ReaderView) -> None:
    for quote in ("😫 was common and 𝛼", "𝛼-toxicity", "(23.3%) 🧑‍⚕️", "CRS 🔥"):
        start = TEXT.index(quote)
        reader.select_span(start, start + len(quote))
        assert reader.textCursor().selectedText() == quote
        assert reader.selected_span() == (start, start + len(quote))


def test_a_selection_in_the_title_is_not_article_text(reader: ReaderView) -> None:
    reader.setTextCursor(_find(reader, "Emoji 🧬"))
    assert reader.selected_span() is None
