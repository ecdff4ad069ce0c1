"""Club members simulated on one machine: each has a settings folder (identity and key) and a
library of their own; a test acts as one of them at a time."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reviewapp.services.identity import view_as
from reviewapp.services.library import LibrarySession

ARTICLE_TEXT = """Tarlatamab after platinum in small cell lung cancer: a phase 2 cohort

Background: Relapsed small cell lung cancer (SCLC) has few options after platinum.

Results: The objective response rate was 40% (40/100) with tarlatamab 10 mg. Median overall
survival was 14.3 months (95% CI 10.8 to 20.1). Cytokine release syndrome occurred in 51 of
100 patients (51%), mostly grade 1 or 2. Grade 3 or higher neutropenia occurred in 12 of 100
patients (12%).

Conclusion: Tarlatamab showed durable responses. DOI 10.1000/club.0001
"""
SECOND_TEXT = """Alemtuzumab added to chemotherapy in adult ALL: a phase 1/2 study

Methods: Adults with CD52-positive acute lymphoblastic leukemia received subcutaneous
alemtuzumab 30 mg with intensive chemotherapy.

Results: CMV viremia occurred in 14 of 60 patients (23.3%) during treatment and 19 of 65
(29.2%) after it. There was no overall survival benefit.

DOI 10.1000/club.0002
"""


class Member:
    """One clinician of the club: a name, a settings folder and a library."""

    def __init__(self, root: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
        slug = name.lower().replace(" ", "-")
        self.name = name
        self.config = root / f"{slug}-settings"
        self.library = root / f"{slug}.sqlite"
        self._monkeypatch = monkeypatch

    @contextmanager
    def acting(self) -> Iterator[LibrarySession]:
        """Be this member (their settings folder and name) with their library open, seen
        the way they see it."""
        self._monkeypatch.setenv("REVIEWAPP_CONFIG_DIR", str(self.config))
        self._monkeypatch.setenv("REVIEWAPP_REVIEWER", self.name)
        with LibrarySession.open(self.library) as session:
            view_as(session)  # as the terminal and the window do on opening
            yield session

    def findings_table(self) -> list[tuple[Any, ...]]:
        """Every finding row, as stored (for "byte for byte unchanged")."""
        with sqlite3.connect(self.library) as db:
            return db.execute("SELECT * FROM findings ORDER BY uid").fetchall()

    def exchange_state(self) -> dict[str, Any]:
        """What every member's library must agree on after syncing: each finding's signed
        revision (uid, fields, revision, tombstone, author, article uid)."""
        with sqlite3.connect(self.library) as db:
            rows = db.execute(
                "SELECT f.uid, f.signed, f.revision, f.deleted_at, f.fields, r.uid "
                "FROM findings f JOIN reviewers r ON r.id = f.reviewer_id ORDER BY f.uid"
            ).fetchall()
        return {row[0]: (*row[1:4], json.loads(row[4]), row[5]) for row in rows}


def write_article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
