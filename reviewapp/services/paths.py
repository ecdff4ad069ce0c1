"""Where things live: the default library, the settings folder, the shipped resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "reviewapp"


def resources_dir() -> Path:
    """The ``resources/`` folder, in a source checkout, an installed package or a bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    here = Path(__file__).resolve()
    candidates += [here.parents[2] / "resources", here.parents[1] / "resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def fonts_dir() -> Path:
    """The DejaVu Sans fonts shipped for the PDF brief (with their licence): used before
    the system's, so a brief looks the same on every system and in the bundle."""
    return resource("fonts")


def config_dir() -> Path:
    """The user's settings folder (REVIEWAPP_CONFIG_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("REVIEWAPP_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def default_library_path() -> Path:
    """REVIEWAPP_LIBRARY, else ``library.sqlite`` in the user's data folder."""
    override = os.environ.get("REVIEWAPP_LIBRARY")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "library.sqlite"


def synonym_files() -> list[Path]:
    """The user's own synonyms file first, then the one shipped with reviewapp."""
    return [config_dir() / "synonyms.txt", resource("synonyms.txt")]
