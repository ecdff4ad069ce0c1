"""User preferences: a typed dataclass kept as JSON in the settings folder."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from reviewapp.services.paths import config_dir

log = logging.getLogger(__name__)


@dataclass
class Preferences:
    reviewer_name: str = ""
    reviewer_initials: str = ""
    library_path: str = ""
    reader_font_size: int = 11
    # Automatic backups kept: the newest of each of the last so many days and weeks.
    backups_daily: int = 7
    backups_weekly: int = 4


def preferences_file() -> Path:
    return config_dir() / "preferences.json"


def load_preferences() -> Preferences:
    path = preferences_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("preferences at %s unreadable (%s); using defaults", path, exc)
        return Preferences()
    known = {f.name for f in fields(Preferences)}
    return Preferences(**{k: v for k, v in data.items() if k in known})


def save_preferences(prefs: Preferences) -> None:
    path = preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(prefs), indent=2), encoding="utf-8")
    os.replace(tmp, path)


def current_reviewer(explicit: str | None = None) -> str | None:
    """The reviewer: the one named, else REVIEWAPP_REVIEWER, else the preferences."""
    for candidate in (
        explicit,
        os.environ.get("REVIEWAPP_REVIEWER"),
        load_preferences().reviewer_name,
    ):
        if candidate and candidate.strip():
            return candidate.strip()
    return None
