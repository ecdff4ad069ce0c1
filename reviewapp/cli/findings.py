"""Findings from the terminal: tag, edit, untag, list."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from reviewapp.cli.output import Command, emit, finding_json, finding_lines, parse_fields
from reviewapp.core.models import REVIEW_STATUSES, Status
from reviewapp.services.findings import (
    create_finding,
    delete_finding,
    edited_fields,
    find_finding,
    list_findings,
    update_finding,
)
from reviewapp.services.library import LibrarySession


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> dict[str, Command]:
    p = sub.add_parser("tag", parents=[common], help="tag a finding on an article")
    p.add_argument("article", metavar="ID")
    p.add_argument(
        "--category", required=True, metavar="C", help="efficacy, toxicity, mechanism or reference"
    )
    p.add_argument("--quote", required=True, metavar="TEXT", help="the exact source sentence")
    p.add_argument("--field", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--reviewer", default=None, metavar="NAME")
    p.add_argument(
        "--status", choices=[s.value for s in REVIEW_STATUSES], default=Status.DRAFT.value
    )

    p = sub.add_parser(
        "edit", parents=[common], help="change a finding's fields, note or status (yours only)"
    )
    p.add_argument("finding", metavar="FINDING_ID")
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set one field (the others are kept)",
    )
    p.add_argument(
        "--clear-field", action="append", default=[], metavar="KEY", help="remove one field"
    )
    p.add_argument("--note", default=None, metavar="TEXT")
    p.add_argument("--status", choices=[s.value for s in REVIEW_STATUSES], default=None)
    p.add_argument("--reviewer", default=None, metavar="NAME", help="who you are")

    p = sub.add_parser(
        "untag", parents=[common], help="delete a finding (yours; kept as a tombstone)"
    )
    p.add_argument("finding", metavar="FINDING_ID")
    p.add_argument("--reviewer", default=None, metavar="NAME", help="who you are")

    p = sub.add_parser("findings", parents=[common], help="list findings")
    p.add_argument("article", nargs="?", default=None, metavar="ID")
    p.add_argument("--category", default=None, metavar="C")
    return {"tag": cmd_tag, "edit": cmd_edit, "untag": cmd_untag, "findings": cmd_findings}


def cmd_tag(session: LibrarySession, args: argparse.Namespace) -> int:
    finding = create_finding(
        session,
        args.article,
        args.category,
        quote=args.quote,
        fields=parse_fields(args.field),
        note=args.note,
        reviewer=args.reviewer,
        status=Status(args.status),
    )
    emit(
        args,
        finding_json(finding),
        lambda out: finding_lines(finding, out, heading=f"finding {finding.id} saved"),
    )
    return 0


def cmd_edit(session: LibrarySession, args: argparse.Namespace) -> int:
    fields = None
    if args.field or args.clear_field:
        held = find_finding(session, args.finding)
        fields = edited_fields(held, parse_fields(args.field), args.clear_field)
    finding = update_finding(
        session,
        args.finding,
        fields=fields,
        note=args.note,
        status=Status(args.status) if args.status else None,
        reviewer=args.reviewer,
    )
    emit(
        args,
        finding_json(finding),
        lambda out: finding_lines(finding, out, heading=f"finding {finding.id} updated"),
    )
    return 0


def cmd_untag(session: LibrarySession, args: argparse.Namespace) -> int:
    finding = delete_finding(session, args.finding, reviewer=args.reviewer)
    emit(
        args,
        finding_json(finding) | {"deleted_at": finding.deleted_at},
        lambda out: out.write(f"finding {finding.id} deleted\n"),
    )
    return 0


def cmd_findings(session: LibrarySession, args: argparse.Namespace) -> int:
    findings = list_findings(session, args.article, args.category)

    def human(out: TextIO) -> None:
        for finding in findings:
            out.write(f"article {finding.article_id}:\n")
            finding_lines(finding, out)
        out.write(f"{len(findings)} findings\n")

    emit(args, [finding_json(f) for f in findings], human)
    return 0
