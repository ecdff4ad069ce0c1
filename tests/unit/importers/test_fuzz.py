"""Random bytes and mutated fixture files thrown at every importer (hypothesis).

Nothing may escape as a traceback: a parser returns records (each an article or a problem)
or raises ImportFailure with a message. And through the import service, a file that fails
leaves the library exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.importers import ImportFailure, ParsedFile, detect, parse_bytes, parser_for
from reviewapp.importers.decoding import decode_text
from reviewapp.importers.plaintext import parse_plain_text
from reviewapp.services.importing import FileStatus, import_file
from reviewapp.services.library import LibrarySession
from reviewapp.store import Library

from . import pdf_samples

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIXTURE_FILES = sorted(
    [p for p in (FIXTURES / "imports").rglob("*") if p.is_file() and p.suffix != ".md"]
    + list((FIXTURES / "articles").iterdir())
)
# The PDF samples are drawn by reportlab in the tests rather than kept as binary files.
SAMPLES = [(p.name, p.read_bytes()) for p in FIXTURE_FILES] + [
    ("article.pdf", pdf_samples.article_pdf()),
    ("two_columns.pdf", pdf_samples.two_column_pdf()),
]
FORMATS = sorted(
    {
        detect.RIS,
        detect.BIBTEX,
        detect.MEDLINE,
        detect.PUBMED_XML,
        detect.JATS,
        detect.ENDNOTE_XML,
        detect.CSL_JSON,
        detect.TABLE,
        detect.HTML,
        detect.PDF,
    }
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _plain(data: bytes, name: str) -> ParsedFile:
    return parse_plain_text(decode_text(data)[0], name)


def _parse_as(kind: str) -> Callable[[bytes, str], ParsedFile]:
    return _plain if kind == "text" else parser_for(kind)


def _check(parse: Callable[[bytes, str], ParsedFile], data: bytes, name: str) -> None:
    try:
        parsed = parse(data, name)
    except ImportFailure as exc:
        assert str(exc), "an ImportFailure must say why"
        return
    for record in parsed.records:
        assert record.label
        assert (record.article is None) != (record.problem is None)
        if record.article is not None:
            assert record.article.title.strip()


@pytest.mark.parametrize("kind", [*FORMATS, "text"])
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_escape_as_a_traceback(kind: str, data: bytes) -> None:
    _check(_parse_as(kind), data, f"random.{kind}")


def test_the_fixture_set_covers_every_format() -> None:
    kinds = {detect.detect_format(data, name) for name, data in SAMPLES}
    assert set(FORMATS) | {"text"} <= kinds


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture file with a few edits: cuts, insertions, duplications, flipped bytes."""
    name, original = draw(st.sampled_from(SAMPLES))
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        span = draw(st.integers(1, min(400, len(data) - at)))
        edit = draw(st.sampled_from(["cut", "insert", "repeat", "flip", "truncate"]))
        if edit == "cut":
            del data[at : at + span]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif edit == "repeat":
            data[at:at] = data[at : at + span] * draw(st.integers(2, 5))
        elif edit == "flip":
            data[at] ^= draw(st.integers(1, 255))
        else:
            del data[at:]
    return name, bytes(data)


@FUZZ
@given(sample=mutated_fixture())
def test_mutated_files_never_escape_as_a_traceback(sample: tuple[str, bytes]) -> None:
    name, data = sample
    _check(parse_bytes, data, name)


def _fingerprint(lib: Library) -> str:
    """Everything a library holds, as one hash (the whole dump, change log included)."""
    digest = hashlib.sha256()
    for line in lib.db.conn.iterdump():
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sample=mutated_fixture())
def test_a_file_that_fails_leaves_the_library_as_it_was(
    session: LibrarySession, tmp_path: Path, sample: tuple[str, bytes]
) -> None:
    name, data = sample
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    before = _fingerprint(session.library)
    report = import_file(session, path)
    assert report.message
    if report.status is FileStatus.FAILED:
        assert report.imported == report.duplicates == 0
        assert _fingerprint(session.library) == before
