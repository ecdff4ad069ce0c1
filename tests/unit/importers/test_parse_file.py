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
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive or Office document"),
        (b"{\\rtf1\\ansi Some text", "RTF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    ],
)
def test_known_binary_formats_are_named(tmp_path: Path, head: bytes, kind: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(head + b" plus some more bytes to look real")
    with pytest.raises(ImportFailure, match=kind) as raised:
        parse_file(path)
    assert "plain text and Markdown" in str(raised.value)


def test_text_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_TEXT_BYTES", 64)
    path = tmp_path / "long.txt"
    path.write_text("A Long Title For A Long Article\n" + "word " * 40, encoding="utf-8")
    with pytest.raises(ImportFailure, match="too large for a text article"):
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
