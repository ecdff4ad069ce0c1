"""Turning a file's bytes into text: byte-order marks, UTF-16, UTF-8 and Windows cp1252."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from reviewapp.importers.base import ImportFailure

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never appear in real text (tab, line feed, carriage return and
# form feed do).
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {"\x7f"}


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as text; returns (text, encoding). Line endings become ``\\n``.

    Raises ImportFailure when the bytes are empty or are not text.
    """
    if not data.strip():
        raise ImportFailure("the file is empty")
    text, encoding = _decode(data)
    sample = text[:20000]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls > max(2, len(sample) // 200):
        raise ImportFailure("the file holds binary data, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailure("the file holds no text")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError:
                raise ImportFailure(f"the file says it is {encoding} but is not") from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:4096]:
        raise ImportFailure("the file holds binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ImportFailure("the file holds binary data, not text")
    return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark shows as every other byte being zero."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even_zeros = head[0::2].count(0)
    odd_zeros = head[1::2].count(0)
    half = len(head) // 2
    for zeros, encoding in ((odd_zeros, "utf-16-le"), (even_zeros, "utf-16-be")):
        if zeros > half * 0.6:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None
