"""Reading a review pack as the untrusted input it is.

Nothing of a pack is used until all of it has been checked: the file's size; the archive's
members (exactly the known documents, none a path, none encrypted, each within its size and
compression-ratio limits, counted as they are decompressed rather than taken from the
archive's headers); the maker's signature over the manifest and the manifest's digest of
every document; every document against its JSON Schema; uids unique; every finding on an
article the pack carries, its quote where the pack says it is. Any of these wrong refuses
the pack whole (``PackRefused``, with the reason). Member names are never used as paths:
nothing is extracted. A finding or collection whose own signature does not check against
the key the pack gives for its author is set aside (``Pack.refused``), the rest kept.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from reviewapp.core import signing
from reviewapp.core.exchange import owned_uid
from reviewapp.core.models import Article, DoiRef, DoiRelation
from reviewapp.core.text import content_hash
from reviewapp.packs.format import (
    ARTICLES,
    COLLECTIONS,
    FINDINGS,
    MANIFEST,
    MARKS,
    MAX_MEMBER_BYTES,
    MAX_PACK_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    MEMBERS,
    RATIO_FROM,
    REVIEWERS,
    SIGNATURE,
    SIGNED_MEMBERS,
    SMALL_DOCUMENT_BYTES,
    Pack,
    PackArticle,
    PackCollection,
    PackFinding,
    PackMark,
    PackRefused,
    PackReviewer,
    Refusal,
)
from reviewapp.packs.schema import problem

_CHUNK = 1024 * 1024


def read_pack(path: Path) -> Pack:
    """The checked contents of the pack at ``path``; PackRefused says why not."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackRefused(f"{name} cannot be read: {exc.strerror or exc}") from None
    if size > MAX_PACK_BYTES:
        raise PackRefused(
            f"{name} is {size / 2**20:.0f} MB; review packs over "
            f"{MAX_PACK_BYTES // 2**20} MB are refused"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            manifest, seal_key, documents = _read_checked(archive)
    except PackRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        EOFError,
        OSError,
        ValueError,
    ) as exc:
        raise PackRefused(
            f"{name} is not a complete review pack (a file still being copied or "
            f"synced, or not a pack at all): {exc}"
        ) from None
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encryption
        raise PackRefused(f"{name} uses a ZIP feature packs never use: {exc}") from None
    return _contents(manifest, seal_key, documents)


def _read_checked(archive: zipfile.ZipFile) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The manifest, the maker's key and every document. The small manifest and seal are
    read and checked first; then each document is read only as far as the manifest says
    it is long, its digest checked as it streams, and parsed before the next is read, so
    nothing unsigned is ever parsed and memory holds one document's bytes at a time."""
    infos = archive.infolist()
    _check_listing(infos)
    by_name = {info.filename: info for info in infos}
    manifest_bytes = _read_member(archive, by_name[MANIFEST], SMALL_DOCUMENT_BYTES)
    manifest = _document(MANIFEST, manifest_bytes)
    seal = _document(SIGNATURE, _read_member(archive, by_name[SIGNATURE], SMALL_DOCUMENT_BYTES))
    if seal["signer"] != manifest["made_by"]:
        raise PackRefused("the pack is signed by someone other than its maker")
    try:
        signing.verify_bytes(seal["public_key"], manifest_bytes, seal["signature"])
    except signing.BadSignature as exc:
        raise PackRefused(f"the pack's signature does not check ({exc}): refused whole") from None
    documents = {}
    for member in SIGNED_MEMBERS:
        listed = manifest["members"][member]
        info = by_name[member]
        if listed["bytes"] > MAX_MEMBER_BYTES or info.file_size != listed["bytes"]:
            raise PackRefused(_changed(member))
        data = _read_member(archive, info, listed["bytes"], listed["sha256"])
        documents[member] = _document(member, data)
        del data
    return manifest, seal["public_key"], documents


def _changed(member: str) -> str:
    return f"{member} was changed after the pack was signed: the pack is refused whole"


def _check_listing(infos: list[zipfile.ZipInfo]) -> None:
    names = [info.filename for info in infos]
    for info in infos:
        member = info.filename
        if "/" in member or "\\" in member or member.startswith(".") or ".." in member:
            raise PackRefused(f"the pack holds a member named like a path ({member[:80]!r})")
        if member not in MEMBERS:
            raise PackRefused(f"the pack holds a member no review pack has ({member[:80]!r})")
        if info.flag_bits & 0x1:
            raise PackRefused(f"the pack's member {member} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackRefused(f"the pack's member {member} is compressed in an unknown way")
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackRefused(
                f"the pack's member {member} would take {info.file_size / 2**20:.0f} MB "
                f"unpacked (the limit is {MAX_MEMBER_BYTES // 2**20} MB)"
            )
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackRefused(
                f"the pack's member {member} is compressed {ratio} to 1, far beyond any real "
                "pack (a ZIP bomb?)"
            )
    if len(set(names)) != len(names):
        raise PackRefused("the pack holds the same member twice")
    missing = [member for member in MEMBERS if member not in names]
    if missing:
        raise PackRefused(f"the pack lacks {', '.join(missing)}")
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise PackRefused(f"the pack would take more than {MAX_TOTAL_BYTES // 2**20} MB unpacked")


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sha256: str | None = None
) -> bytes:
    """A member's bytes, counted as they come: never more than ``limit`` (and its header:
    the CRC check at its end catches a header that lies), nor past the compression ratio;
    with ``sha256``, its digest must be that."""
    limit = min(limit, info.file_size, MAX_MEMBER_BYTES)
    digest = hashlib.sha256()
    parts: list[bytes] = []
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > limit or (
                total > RATIO_FROM and total > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise PackRefused(f"the pack's member {info.filename} unpacks to more than it says")
            digest.update(chunk)
            parts.append(chunk)
    if sha256 is not None and digest.hexdigest() != sha256:
        raise PackRefused(_changed(info.filename))
    return b"".join(parts)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is not a number JSON allows")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key[:40]!r} appears twice in one object")
        result[key] = value
    return result


def _document(member: str, data: bytes) -> Any:
    try:
        document = json.loads(
            data.decode("utf-8"),
            parse_constant=_reject_constant,
            parse_float=_finite,
            object_pairs_hook=_no_duplicate_keys,
        )
        if b"\\ud" in data or b"\\uD" in data:  # an escaped surrogate: is it paired?
            json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise PackRefused(f"{member} in the pack is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise PackRefused(f"{member} in the pack is not valid JSON: {str(exc)[:200]}") from None
    wrong = problem(member, document)
    if wrong is not None:
        raise PackRefused(wrong)
    return document


def _unique(items: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise PackRefused(f"the pack lists {what} {item} twice")
        seen.add(item)


def _contents(manifest: dict[str, Any], seal_key: str, documents: dict[str, Any]) -> Pack:
    pack = Pack(
        made_by=manifest["made_by"],
        made_at=manifest["made_at"],
        scope=manifest["scope"]["kind"],
        collection=manifest["scope"]["collection"],
    )
    pack.reviewers = [PackReviewer(**r) for r in documents[REVIEWERS]]
    _unique([r.uid for r in pack.reviewers], "reviewer")
    keys = {r.uid: r.public_key for r in pack.reviewers}
    if keys.get(pack.made_by) is None:
        raise PackRefused("the pack does not name its maker among its reviewers")
    if keys[pack.made_by] != seal_key:
        raise PackRefused(
            "the pack is signed with another key than the one it gives for its maker: refused whole"
        )
    pack.articles = [_article(a) for a in documents[ARTICLES]]
    _unique([uid for a in pack.articles for uid in a.uids], "article")
    texts = {uid: a.article.text for a in pack.articles for uid in a.uids}
    for entry in documents[COLLECTIONS]:
        collection = PackCollection(entry["state"], entry["signature"])
        reason = _signature_problem(keys, collection.state["creator"], entry)
        if reason is None:
            pack.collections.append(collection)
        else:
            pack.refused.append(Refusal("collection", collection.state["uid"], reason))
    _unique([c.state["uid"] for c in pack.collections], "collection")
    for entry in documents[FINDINGS]:
        finding = _finding(entry, texts)
        reason = _signature_problem(keys, finding.payload["author"], entry)
        if reason is None:
            pack.findings.append(finding)
        else:
            pack.refused.append(Refusal("finding", finding.payload["uid"], reason))
    _unique([f.payload["uid"] for f in pack.findings], "finding")
    for entry in documents[MARKS]:
        mark = PackMark(entry["signed"], entry["signature"])
        where = f"{mark.payload['reviewer']} on {mark.payload['article']}"
        if mark.payload["article"] not in texts:
            raise PackRefused(f"a reviewed mark ({where}) is on an article the pack lacks")
        reason = _signature_problem(keys, mark.payload["reviewer"], entry)
        if reason is None:
            pack.marks.append(mark)
        else:
            pack.refused.append(Refusal("mark", where, reason))
    _unique([f"{m.payload['reviewer']} {m.payload['article']}" for m in pack.marks], "mark")
    return pack


def _signature_problem(keys: dict[str, str], author: str, entry: dict[str, Any]) -> str | None:
    key = keys.get(author)
    if key is None:
        return f"its author {author} is not among the pack's reviewers"
    signed = entry["signed"] if "signed" in entry else entry["state"]
    if "nonce" in signed and signed["uid"] != owned_uid(author, signed["nonce"]):
        return "its uid is not its author's (a uid taken from someone else's work)"
    try:
        signing.verify(key, signed, entry["signature"])
    except (signing.BadSignature, ValueError) as exc:
        return f"its signature does not check against its author's key ({exc})"
    return None


def _article(entry: dict[str, Any]) -> PackArticle:
    article = Article(
        title=entry["title"],
        text=entry["text"],
        authors=list(entry["authors"]),
        journal=entry["journal"],
        year=entry["year"],
        doi=entry["doi"],
        dois=[DoiRef(d["doi"], DoiRelation(d["relation"])) for d in entry["dois"]],
        pmid=entry["pmid"],
        pmcid=entry["pmcid"],
        nct_ids=list(entry["nct_ids"]),
        abstract=entry["abstract"],
        keywords=list(entry["keywords"]),
        source_format="rvpack",
        content_hash=content_hash(entry["text"]),
        uid=entry["uid"],
    )
    return PackArticle(article, tuple(a for a in entry["aliases"] if a != entry["uid"]))


def _finding(entry: dict[str, Any], texts: dict[str, str]) -> PackFinding:
    payload = entry["signed"]
    text = texts.get(payload["article"])
    if text is None:
        raise PackRefused(
            f"finding {payload['uid']} is on article {payload['article']}, which the pack "
            "does not carry"
        )
    at = entry["at"]
    if at is not None:
        start, end = int(at[0]), int(at[1])
        if not 0 <= start < end <= len(text) or text[start:end] != payload["quote"]:
            raise PackRefused(
                f"finding {payload['uid']}: its quote is not where the pack says it is "
                "in the article's text"
            )
        return PackFinding(payload, entry["signature"], (start, end))
    return PackFinding(payload, entry["signature"], None)


def file_identity(path: Path) -> tuple[int, int]:
    """Size and modification time: what a club folder's file is remembered by."""
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns
