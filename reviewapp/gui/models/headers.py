"""The column titles a table model shows above its columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt


def column_title(
    titles: Sequence[str],
    translate: Callable[[str], str],
    section: int,
    orientation: Qt.Orientation,
    role: int,
) -> str | None:
    """``headerData`` for a model whose columns are ``titles`` (no row headers)."""
    horizontal = orientation == Qt.Orientation.Horizontal
    if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(titles):
        return translate(titles[section])
    return None
