"""Parsing untrusted XML files (PubMed, JATS, EndNote) safely.

An XML file can ask its parser to read other files or URLs (external entities, external
DTDs) or to expand a few bytes into gigabytes (entity "bombs"). reviewapp never does either:
a file that declares entities of its own is refused before it is parsed, the parser is set
to load no DTD, resolve no entity and touch no network, and the parsed tree is checked once
more for declared entities.

Named HTML entities (``&ndash;``, ``&nbsp;``, ``&eacute;``), which JATS files use and define
in a DTD that is not loaded, become their characters.
"""

from __future__ import annotations

import codecs
import html.entities
import logging
import re
from typing import Any

from lxml import etree

from reviewapp.importers.base import ImportFailure
from reviewapp.importers.decoding import decode_text

logger = logging.getLogger(__name__)

# The five entities XML itself defines; every other named reference needs a DTD.
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_NAMED_REFERENCE = re.compile(rb"&([A-Za-z][A-Za-z0-9]{0,31});")
# An entity declaration can only be markup inside a DOCTYPE; anywhere else (a comment, a
# CDATA section) refusing it costs nothing real.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WIDE_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


def safe_parser() -> Any:
    """An lxml parser that loads no DTD, expands no entity and never uses the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
        recover=False,
        # collect_ids=False would make libxml2 read the external DTD: left at its default.
    )


def parse_xml(data: bytes, what: str) -> Any:
    """The root element of the XML document in ``data``; ``what`` names the kind of file
    ("PubMed XML") in messages.

    Raises ImportFailure when the file is empty, declares its own entities, or is not
    well-formed XML.
    """
    if not data.strip():
        raise ImportFailure("the file is empty")
    data = _ascii_compatible(data)
    if _ENTITY_DECLARATION.search(data):
        raise ImportFailure(_entities_refused(what))
    data = _NAMED_REFERENCE.sub(_numeric_reference, data)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ImportFailure(f"the file is not well-formed XML ({_syntax_error(exc)})") from None
    except (etree.LxmlError, ValueError, MemoryError, RecursionError) as exc:
        logger.info("lxml refused a %s file: %s", what, exc)
        raise ImportFailure(f"the file could not be read as XML ({exc})") from None
    if root is None:
        raise ImportFailure("the file holds no XML element")
    # The byte check above cannot see declarations in an encoding it does not read
    # (EBCDIC, say); none was expanded, and the file is refused all the same.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ImportFailure(_entities_refused(what))
    return root


def element_text(element: Any) -> str:
    """All the text inside ``element``, inline markup (<i>, <sup>, <style>) included."""
    if element is None:
        return ""
    return "".join(element.itertext())


def _entities_refused(what: str) -> str:
    return (
        "the file declares its own XML entities, which reviewapp does not expand (a safety "
        f"rule); export the {what} again from its source, or remove the <!ENTITY> lines"
    )


def _ascii_compatible(data: bytes) -> bytes:
    """UTF-16/32 files as UTF-8, so that the byte-level checks read them."""
    wide = data.startswith(_WIDE_BOMS) or b"\x00" in data[:64]
    if not wide:
        return data
    text, _encoding = decode_text(data)
    # The declaration named the old encoding; lxml reads the new bytes as UTF-8 without it.
    return _XML_DECLARATION.sub("", text, count=1).encode("utf-8")


def _numeric_reference(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    characters = html.entities.html5.get(name.decode("ascii") + ";")
    if characters is None:
        # Unknown: kept visible as written rather than silently dropped.
        return b"&amp;" + name + b";"
    return "".join(f"&#{ord(ch)};" for ch in characters).encode("ascii")


def _syntax_error(exc: Any) -> str:
    # The exception's own message and line: its error_log may still hold earlier parses'.
    message = str(getattr(exc, "msg", "") or exc)
    message = re.sub(r",\s*line \d+, column \d+\s*$", "", message).strip()
    line = getattr(exc, "lineno", None)
    return f"line {line}: {message}" if line else message
