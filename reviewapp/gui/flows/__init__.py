"""The window's flows: one controller per thing a user does, each handed what it needs.

``gui/app.py`` builds them and ``MainWindow.wire`` connects them to the panels and to each
other; no flow knows the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoStack

from reviewapp.gui.changes import ChangeBus
from reviewapp.gui.flows.backups import BackupFlow
from reviewapp.gui.flows.club import ClubFlow
from reviewapp.gui.flows.importing import ImportFlow
from reviewapp.gui.flows.indexing import IndexFlow
from reviewapp.gui.flows.organising import Organiser
from reviewapp.gui.flows.preferences import PreferencesFlow
from reviewapp.gui.flows.publishing import Publisher
from reviewapp.gui.flows.reading import ReadingFlow
from reviewapp.gui.flows.review import ReviewFlow
from reviewapp.gui.flows.search import SearchFlow
from reviewapp.gui.flows.tagging import TaggingFlow
from reviewapp.gui.workers.sorting import BackgroundSorter
from reviewapp.gui.workers.tasks import TaskRunner
from reviewapp.services.library import LibrarySession


@dataclass
class Flows:
    session: LibrarySession  # the GUI thread's own, for quick indexed reads
    tasks: TaskRunner
    undo_stack: QUndoStack
    changes: ChangeBus
    sorter: BackgroundSorter
    search: SearchFlow
    reading: ReadingFlow
    tagging: TaggingFlow
    importer: ImportFlow
    organiser: Organiser
    publisher: Publisher
    preferences: PreferencesFlow
    indexing: IndexFlow
    club: ClubFlow
    review: ReviewFlow
    backups: BackupFlow
    shutdown: Callable[[], None]  # stop the threads and processes, close the session
