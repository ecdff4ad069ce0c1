"""The club folder: a folder the club already syncs (Syncthing, Dropbox, OneDrive, a network
share) where each member keeps one review pack of their own.

``club_sync`` merges every other member's pack found there and writes the reviewer's own,
``<name>-<uid prefix>.rvpack``, only when what it would hold has changed. It never writes
anyone else's file, so sync clients never see two people change one file. A file still
arriving (truncated, not yet a whole ZIP, its signature not checking) is skipped with a
message and tried again next time; files not changed since they were last merged are
skipped by their size and time alone; conflict copies made by sync clients merge like any
other pack, and change nothing when they hold nothing new.
"""

from __future__ import annotations

import hashlib
import json
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
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() == EXTENSION
        and not path.name.startswith(".")  # a pack being written (ours or a sync client's)
        and path.name != own.name
        and path.is_file()
    )


def club_sync(
    session: LibrarySession,
    folder: Path,
    collection: str | None = None,
    reviewer: str | None = None,
    progress: Progress | None = None,
    catch_up: Callable[[], None] | None = None,
) -> ClubSync:
    """Merge the other members' packs in ``folder``, then write the reviewer's own (of the
    collection, or of the whole library with all its collections)."""
    if not folder.is_dir():
        raise ServiceError(f"the club folder {folder} does not exist (or is not a folder)")
    identity = current_identity(reviewer)
    if collection is not None and reading.collection_named(session, collection) is None:
        raise ServiceError(f"no collection called {collection!r} in this library")
    own = folder / own_pack_name(identity)
    result = ClubSync(folder, own, written=False)
    others = _member_packs(folder, own)
    lib = session.library
    key = str(folder.resolve())
    for done, path in enumerate(others):
        if progress is not None:
            progress(done, len(others) + 1)
        seen = file_identity(path)
        if lib.club_files.seen(key, path.name) == seen:
            result.files.append(
                PackReport(
                    file=str(path), status="unchanged", message="unchanged since the last sync"
                )
            )
            continue
        report = import_pack(session, path, catch_up)
        if report.status == "refused":
            report.status = "skipped"
            report.message += " (skipped: it is tried again at the next sync)"
        else:
            with lib.transaction():
                lib.club_files.remember(key, path.name, seen)
        result.files.append(report)
    token = _sharing_token(session, identity, collection)
    stale = lib.meta(f"club:{key}:token") != token or lib.club_files.seen(key, own.name) != (
        file_identity(own) if own.exists() else None
    )
    if stale and _has_articles(session, collection):  # nothing to share, no pack
        export_pack(session, own, collection, reviewer=reviewer, own_findings_only=True)
        # Exporting signs what was not signed yet: the token is of the library as shared.
        token = _sharing_token(session, identity, collection)
        with lib.transaction():
            lib.set_meta(f"club:{key}:token", token)
            lib.club_files.remember(key, own.name, file_identity(own))
        result.written = True
    if progress is not None:
        progress(len(others) + 1, len(others) + 1)
    return result


def _has_articles(session: LibrarySession, collection: str | None) -> bool:
    if collection is None:
        return reading.counts(session).articles > 0
    row = reading.collection_named(session, collection)
    return row is not None and row.article_count > 0


def _sharing_token(session: LibrarySession, identity: Identity, collection: str | None) -> str:
    """A digest of what the reviewer's own pack would hold: it changes with any article,
    finding or tag (the library's change log), collection state, known alias, and with
    the reviewer's own name, initials and colour."""
    lib = session.library
    state = {
        "change": lib.last_change(),
        "collections": [(c.uid, c.revision, c.article_count) for c in lib.collections.all()],
        "aliases": lib.articles.alias_count(),
        "me": [identity.uid, identity.name, identity.initials, identity.colour],
        "collection": collection,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode("utf-8")).hexdigest()


def link_folder(session: LibrarySession, collection_id: int, folder: Path | None) -> None:
    """Link a collection to a club folder that the window watches (None: unlink it)."""
    if folder is not None and not folder.is_dir():
        raise ServiceError(f"the club folder {folder} does not exist (or is not a folder)")
    with session.library.transaction():
        session.library.club_files.link(collection_id, str(folder) if folder else None)


def linked_folders(session: LibrarySession) -> dict[int, tuple[str, Path]]:
    """Each linked collection's name and club folder, by collection id."""
    names = {row.id: row.name for row in session.library.collections.all()}
    return {
        collection_id: (names[collection_id], Path(folder))
        for collection_id, folder in session.library.club_files.links().items()
        if collection_id in names
    }
