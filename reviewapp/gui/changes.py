"""What a write changed, told to every flow that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from reviewapp.core.models import Finding


@dataclass(frozen=True)
class Changed:
    """What a write changed, for the window to refresh: a kind and the article ids."""

    kind: str  # finding | tags | collection
    article_ids: tuple[int, ...]
    finding: Finding | None = None


class ChangeBus(QObject):
    """Writes finish here; the table, the sidebar and the reader each refresh what they show
    of the articles a change names, nothing more."""

    changed = Signal(object)  # Changed

    def tell(self, change: Changed) -> None:
        self.changed.emit(change)
