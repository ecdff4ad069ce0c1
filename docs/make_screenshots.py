"""Take the desk's screenshots for docs/screenshots/ under Xvfb.

xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "screenshots"


def start() -> tuple[Path, Any]:
    """A scratch folder for the settings and the library, the reviewer named, and the Qt
    application (for this script and make_suggestion_screenshots.py)."""
    tmp = Path(tempfile.mkdtemp())
    os.environ["REVIEWAPP_CONFIG_DIR"] = str(tmp / "config")
    os.environ["REVIEWAPP_REVIEWER"] = "Maria Lopez"
    from PySide6.QtWidgets import QApplication

    return tmp, QApplication(sys.argv[:1])


def wait(ms: int) -> None:
    """Let the window work for ``ms`` milliseconds."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    done = [False]
    QTimer.singleShot(ms, lambda: done.__setitem__(0, True))
    while not done[0]:
        QApplication.processEvents()


def main() -> None:
    tmp, _app = start()  # (kept: the application lives as long as main)
    from PySide6.QtWidgets import QWidget

    from reviewapp.gui.app import create_main_window
    from reviewapp.gui.mainwindow import MainWindow
    from reviewapp.services.demo import create_demo_library

    library = tmp / "demo.sqlite"
    create_demo_library(library)
    window = create_main_window(library)
    assert isinstance(window, MainWindow)
    window.resize(1440, 880)
    window.show()
    OUT.mkdir(exist_ok=True)

    def shot(widget: QWidget, name: str) -> None:
        wait(300)
        widget.grab().save(str(OUT / name))
        print("wrote", OUT / name)

    wait(800)
    window.search_field.setText("small cell lung cancer")
    wait(600)
    window.table.selectRow(0)
    shot(window, "library-search.png")

    window.search_field.setText("CMV")
    wait(600)
    window.table.selectRow(0)
    wait(300)
    window.findings_panel.tree.setCurrentIndex(
        window.findings_panel.model.index(0, 0, window.findings_panel.model.index(1, 0))
    )
    shot(window, "reader-findings.png")

    _finding_form(window, shot)
    _import_report(window, tmp, wait, shot)
    window.close()


def _finding_form(window: Any, shot: Any) -> None:
    from reviewapp.core.models import Category

    article = window.reader.article
    assert article is not None
    quote = "in 29.2% (19/65) after treatment"
    start = article.text.index(quote)
    window.reader.select_span(start, start + len(quote))
    dialog = window.flows.tagging.tag_selection(Category.TOXICITY)
    assert dialog is not None
    dialog.editors["event"].setText("CMV viremia")
    dialog.editors["N"].setText("70")
    dialog.adjustSize()
    shot(dialog, "finding-form.png")
    dialog.reject()


def _import_report(window: Any, tmp: Path, wait: Any, shot: Any) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    incoming = tmp / "incoming"
    incoming.mkdir()
    (incoming / "relapsed_sclc_summary.md").write_text(
        "# Second-Line Options in Relapsed Small Cell Lung Cancer\n\nA short fixture summary "
        "of second-line treatment after platinum and immunotherapy.\n",
        encoding="utf-8",
    )
    (incoming / "scan.pdf").write_bytes(b"%PDF-1.4 image-only scan")
    imports = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "imports"
    for fixture, name in (
        ("ris/broken.ris", "zotero_export.ris"),
        ("pubmed_xml/canonical.xml", "pubmed_efetch.xml"),
        ("medline/canonical.nbib", "pubmed.nbib"),
        ("xml/billion_laughs.xml", "suspicious.xml"),
    ):
        (incoming / name).write_bytes((imports / fixture).read_bytes())
    (incoming / "empty.txt").write_text("", encoding="utf-8")
    (incoming / "alemtuzumab_again.txt").write_text(
        (
            Path(__file__).resolve().parents[1] / "resources" / "demo" / "01_alemtuzumab_all.txt"
        ).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    handle = window.flows.importer.start([incoming])
    assert handle is not None
    while not handle.done:
        app.processEvents()
    wait(500)
    shot(window.flows.importer.last_report, "import-report.png")


if __name__ == "__main__":
    main()
