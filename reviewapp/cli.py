"""The headless interface: ``reviewapp COMMAND …``; with no command, the window opens.

Every command prints human-readable text, or JSON with ``--json``. Errors exit non-zero
with one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn, TextIO

from reviewapp import __version__
from reviewapp.core.models import Finding, Status
from reviewapp.services import process, reading
from reviewapp.services.briefs import build_brief
from reviewapp.services.exports import export
from reviewapp.services.findings import (
    FindingRejected,
    create_finding,
    delete_finding,
    list_findings,
    update_finding,
)
from reviewapp.services.importing import FileStatus, import_paths, write_import_report
from reviewapp.services.library import LibrarySession, ServiceError, check_library
from reviewapp.services.paths import default_library_path

log = logging.getLogger("reviewapp")


class CliError(Exception):
    """A usage or input problem, reported as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"reviewapp: {message} (see reviewapp --help)\n")


def _common(json_flag: bool = True) -> _Parser:
    """Options accepted both before and after the command name."""
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--library",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="library file (default: REVIEWAPP_LIBRARY or the data folder)",
    )
    if json_flag:
        parent.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
        )
    return parent


def _add_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--report",
        metavar="FILE",
        default=None,
        help="also write what happened to every record of every file, as JSON",
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(
        prog="reviewapp",
        parents=[common],
        description="Offline evidence review for oncology. Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"reviewapp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    _add_import(sub.add_parser("import", parents=[common], help="import files or folders"))

    p = sub.add_parser("list", parents=[common], help="list the articles")
    p.add_argument("--limit", type=int, default=None)

    p = sub.add_parser("show", parents=[common], help="one article with its text and findings")
    p.add_argument("article", metavar="ID")

    p = sub.add_parser("search", parents=[common], help="ranked full-text search")
    p.add_argument("query", nargs="?", default=None, metavar="QUERY")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument(
        "--stdin", action="store_true", help="read one query a line, answer each with one JSON line"
    )

    p = sub.add_parser("tag", parents=[common], help="tag a finding on an article")
    p.add_argument("article", metavar="ID")
    p.add_argument(
        "--category", required=True, metavar="C", help="efficacy, toxicity, mechanism or reference"
    )
    p.add_argument("--quote", required=True, metavar="TEXT", help="the exact source sentence")
    p.add_argument("--field", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--reviewer", default=None, metavar="NAME")
    p.add_argument("--status", choices=[s.value for s in Status], default=Status.DRAFT.value)

    p = sub.add_parser("edit", parents=[common], help="edit a finding's fields, note or status")
    p.add_argument("finding", metavar="FINDING_ID")
    p.add_argument(
        "--field",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="replaces all fields when given",
    )
    p.add_argument("--note", default=None, metavar="TEXT")
    p.add_argument("--status", choices=[s.value for s in Status], default=None)

    p = sub.add_parser("untag", parents=[common], help="delete a finding (kept as a tombstone)")
    p.add_argument("finding", metavar="FINDING_ID")

    p = sub.add_parser("findings", parents=[common], help="list findings")
    p.add_argument("article", nargs="?", default=None, metavar="ID")
    p.add_argument("--category", default=None, metavar="C")

    p = sub.add_parser("brief", parents=[common], help="write an evidence brief (PDF)")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--article", action="append", default=[], metavar="ID")
    p.add_argument("--title", default="Evidence brief")
    p.add_argument("--question", default="", help="default: the collection's question")
    p.add_argument("--audience", choices=["tumor-board", "journal-club"], default="tumor-board")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")
    p.add_argument("--bottom-line", default="", metavar="TEXT")
    p.add_argument("--collection", default=None, metavar="NAME")
    p.add_argument(
        "--findings",
        choices=["all", "accepted"],
        default="all",
        help="whose findings: all, or accepted only",
    )

    p = sub.add_parser(
        "export", parents=[common], help="evidence table (csv, md) or references (ris, bibtex)"
    )
    p.add_argument("--format", required=True, choices=["csv", "md", "ris", "bibtex"])
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--article", action="append", default=[], metavar="ID")
    p.add_argument("--collection", default=None, metavar="NAME")

    sub.add_parser("reindex", parents=[common], help="rebuild the search index from the library")
    sub.add_parser(
        "check", parents=[common], help="check that the search index agrees with the library"
    )
    return parser


# -- output helpers ------------------------------------------------------------------------------


def _emit(args: argparse.Namespace, data: Any, human: Callable[[TextIO], object]) -> None:
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        human(sys.stdout)


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "uid": finding.uid,
        "article_id": finding.article_id,
        "category": finding.category.value,
        "quote": finding.quote,
        "anchor": asdict(finding.anchor),
        "fields": finding.fields,
        "note": finding.note,
        "reviewer": finding.reviewer,
        "status": finding.status.value,
        "created_at": finding.created_at,
        "updated_at": finding.updated_at,
    }


def _finding_lines(finding: Finding, out: TextIO, heading: str | None = None) -> None:
    if heading:
        out.write(heading + "\n")
    fields = ", ".join(f"{k}={v}" for k, v in finding.fields.items())
    out.write(
        f"  [{finding.id}] {finding.category.value} ({finding.status.value}, "
        f"{finding.reviewer}) “{finding.quote}”\n"
    )
    if fields:
        out.write(f"      {fields}\n")
    if finding.note:
        out.write(f"      note: {finding.note}\n")


def _parse_fields(pairs: Sequence[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--field takes KEY=VALUE, not {pair!r}")
        fields[key.strip()] = value.strip()
    return fields


def _plain(snippet: str) -> str:
    """A snippet for the terminal: <b>match</b> becomes *match*."""
    return html.unescape(re.sub(r"</?b>", "*", snippet))


# -- commands ------------------------------------------------------------------------------


def cmd_import(session: LibrarySession, args: argparse.Namespace) -> int:
    report_path = Path(args.report) if args.report else None
    if report_path is not None and not report_path.parent.is_dir():
        raise CliError(f"cannot write the report: the folder {report_path.parent} does not exist")
    reports = import_paths(session, [Path(p) for p in args.paths])
    if not reports:
        raise CliError("no files found in " + ", ".join(args.paths))
    if report_path is not None:
        try:
            write_import_report(reports, report_path)
        except OSError as exc:
            raise CliError(
                f"the import is done, but the report could not be written: {exc}"
            ) from None

    def human(out: TextIO) -> None:
        for r in reports:
            out.write(f"{r.status.value:9} {r.file}: {r.message}\n")
        total = sum(r.imported for r in reports)
        dup = sum(r.duplicates for r in reports)
        failed = sum(r.failed for r in reports)
        out.write(f"{total} imported, {dup} duplicates, {failed} failed\n")

    _emit(args, [r.to_json() for r in reports], human)
    if all(r.status is FileStatus.FAILED for r in reports):
        sys.stderr.write(
            f"reviewapp: no file could be imported ({reports[0].message})\n"
            if len(reports) == 1
            else "reviewapp: no file could be imported\n"
        )
        return 1
    return 0


def cmd_list(session: LibrarySession, args: argparse.Namespace) -> int:
    rows = reading.summaries(session, limit=args.limit)

    def human(out: TextIO) -> None:
        for row in rows:
            first = row["authors"][0] if row["authors"] else ""
            out.write(
                f"{row['id']:>5}  {row['year'] or '':4}  {first[:18]:18}  "
                f"{row['title'][:80]}  [{row['finding_count']} findings]\n"
            )
        out.write(f"{len(rows)} articles\n")

    _emit(args, rows, human)
    return 0


def cmd_show(session: LibrarySession, args: argparse.Namespace) -> int:
    article_id = reading.resolve_article(session, args.article)
    article, findings = reading.article_with_findings(session, article_id)
    if article is None:
        raise CliError(f"no article {args.article} in this library")
    data = {
        "id": article.id,
        "uid": article.uid,
        "title": article.title,
        "authors": article.authors,
        "journal": article.journal,
        "year": article.year,
        "doi": article.doi,
        "dois": [{"doi": d.doi, "relation": d.relation.value} for d in article.dois],
        "pmid": article.pmid,
        "pmcid": article.pmcid,
        "nct_ids": article.nct_ids,
        "abstract": article.abstract,
        "keywords": article.keywords,
        "tags": article.tags,
        "source_file": article.source_file,
        "source_format": article.source_format,
        "content_hash": article.content_hash,
        "imported_at": article.imported_at,
        "text": article.text,
        "findings": [finding_json(f) for f in findings],
    }

    def human(out: TextIO) -> None:
        out.write(f"{article.title}\n")
        for label, value in (
            ("Authors", ", ".join(article.authors)),
            ("Journal", article.journal),
            ("Year", article.year),
            ("DOI", article.doi),
            (
                "Other DOIs",
                ", ".join(
                    f"{d.doi} ({d.relation.value})" for d in article.dois if d.doi != article.doi
                ),
            ),
            ("PMID", article.pmid),
            ("NCT", ", ".join(article.nct_ids)),
        ):
            if value:
                out.write(f"{label}: {value}\n")
        out.write("\n" + article.text.rstrip() + "\n\n")
        out.write(f"Findings ({len(findings)}):\n")
        for finding in findings:
            _finding_lines(finding, out)

    _emit(args, data, human)
    return 0


def _search_json(session: LibrarySession, query: str, limit: int) -> list[dict[str, Any]]:
    return [
        {
            "article_id": r.article_id,
            "title": r.title,
            "score": round(r.score, 4),
            "snippet": r.snippet,
        }
        for r in session.search(query, limit)
    ]


def cmd_search(session: LibrarySession, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    if args.stdin:
        for line in sys.stdin:
            query = line.strip()
            try:
                answer: Any = _search_json(session, query, args.limit) if query else []
            except ServiceError as exc:
                answer = {"error": str(exc)}
            sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return 0
    if not args.query or not args.query.strip():
        raise CliError("search needs a QUERY (or --stdin)")
    results = _search_json(session, args.query, args.limit)

    def human(out: TextIO) -> None:
        for r in results:
            out.write(f"{r['article_id']:>5}  {r['score']:7.2f}  {r['title']}\n")
            out.write(f"       {_plain(r['snippet'])}\n")
        out.write(f"{len(results)} results\n")

    _emit(args, results, human)
    return 0


def cmd_tag(session: LibrarySession, args: argparse.Namespace) -> int:
    finding = create_finding(
        session,
        args.article,
        args.category,
        quote=args.quote,
        fields=_parse_fields(args.field),
        note=args.note,
        reviewer=args.reviewer,
        status=Status(args.status),
    )
    _emit(
        args,
        finding_json(finding),
        lambda out: _finding_lines(finding, out, heading=f"finding {finding.id} saved"),
    )
    return 0


def cmd_edit(session: LibrarySession, args: argparse.Namespace) -> int:
    fields = _parse_fields(args.field) if args.field is not None else None
    finding = update_finding(
        session,
        args.finding,
        fields=fields,
        note=args.note,
        status=Status(args.status) if args.status else None,
    )
    _emit(
        args,
        finding_json(finding),
        lambda out: _finding_lines(finding, out, heading=f"finding {finding.id} updated"),
    )
    return 0


def cmd_untag(session: LibrarySession, args: argparse.Namespace) -> int:
    finding = delete_finding(session, args.finding)
    _emit(
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
            _finding_lines(finding, out)
        out.write(f"{len(findings)} findings\n")

    _emit(args, [finding_json(f) for f in findings], human)
    return 0


def cmd_brief(session: LibrarySession, args: argparse.Namespace) -> int:
    report = build_brief(
        session,
        Path(args.out),
        args.article,
        args.title,
        args.question,
        audience=args.audience,
        paper=args.paper,
        bottom_line=args.bottom_line,
        collection=args.collection,
        scope=args.findings,
    )
    data = {
        "path": str(report.path),
        "pages": report.pages,
        "articles": report.articles,
        "findings": report.findings,
    }
    _emit(
        args,
        data,
        lambda out: out.write(
            f"wrote {report.path} ({report.pages} pages, {report.articles} articles, "
            f"{report.findings} findings)\n"
        ),
    )
    return 0


def cmd_export(session: LibrarySession, args: argparse.Namespace) -> int:
    report = export(session, args.format, Path(args.out), args.article, args.collection)
    data = {
        "path": str(report.path),
        "format": report.format,
        "articles": report.articles,
        "rows": report.rows,
    }
    _emit(
        args,
        data,
        lambda out: out.write(
            f"wrote {report.path} ({report.format}, {report.articles} articles, {report.rows} "
            f"{'findings' if report.format in ('csv', 'md') else 'references'})\n"
        ),
    )
    return 0


def cmd_reindex(session: LibrarySession, args: argparse.Namespace) -> int:
    count = session.rebuild_index(_stderr_progress("indexing"))
    _emit(args, {"indexed": count}, lambda out: out.write(f"indexed {count} articles\n"))
    return 0


def cmd_check(session: LibrarySession, args: argparse.Namespace) -> int:
    report = check_library(session)
    data = asdict(report)
    prefix = "ok: " if report.ok else "problem: "
    _emit(args, data, lambda out: out.write(prefix + report.message + "\n"))
    if not report.ok:
        sys.stderr.write(f"reviewapp: {report.message}; run 'reviewapp reindex' to rebuild it\n")
    return 0 if report.ok else 1


def _stderr_progress(label: str) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\r{label} {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


COMMANDS: dict[str, Callable[[LibrarySession, argparse.Namespace], int]] = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "tag": cmd_tag,
    "edit": cmd_edit,
    "untag": cmd_untag,
    "findings": cmd_findings,
    "brief": cmd_brief,
    "export": cmd_export,
    "reindex": cmd_reindex,
    "check": cmd_check,
}


OpenWindow = Callable[[Path, bool], int]


def main(argv: Sequence[str] | None = None, open_window: OpenWindow | None = None) -> int:
    """Run one command; with none, ``open_window(library, demo_on_first_run)``."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="reviewapp: %(message)s"
    )
    explicit = getattr(args, "library", None)
    library = Path(explicit).expanduser() if explicit else default_library_path()
    if args.command is None:
        if open_window is None:
            sys.stderr.write("reviewapp: no command given (see reviewapp --help)\n")
            return 2
        return open_window(library, explicit is None)
    if args.command == "search":
        # This process ranks searches (`search --stdin` answers one after another): freed
        # arrays stay in the heap for the next query, not handed back (see the function).
        process.keep_freed_memory()
    try:
        sync = args.command not in ("check", "reindex")
        # A mistyped --library must not quietly start an empty library: only importing (or
        # the default library) creates one.
        create = args.command == "import" or explicit is None
        with LibrarySession.open(
            library, sync_index=sync, progress=_stderr_progress("indexing"), create=create
        ) as session:
            return COMMANDS[args.command](session, args)
    except FindingRejected as exc:
        sys.stderr.write(f"reviewapp: finding refused: {exc}\n")
    except (ServiceError, CliError) as exc:
        sys.stderr.write(f"reviewapp: {exc}\n")
    except KeyboardInterrupt:
        sys.stderr.write("reviewapp: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        sys.stderr.write(
            f"reviewapp: {exc.strerror or exc}"
            f"{' (' + str(exc.filename) + ')' if exc.filename else ''}\n"
        )
    except Exception as exc:  # the one-line contract holds even for bugs
        log.debug("unexpected error", exc_info=True)
        sys.stderr.write(f"reviewapp: unexpected error: {type(exc).__name__}: {exc}\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
