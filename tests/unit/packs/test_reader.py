"""The pack reader takes any file as the untrusted input it is: a real pack reads back; every
malformed, tampered, oversized or hostile one is refused with a reason, never anything
else (fuzzed with hypothesis)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewapp.core import signing
from reviewapp.core.exchange import finding_payload, owned_uid
from reviewapp.core.models import Anchor, Article, Category, Finding
from reviewapp.packs import format as pack_format
from reviewapp.packs.format import PackArticle, PackFinding, PackRefused, PackReviewer
from reviewapp.packs.reader import read_pack
from reviewapp.packs.writer import Signer, write_pack

TEXT = "Grade 3 or higher neutropenia occurred in 12 of 100 patients (12%)."
KEY = signing.new_private_key()
PUBLIC = signing.public_key_text(KEY)
ME = "11111111-1111-4111-8111-111111111111"
ARTICLE = "22222222-2222-4222-8222-222222222222"
NONCE = "0123456789abcdef0123456789abcdef"


def _payload() -> dict[str, object]:
    finding = Finding(
        article_id=1,
        category=Category.TOXICITY,
        anchor=Anchor(0, 28, TEXT[:28], "", TEXT[28:68]),
        fields={"event": "neutropenia", "n": 12, "N": 100},
        uid=owned_uid(ME, NONCE),
        nonce=NONCE,
        created_at="2026-12-06T10:00:00.000+00:00",
        updated_at="2026-12-06T10:00:00.000+00:00",
        author_uid=ME,
    )
    return finding_payload(finding, ARTICLE)


def _write(path: Path, at: tuple[int, int] | None = (0, 28)) -> Path:
    payload = _payload()
    write_pack(
        path,
        Signer(ME, PUBLIC, lambda data: signing.sign_bytes(KEY, data)),
        "2026-12-06T10:00:00.000+00:00",
        "articles",
        None,
        [PackReviewer(ME, "Ana Ruiz", "AR", "#0072B2", PUBLIC)],
        [PackArticle(Article(title="Neutropenia", text=TEXT, uid=ARTICLE))],
        [],
        [PackFinding(payload, signing.sign(KEY, payload), at)],
    )
    return path


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return _write(tmp_path / "good.rvpack")


def test_a_real_pack_reads_back(pack: Path) -> None:
    contents = read_pack(pack)
    assert contents.made_by == ME and contents.scope == "articles"
    assert [a.article.text for a in contents.articles] == [TEXT]
    assert [f.payload["fields"] for f in contents.findings] == [
        {"event": "neutropenia", "n": 12, "N": 100}
    ]
    assert contents.findings[0].at == (0, 28) and not contents.refused


def _members(pack: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pack) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _resign(members: dict[str, bytes], name: str, data: bytes) -> dict[str, bytes]:
    """``members`` with ``name`` replaced and the manifest re-signed by its maker: a pack
    its maker really made, with a bad document in it."""
    import hashlib

    manifest = json.loads(members["manifest.json"])
    manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    manifest_bytes = json.dumps(manifest).encode()
    seal = {
        "signer": ME,
        "public_key": PUBLIC,
        "signature": signing.sign_bytes(KEY, manifest_bytes),
    }
    return members | {
        name: data,
        "manifest.json": manifest_bytes,
        "signature.json": json.dumps(seal).encode(),
    }


def _spoil(seal: bytes) -> bytes:
    return seal.replace(b'"signature":"', b'"signature":"A')


OTHER_UID = b"44444444-4444-4444-8444-444444444444"
YEAR_TYPE = r"\[0\]\.year must be integer or null"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda m: {k: v for k, v in m.items() if k != "findings.json"}, "lacks findings.json"),
        (lambda m: m | {"extra.json": b"{}"}, "no review pack has"),
        (lambda m: m | {"../evil.json": b"{}"}, "named like a path"),
        (lambda m: m | {"sub/findings.json": b"{}"}, "named like a path"),
        (lambda m: m | {"manifest.json": b"not json"}, "not valid JSON"),
        (lambda m: m | {"manifest.json": b'{"format": 1, "format": 2}'}, "appears twice"),
        (lambda m: m | {"manifest.json": b"\xff\xfe"}, "not UTF-8"),
        (lambda m: m | {"manifest.json": b"[" * 60_000}, "not valid JSON"),
        (lambda m: m | {"findings.json": m["findings.json"] + b" "}, "changed after"),
        (lambda m: m | {"signature.json": _spoil(m["signature.json"])}, "signature does not"),
    ],
)
def test_broken_packs_are_refused_with_a_reason(
    pack: Path, tmp_path: Path, change: object, reason: str
) -> None:
    bad = _zip(tmp_path / "bad.rvpack", change(_members(pack)))  # type: ignore[operator]
    with pytest.raises(PackRefused, match=reason):
        read_pack(bad)


@pytest.mark.parametrize(
    ("name", "edit", "reason"),
    [
        ("findings.json", lambda d: d.replace(b'"at":[0,28]', b'"at":[0,999]'), "not where"),
        ("findings.json", lambda d: d.replace(b'"at":[0,28]', b'"at":[5,28]'), "not where"),
        ("findings.json", lambda d: d.replace(ARTICLE.encode(), b"not-a-uid"), "36 characters"),
        ("findings.json", lambda d: d.replace(b'"n":12', b'"n":NaN'), "not a number JSON allows"),
        ("articles.json", lambda d: d.replace(b'"year":null', b'"year":"2025"'), YEAR_TYPE),
        ("reviewers.json", lambda d: d.replace(b'"#0072B2"', b'"red"'), "must match pattern"),
        (
            "reviewers.json",
            lambda d: d.replace(ME.encode(), b"44444444-4444-4444-8444-444444444444"),
            "maker",
        ),
        (
            "articles.json",
            lambda d: d.replace(ARTICLE.encode(), b"55555555-5555-4555-8555-555555555555"),
            "does not carry",
        ),
    ],
)
def test_a_signed_pack_with_a_bad_document_is_refused(
    pack: Path, tmp_path: Path, name: str, edit: object, reason: str
) -> None:
    members = _members(pack)
    changed = edit(members[name])  # type: ignore[operator]
    assert changed != members[name]
    bad = _zip(tmp_path / "bad.rvpack", _resign(members, name, changed))
    with pytest.raises(PackRefused, match=reason):
        read_pack(bad)


def test_size_limits_are_kept_before_reading(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewapp.packs.reader.MAX_PACK_BYTES", 100)
    with pytest.raises(PackRefused, match="are refused"):
        read_pack(pack)
    monkeypatch.undo()
    monkeypatch.setattr("reviewapp.packs.reader.MAX_MEMBER_BYTES", 50)
    with pytest.raises(PackRefused, match="unpacked"):
        read_pack(pack)


def test_a_header_that_lies_about_a_member_size_is_caught(pack: Path, tmp_path: Path) -> None:
    """A member that unpacks to more than its headers say (a bomb that hides): reading
    stops at the declared size and the CRC check refuses it. (Sizes sit at offset 22 of a
    local header and 24 of a central directory entry.)"""
    data = bytearray(pack.read_bytes())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("articles.json")
    smaller = (info.file_size - 10).to_bytes(4, "little")
    # uncompressed size in the local header (offset 22) and in the central directory (24)
    data[info.header_offset + 22 : info.header_offset + 26] = smaller
    for start in [i for i in range(len(data) - 4) if data[i : i + 4] == b"PK\x01\x02"]:
        name_length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + name_length] == b"articles.json":
            data[start + 24 : start + 28] = smaller
    bad = tmp_path / "liar.rvpack"
    bad.write_bytes(bytes(data))
    with pytest.raises(PackRefused):
        read_pack(bad)


def test_an_encrypted_member_is_refused(pack: Path, tmp_path: Path) -> None:
    data = bytearray(pack.read_bytes())
    headers = (b"PK\x03\x04", b"PK\x01\x02")
    for start in [i for i in range(len(data) - 4) if bytes(data[i : i + 4]) in headers]:
        flag_at = start + (6 if data[start + 2] == 3 else 8)
        data[flag_at] |= 0x1
    bad = tmp_path / "locked.rvpack"
    bad.write_bytes(bytes(data))
    with pytest.raises(PackRefused, match="encrypted"):
        read_pack(bad)


def test_a_finding_whose_signature_fails_is_set_aside_not_the_pack(
    pack: Path, tmp_path: Path
) -> None:
    members = _members(pack)
    findings = json.loads(members["findings.json"])
    findings[0]["signed"]["note"] = "changed after its author signed it"
    bad = _zip(
        tmp_path / "relayed.rvpack",
        _resign(members, "findings.json", json.dumps(findings).encode()),
    )
    contents = read_pack(bad)
    assert contents.findings == []
    assert [(r.kind, r.uid) for r in contents.refused] == [
        ("finding", findings[0]["signed"]["uid"])
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=4096))
def test_any_bytes_are_a_pack_or_a_refusal(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.rvpack"
    path.write_bytes(data)
    with pytest.raises(PackRefused):
        read_pack(path)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=8)
)
def test_a_damaged_pack_is_read_whole_or_refused(
    tmp_path: Path, flips: list[tuple[int, int]]
) -> None:
    pack = _write(tmp_path / "fuzz-source.rvpack")
    data = bytearray(pack.read_bytes())
    for at, mask in flips:
        data[at % len(data)] ^= mask
    damaged = tmp_path / "damaged.rvpack"
    damaged.write_bytes(bytes(data))
    try:
        contents = read_pack(damaged)
    except PackRefused:
        return
    assert contents.made_by == ME  # a flip that zip and the signature both allow (padding)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    document=st.sampled_from(pack_format.SIGNED_MEMBERS),
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=20,
    ),
)
def test_any_signed_json_document_is_checked_against_its_schema(
    tmp_path: Path, document: str, value: object
) -> None:
    pack = _write(tmp_path / "schema-source.rvpack")
    members = _resign(_members(pack), document, json.dumps(value).encode())
    bad = _zip(tmp_path / "any.rvpack", members)
    try:
        read_pack(bad)
    except PackRefused:
        return
    assert value == [] and document in ("collections.json", "findings.json", "marks.json")


def test_the_schemas_are_valid_json_schemas() -> None:
    import fastjsonschema

    from reviewapp.packs.schema import DRAFT, SCHEMAS_BY_MEMBER

    assert set(SCHEMAS_BY_MEMBER) == set(pack_format.MEMBERS)
    for schema in SCHEMAS_BY_MEMBER.values():
        fastjsonschema.compile({"$schema": DRAFT, **schema})
    with pytest.raises(fastjsonschema.JsonSchemaDefinitionException):
        fastjsonschema.compile({"$schema": DRAFT, "type": "no such type"})
