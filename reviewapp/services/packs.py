"""Review packs in and out of a library: ``export_pack`` and ``import_pack``.

Export signs what the reviewer shares (their findings' revisions not yet signed, the
collections they create) and writes the pack whole or not at all. Import checks the pack
(``packs.reader``), then merges it in one transaction (``services.merging``): a pack that is
refused, or that fails half way, changes nothing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from reviewapp.core.models import Finding, utc_now
from reviewapp.packs.format import (
    EXTENSION,
    Pack,
    PackArticle,
    PackCollection,
    PackFinding,
    PackMark,
    PackRefused,
    PackReviewer,
)
from reviewapp.packs.reader import read_pack
from reviewapp.packs.writer import Signer, write_pack
from reviewapp.services.backups import backup_if_due
from reviewapp.services.identity import Identity, current_identity, local_keys, reviewer_of
from reviewapp.services.library import LibrarySession, Progress, ServiceError
from reviewapp.services.merging import Merged, merge_pack
from reviewapp.services.selection import select_articles
from reviewapp.services.signing import sign_collection, sign_finding

log = logging.getLogger(__name__)


@dataclass
class PackReport(Merged):
    """What one pack brought (``Merged``'s counts), with its file and how it went."""

    file: str = ""
    status: str = ""  # merged | unchanged | refused | skipped
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("article_ids")
        return data

    @property
    def findings_in(self) -> int:
        return self.findings_new + self.findings_updated + self.findings_deleted


@dataclass(frozen=True)
class PackExport:
    path: Path
    articles: int
    findings: int
    collections: int
    reviewers: int
    bytes: int
    unsigned_skipped: int  # findings of reviewers from before keys, who are not the exporter


def _check_destination(session: LibrarySession, out: Path) -> None:
    if out.suffix.lower() != EXTENSION:
        raise ServiceError(f"a review pack goes in a file ending in {EXTENSION}, not {out.name}")
    if not out.parent.is_dir():
        raise ServiceError(f"cannot write the pack: the folder {out.parent} does not exist")
    if out.resolve() == session.path.resolve():
        raise ServiceError("the pack would replace the library itself")


def export_pack(
    session: LibrarySession,
    out: Path,
    collection: str | list[str] | None = None,
    article_refs: list[str] | None = None,
    reviewer: str | None = None,
    own_findings_only: bool = False,
    progress: Progress | None = None,
) -> PackExport:
    """Write a pack of a collection (or several) with its articles, of some articles, or
    of the whole library with all its collections; ``own_findings_only`` keeps others'
    findings out (a club folder's file carries its owner's work; the others' files carry
    theirs)."""
    _check_destination(session, out)
    identity = current_identity(reviewer)
    names = [collection] if isinstance(collection, str) else list(collection or [])
    whole = not names and not article_refs
    ids, named = _selected(session, article_refs, names)
    lib = session.library
    with lib.transaction():
        reviewer_of(session, identity)
        collection_ids = _collections_to_share(session, named, whole, identity)
        findings = lib.findings.for_articles(ids)
        unsigned = _sign_own(session, findings, identity)
    if progress is not None:
        progress(0, len(ids))
    contents = _contents(session, identity, ids, collection_ids, findings, own_findings_only)
    scope = "library" if whole else "collection" if len(named) == 1 else "articles"
    shared = lib.collections.get(collection_ids[0]) if scope == "collection" else None
    size = write_pack(
        out,
        Signer(identity.uid, identity.public_key, identity.sign_bytes),
        utc_now(),
        scope,
        shared.uid if shared is not None else None,
        contents.reviewers,
        contents.articles,
        contents.collections,
        contents.findings,
        contents.marks,
    )
    if progress is not None:
        progress(len(ids), len(ids))
    return PackExport(
        out,
        len(contents.articles),
        len(contents.findings),
        len(contents.collections),
        len(contents.reviewers),
        size,
        len(unsigned),
    )


def _selected(
    session: LibrarySession, article_refs: list[str] | None, names: list[str]
) -> tuple[list[int], list[str]]:
    """The articles to export (the named ones, then each collection's, or the library's)
    and the collections' names as stored."""
    if not names:
        return select_articles(session, article_refs, None, purpose="export").ids, []
    ids: list[int] = []
    stored: list[str] = []
    for name in names:
        selection = select_articles(session, article_refs, name, purpose="export")
        ids.extend(i for i in selection.ids if i not in ids)
        stored.append(selection.collection or name)
    return ids, stored


def _collections_to_share(
    session: LibrarySession, named: list[str], whole: bool, identity: Identity
) -> list[int]:
    """The collections the pack carries; those not yet shared become the exporter's (they
    moderate them from now on), and the exporter's own are signed as they are now."""
    lib = session.library
    if named:
        rows = [row for row in lib.collections.all() if row.name in named]
    elif whole:  # the tombstones of shared collections their moderator deleted too
        rows = lib.collections.all() + lib.collections.tombstones()
    else:
        rows = []
    for row in rows:
        if row.creator_uid in (None, identity.uid):
            sign_collection(session, row.id, identity)
    return [row.id for row in rows]


def _sign_own(
    session: LibrarySession, findings: Iterable[Finding], identity: Identity
) -> list[Finding]:
    """Sign the exporter's findings that are not signed yet (tagged before reviewers had
    keys); returns the unsigned findings of others, which cannot travel."""
    others: list[Finding] = []
    for finding in findings:
        if finding.signed:
            continue
        if finding.author_uid == identity.uid:
            sign_finding(session, finding.id or 0, identity)
        else:
            others.append(finding)
    return others


@dataclass
class _Contents:
    reviewers: list[PackReviewer]
    articles: list[PackArticle]
    collections: list[PackCollection]
    findings: list[PackFinding]
    marks: list[PackMark]


def _contents(
    session: LibrarySession,
    identity: Identity,
    article_ids: list[int],
    collection_ids: list[int],
    findings: list[Finding],
    own_only: bool,
) -> _Contents:
    lib = session.library
    articles: list[PackArticle] = []
    texts: dict[int, str] = {}
    for article_id in article_ids:
        article = lib.articles.get(article_id)
        if article is None:
            continue
        texts[article_id] = article.text
        articles.append(PackArticle(article, tuple(lib.articles.aliases(article_id))))
    pack_findings: list[PackFinding] = []
    for finding in findings:
        if own_only and finding.author_uid != identity.uid:
            continue
        held = lib.findings.signed_payload(finding.id or 0)
        if held is None:
            continue
        payload = json.loads(held[0])
        pack_findings.append(PackFinding(payload, held[1], _place(finding, payload, texts)))
    collections: list[PackCollection] = []
    for collection_id in collection_ids:
        state = lib.collections.signed_state(collection_id)
        if state is not None:
            collections.append(PackCollection(json.loads(state[0]), state[1]))
    marks = [
        PackMark(json.loads(mark.signed), mark.signature)
        for mark in lib.marks.for_articles(texts)
        if mark.signed is not None
        and mark.signature is not None
        and (not own_only or mark.reviewer_uid == identity.uid)
    ]
    wanted = {identity.uid}
    wanted |= {f.payload["author"] for f in pack_findings}
    wanted |= {c.state["creator"] for c in collections}
    wanted |= {m.payload["reviewer"] for m in marks}
    reviewers = [
        PackReviewer(r.uid, r.name, r.initials, r.colour, r.public_key)
        for r in lib.reviewers.list()
        if r.uid in wanted and r.public_key is not None
    ]
    return _Contents(reviewers, articles, collections, pack_findings, marks)


def _place(
    finding: Finding, payload: dict[str, Any], texts: dict[int, str]
) -> tuple[int, int] | None:
    """Where the signed quote sits in this copy of the article, if exactly there."""
    text = texts.get(finding.article_id, "")
    start, end = finding.anchor.start, finding.anchor.end
    if finding.anchored and text[start:end] == payload["quote"]:
        return start, end
    return None


def import_pack(
    session: LibrarySession, path: Path, catch_up: Callable[[], None] | None = None
) -> PackReport:
    """Merge the pack at ``path`` into the library in one transaction; a refused pack is
    reported and changes nothing. The index catches up here, or through ``catch_up`` (the
    window's index process)."""
    try:
        pack = read_pack(path)
        return merge_checked(session, path, pack, catch_up)
    except PackRefused as exc:
        return PackReport(file=str(path), status="refused", message=str(exc))
    except (ValueError, UnicodeError, sqlite3.IntegrityError) as exc:
        # Whatever else a hostile pack trips over is a refusal of that pack, never a stop
        # of the sync or command that met it (the transaction has rolled back).
        log.warning("pack %s refused", path, exc_info=True)
        return PackReport(
            file=str(path),
            status="refused",
            message=f"{path.name} could not be merged ({type(exc).__name__}: {exc})",
        )


def merge_checked(
    session: LibrarySession,
    path: Path,
    pack: Pack,
    catch_up: Callable[[], None] | None = None,
) -> PackReport:
    """Merge a pack already read and checked (after a backup of the library, when the
    newest is older than an hour: a watched club folder merges often)."""
    mine = _acting_identity()
    try:
        backup_if_due(session, timedelta(hours=1), "before-pack-merge")
    except ServiceError as exc:  # no room for a backup is no reason not to merge
        log.warning("no backup before merging %s: %s", path.name, exc)
    try:
        with session.library.transaction():
            if mine is not None:  # known with its own key before any pack can claim it
                reviewer_of(session, mine)
            merged = merge_pack(session, pack, local_keys())
    except PackRefused as exc:
        return PackReport(file=str(path), status="refused", message=str(exc))
    if catch_up is not None:
        catch_up()
    else:
        session.index_after_write()
    return _report(str(path), merged)


def _acting_identity() -> Identity | None:
    try:
        return current_identity()
    except ServiceError:  # no reviewer set on this machine
        return None


def _report(file: str, merged: Merged) -> PackReport:
    changed = (
        merged.articles_new
        + merged.findings_new
        + merged.findings_updated
        + merged.findings_deleted
        + merged.collections_new
        + merged.collections_updated
        + merged.marks_changed
    )
    parts = [
        f"{merged.findings_new} new findings",
        f"{merged.findings_updated} updated",
        f"{merged.findings_deleted} deleted",
        f"{merged.articles_new} new articles",
    ]
    if merged.refused:
        parts.append(f"{len(merged.refused)} refused")
    counts = {f.name: getattr(merged, f.name) for f in fields(Merged)}
    return PackReport(
        **counts,
        file=file,
        status="merged" if changed else "unchanged",
        message=f"from {merged.made_by}: " + ", ".join(parts),
    )
