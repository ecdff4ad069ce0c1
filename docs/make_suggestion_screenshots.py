"""Screenshots of finding forms filled by the suggester, for docs/screenshots/.

Imports a short article of our own sentences (real-looking, written for this), selects three
of them in the reader, presses the category's key and saves the form as it opens.

xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/make_suggestion_screenshots.py
(QT_QPA_PLATFORM=offscreen works too.)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere
from docs.make_screenshots import OUT, start, wait

ARTICLE = """Bispecific Antibodies in Relapsed Lung Cancer: A Randomised Phase 3 Summary

Ivonescimab (AK112), an anti-PD-1/VEGF bispecific antibody, was compared with docetaxel in \
previously treated non-small cell lung cancer.
Median progression-free survival was 6.8 months with ivonescimab versus 3.9 months with \
docetaxel (HR 0.54; 95% CI, 0.41 to 0.71; P < .001).
Grade III–IV neutropenia occurred in two of 28 patients (7.1%) during the first cycle.
"""

SHOTS = (
    ("mechanism", "Ivonescimab (AK112)", "suggested-mechanism.png"),
    ("efficacy", "Median progression-free survival", "suggested-efficacy.png"),
    ("toxicity", "Grade III–IV neutropenia", "suggested-toxicity.png"),
)


def main() -> None:
    tmp, _app = start()
    from reviewapp.gui.app import create_main_window
    from reviewapp.services.importing import import_paths
    from reviewapp.services.library import LibrarySession

    library = tmp / "library.sqlite"
    article_file = tmp / "bispecifics_summary.txt"
    article_file.write_text(ARTICLE, encoding="utf-8")
    with LibrarySession.open(library) as session:
        import_paths(session, [article_file])
    window = create_main_window(library)
    window.resize(1300, 850)
    window.show()
    OUT.mkdir(exist_ok=True)

    wait(1200)
    window.table.selectRow(0)
    wait(600)
    _shoot(window, wait)
    window.close()


def _shoot(window: Any, wait: Any) -> None:
    """Each sentence selected, its category's key pressed, the form saved as it opens."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from reviewapp.core.models import Category
    from reviewapp.gui.dialogs.finding_form import FindingDialog

    article = window.reader.article
    assert article is not None
    keys = {c.value: getattr(Qt.Key, f"Key_{i}") for i, c in enumerate(Category, 1)}
    for category, sentence_start, name in SHOTS:
        start = article.text.index(sentence_start)
        end = article.text.index("\n", start)
        window.reader.select_span(start, end)
        window.activateWindow()
        window.reader.setFocus()
        QTest.keyClick(window.reader, keys[category])
        wait(600)
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # the key went elsewhere (focus under a virtual display)
            dialog = window.flows.tagging.tag_selection(Category(category))
            wait(600)
        assert isinstance(dialog, FindingDialog), category
        wait(200)  # (as it opens: the form sizes itself to the screen)
        dialog.grab().save(str(OUT / name))
        print("wrote", OUT / name, dialog.values())
        dialog.reject()
        wait(200)


if __name__ == "__main__":
    main()
