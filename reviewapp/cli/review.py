"""The club's review from the terminal: reviewed marks, disagreements, agreement, consensus
(``collection blind|reveal`` live with the other collection commands)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from reviewapp.cli.output import CliError, Command, emit, finding_json, finding_lines, parse_fields
from reviewapp.core.categories import in_schema_order
from reviewapp.core.models import Category
from reviewapp.core.text import counted
from reviewapp.services.library import LibrarySession
from reviewapp.services.review import (
    agreement,
    consensus,
    consensus_none,
    group_json,
    groups,
    mark_reviewed,
    review_data,
)


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> dict[str, Command]:
    review = sub.add_parser("review", parents=[common], help="mark articles reviewed (done)")
    actions = review.add_subparsers(dest="action", metavar="ACTION", required=True)
    for verb, text in (("done", "you have finished"), ("undone", "you have not finished")):
        p = actions.add_parser(verb, parents=[common], help=f"mark articles {text}")
        p.add_argument("articles", nargs="+", metavar="ID")
        p.add_argument("--reviewer", default=None, metavar="NAME")

    p = sub.add_parser(
        "disagreements",
        parents=[common],
        help="where reviewers' findings differ or one reviewer has none",
    )
    p.add_argument("--collection", default=None, metavar="NAME")
    p.add_argument("--open", action="store_true", help="only those without a consensus yet")

    p = sub.add_parser(
        "agreement", parents=[common], help="Cohen's and Fleiss' kappa, Krippendorff's alpha"
    )
    p.add_argument("--collection", default=None, metavar="NAME")

    p = sub.add_parser(
        "consensus",
        parents=[common],
        help="settle a disagreement: take a finding (as is or amended), or --none",
    )
    p.add_argument("target", nargs="+", metavar="FINDING_UID | GROUP")
    p.add_argument("--none", action="store_true", help="the club found nothing in these GROUPs")
    p.add_argument("--field", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--clear-field", action="append", default=[], metavar="KEY")
    p.add_argument("--note", default=None, metavar="TEXT")
    p.add_argument("--reviewer", default=None, metavar="NAME", help="who you are")
    return {
        "review done": cmd_review_done,
        "review undone": cmd_review_undone,
        "disagreements": cmd_disagreements,
        "agreement": cmd_agreement,
        "consensus": cmd_consensus,
    }


def _mark(session: LibrarySession, args: argparse.Namespace, done: bool) -> int:
    changed = mark_reviewed(session, args.articles, done, reviewer=args.reviewer)
    word = "reviewed" if done else "not reviewed"
    emit(
        args,
        {"changed": changed, "done": done},
        lambda out: out.write(f"{counted(len(changed), 'article')} marked {word}\n"),
    )
    return 0


def cmd_review_done(session: LibrarySession, args: argparse.Namespace) -> int:
    return _mark(session, args, True)


def cmd_review_undone(session: LibrarySession, args: argparse.Namespace) -> int:
    return _mark(session, args, False)


def cmd_disagreements(session: LibrarySession, args: argparse.Namespace) -> int:
    data = review_data(session, args.collection)
    found = [
        group_json(group, data) for group in groups(data) if not (args.open and group.settled_by)
    ]

    def human(out: TextIO) -> None:
        for group in found:
            state = "settled" if group["settled_by"] else "open"
            out.write(
                f"{group['group']}  {group['category']}  [{state}]  {group['article'][:70]}\n"
                f"    “{group['sentence'][:160]}”\n"
            )
            for finding in group["findings"]:
                ordered = in_schema_order(Category(group["category"]), finding["fields"])
                fields = ", ".join(f"{k}={v}" for k, v in ordered.items())
                out.write(f"    {finding['reviewer']}: {fields} ({finding['uid']})\n")
            if group["missing_reviewers"]:
                out.write(f"    no finding: {', '.join(group['missing_reviewers'])}\n")
            if group["differing_fields"]:
                out.write(f"    differ: {', '.join(group['differing_fields'])}\n")
        out.write(f"{len(found)} disagreements\n")

    emit(args, found, human)
    return 0


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def cmd_agreement(session: LibrarySession, args: argparse.Namespace) -> int:
    result = agreement(session, args.collection)
    data = result.to_json()

    def human(out: TextIO) -> None:
        out.write(
            f"{data['articles']} articles reviewed by two or more of "
            f"{', '.join(data['reviewers']) or 'nobody'}\n"
        )
        for category, figures in data["categories"].items():
            out.write(
                f"{category}: {figures['units']} sentences; Fleiss' κ "
                f"{_figure(figures['fleiss_kappa'])}, Krippendorff's α "
                f"{_figure(figures['krippendorff_alpha'])}\n"
            )
            for pair in figures["pairs"]:
                interval = (
                    f" ({_figure(pair['ci95'][0])} to {_figure(pair['ci95'][1])})"
                    if pair["ci95"]
                    else ""
                )
                out.write(
                    f"    {pair['a']} – {pair['b']}: Cohen's κ {_figure(pair['cohen_kappa'])}"
                    f"{interval}, positive agreement {_figure(pair['positive_agreement'])}\n"
                )
        settled = data["disagreements"]
        out.write(f"disagreements: {settled['settled']} settled, {settled['open']} open\n")

    emit(args, data, human)
    return 0


def cmd_consensus(session: LibrarySession, args: argparse.Namespace) -> int:
    if args.none:
        if args.field or args.clear_field or args.note is not None:
            raise CliError("--none takes group ids only (no --field, --clear-field or --note)")
        made = consensus_none(session, args.target, reviewer=args.reviewer)
    else:
        if len(args.target) != 1:
            raise CliError("consensus takes one FINDING_UID (or --none GROUP...)")
        made = [
            consensus(
                session,
                args.target[0],
                parse_fields(args.field),
                args.clear_field,
                args.note,
                reviewer=args.reviewer,
            )
        ]

    def human(out: TextIO) -> None:
        for finding in made:
            finding_lines(finding, out, heading=f"consensus finding {finding.id} saved")

    emit(args, [finding_json(f) | {"settles": f.settles} for f in made], human)
    return 0
