"""Every window action, with its object name, shortcut (shown in menus) and tip; the menus
and the toolbar they sit in."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from reviewapp.core.models import Category

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class Spec:
    name: str
    text: str
    shortcut: Shortcut
    tip: str = ""
    checkable: bool = False


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
    Spec(
        "actionRestoreBackup",
        "&Restore from backup…",
        None,
        "The library's backups with their dates and counts; put one in place of the library",
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
    Spec(
        "actionMarkReviewed",
        "I have &finished this article",
        "Ctrl+D",
        "Mark the article reviewed (done) by you; again to take the mark back",
        checkable=True,
    ),
    Spec(
        "actionBlindCollection",
        "&Blind review of this collection",
        None,
        "While blind, each reviewer sees only their own findings on the collection's articles;"
        " its moderator turns it on, and reveals it",
        checkable=True,
    ),
    Spec(
        "actionDisagreements",
        "&Disagreements…",
        "Ctrl+Shift+D",
        "Reviewers' findings side by side where they differ or one has none; settle them",
    ),
    Spec(
        "actionAgreement",
        "&Agreement figures…",
        "Ctrl+Shift+G",
        "Cohen's and Fleiss' kappa and Krippendorff's alpha, per category",
    ),
    Spec("actionShortcuts", "&Keyboard shortcuts", "F1", ""),
)


FINDING_ACTIONS = (
    "actionEditFinding",
    "actionDeleteFinding",
    "actionAcceptFinding",
    "actionRejectFinding",
)
# What changes the library: off while it is read-only (a read-only medium or folder).
WRITE_ACTIONS = (
    "actionImport",
    "actionImportPack",
    "actionExportPack",  # (it signs what is not yet signed: a write)
    "actionReviewers",
    "actionTagEfficacy",
    "actionTagToxicity",
    "actionTagMechanism",
    "actionTagReference",
    *FINDING_ACTIONS,
    "actionMarkReviewed",
    "actionBlindCollection",
    "actionNewCollection",
    "actionRenameCollection",
    "actionDeleteCollection",
    "actionAddTag",
    "actionSaveSearch",
    "actionLinkClubFolder",
    "actionSyncClub",
    "actionRestoreBackup",
)
TAG_ACTIONS = {
    "actionTagEfficacy": Category.EFFICACY,
    "actionTagToxicity": Category.TOXICITY,
    "actionTagMechanism": Category.MECHANISM,
    "actionTagReference": Category.REFERENCE,
}
MENUS: dict[str, list[str | None]] = {
    "&File": [
        "actionImport",
        "actionExportBrief",
        "actionExportTable",
        None,
        "actionImportPack",
        "actionExportPack",
        None,
        "actionRestoreBackup",
        "actionPreferences",
        None,
        "actionQuit",
    ],
    "&Edit": [
        "actionUndo",
        "actionRedo",
        None,
        "actionFocusSearch",
        "actionSaveSearch",
        None,
        "actionFind",
        "actionFindNext",
    ],
    "F&indings": [
        *TAG_ACTIONS,
        None,
        "actionEditFinding",
        "actionAcceptFinding",
        "actionRejectFinding",
        "actionDeleteFinding",
    ],
    "&Review": [
        "actionMarkReviewed",
        None,
        "actionBlindCollection",
        None,
        "actionDisagreements",
        "actionAgreement",
    ],
    "&Library": [
        "actionShowLibrary",
        None,
        "actionNewCollection",
        "actionRenameCollection",
        "actionDeleteCollection",
        None,
        "actionAddTag",
        None,
        "actionLinkClubFolder",
        "actionSyncClub",
        "actionReviewers",
    ],
    "&View": ["actionZoomIn", "actionZoomOut", "actionZoomReset"],
    "&Help": ["actionShortcuts"],
}
TOOLBAR = (
    "actionImport",
    "actionExportBrief",
    None,
    *TAG_ACTIONS,
    None,
    "actionUndo",
    "actionRedo",
)


def build_actions(owner: QObject) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(owner.tr(spec.text), owner)
        action.setObjectName(spec.name)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.setCheckable(spec.checkable)
        if spec.tip:
            action.setToolTip(owner.tr(spec.tip))
            action.setStatusTip(owner.tr(spec.tip))
        actions[spec.name] = action
    return actions
