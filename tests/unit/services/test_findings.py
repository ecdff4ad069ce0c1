"""Tagging findings through the service: anchored, validated, attributed, indexed."""

from __future__ import annotations

import pytest

from reviewapp.core.models import Category, Status
from reviewapp.services.findings import (
    FindingRejected,
    Span,
    create_finding,
    delete_finding,
    list_findings,
    update_finding,
)
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.preferences import Preferences, save_preferences

QUOTE = "it occurred in 23.3% (14/60) of patients during alemtuzumab"
FIELDS = {"event": "CMV viremia", "incidence_pct": "23.3", "n": "14", "N": "60"}


def _ids(session: LibrarySession, query: str) -> list[int]:
    return [result.article_id for result in session.search(query)]


def test_create_finding_anchors_validates_and_uses_the_environment_reviewer(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    article_id = fixture_ids["alemtuzumab"]
    text = session.library.articles.text(article_id)
    assert text is not None
    finding = create_finding(
        session, article_id, "Toxicity", quote=QUOTE, fields=FIELDS, note="  prophylaxis?  "
    )
    assert finding.id is not None
    assert finding.category is Category.TOXICITY
    assert finding.reviewer == reviewer == "Dana Okafor"
    assert finding.fields == {"event": "CMV viremia", "incidence_pct": 23.3, "n": 14, "N": 60}
    assert finding.note == "prophylaxis?"
    assert finding.status is Status.DRAFT
    anchor = finding.anchor
    assert text[anchor.start : anchor.end] == QUOTE == anchor.quote
    assert text.index(QUOTE) == anchor.start
    assert anchor.before == text[anchor.start - 40 : anchor.start]
    assert anchor.after == text[anchor.end : anchor.end + 40]
    assert session.library.findings.get(finding.id) == finding
    assert session.index_status().health.value == "ok"
    assert _ids(session, "category:toxicity") == [article_id]


def test_reviewer_argument_wins_over_environment_and_preferences(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    save_preferences(Preferences(reviewer_name="From Preferences"))
    finding = create_finding(
        session,
        fixture_ids["alemtuzumab"],
        Category.TOXICITY,
        quote="CMV viremia",
        fields={"event": "CMV"},
        reviewer="  Maria Luskin ",
    )
    assert finding.reviewer == "Maria Luskin"
    assert {r.name for r in session.library.reviewers.list()} == {"Maria Luskin"}


def test_reviewer_from_preferences_when_nothing_else(
    session: LibrarySession, fixture_ids: dict[str, int]
) -> None:
    save_preferences(Preferences(reviewer_name="From Preferences"))
    finding = create_finding(
        session,
        fixture_ids["alemtuzumab"],
        "toxicity",
        quote="CMV viremia",
        fields={"event": "CMV"},
    )
    assert finding.reviewer == "From Preferences"


def test_article_by_uid_and_anchor_by_span(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    article = session.library.articles.get(fixture_ids["alveltamig"])
    assert article is not None
    start = article.text.index("DLL3")
    finding = create_finding(
        session,
        article.uid,
        "mechanism",
        span=Span(start, start + 4),
        fields={"agent": "alveltamig", "targets": "DLL3, CD3"},
    )
    assert finding.article_id == article.id
    assert finding.quote == "DLL3"
    assert finding.fields["targets"] == ["DLL3", "CD3"]
    with pytest.raises(ServiceError, match="outside the text"):
        create_finding(session, article.uid, "mechanism", span=Span(5, 2), fields={"agent": "x"})


def test_disagreeing_percentage_is_rejected_naming_the_fields_and_nothing_is_stored(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    lib = session.library
    before = lib.last_change()
    with pytest.raises(FindingRejected) as raised:
        create_finding(
            session,
            fixture_ids["alemtuzumab"],
            "toxicity",
            quote=QUOTE,
            fields={**FIELDS, "N": "70"},
        )
    rejected = raised.value
    assert isinstance(rejected, ServiceError)
    assert [set(p.fields) for p in rejected.problems] == [{"incidence_pct", "n", "N"}]
    assert "incidence_pct, n, N" in str(rejected)
    assert lib.findings.list(include_deleted=True) == []
    assert lib.reviewers.list() == []
    assert lib.last_change() == before


def test_quote_not_in_the_text_is_refused(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    with pytest.raises(ServiceError, match="does not occur"):
        create_finding(
            session,
            fixture_ids["alemtuzumab"],
            "toxicity",
            quote="CMV pneumonitis in 5%",
            fields={"event": "CMV"},
        )
    with pytest.raises(ServiceError, match="needs a quote"):
        create_finding(
            session, fixture_ids["alemtuzumab"], "toxicity", quote="  ", fields={"event": "CMV"}
        )
    assert session.library.findings.list(include_deleted=True) == []


def test_no_reviewer_is_refused(session: LibrarySession, fixture_ids: dict[str, int]) -> None:
    with pytest.raises(ServiceError, match="no reviewer"):
        create_finding(session, fixture_ids["alemtuzumab"], "toxicity", quote=QUOTE, fields=FIELDS)
    assert session.library.findings.list(include_deleted=True) == []


def test_unknown_article_and_category_are_refused(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    with pytest.raises(ServiceError, match="no article 999"):
        create_finding(session, 999, "toxicity", quote=QUOTE, fields=FIELDS)
    with pytest.raises(ServiceError, match="unknown category"):
        create_finding(session, fixture_ids["alemtuzumab"], "harms", quote=QUOTE, fields=FIELDS)


def test_update_finding(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    finding = create_finding(
        session, fixture_ids["alemtuzumab"], "toxicity", quote=QUOTE, fields=FIELDS
    )
    assert finding.id is not None
    updated = update_finding(
        session, finding.uid, note="valganciclovir discussed", status=Status.ACCEPTED
    )
    assert updated.note == "valganciclovir discussed"
    assert updated.status is Status.ACCEPTED
    assert updated.fields == finding.fields
    assert _ids(session, "valganciclovir") == [fixture_ids["alemtuzumab"]]

    replaced = update_finding(
        session, finding.id, fields={"event": "CMV reactivation", "grade": ">=3"}
    )
    assert replaced.fields == {"event": "CMV reactivation", "grade": "≥3"}
    assert replaced.note == "valganciclovir discussed"

    with pytest.raises(FindingRejected) as raised:
        update_finding(session, finding.id, fields={**FIELDS, "N": "70"})
    assert {key for p in raised.value.problems for key in p.fields} == {"incidence_pct", "n", "N"}
    assert session.library.findings.get(finding.id) == replaced

    with pytest.raises(ServiceError, match="no finding"):
        update_finding(session, 999, note="x")


def test_delete_keeps_a_tombstone_and_restore_brings_it_back(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    article_id = fixture_ids["alemtuzumab"]
    finding = create_finding(
        session, article_id, "toxicity", quote=QUOTE, fields=FIELDS, note="ganciclovir note"
    )
    assert finding.id is not None
    deleted = delete_finding(session, finding.id)
    assert deleted.deleted_at is not None
    assert list_findings(session) == []
    assert [f.id for f in session.library.findings.list(include_deleted=True)] == [finding.id]
    assert _ids(session, "ganciclovir") == []
    assert _ids(session, "category:toxicity") == []
    with pytest.raises(ServiceError, match="was deleted"):
        update_finding(session, finding.id, note="too late")

    restored = delete_finding(session, finding.uid, deleted=False)
    assert restored.deleted_at is None
    assert [f.id for f in list_findings(session)] == [finding.id]
    assert _ids(session, "ganciclovir") == [article_id]


def test_list_findings_by_article_and_category(
    session: LibrarySession, fixture_ids: dict[str, int], reviewer: str
) -> None:
    tox = create_finding(
        session, fixture_ids["alemtuzumab"], "toxicity", quote=QUOTE, fields=FIELDS
    )
    mech = create_finding(
        session,
        fixture_ids["alemtuzumab"],
        "mechanism",
        quote="humanized IgG1 monoclonal antibody against CD52",
        fields={"agent": "alemtuzumab", "modality": "monoclonal antibody"},
    )
    other = create_finding(
        session,
        fixture_ids["alveltamig"],
        "mechanism",
        quote="trispecific T-cell engager",
        fields={"agent": "alveltamig"},
    )
    assert [f.id for f in list_findings(session, category="toxicity")] == [tox.id]
    assert [f.id for f in list_findings(session, category="MECHANISM")] == [mech.id, other.id]
    assert [f.id for f in list_findings(session, fixture_ids["alemtuzumab"])] == [mech.id, tox.id]
    assert list_findings(session, fixture_ids["kras"]) == []
    with pytest.raises(ServiceError, match="unknown category"):
        list_findings(session, category="nope")
    with pytest.raises(ServiceError, match="no article"):
        list_findings(session, "missing-uid")
