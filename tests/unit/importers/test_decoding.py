"""Turning bytes into text: BOMs, UTF-16, UTF-8, cp1252 and line endings."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewapp.importers import ImportFailure
from reviewapp.importers.decoding import decode_text

SAMPLE = "Café “quoted” — α ≥ 3, 5 µg/kg\nsecond line"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_unicode_encodings_are_recognised_and_the_bom_dropped(data: bytes, encoding: str) -> None:
    assert decode_text(data) == (SAMPLE, encoding)


def test_windows_cp1252_with_smart_quotes() -> None:
    assert decode_text(b"Caf\xe9 \x93quoted\x94") == ("Café “quoted”", "cp1252")
    text, encoding = decode_text(b"Grade \xb13 \x96 5 \xb5g in 23.3%\r\n")
    assert (text, encoding) == ("Grade ±3 – 5 µg in 23.3%\n", "cp1252")


@pytest.mark.parametrize(
    "data",
    [
        b"one\r\ntwo\r\nthree",
        b"one\rtwo\rthree",
        b"one\ntwo\r\nthree",
        "one\r\ntwo\nthree".encode("utf-16"),
    ],
)
def test_line_endings_become_line_feeds(data: bytes) -> None:
    text, _encoding = decode_text(data)
    assert text == "one\ntwo\nthree"


@pytest.mark.parametrize("data", [b"", b"   ", b" \r\n\t \n"])
def test_empty_or_white_space_only_is_refused_as_empty(data: bytes) -> None:
    with pytest.raises(ImportFailure, match="empty"):
        decode_text(data)


def test_a_bom_followed_by_white_space_holds_no_text() -> None:
    with pytest.raises(ImportFailure, match="no text"):
        decode_text(codecs.BOM_UTF8 + b"  \n")


def test_binary_data_is_refused() -> None:
    noise = random.Random(20251022).randbytes(2000)
    with pytest.raises(ImportFailure, match="binary"):
        decode_text(noise)
    with pytest.raises(ImportFailure, match="binary"):
        decode_text(bytes(range(32)) * 10)


def test_a_false_bom_is_refused() -> None:
    with pytest.raises(ImportFailure, match="says it is utf-8"):
        decode_text(codecs.BOM_UTF8 + b"caf\xe9 text")


def test_tabs_and_form_feeds_are_text() -> None:
    assert decode_text(b"col1\tcol2\fpage two")[0] == "col1\tcol2\fpage two"


@settings(max_examples=50, deadline=None)
@given(
    st.binary(max_size=600)
    | st.tuples(
        st.sampled_from(
            [
                codecs.BOM_UTF8,
                codecs.BOM_UTF16_LE,
                codecs.BOM_UTF16_BE,
                codecs.BOM_UTF32_LE,
                b"\x00A\x00B",
                b"A\x00B\x00",
            ]
        ),
        st.binary(max_size=200),
    ).map(lambda parts: parts[0] + parts[1])
)
def test_any_bytes_decode_to_text_or_raise_import_failure(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except ImportFailure as failure:
        assert str(failure)
        return
    assert text.strip()
    assert "\r" not in text
    assert encoding


@settings(max_examples=50, deadline=None)
@given(
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1).filter(
        lambda text: not text.startswith("\ufeff")
    )
)
def test_utf8_text_round_trips(text: str) -> None:
    if not text.strip():
        return
    assert decode_text(text.encode("utf-8"))[0] == text
