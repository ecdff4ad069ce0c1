"""The club folder: a folder the club already syncs (Syncthing, Dropbox, OneDrive, a network
share) where each member keeps one review pack of their own.

``club_sync`` merges every other member's pack found there and writes the reviewer's own,
``<name>-<uid prefix>.rvpack``, only when what it would hold has changed. It never writes
anyone else's file, so sync clients never see two people change one file. A file still
arriving (truncated, not yet a whole ZIP, its signature not checking) is skipped with a
message and read again once it changes; files not changed since they were last read are
skipped by their size and time alone; conflict copies made by sync clients merge like any
other pack, and change nothing when they hold nothing new.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewapp.packs.format import EXTENSION
from reviewapp.packs.reader import file_identity
from reviewapp.services import reading
from reviewapp.services.identity import Identity, current_identity
from reviewapp.services.library import LibrarySession, Progress, ServiceError
from reviewapp.services.packs import PackReport, export_pack, import_pack

log = logging.getLogger(__name__)

UNCHANGED = "unchanged since the last sync"
TRY_AGAIN = "(skipped: it is read again once it changes)"


@dataclass
class ClubSync:
    folder: Path
    own_file: Path
    written: bool  # whether the reviewer's own pack was (re)written
    files: list[PackReport] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "own_file": str(self.own_file),
            "written": self.written,
            "files": [report.to_json() for report in self.files],
        }

    @property
    def findings_in(self) -> int:
        return sum(report.findings_in for report in self.files)


def own_pack_name(identity: Identity) -> str:
    """``<name>-<uid prefix>.rvpack``: the display name lower-cased, every character other
    than a letter, a digit or ``-`` made ``-``."""
    slug = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in identity.name.lower())
    return f"{slug}-{identity.uid[:8]}{EXTENSION}"


def _member_packs(folder: Path, own: Path) -> list[Path]:
    return [path for path in _packs_in(folder) if path.name != own.name]


def _packs_in(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() == EXTENSION
        and not path.name.startswith(".")  # a pack being written (ours or a sync client's)
        and path.is_file()
    )


def club_sync(
    session: LibrarySession,
    folder: Path,
    collection: str | list[str] | None = None,
    reviewer: str | None = None,
    progress: Progress | None = None,
    catch_up: Callable[[], None] | None = None,
) -> ClubSync:
    """Merge the other members' packs in ``folder``, then write the reviewer's own (of the
    collections shared there, or of the whole library with all its collections)."""
    if not folder.is_dir():
        raise ServiceError(f"the club folder {folder} does not exist (or is not a folder)")
    identity = current_identity(reviewer)
    names = sorted([collection] if isinstance(collection, str) else collection or [])
    for name in names:
        if reading.collection_named(session, name) is None:
            raise ServiceError(f"no collection called {name!r} in this library")
    own = folder / own_pack_name(identity)
    result = ClubSync(folder, own, written=False)
    lib = session.library
    key = str(folder.resolve())
    _forget_old_name(session, key, folder, own)
    others = _member_packs(folder, own)
    for done, path in enumerate(others):
        if progress is not None:
            progress(done, len(others) + 1)
        report = _take(session, key, path, catch_up)
        if report is not None:
            result.files.append(report)
    token = _sharing_token(session, identity, names)
    stale = lib.meta(f"club:{key}:token") != token or lib.club_files.seen(key, own.name) != (
        file_identity(own) if own.exists() else None
    )
    if stale and _has_articles(session, names):  # nothing to share, no pack
        export_pack(session, own, names or None, reviewer=reviewer, own_findings_only=True)
        # Exporting signs what was not signed yet: the token is of the library as shared.
        token = _sharing_token(session, identity, names)
        with lib.transaction():
            lib.set_meta(f"club:{key}:token", token)
            lib.club_files.remember(key, own.name, file_identity(own))
        result.written = True
    if progress is not None:
        progress(len(others) + 1, len(others) + 1)
    return result


def _forget_old_name(session: LibrarySession, key: str, folder: Path, own: Path) -> None:
    """After the reviewer renamed themselves, their pack under the old name is theirs:
    removed, so that nobody merges it as someone else's."""
    lib = session.library
    previous = lib.meta(f"club:{key}:own")
    if previous == own.name:
        return
    if previous and previous.endswith(EXTENSION) and "/" not in previous:
        (folder / previous).unlink(missing_ok=True)
    with lib.transaction():
        lib.set_meta(f"club:{key}:own", own.name)


def _take(
    session: LibrarySession, key: str, path: Path, catch_up: Callable[[], None] | None
) -> PackReport | None:
    """Merge one member's pack unless it is unchanged since it was last read (merged, or
    refused: a file still arriving, or a bad one, is read again once it changes)."""
    lib = session.library
    try:
        seen = file_identity(path)
    except OSError:  # renamed or removed by the sync client since the folder was listed
        return None
    if lib.club_files.seen(key, path.name) == seen:
        refused = lib.club_files.refusal(key, path.name)
        if refused is None:
            return PackReport(file=str(path), status="unchanged", message=UNCHANGED)
        return PackReport(file=str(path), status="skipped", message=f"{refused} {TRY_AGAIN}")
    report = import_pack(session, path, catch_up)
    if report.status == "refused":
        report.status = "skipped"
        refused = report.message
        report.message += f" {TRY_AGAIN}"
    else:
        refused = None
    with lib.transaction():
        lib.club_files.remember(key, path.name, seen, refused)
    return report


def _has_articles(session: LibrarySession, names: list[str]) -> bool:
    if not names:
        return reading.counts(session).articles > 0
    rows = [reading.collection_named(session, name) for name in names]
    return any(row is not None and row.article_count > 0 for row in rows)


def _sharing_token(session: LibrarySession, identity: Identity, names: list[str]) -> str:
    """A digest of what the reviewer's own pack would hold: it changes with any article,
    finding or tag (the library's change log), collection state, known alias, reviewed
    mark, and with the reviewer's own name, initials and colour."""
    lib = session.library
    state = {
        "change": lib.last_change(),
        "collections": [(c.uid, c.revision, c.article_count) for c in lib.collections.all()],
        "aliases": lib.articles.alias_count(),
        "marks": lib.marks.state(),
        "me": [identity.uid, identity.name, identity.initials, identity.colour],
        "shared": names,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode("utf-8")).hexdigest()


def link_folder(session: LibrarySession, collection_id: int, folder: Path | None) -> None:
    """Link a collection to a club folder that the window watches (None: unlink it)."""
    if folder is not None and not folder.is_dir():
        raise ServiceError(f"the club folder {folder} does not exist (or is not a folder)")
    with session.library.transaction():
        session.library.club_files.link(collection_id, str(folder) if folder else None)


def club_paths(session: LibrarySession) -> list[Path]:
    """What to watch for a club's changes: each linked folder that is there, and the packs
    in it."""
    paths: list[Path] = []
    for folder in sorted({folder for _name, folder in linked_folders(session).values()}):
        try:
            if folder.is_dir():
                paths += [folder, *_packs_in(folder)]
        except OSError as exc:  # unreadable, or gone meanwhile: the others are watched
            log.warning("club folder %s not watched: %s", folder, exc)
    return paths


def linked_folders(session: LibrarySession) -> dict[int, tuple[str, Path]]:
    """Each linked collection's name and club folder, by collection id."""
    names = {row.id: row.name for row in session.library.collections.all()}
    return {
        collection_id: (names[collection_id], Path(folder))
        for collection_id, folder in session.library.club_files.links().items()
        if collection_id in names
    }
