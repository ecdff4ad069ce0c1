"""The library's terminal commands: import, list, show, search, brief, export, reindex,
optimize, check."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from reviewapp.cli.output import (
    CliError,
    Command,
    emit,
    finding_json,
    finding_lines,
    plain,
    stderr_progress,
    write_json,
)
from reviewapp.core.text import counted
from reviewapp.services import backups, reading
from reviewapp.services.backups import Backup
from reviewapp.services.library import LibrarySession, ServiceError, check_library


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> dict[str, Command]:
    p = sub.add_parser("import", parents=[common], help="import files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--report",
        metavar="FILE",
        default=None,
        help="also write what happened to every record of every file, as JSON",
    )

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
        choices=["all", "accepted", "consensus"],
        default="all",
        help="which findings: all, accepted only, or the club's consensus only",
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
        "optimize",
        parents=[common],
        help="merge the search index's segments into one (after large imports: searches "
        "get faster)",
    )
    p = sub.add_parser("backup", parents=[common], help="a consistent copy of the library now")
    p.add_argument("--out", default=None, metavar="FILE", help="write it here (else kept beside)")
    sub.add_parser("backups", parents=[common], help="the library's kept backups, newest first")
    p = sub.add_parser(
        "restore", parents=[common], help="put a backup in place of the library (checked first)"
    )
    p.add_argument("file", metavar="FILE")
    sub.add_parser(
        "check", parents=[common], help="check that the search index agrees with the library"
    )
    return {
        "import": cmd_import,
        "list": cmd_list,
        "show": cmd_show,
        "search": cmd_search,
        "brief": cmd_brief,
        "export": cmd_export,
        "reindex": cmd_reindex,
        "optimize": cmd_optimize,
        "check": cmd_check,
        "backup": cmd_backup,
        "backups": cmd_backups,
        "restore": cmd_restore,
    }


def cmd_import(session: LibrarySession, args: argparse.Namespace) -> int:
    # The importers (lxml, pypdf, …), the PDF brief (reportlab) and the exporters load only
    # for the commands that use them: every other command starts a quarter second sooner.
    from reviewapp.services.importing import (
        FileStatus,
        ImportTimes,
        import_paths,
        write_import_report,
    )

    report_path = Path(args.report) if args.report else None
    if report_path is not None and not report_path.parent.is_dir():
        raise CliError(f"cannot write the report: the folder {report_path.parent} does not exist")
    times = ImportTimes()
    reports = import_paths(session, [Path(p) for p in args.paths], times=times)
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
        out.write(
            f"searchable after {times.total:.1f} s: storing {times.storing:.1f} s, indexing "
            f"{times.indexing:.1f} s, waiting for files to be read {times.reading:.1f} s\n"
        )

    emit(args, [r.to_json() for r in reports], human)
    _suggest_optimize(session, args)
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

    emit(args, rows, human)
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
            finding_lines(finding, out)

    emit(args, data, human)
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
        # A query server: ready what a first query needs before the first one comes.
        session.warm_search()
        for line in sys.stdin:
            query = line.strip()
            try:
                answer: Any = _search_json(session, query, args.limit) if query else []
            except ServiceError as exc:
                answer = {"error": str(exc)}
            write_json(answer)
            sys.stdout.flush()
        return 0
    if not args.query or not args.query.strip():
        raise CliError("search needs a QUERY (or --stdin)")
    results = _search_json(session, args.query, args.limit)

    def human(out: TextIO) -> None:
        for r in results:
            out.write(f"{r['article_id']:>5}  {r['score']:7.2f}  {r['title']}\n")
            out.write(f"       {plain(r['snippet'])}\n")
        out.write(f"{len(results)} results\n")

    emit(args, results, human)
    return 0


def cmd_brief(session: LibrarySession, args: argparse.Namespace) -> int:
    from reviewapp.services.briefs import build_brief

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
    emit(
        args,
        data,
        lambda out: out.write(
            f"wrote {report.path} ({report.pages} pages, {report.articles} articles, "
            f"{report.findings} findings)\n"
        ),
    )
    return 0


def cmd_export(session: LibrarySession, args: argparse.Namespace) -> int:
    from reviewapp.services.exports import export

    report = export(session, args.format, Path(args.out), args.article, args.collection)
    data = {
        "path": str(report.path),
        "format": report.format,
        "articles": report.articles,
        "rows": report.rows,
    }
    emit(
        args,
        data,
        lambda out: out.write(
            f"wrote {report.path} ({report.format}, {report.articles} articles, {report.rows} "
            f"{'findings' if report.format in ('csv', 'md') else 'references'})\n"
        ),
    )
    return 0


def cmd_reindex(session: LibrarySession, args: argparse.Namespace) -> int:
    count = session.rebuild_index(stderr_progress("indexing"))
    emit(args, {"indexed": count}, lambda out: out.write(f"indexed {count} articles\n"))
    return 0


# An index in more segments than this after an import is worth an `optimize` (a window
# merges its own down to four when the library is quiet; the terminal leaves them).
_SEGMENTS_WORTH_MERGING = 8


def _suggest_optimize(session: LibrarySession, args: argparse.Namespace) -> None:
    if getattr(args, "json", False) or session.read_only:
        return
    with contextlib.suppress(Exception):  # a tip, never a failure of the import
        segments = len(session.index.segment_sizes())
        if segments > _SEGMENTS_WORTH_MERGING:
            sys.stderr.write(
                f"tip: 'reviewapp optimize' merges the search index's {segments} segments "
                "into one (searches get faster; the window does it by itself when idle)\n"
            )


def cmd_optimize(session: LibrarySession, args: argparse.Namespace) -> int:
    start = time.perf_counter()
    sizes = session.index.segment_sizes()
    if len(sizes) > 1 and sys.stderr.isatty():  # as progress is shown
        sys.stderr.write(
            f"merging the search index's {len(sizes)} segments "
            f"({counted(sum(sizes), 'document')}); Ctrl+C stops it, changing nothing\n"
        )
    try:
        merge = session.merge_index(whole=True)
    except KeyboardInterrupt:
        sys.stderr.write(
            "reviewapp: interrupted; the search index is whole (a merge cut short is dropped)\n"
        )
        return 130
    seconds = time.perf_counter() - start
    emit(
        args,
        {**merge.to_json(), "seconds": round(seconds, 1)},
        lambda out: out.write(
            f"search index: {counted(merge.before, 'segment')} before, {merge.after} after "
            f"({seconds:.1f} s)\n"
        ),
    )
    return 0


def _backup_line(backup: Backup) -> str:
    return (
        f"{backup.time or '(no note)':25}  {backup.reason or '':17}  schema {backup.schema}  "
        f"{counted(backup.articles, 'article')}, {counted(backup.findings, 'finding')}  "
        f"{backup.path}\n"
    )


def cmd_backup(session: LibrarySession, args: argparse.Namespace) -> int:
    made = backups.make_backup(session, "manual", Path(args.out) if args.out else None)
    emit(args, made.to_json(), lambda out: out.write("backed up: " + _backup_line(made)))
    return 0


def cmd_backups(session: LibrarySession, args: argparse.Namespace) -> int:
    kept = backups.list_backups(session.path)

    def human(out: TextIO) -> None:
        for backup in kept:
            out.write(_backup_line(backup))
        out.write(f"{counted(len(kept), 'backup')}\n")

    emit(args, [b.to_json() for b in kept], human)
    return 0


def cmd_restore(session: LibrarySession, args: argparse.Namespace) -> int:
    done = backups.restore(session, Path(args.file))

    def human(out: TextIO) -> None:
        out.write("restored: " + _backup_line(done.restored))
        out.write("the library as it was is kept: " + _backup_line(done.kept))

    emit(args, {"restored": done.restored.to_json(), "kept": done.kept.to_json()}, human)
    return 0


def cmd_check(session: LibrarySession, args: argparse.Namespace) -> int:
    report = check_library(session)
    data = asdict(report)
    prefix = "ok: " if report.ok else "problem: "
    emit(args, data, lambda out: out.write(prefix + report.message + "\n"))
    if not report.ok:
        sys.stderr.write(f"reviewapp: {report.message}; run 'reviewapp reindex' to rebuild it\n")
    return 0 if report.ok else 1
