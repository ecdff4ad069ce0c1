"""The shared dataclasses' own behaviour: fresh ids, UTC times, a finding's quote."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from reviewapp.core.models import Anchor, Article, Category, Finding, new_uid, utc_now


def test_new_uids_are_distinct_uuid4s() -> None:
    uids = {new_uid() for _ in range(100)}
    assert len(uids) == 100
    assert all(uuid.UUID(u).version == 4 for u in uids)


def test_utc_now_is_iso_8601_in_utc_to_the_millisecond() -> None:
    stamp = utc_now()
    parsed = datetime.fromisoformat(stamp)
    assert parsed.utcoffset() == timedelta(0)
    assert len(stamp.split("T")[1].split("+")[0]) == len("12:34:56.789")
    assert abs(datetime.now(UTC) - parsed) < timedelta(minutes=1)


def test_each_article_and_finding_has_its_own_uid_and_lists() -> None:
    first, second = Article(title="A"), Article(title="B")
    first.authors.append("Okafor N")
    assert second.authors == [] and first.uid != second.uid


def test_a_findings_quote_is_its_anchors() -> None:
    anchor = Anchor(start=4, end=15, quote="CMV viremia", before="The ", after=" rose")
    finding = Finding(article_id=1, category=Category.TOXICITY, anchor=anchor)
    assert finding.quote == "CMV viremia"
