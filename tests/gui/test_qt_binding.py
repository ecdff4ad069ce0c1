"""The Qt binding keeps Python's reference counts right.

PySide6-Essentials 6.12.0 on Python 3.11 dropped a reference to None on every
processEvents() and QTest.keyClick(), and to True/False on every Signal.emit(): a window
open for an afternoon would abort with "deallocating None". This guards the pin.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

_PROBE = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLineEdit
from PySide6.QtTest import QTest

class Emitter(QObject):
    fired = Signal(object)

app = QApplication([])
emitter = Emitter()
emitter.fired.connect(lambda value: None)
field = QLineEdit()
before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
for _ in range(3000):
    app.processEvents()
    emitter.fired.emit(None)
for _ in range(300):
    QTest.keyClick(field, "a")
after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
print(*[b - a for b, a in zip(before, after)])
"""


def test_processevents_signals_and_key_clicks_keep_reference_counts() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    drift = [int(x) for x in result.stdout.split()]
    # The broken binding lost thousands (a positive drift: before − after). References
    # gained are caches filling, more of them on a busy machine (−202 seen in a full run).
    assert all(-1000 < d < 200 for d in drift), drift
