"""Every window action, with its object name, shortcut (shown in menus) and tip."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class Spec:
    name: str
    text: str
    shortcut: Shortcut
    tip: str = ""


SPECS = (
    Spec(
        "actionImport",
        "&Import articles…",
        QKeySequence.StandardKey.Open,
        "Import files (plain text, Markdown); you can also drop files or folders on the window",
    ),
    Spec(
        "actionExportBrief",
        "Export &brief…",
        "Ctrl+E",
        "Write a PDF brief of the selected articles or the current collection",
    ),
    Spec(
        "actionExportTable",
        "Export evidence &table or references…",
        "Ctrl+Shift+E",
        "Write the evidence table (CSV, Markdown) or the references (RIS, BibTeX)",
    ),
    Spec(
        "actionImportPack",
        "Import review &pack…",
        "Ctrl+Shift+O",
        "Merge review packs (.rvpack) from other reviewers; you can also drop them on the window",
    ),
    Spec(
        "actionExportPack",
        "Export review pac&k…",
        "Ctrl+Shift+K",
        "Write a review pack of the current collection (or the whole library) to share",
    ),
    Spec("actionPreferences", "&Preferences…", QKeySequence.StandardKey.Preferences, ""),
    Spec("actionQuit", "&Quit", QKeySequence.StandardKey.Quit, ""),
    Spec("actionUndo", "&Undo", QKeySequence.StandardKey.Undo, ""),
    Spec("actionRedo", "&Redo", QKeySequence.StandardKey.Redo, ""),
    Spec("actionFocusSearch", "&Search the library", "Ctrl+K", ""),
    Spec("actionSaveSearch", "Sa&ve this search…", "Ctrl+Shift+S", ""),
    Spec("actionFind", "&Find in article…", QKeySequence.StandardKey.Find, ""),
    Spec("actionFindNext", "Find &next", QKeySequence.StandardKey.FindNext, ""),
    Spec("actionTagEfficacy", "Tag &efficacy", "1", "Tag the selected text as an efficacy finding"),
    Spec("actionTagToxicity", "Tag &toxicity", "2", "Tag the selected text as a toxicity finding"),
    Spec("actionTagMechanism", "Tag &mechanism", "3", "Tag the selected text as mechanism"),
    Spec("actionTagReference", "Tag &reference", "4", "Tag the selected text as a reference"),
    Spec("actionEditFinding", "&Edit finding…", "Ctrl+Return", ""),
    Spec("actionDeleteFinding", "&Delete finding", QKeySequence.StandardKey.Delete, ""),
    Spec("actionAcceptFinding", "&Accept finding", "Ctrl+Shift+A", ""),
    Spec("actionRejectFinding", "Re&ject finding", "Ctrl+Shift+R", ""),
    Spec("actionZoomIn", "Zoom &in", QKeySequence.StandardKey.ZoomIn, ""),
    Spec("actionZoomOut", "Zoom &out", QKeySequence.StandardKey.ZoomOut, ""),
    Spec("actionZoomReset", "&Actual size", "Ctrl+0", ""),
    Spec("actionNewCollection", "&New collection…", "Ctrl+Shift+N", ""),
    Spec("actionRenameCollection", "&Rename collection…", None, ""),
    Spec("actionDeleteCollection", "&Delete collection", None, ""),
    Spec("actionAddTag", "Add &tag to selected articles…", "Ctrl+T", ""),
    Spec("actionShowLibrary", "Show the whole &library", "Ctrl+L", ""),
    Spec(
        "actionLinkClubFolder",
        "Link collection to a &club folder…",
        None,
        "Share the current collection through a folder your club already syncs",
    ),
    Spec("actionSyncClub", "&Sync club folders now", "F5", ""),
    Spec("actionReviewers", "Re&viewers and keys…", None, ""),
    Spec("actionShortcuts", "&Keyboard shortcuts", "F1", ""),
)


def build_actions(owner: QObject) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(owner.tr(spec.text), owner)
        action.setObjectName(spec.name)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setToolTip(owner.tr(spec.tip))
            action.setStatusTip(owner.tr(spec.tip))
        actions[spec.name] = action
    return actions
