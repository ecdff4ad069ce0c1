"""The headless interface: ``reviewapp COMMAND`` does the work of the window in a terminal.

Every command opens the library (bringing its index up to date), calls the services, and
prints a human summary or, with ``--json``, machine-readable output; errors exit non-zero
with one line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reviewapp import __version__
from reviewapp.cli import club, findings, library, review
from reviewapp.cli.output import CliError, Command, Parser, common, stderr_progress
from reviewapp.services import process
from reviewapp.services.findings import FindingRejected
from reviewapp.services.identity import view_as
from reviewapp.services.library import LibraryProblem, LibrarySession, ServiceError
from reviewapp.services.paths import default_library_path
from reviewapp.services.placement import sync_warning

log = logging.getLogger("reviewapp")
# Commands that may start a new library at a --library path that has none yet (joining a
# club starts with an empty library); any other command there is a mistyped path.
CREATING = ("import", "pack import", "club sync")
# Commands that read 100,000s of findings into plain objects at once.
BUILDS_MANY_OBJECTS = ("agreement", "disagreements")
# Commands that need no library at all.
LIBRARY_FREE = ("whoami",)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    """The parser, and each command's function by its name ("pack export", "list", …)."""
    shared = common()
    parser = Parser(
        prog="reviewapp",
        parents=[shared],
        description="Offline evidence review for oncology. Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"reviewapp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands: dict[str, Command] = {}
    for module in (library, findings, club, review):
        commands.update(module.add_parsers(sub, shared))
    return parser, commands


def command_name(args: argparse.Namespace) -> str | None:
    """ "pack export" for a command with a sub-command, "list" for one without."""
    if args.command is None:
        return None
    action = getattr(args, "action", None)
    return f"{args.command} {action}" if action else str(args.command)


# open_window(library, demo_on_first_run, files to import once the window is shown)
OpenWindow = Callable[[Path, bool, list[Path]], int]
# Options before a command that take a value (the rest are flags).
_VALUED_OPTIONS = ("--library",)


def files_to_open(argv: Sequence[str], command_names: set[str]) -> tuple[list[str], list[Path]]:
    """``reviewapp [options] FILE...`` (a desktop's "open with", a double-clicked pack): the
    arguments without the files, and the files, when no command is named and every other
    word is an existing file (not a folder: a mistyped command could be one); else
    ``argv`` as it was and no files (the parser then says what is wrong)."""
    rest: list[str] = []
    files: list[Path] = []
    words = iter(argv)
    for word in words:
        if word in _VALUED_OPTIONS:
            value = next(words, None)
            if value is None:
                return list(argv), []  # an option without its value: the usual error
            rest += [word, value]
        elif word.startswith("-"):
            rest.append(word)
        elif word in command_names or not Path(word).is_file():
            return list(argv), []
        else:
            files.append(Path(word))
    return rest, files


def main(argv: Sequence[str] | None = None, open_window: OpenWindow | None = None) -> int:
    """Run one command; with none, ``open_window(library, demo_on_first_run, files)``:
    ``reviewapp FILE...`` opens the window and imports the files as if dropped on it."""
    parser, commands = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    argv, files = files_to_open(argv, {name.split()[0] for name in commands})
    args = parser.parse_args(argv)
    name = command_name(args)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="reviewapp: %(message)s"
    )
    explicit = getattr(args, "library", None)
    library = Path(explicit).expanduser() if explicit else default_library_path()
    if name is None:
        if open_window is None:
            sys.stderr.write("reviewapp: no command given (see reviewapp --help)\n")
            return 2
        return open_window(library, explicit is None, files)
    if args.command == "search":
        # This process ranks searches (`search --stdin` answers one after another): freed
        # arrays stay in the heap for the next query, not handed back (see the function).
        process.keep_freed_memory()
    try:
        if name in LIBRARY_FREE:
            return commands[name](None, args)
        sync = name not in ("check", "reindex")
        # A mistyped --library must not quietly start an empty library: only importing (or
        # the default library) creates one.
        create = name in CREATING or explicit is None
        with LibrarySession.open(
            library, sync_index=False, progress=stderr_progress("indexing"), create=create
        ) as session:
            warning = sync_warning(session.path)
            if warning:
                sys.stderr.write(f"reviewapp: warning: {warning}\n")
            if session.read_only:
                sys.stderr.write(
                    f"reviewapp: note: {session.path} is read-only (a read-only medium or "
                    "folder): it can be read, searched and exported, not changed\n"
                )
            # Blind collections show each reviewer their own findings: the library is read
            # as the reviewer at work sees it, and the index follows a change of reader.
            view_as(session, getattr(args, "reviewer", None))
            if sync:
                session.ensure_index_quietly(stderr_progress("indexing"))
            if name in BUILDS_MANY_OBJECTS:
                with process.collector_paused():  # see the function
                    return commands[name](session, args)
            return commands[name](session, args)
    except FindingRejected as exc:
        sys.stderr.write(f"reviewapp: finding refused: {exc}\n")
    except (ServiceError, CliError, LibraryProblem) as exc:
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
