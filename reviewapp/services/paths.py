"""Where things live: the default library, the settings folder, the shipped resources."""

from __future__ import annotations

import hashlib
import os
import site
import sys
import sysconfig
from pathlib import Path

import platformdirs

APP_NAME = "reviewapp"


def resources_dir() -> Path:
    """The ``resources/`` folder: in a bundle, a source checkout (or an editable install of
    one), or an installed wheel (which puts it in the environment's share/reviewapp, see
    pyproject.toml's data-files)."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    here = Path(__file__).resolve()
    shared = Path("share") / APP_NAME / "resources"
    # Where an installed wheel's data went: the environment (a venv, pipx), the user's base
    # (pip install --user) or a distribution's own prefix (Debian's /usr/local).
    prefixes = [sys.prefix, sysconfig.get_path("data"), site.getuserbase()]
    candidates += [here.parents[2] / "resources"]
    candidates += [Path(prefix) / shared for prefix in dict.fromkeys(prefixes) if prefix]
    for candidate in candidates:
        # Ours, not another package's folder of that name beside site-packages' packages.
        if (candidate / "synonyms.txt").is_file():
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


def read_only_index_dir(library: Path, library_uid: str, viewer_uid: str) -> Path:
    """Where the search index of a read-only library is kept (it cannot be written beside
    the library): in the settings folder, one per library file (copies of one library share
    its uid, not their content) and per reviewer whose view it holds."""
    where = str(library.expanduser().resolve()).encode("utf-8", "surrogateescape")
    place = hashlib.sha256(where).hexdigest()[:16]
    name = f"{library_uid}-{place}-{viewer_uid or 'nobody'}.index"
    return config_dir() / "read-only-indexes" / name


def synonym_files() -> list[Path]:
    """The user's own synonyms file first, then the one shipped with reviewapp."""
    return [config_dir() / "synonyms.txt", resource("synonyms.txt")]


def adverse_event_files() -> list[Path]:
    """The user's own adverse-event terms first, then the ones shipped with reviewapp."""
    return [config_dir() / "adverse_events.txt", resource("adverse_events.txt")]
