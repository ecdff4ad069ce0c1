"""Saved web pages: the article text without page furniture, and the page's metadata."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest

from reviewapp.core.models import Article
from reviewapp.core.text import content_hash
from reviewapp.importers.base import ImportFailure
from reviewapp.importers.html_page import FORMAT_HTML, parse_html
from reviewapp.importers.names import display_name, split_author_names

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports" / "html"
SOTORASIB_TITLE = (
    "Sotorasib after progression on immunotherapy in KRAS G12C-mutated non-small cell lung "
    "cancer: real-world outcomes"
)
SOTORASIB_ABSTRACT = (
    "Among 214 patients treated with sotorasib after immunotherapy, the real-world response "
    "rate was 31% (66/214) and median overall survival 10.2 months (95% CI 8.7–11.9). "
    "Hepatotoxicity of grade 3 or higher occurred in 9% (19/214), more often when sotorasib "
    "began within 30 days of the last checkpoint inhibitor dose."
)
BODY = "<p>The trial enrolled forty patients with relapsed disease across six centres.</p>"


def _fixture(name: str) -> Article:
    parsed = parse_html((FIXTURES / name).read_bytes(), name)
    assert parsed.format == FORMAT_HTML
    assert parsed.problems == []
    [article] = parsed.articles
    assert article.source_format == "html"
    assert article.content_hash == content_hash(article.text)
    return article


def _page(html: str) -> Article:
    [article] = parse_html(html.encode("utf-8"), "page.html").articles
    return article


def test_journal_page_metadata_comes_from_highwire_tags() -> None:
    article = _fixture("journal_article.html")
    assert article.title == SOTORASIB_TITLE
    assert article.authors == ["Haddad R", "Novak P", "Ferreira-Lima A"]
    assert article.journal == "Lung Cancer"
    assert article.year == 2025  # the publication date, not the online date (2024)
    assert article.doi == "10.9999/lc.2025.0893"
    assert article.pmid == "40000303"
    assert article.abstract == SOTORASIB_ABSTRACT
    assert article.keywords == ["KRAS G12C", "sotorasib", "hepatotoxicity"]
    assert article.nct_ids == ["NCT09999903"]
    assert [d.doi for d in article.dois] == ["10.9999/lc.2025.0893", "10.9999/lc.2023.0101"]


def test_journal_page_text_is_the_article_only() -> None:
    text = _fixture("journal_article.html").text
    for furniture in (
        "Skip to main content",
        "Sign in",
        "cookies",
        "Accept all",
        "dataLayer",
        "Not article text",
        "font-family",
        "Share on social",
        "Related articles",
        "Adagrasib",
        "Be the first to comment",
        "Copyright 2025",
        "Privacy",
        "Volume 190",  # the breadcrumb trail
    ):
        assert furniture not in text, furniture
    assert text.startswith(f"Research article\n\n{SOTORASIB_TITLE}\n\nRami Haddad, Petra Novak")


def test_journal_page_blocks_become_paragraphs_lists_and_table_rows() -> None:
    text = _fixture("journal_article.html").text
    assert (
        "\n\nIntroduction\n\nKRAS G12C mutations occur in about one in eight non-small cell lung "
        "cancers. Sotorasib was approved"
    ) in text
    assert "first.\n\nReports of liver injury" in text
    assert (
        "Eligible patients:\n\n"
        "- advanced KRAS G12C-mutated non-small cell lung cancer;\n"
        "- progression on a PD-1 or PD-L1 inhibitor;\n"
        "- at least one dose of sotorasib 960 mg daily.\n\n"
        "Statistical analysis\n\n"
        "Survival was estimated with the Kaplan–Meier method.\nHazard ratios came from Cox models."
    ) in text
    assert (
        "Table 1. Outcomes by interval since the last checkpoint inhibitor dose\n"
        "Interval | Patients | Response | Grade ≥3 hepatotoxicity\n"
        "≤30 days | 71 | 30% | 17% (12/71)\n"
        ">30 days | 143 | 31% | 5% (7/143)\n\nDiscussion"
    ) in text
    assert "References\n\n1. Novak P, Haddad R. Liver injury" in text
    assert "\n2. Ferreira-Lima A. KRAS G12C in practice." in text
    assert "  " not in text and "\n\n\n" not in text


def test_news_page_title_from_open_graph_and_byline_author() -> None:
    article = _fixture("news_page.html")
    title = "Cardiac Safety of Trastuzumab Deruxtecan Reassures in HER2-Low Disease"
    assert article.title == title
    assert article.authors == ["Ellery J"]
    assert article.journal == "Oncology Daily Wire"
    assert article.year == 2023
    assert article.doi == "10.9999/bcrt.2023.0452"  # found in the text
    assert article.keywords == []  # a site's SEO keywords are not the article's
    assert article.abstract is None
    assert article.text.startswith(f"{title}\n\nBy Jordan Ellery · November 2, 2023\n\n")
    assert '\n\n"These numbers should reassure clinicians," said' in article.text
    assert article.text.endswith("Most events resolved after the drug was paused.")
    for furniture in ("Advertisement", "CME", "Tweet", "Share", "Most read", "Subscribe"):
        assert furniture not in article.text, furniture


def test_page_with_only_a_heading_for_a_title() -> None:
    article = _fixture("h1_only_page.html")
    assert article.title == "Ostrelimab Maintenance After Chemotherapy"
    assert article.nct_ids == ["NCT09999901"]
    assert article.text == (
        "Ostrelimab Maintenance After Chemotherapy\n\n"
        "Key points\n\n"
        "- Ostrelimab maintenance prolonged progression-free survival.\n"
        "- Neutropenia was the most common grade 3 event.\n\n"
        "Schedule\n\n"
        "1. Induction: four cycles of carboplatin and etoposide\n"
        "2. Maintenance: ostrelimab every three weeks\n\n"
        "Presented at the regional thoracic oncology meeting.\nPoster 42, session B.\n\n"
        "Trial\nNCT09999901"
    )


def test_legacy_page_declared_as_latin1_is_read_as_windows_1252() -> None:
    article = _fixture("legacy_cp1252.html")
    assert article.title == "Tumour lysis after venetoclax: a case report"
    assert article.authors == ["Müller J", "García L"]
    assert article.year == 2021
    assert article.doi == "10.9999/hcr.2021.0077"
    assert article.keywords == ["venetoclax", "tumour lysis syndrome"]
    assert "patient’s potassium rose to 6.8 mmol/l within 8–10 hours" in article.text
    assert "20 µg dose" in article.text
    assert "“stepwise ramp-up” remains essential — even in pré-treated" in article.text
    assert "Index" not in article.text and "Cases" not in article.text


def test_page_with_only_scripts_and_navigation_is_refused() -> None:
    data = (FIXTURES / "script_and_nav_only.html").read_bytes()
    with pytest.raises(ImportFailure, match="the web page has no article text"):
        parse_html(data, "script_and_nav_only.html")


@pytest.mark.parametrize(
    ("title_tag", "expected"),
    [
        ("Durable Remissions With CAR-T in Myeloma | Haematology Today", "Durable Remissions"),
        ("Haematology Today — Durable Remissions With CAR-T in Myeloma", "Durable Remissions"),
        ("Durable Remissions With CAR-T in Myeloma - Haem News", "Durable Remissions"),
        ("Durable Remissions With CAR-T in Myeloma", "Durable Remissions"),
    ],
)
def test_site_name_is_stripped_from_the_title_tag(title_tag: str, expected: str) -> None:
    article = _page(f"<html><head><title>{title_tag}</title></head><body>{BODY}</body></html>")
    assert article.title == "Durable Remissions With CAR-T in Myeloma"
    assert article.title.startswith(expected)
    # The title sat only in <head>: it leads the text so the reader sees it.
    assert article.text.startswith(f"{article.title}\n\nThe trial enrolled")


def test_the_h1_is_preferred_to_a_decorated_title_tag() -> None:
    article = _page(
        "<html><head><title>Myeloma news: CAR-T Update (2024) :: Site</title></head><body>"
        f"<h1>CAR-T Update (2024)</h1>{BODY}</body></html>"
    )
    assert article.title == "CAR-T Update (2024)"
    assert article.text.startswith("CAR-T Update (2024)\n\nThe trial enrolled")


def test_largest_article_element_is_chosen_and_title_is_put_first() -> None:
    teaser = "<article class='teaser'><p>A short teaser for another story.</p></article>"
    long_text = "Patients received two cycles before surgery. " * 10
    article = _page(
        "<html><head><meta property='og:title' content='Neoadjuvant Results in Gastric Cancer'>"
        "</head><body><div class='top'><h1>Neoadjuvant Results in Gastric Cancer</h1></div>"
        f"{teaser}<article><p>{long_text}</p></article>{teaser}</body></html>"
    )
    assert article.title == "Neoadjuvant Results in Gastric Cancer"
    assert article.text == f"Neoadjuvant Results in Gastric Cancer\n\n{long_text.strip()}"


def test_wrappers_and_the_body_are_kept_despite_furniture_words() -> None:
    article = _page(
        "<html><body class='has-cookie-banner sidebar-open'>"
        "<div class='layout-with-sidebar'><h1>Wrapper Page Title Here</h1>"
        f"{BODY}</div><div class='sidebar'>Popular links</div></body></html>"
    )
    assert article.text == (
        "Wrapper Page Title Here\n\n"
        "The trial enrolled forty patients with relapsed disease across six centres."
    )


def test_hidden_elements_are_dropped() -> None:
    article = _page(
        f"<html><body><h1>Visible Findings In Brief</h1>{BODY}"
        "<p style='display: none'>hidden by style</p><div hidden>hidden attribute</div>"
        "<span aria-hidden='true'>icon text</span><template><p>template text</p></template>"
        "</body></html>"
    )
    assert "hidden" not in article.text
    assert "icon" not in article.text and "template" not in article.text


def test_a_newsroom_byline_is_not_an_author() -> None:
    article = _page(
        "<html><head><meta name='author' content='Oncology Daily Wire Staff'></head>"
        f"<body><h1>Staff Written Story Title</h1>{BODY}</body></html>"
    )
    assert article.authors == []


def test_a_graphical_abstract_is_not_the_abstract() -> None:
    article = _page(
        "<html><body><h1>Graphical Abstract Page</h1>"
        "<div class='graphical-abstract'><p>Figure showing the design of the trial.</p></div>"
        "<section class='abstract'><p>The real abstract of the article is this text.</p>"
        f"</section>{BODY}</body></html>"
    )
    assert article.abstract == "The real abstract of the article is this text."


def test_abstract_from_a_heading_or_an_abstract_section() -> None:
    by_heading = _page(
        "<html><body><h1>Heading Only Abstract Page</h1><h2>Abstract</h2>"
        "<p>First abstract paragraph.</p><p>Second abstract paragraph.</p>"
        f"<h2>Introduction</h2>{BODY}</body></html>"
    )
    assert by_heading.abstract == "First abstract paragraph.\n\nSecond abstract paragraph."
    by_section = _page(
        "<html><body><h1>Abstract Section Page</h1><div id='abstract-1'><h2>Summary</h2>"
        "<h3>Background</h3><p>Structured abstract text that is long enough.</p></div>"
        f"{BODY}</body></html>"
    )
    assert by_section.abstract == "Background\n\nStructured abstract text that is long enough."


def test_dublin_core_identifier_and_creators() -> None:
    article = _page(
        "<html><head><meta name='dc.title' content='A Dublin Core Titled Page'>"
        "<meta name='DC.creator' content='Ana Ferreira-Lima'>"
        "<meta name='dc.identifier' content='urn:isbn:123'>"
        "<meta name='dc.identifier' content='doi:10.9999/DC.2020.1'>"
        "<meta name='dc.date' content='2020-01-05'></head>"
        f"<body>{BODY}</body></html>"
    )
    assert article.title == "A Dublin Core Titled Page"
    assert article.authors == ["Ferreira-Lima A"]
    assert article.doi == "10.9999/dc.2020.1"
    assert article.year == 2020


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"\xef\xbb\xbf<html><body><h1>Caf\xc3\xa9 Study Of Outcomes</h1>" + BODY.encode(), "Café"),
        # Declared UTF-8 but written in Windows-1252: the declaration cannot be right.
        (
            b"<meta charset='utf-8'><h1>Caf\xe9 Study Of Outcomes</h1>" + BODY.encode(),
            "Café",
        ),
        # A page that declares UTF-16 in ASCII is not UTF-16.
        (
            b"<meta charset='utf-16'><h1>Caf\xc3\xa9 Study Of Outcomes</h1>" + BODY.encode(),
            "Café",
        ),
        (
            b"<meta charset='x-no-such-thing'><h1>Caf\xc3\xa9 Study Of Outcomes</h1>"
            + BODY.encode(),
            "Café",
        ),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?><html><body><h1>Caf\xe9 Study Of '
            b"Outcomes</h1>" + BODY.encode() + b"</body></html>",
            "Café",
        ),
    ],
)
def test_encodings(data: bytes, word: str) -> None:
    [article] = parse_html(data, "page.html").articles
    assert article.title == f"{word} Study Of Outcomes"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (bytes(range(256)) * 20, "binary data"),
        (b"<html><head><title>Nothing here</title></head></html>", "no article text"),
        (b"<html><frameset><frame src='a.html'></frameset></html>", "no article text"),
    ],
)
def test_unreadable_pages_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure, match=message):
        parse_html(data, "page.html")


def test_control_characters_do_not_break_the_parser() -> None:
    article = _page(f"<h1>Form\x0cfeed Title Of The Page</h1>{BODY}\x0b<p>tail\ufffe</p>")
    assert article.title == "Formfeed Title Of The Page"
    # A declared charset skips the binary-data check; the NUL is dropped all the same.
    declared = _page(f"<meta charset='utf-8'><h1>Nul \x00Title Of The Page</h1>{BODY}")
    assert declared.title == "Nul Title Of The Page"


def test_mutated_pages_fail_only_with_import_failure() -> None:
    rng = random.Random(5)
    seeds = [path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))]
    for _ in range(300):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            at = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[at] = rng.randrange(256)
            else:
                del data[at : at + rng.randint(1, 80)]
        with contextlib.suppress(ImportFailure):  # any other exception fails the test
            parse_html(bytes(data), "mutated.html")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Varga, Tamas", "Varga T"),
        ("Nkechi C. Okafor", "Okafor NC"),
        ("Okafor NC", "Okafor NC"),
        ("Jan van der Berg", "van der Berg J"),
        ("Ana Ferreira-Lima", "Ferreira-Lima A"),
        ("Madonna", "Madonna"),
        ("  ", None),
    ],
)
def test_display_name(name: str, shown: str | None) -> None:
    assert display_name(name) == shown


def test_split_author_names() -> None:
    assert split_author_names("Tamas Varga, Nkechi Okafor and Maja Lindqvist") == [
        "Tamas Varga",
        "Nkechi Okafor",
        "Maja Lindqvist",
    ]
    assert split_author_names("Varga, Tamas; Okafor, Nkechi") == ["Varga, Tamas", "Okafor, Nkechi"]
    assert split_author_names("Varga, Tamas") == ["Varga, Tamas"]
