"""Importers: one module per format, each turning a file into core Articles.

``parse_file`` picks the importer by content (and only then by extension) and turns every
failure into an ImportFailure with a reason a clinician understands.
"""

from __future__ import annotations

from pathlib import Path

from reviewapp.importers.base import (
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    ImportFailure,
    ParsedFile,
)
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.plaintext import parse_plain_text

__all__ = ["ImportFailure", "ParsedFile", "discover_files", "parse_file"]

# Recognised by their first bytes: formats this version cannot read yet, named so the
# message says what the file is rather than "binary data".
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def discover_files(paths: list[Path]) -> list[Path]:
    """The files named, and those inside named folders (recursively, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if (
                    child.is_file()
                    and not any(p.startswith(".") for p in relative)
                    and (child.name not in _IGNORED_NAMES)
                ):
                    files.append(child)
        else:
            files.append(path)
    return files


def parse_file(path: Path) -> ParsedFile:
    """Read and parse one file. Raises ImportFailure for anything that cannot come in."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFailure("the file does not exist") from None
    except OSError as exc:
        raise ImportFailure(f"the file cannot be read ({exc.strerror or exc})") from None
    if not path.is_file():
        raise ImportFailure("not a regular file")
    if size > MAX_FILE_BYTES:
        raise ImportFailure(
            f"the file is too large ({size // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)"
        )
    if size == 0:
        raise ImportFailure("the file is empty")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
            for signature, kind in _SIGNATURES:
                if head.startswith(signature):
                    raise ImportFailure(
                        f"the file is {kind}; this version imports plain text and Markdown"
                    )
            if size > MAX_TEXT_BYTES:
                raise ImportFailure(
                    f"the file is too large for a text article ({size // 2**20} MB; the limit "
                    f"is {MAX_TEXT_BYTES // 2**20} MB)"
                )
            data = head + handle.read()
    except OSError as exc:
        raise ImportFailure(f"the file cannot be read ({exc.strerror or exc})") from None
    text, _encoding = decode_text(data)
    parsed = parse_plain_text(text, path.name)
    for article in parsed.articles:
        article.source_file = path.name
    return parsed
