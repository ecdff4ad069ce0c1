"""The demo library a new user sees on first run: a few articles with example findings."""

from __future__ import annotations

import json
from pathlib import Path

from reviewapp.services.findings import create_finding
from reviewapp.services.identity import passing_identity
from reviewapp.services.importing import import_paths
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.organise import add_to_collection, create_collection, tag_articles
from reviewapp.services.paths import resource

DEMO_REVIEWER = "Demo reviewer"


def create_demo_library(path: Path, demo_dir: Path | None = None) -> int:
    """Create a library at ``path`` from the shipped demo articles; returns the article count.

    Refuses to touch an existing library.
    """
    source = demo_dir or resource("demo")
    if path.exists():
        raise ServiceError(f"{path} already exists; the demo library is only made on first run")
    articles = sorted(p for p in source.iterdir() if p.suffix in (".txt", ".md"))
    with LibrarySession.open(path) as session:
        reports = import_paths(session, articles)
        ids = {Path(r.file).name: r.article_ids[0] for r in reports if r.article_ids}
        findings_file = source / "findings.json"
        if findings_file.exists():
            demo_reviewer = passing_identity(DEMO_REVIEWER)
            for item in json.loads(findings_file.read_text(encoding="utf-8")):
                create_finding(
                    session,
                    ids[item["file"]],
                    item["category"],
                    quote=item["quote"],
                    fields=item.get("fields", {}),
                    note=item.get("note", ""),
                    identity=demo_reviewer,
                )
        sclc = [ids[name] for name in ids if "sclc" in name]
        question = create_collection(
            session,
            "Relapsed SCLC after chemo-immunotherapy",
            "What T-cell engager and antibody options are emerging for relapsed small cell "
            "lung cancer?",
        )
        add_to_collection(session, question.id, sclc)
        tag_articles(session, list(ids.values()), "journal club demo")
        return session.library.articles.count()
