"""Safe XML parsing: no entity expansion, no DTD or network access, named HTML entities."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from reviewapp.importers.base import ImportFailure, ParsedFile
from reviewapp.importers.endnote_xml import parse_endnote_xml
from reviewapp.importers.jats import parse_jats
from reviewapp.importers.pubmed_xml import parse_pubmed_xml
from reviewapp.importers.xml_safe import element_text, parse_xml, safe_parser

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><Article>
<ArticleTitle>&lol9;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""

PASSWD_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<ArticleTitle>Leak &xxe; here</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"""

PARSERS: list[Callable[[bytes, str], ParsedFile]] = [
    parse_pubmed_xml,
    parse_jats,
    parse_endnote_xml,
]


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b'<!ENTITY secret "FETCHED-FROM-THE-NETWORK">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on the loopback address that records every request made to it."""
    _CountingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _CountingHandler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_billion_laughs_is_refused_before_parsing() -> None:
    with pytest.raises(ImportFailure, match="declares its own XML entities"):
        parse_xml(BILLION_LAUGHS, "PubMed XML")
    with pytest.raises(ImportFailure, match="declares its own XML entities"):
        parse_pubmed_xml(BILLION_LAUGHS, "lolz.xml")


@pytest.mark.parametrize("parse", PARSERS)
def test_an_external_entity_to_a_local_file_is_refused(
    parse: Callable[[bytes, str], ParsedFile],
) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse(PASSWD_ENTITY, "xxe.xml")
    assert "declares its own XML entities" in str(caught.value)
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize(
    "name", ["billion_laughs.xml", "external_entity.xml", "parameter_entity.xml"]
)
@pytest.mark.parametrize("parse", PARSERS)
def test_hostile_fixture_files_are_refused_by_every_xml_importer(
    name: str, parse: Callable[[bytes, str], ParsedFile]
) -> None:
    with pytest.raises(ImportFailure, match="declares its own XML entities") as caught:
        parse((FIXTURES / "xml" / name).read_bytes(), name)
    assert "root:" not in str(caught.value)


def test_the_parser_itself_never_expands_an_external_entity() -> None:
    """Even without the check before parsing, the parser leaves the entity out."""
    root = etree.fromstring(PASSWD_ENTITY, safe_parser())
    text = element_text(root)
    assert "Leak" in text
    assert "root:" not in text
    assert "/bin/" not in text


def test_parameter_entities_are_refused(dtd_server: tuple[str, list[str]]) -> None:
    url, requests = dtd_server
    document = (
        f'<!DOCTYPE article [<!ENTITY % remote SYSTEM "{url}/evil.dtd"> %remote;]>'
        "<article><front/></article>"
    ).encode()
    with pytest.raises(ImportFailure, match="declares its own XML entities"):
        parse_xml(document, "JATS article")
    assert requests == []


def test_lower_case_or_spaced_entity_declarations_are_refused_too() -> None:
    with pytest.raises(ImportFailure, match="declares its own XML entities"):
        parse_xml(b'<!DOCTYPE a [<!entity x "y">]><a/>', "XML")


def test_an_external_dtd_on_the_network_is_not_fetched(dtd_server: tuple[str, list[str]]) -> None:
    url, requests = dtd_server
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE a PUBLIC "-//EXAMPLE//DTD A//EN" "{url}/a.dtd">\n'
        "<a>before &secret; after</a>"
    ).encode()
    root = parse_xml(document, "XML")
    assert requests == []
    assert "FETCHED" not in element_text(root)
    assert "before" in element_text(root)


def test_an_external_dtd_on_disk_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "local.dtd"
    dtd.write_text('<!ENTITY secret "FROM-THE-DTD"><!ATTLIST a flag CDATA "DEFAULT-FROM-DTD">')
    document = f'<!DOCTYPE a SYSTEM "{dtd.as_uri()}"><a>x &secret; y</a>'.encode()
    # The same file with a parser that loads DTDs shows what the safe one prevents.
    loading = etree.XMLParser(load_dtd=True, resolve_entities=True, attribute_defaults=True)
    unsafe = etree.fromstring(document, loading)
    assert "FROM-THE-DTD" in element_text(unsafe)
    assert unsafe.get("flag") == "DEFAULT-FROM-DTD"
    root = parse_xml(document, "XML")
    assert "FROM-THE-DTD" not in element_text(root)
    assert root.get("flag") is None


def test_the_efetch_doctype_parses_without_the_dtd() -> None:
    root = parse_xml((FIXTURES / "pubmed_xml" / "canonical.xml").read_bytes(), "PubMed XML")
    assert root.tag == "PubmedArticleSet"
    assert len(root.findall("PubmedArticle")) == 3


def test_named_html_entities_become_their_characters() -> None:
    root = parse_xml(
        b"<p>35&ndash;60; 1.5&nbsp;&times;&nbsp;10; Dupr&eacute;; &ge;3; &amp; &lt;ok&gt;</p>",
        "JATS article",
    )
    assert element_text(root) == "35–60; 1.5\xa0×\xa010; Dupré; ≥3; & <ok>"


def test_unknown_named_entities_stay_visible_as_written() -> None:
    root = parse_xml(b"<p>a &notarealentity; b</p>", "XML")
    assert element_text(root) == "a &notarealentity; b"


def test_numeric_references_and_cdata_are_kept() -> None:
    root = parse_xml(b"<p>&#8211;&#x2265;<![CDATA[<raw> & text]]></p>", "XML")
    assert element_text(root) == "–≥<raw> & text"


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(ImportFailure, match=r"not well-formed XML \(line 3: .*") as caught:
        parse_xml(b"<a>\n<b>text</b>\n<c></a>", "XML")
    assert "mismatch" in str(caught.value).lower()


@pytest.mark.parametrize("data", [b"", b"   \n  ", b"just some text, no markup"])
def test_empty_or_non_xml_input_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFailure):
        parse_xml(data, "XML")


def test_utf16_xml_with_its_declaration_parses() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<a>Sjöberg &ndash; 肺癌</a>'
    root = parse_xml(b"\xff\xfe" + text.encode("utf-16-le"), "XML")
    assert element_text(root) == "Sjöberg – 肺癌"


def test_utf16_entity_declarations_are_seen_and_refused() -> None:
    text = '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    with pytest.raises(ImportFailure, match="declares its own XML entities"):
        parse_xml(b"\xfe\xff" + text.encode("utf-16-be"), "XML")


def test_latin1_declared_encoding_is_honoured() -> None:
    root = parse_xml(
        '<?xml version="1.0" encoding="ISO-8859-1"?><a>Müller</a>'.encode("latin-1"), "X"
    )
    assert element_text(root) == "Müller"


def _fixture_bytes() -> list[tuple[Callable[[bytes, str], ParsedFile], bytes]]:
    return [
        (parse_pubmed_xml, (FIXTURES / "pubmed_xml" / "canonical.xml").read_bytes()),
        (parse_jats, (FIXTURES / "jats" / "article.nxml").read_bytes()),
        (parse_endnote_xml, (FIXTURES / "endnote_xml" / "canonical.xml").read_bytes()),
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(min_value=0, max_value=2),
    cut=st.integers(min_value=0, max_value=20000),
    junk=st.binary(max_size=40),
)
def test_mutated_xml_files_raise_only_import_failure(which: int, cut: int, junk: bytes) -> None:
    parse, data = _fixture_bytes()[which]
    cut %= len(data)
    mutated = data[:cut] + junk + data[cut + len(junk) // 2 :]
    try:
        parsed = parse(mutated, "mutated.xml")
    except ImportFailure:
        return
    assert all((r.article is None) != (r.problem is None) for r in parsed.records)
