"""Writing a review pack: its documents, the manifest of their digests, the maker's
signature over the manifest; the file written beside its final name, flushed to disk and
renamed, so that a sync client or a reader never sees half a pack."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewapp.core.models import Article
from reviewapp.packs.format import (
    ARTICLES,
    COLLECTIONS,
    FINDINGS,
    FORMAT,
    MANIFEST,
    MARKS,
    REVIEWERS,
    SIGNATURE,
    VERSION,
    PackArticle,
    PackCollection,
    PackFinding,
    PackMark,
    PackReviewer,
)


@dataclass(frozen=True)
class Signer:
    """Who makes the pack: their uid, public key, and a way to sign bytes with their key."""

    uid: str
    public_key: str
    sign: Callable[[bytes], str]


def _article_json(entry: PackArticle) -> dict[str, Any]:
    article: Article = entry.article
    return {
        "uid": article.uid,
        "aliases": sorted(set(entry.aliases) - {article.uid}),
        "title": article.title,
        "authors": article.authors,
        "journal": article.journal,
        "year": article.year,
        "doi": article.doi,
        "dois": [{"doi": d.doi, "relation": d.relation.value} for d in article.dois],
        "pmid": article.pmid,
        "pmcid": article.pmcid,
        "nct_ids": article.nct_ids,
        "abstract": article.abstract,
        "keywords": article.keywords,
        "text": article.text,
    }


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_pack(
    path: Path,
    signer: Signer,
    made_at: str,
    scope: str,
    collection: str | None,
    reviewers: list[PackReviewer],
    articles: list[PackArticle],
    collections: list[PackCollection],
    findings: list[PackFinding],
    marks: list[PackMark] | None = None,
) -> int:
    """Write the pack at ``path`` (replacing any file there only once it is whole); returns
    its size in bytes."""
    documents = {
        REVIEWERS: _dump(
            [
                {
                    "uid": r.uid,
                    "name": r.name,
                    "initials": r.initials,
                    "colour": r.colour,
                    "public_key": r.public_key,
                }
                for r in reviewers
            ]
        ),
        ARTICLES: _dump([_article_json(a) for a in articles]),
        COLLECTIONS: _dump([{"state": c.state, "signature": c.signature} for c in collections]),
        FINDINGS: _dump(
            [
                {
                    "signed": f.payload,
                    "signature": f.signature,
                    "at": list(f.at) if f.at is not None else None,
                }
                for f in findings
            ]
        ),
        MARKS: _dump([{"signed": m.payload, "signature": m.signature} for m in marks or []]),
    }
    manifest = json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "made_by": signer.uid,
            "made_at": made_at,
            "scope": {"kind": scope, "collection": collection},
            "members": {
                name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                for name, data in documents.items()
            },
        },
        indent=2,
        ensure_ascii=False,
    ).encode("utf-8")
    seal = _dump(
        {"signer": signer.uid, "public_key": signer.public_key, "signature": signer.sign(manifest)}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name[:120]}.{uuid.uuid4().hex[:8]}.part")
    try:
        with tmp.open("xb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                archive.writestr(MANIFEST, manifest)
                archive.writestr(SIGNATURE, seal)
                for name, data in documents.items():
                    archive.writestr(name, data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _sync_folder(path.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return path.stat().st_size


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere the rename is what there is)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
