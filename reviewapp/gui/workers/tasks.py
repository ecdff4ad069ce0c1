"""Writes from the window: short ones, and long ones with the status bar's progress and cancel.

Every write runs on the one writer thread (``SessionPool`` with one thread), so writes
happen in the order they were asked for. A short write reports a failure in a message box;
a long one shows its label, a progress bar and a Cancel button while it runs, one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from reviewapp.gui.workers.pool import SessionPool, Task, TaskHandle
from reviewapp.services.library import LibrarySession

WriteTask = Callable[[LibrarySession], Any]


class TaskRunner(QObject):
    def __init__(
        self,
        writer: SessionPool,
        label: QLabel,
        progress: QProgressBar,
        cancel_button: QPushButton,
        say: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.writer = writer
        self._label, self._progress, self._cancel_button = label, progress, cancel_button
        self._say = say
        self._parent = parent
        self._task: TaskHandle | None = None
        cancel_button.clicked.connect(self._on_cancel_clicked)
        self._show(None)

    @property
    def running(self) -> bool:
        """Whether a long task is running (one at a time)."""
        return self._task is not None

    def write(self, task: WriteTask, on_done: Callable[[Any], None]) -> None:
        """Run a short write on the writer thread; ``on_done`` gets its result."""
        self.writer.run(lambda session, _p, _c: task(session), on_done, self.show_failure)

    def run(
        self,
        label: str,
        task: Task,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
        cancellable: bool = True,
    ) -> TaskHandle | None:
        """Run a long write on the writer thread with progress (and cancel); None, with a
        message, while another long task runs."""
        if self._task is not None:
            self._say(self.tr("Wait for the running task to finish."), 4000)
            return None

        def done(result: Any) -> None:
            self._end()
            on_done(result)

        def failed(exc: Exception) -> None:
            self._end()
            (on_error or self.show_failure)(exc)

        self._show(label, cancellable)
        self._task = self.writer.run(task, done, failed, self._on_progress)
        return self._task

    def show_failure(self, exc: Exception) -> None:
        QMessageBox.warning(self._parent, self.tr("reviewapp"), str(exc))

    def _end(self) -> None:
        self._task = None
        self._show(None)

    def _show(self, label: str | None, cancellable: bool = True) -> None:
        running = label is not None
        self._label.setText(label or "")
        self._label.setVisible(running)
        self._progress.setVisible(running)
        self._cancel_button.setVisible(running and cancellable)
        if running:
            self._progress.setRange(0, 0)

    def _on_progress(self, done: int, total: int) -> None:
        self._progress.setRange(0, max(total, 1))
        self._progress.setValue(done)
        self._progress.setFormat(f"{done}/{total}")

    def _on_cancel_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._label.setText(self.tr("Cancelling…"))
