"""parse_file: refusals with reasons, size limits, and what comes in from a good file."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewapp import importers
from reviewapp.importers import ImportFailure, discover_files, parse_file


def test_a_text_file_becomes_one_article(tmp_path: Path) -> None:
    path = tmp_path / "summary.txt"
    path.write_bytes(b"Subcutaneous Alemtuzumab in Adult ALL\r\nCMV viremia in 23.3%.\r\n")
    parsed = parse_file(path)
    [article] = parsed.articles
    assert parsed.format == "text"
    assert parsed.problems == []
    assert article.title == "Subcutaneous Alemtuzumab in Adult ALL"
    assert article.text == "Subcutaneous Alemtuzumab in Adult ALL\nCMV viremia in 23.3%.\n"
    assert article.source_file == "summary.txt"
    assert article.source_format == "text"
    assert article.content_hash


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive or an Office document; unzip it"),
        (b"{\\rtf1\\ansi Some text", "an RTF document; save it as PDF or plain text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image; reviewapp imports text"),
        (b"SQLite format 3\x00", "an SQLite database"),
    ],
)
def test_formats_that_are_not_articles_are_named(tmp_path: Path, head: bytes, kind: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(head + b" plus some more bytes to look real")
    with pytest.raises(ImportFailure) as raised:
        parse_file(path)
    assert str(raised.value) == f"the file is {kind}" or str(raised.value).startswith(
        f"the file is {kind}"
    )


def test_text_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_TEXT_BYTES", 64)
    path = tmp_path / "long.txt"
    path.write_text("A Long Title For A Long Article\n" + "word " * 40, encoding="utf-8")
    with pytest.raises(
        ImportFailure, match=r"too large for one article \(232 bytes; the limit is 64 bytes\)"
    ):
        parse_file(path)
    small = tmp_path / "small.txt"
    small.write_text("A Short Title Here\nok\n", encoding="utf-8")
    assert parse_file(small).articles[0].title == "A Short Title Here"


def test_any_file_over_the_file_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 10)
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.7 and more than ten bytes")
    with pytest.raises(ImportFailure, match="too large"):
        parse_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="does not exist"):
        parse_file(tmp_path / "gone.txt")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.touch()
    with pytest.raises(ImportFailure, match="empty"):
        parse_file(path)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="not a regular file"):
        parse_file(tmp_path)


def test_discover_files_walks_folders_and_skips_hidden_and_system_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("c", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("h", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "Thumbs.db").write_bytes(b"\x00")
    single = tmp_path / "single.txt"
    found = discover_files([tmp_path, single])
    assert found == [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub" / "c.txt", single]
