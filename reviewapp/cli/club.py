"""The journal club from the terminal: who you are, review packs, collections, the club folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reviewapp.cli.output import CliError, Command, emit
from reviewapp.core.text import counted
from reviewapp.services import reading
from reviewapp.services.identity import current_identity
from reviewapp.services.library import LibrarySession
from reviewapp.services.organise import (
    add_to_collection,
    create_collection,
    remove_from_collection,
)
from reviewapp.services.review import set_blind

if TYPE_CHECKING:
    from reviewapp.services.packs import PackReport

# The packs and the club folder (their reader, merge and signatures) load only for the
# commands that use them, as the importers do: every other command starts sooner.


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> dict[str, Command]:
    p = sub.add_parser(
        "whoami", parents=[common], help="your reviewer uid, name, initials and key fingerprint"
    )
    p.add_argument("--reviewer", default=None, metavar="NAME")

    pack = sub.add_parser("pack", parents=[common], help="review packs (.rvpack)")
    packs = pack.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = packs.add_parser("export", parents=[common], help="write a review pack")
    p.add_argument("--out", required=True, metavar="FILE.rvpack")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--collection", default=None, metavar="NAME")
    which.add_argument("--article", action="extend", nargs="+", default=[], metavar="ID")
    p.add_argument("--reviewer", default=None, metavar="NAME")
    p = packs.add_parser("import", parents=[common], help="merge review packs")
    p.add_argument("files", nargs="+", metavar="FILE")

    collection = sub.add_parser("collection", parents=[common], help="collections (questions)")
    actions = collection.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("create", parents=[common], help="a new collection")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--question", default="", metavar="TEXT")
    p.add_argument("--reviewer", default=None, metavar="NAME")
    for verb, text in (("add", "add articles to"), ("remove", "remove articles from")):
        p = actions.add_parser(verb, parents=[common], help=f"{text} a collection")
        p.add_argument("name", metavar="NAME")
        p.add_argument("articles", nargs="+", metavar="ID")
        p.add_argument("--reviewer", default=None, metavar="NAME")
    actions.add_parser("list", parents=[common], help="the collections")
    for verb, text in (
        ("blind", "make a collection blind: each reviewer sees only their own findings"),
        ("reveal", "reveal a blind collection (recorded and signed)"),
    ):
        p = actions.add_parser(verb, parents=[common], help=text)
        p.add_argument("name", metavar="NAME")
        p.add_argument("--reviewer", default=None, metavar="NAME")

    club = sub.add_parser("club", parents=[common], help="the club folder")
    clubs = club.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = clubs.add_parser(
        "sync", parents=[common], help="merge the members' packs in FOLDER and write yours"
    )
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument(
        "--collection",
        action="append",
        default=None,
        metavar="NAME",
        help="share this collection (again for more); without it, the whole library",
    )
    p.add_argument("--reviewer", default=None, metavar="NAME")
    return {
        "whoami": cmd_whoami,
        "pack export": cmd_pack_export,
        "pack import": cmd_pack_import,
        "collection create": cmd_collection_create,
        "collection add": cmd_collection_add,
        "collection remove": cmd_collection_remove,
        "collection list": cmd_collection_list,
        "collection blind": cmd_collection_blind,
        "collection reveal": cmd_collection_reveal,
        "club sync": cmd_club_sync,
    }


def cmd_whoami(_session: LibrarySession | None, args: argparse.Namespace) -> int:
    identity = current_identity(args.reviewer)
    data = identity.to_json()
    emit(
        args,
        data,
        lambda out: out.write(
            f"{identity.name} ({identity.initials})\nuid: {identity.uid}\n"
            f"key fingerprint: {identity.fingerprint}\n"
        ),
    )
    return 0


def cmd_pack_export(session: LibrarySession, args: argparse.Namespace) -> int:
    from reviewapp.services.packs import export_pack

    report = export_pack(
        session, Path(args.out), args.collection, args.article or None, reviewer=args.reviewer
    )
    data = {
        "path": str(report.path),
        "articles": report.articles,
        "findings": report.findings,
        "collections": report.collections,
        "reviewers": report.reviewers,
        "bytes": report.bytes,
        "unsigned_skipped": report.unsigned_skipped,
    }

    def human(out: TextIO) -> None:
        out.write(
            f"wrote {report.path} ({counted(report.articles, 'article')}, "
            f"{counted(report.findings, 'finding')}, "
            f"{counted(report.collections, 'collection')}, {report.bytes / 1024:.0f} KB)\n"
        )
        if report.unsigned_skipped:
            out.write(
                f"{report.unsigned_skipped} findings were left out: made before reviewers had "
                "keys, by someone other than you, they cannot be signed\n"
            )

    emit(args, data, human)
    return 0


def _report_lines(reports: list[PackReport], out: TextIO) -> None:
    for report in reports:
        out.write(f"{report.status:9} {report.file}: {report.message}\n")
        if report.status in ("merged", "unchanged"):
            out.write(
                f"          articles {report.articles_new} new, {report.articles_matched} "
                f"matched; findings {report.findings_new} new, {report.findings_updated} "
                f"updated, {report.findings_unchanged} unchanged, {report.findings_deleted} "
                "deleted\n"
            )
        for refusal in report.refused:
            out.write(f"          refused {refusal.kind} {refusal.uid}: {refusal.reason}\n")


def cmd_pack_import(session: LibrarySession, args: argparse.Namespace) -> int:
    from reviewapp.services.packs import import_pack

    reports = [import_pack(session, Path(name)) for name in args.files]
    emit(args, [r.to_json() for r in reports], lambda out: _report_lines(reports, out))
    refused = [r for r in reports if r.status == "refused"]
    if refused and len(refused) == len(reports):
        raise CliError(
            refused[0].message if len(reports) == 1 else "no pack could be merged"
        ) from None
    return 0


def _collection_id(session: LibrarySession, name: str) -> int:
    wanted = " ".join(name.split()).lower()
    for row in reading.collections(session):
        if row.name.lower() == wanted:
            return row.id
    names = ", ".join(c.name for c in reading.collections(session)) or "none yet"
    raise CliError(f"no collection called {name!r} in this library (collections: {names})")


def _article_ids(session: LibrarySession, refs: list[str]) -> list[int]:
    ids = []
    for ref in refs:
        article_id = reading.resolve_article(session, ref)
        if article_id is None:
            raise CliError(f"no article {ref} in this library")
        ids.append(article_id)
    return ids


def cmd_collection_create(session: LibrarySession, args: argparse.Namespace) -> int:
    row = create_collection(session, args.name, args.question, reviewer=args.reviewer)
    data = {"id": row.id, "uid": row.uid, "name": row.name, "question": row.question}
    emit(args, data, lambda out: out.write(f"collection “{row.name}” created\n"))
    return 0


def _change_members(session: LibrarySession, args: argparse.Namespace, add: bool) -> int:
    collection_id = _collection_id(session, args.name)
    ids = _article_ids(session, args.articles)
    change = add_to_collection if add else remove_from_collection
    changed = change(session, collection_id, ids, reviewer=args.reviewer)
    verb = "added to" if add else "removed from"
    emit(
        args,
        {"collection": args.name, "changed": changed},
        lambda out: out.write(f"{len(changed)} articles {verb} “{args.name}”\n"),
    )
    return 0


def cmd_collection_add(session: LibrarySession, args: argparse.Namespace) -> int:
    return _change_members(session, args, add=True)


def cmd_collection_remove(session: LibrarySession, args: argparse.Namespace) -> int:
    return _change_members(session, args, add=False)


def cmd_collection_list(session: LibrarySession, args: argparse.Namespace) -> int:
    rows = reading.collections(session)
    data = [
        {
            "id": c.id,
            "uid": c.uid,
            "name": c.name,
            "question": c.question,
            "articles": c.article_count,
            "moderator": c.creator_uid,
            "blind": c.blind,
            "revealed_by": c.revealed_by,
            "revealed_at": c.revealed_at,
        }
        for c in rows
    ]

    def human(out: TextIO) -> None:
        for c in rows:
            question = f" — {c.question}" if c.question else ""
            out.write(f"{c.name} ({c.article_count} articles){question}\n")
        out.write(f"{len(rows)} collections\n")

    emit(args, data, human)
    return 0


def _blind(session: LibrarySession, args: argparse.Namespace, blind: bool) -> int:
    row = set_blind(session, args.name, blind, reviewer=args.reviewer)
    state = "blind: each reviewer sees only their own findings" if blind else "revealed"
    emit(
        args,
        {
            "name": row.name,
            "blind": row.blind,
            "revealed_by": row.revealed_by,
            "revealed_at": row.revealed_at,
        },
        lambda out: out.write(f"“{row.name}” is {state}\n"),
    )
    return 0


def cmd_collection_blind(session: LibrarySession, args: argparse.Namespace) -> int:
    return _blind(session, args, True)


def cmd_collection_reveal(session: LibrarySession, args: argparse.Namespace) -> int:
    return _blind(session, args, False)


def cmd_club_sync(session: LibrarySession, args: argparse.Namespace) -> int:
    from reviewapp.services.club import club_sync

    result = club_sync(session, Path(args.folder), args.collection, reviewer=args.reviewer)

    def human(out: TextIO) -> None:
        _report_lines(result.files, out)
        state = "written" if result.written else "unchanged"
        out.write(f"your pack {result.own_file.name}: {state}\n")

    emit(args, result.to_json(), human)
    return 0
