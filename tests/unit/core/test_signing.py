"""Signatures over canonical JSON: the same object signs the same, any change breaks it."""

from __future__ import annotations

import re

import pytest

from reviewapp.core import signing


def test_canonical_json_is_one_byte_form_whatever_the_key_order() -> None:
    first = {"b": [1, 2.5, None], "a": "α ≥ 3", "c": {"y": True, "x": -0.0}}
    second = {"c": {"x": -0.0, "y": True}, "a": "α ≥ 3", "b": [1, 2.5, None]}
    assert signing.canonical_json(first) == signing.canonical_json(second)
    assert signing.canonical_json(first) == (
        '{"a":"α ≥ 3","b":[1,2.5,null],"c":{"x":-0.0,"y":true}}'.encode()
    )
    with pytest.raises(ValueError):
        signing.canonical_json({"p": float("nan")})


def test_a_signature_checks_and_any_change_breaks_it() -> None:
    key = signing.new_private_key()
    public = signing.public_key_text(key)
    finding = {"uid": "f1", "fields": {"n": 14, "N": 60}, "quote": "14/60 (23.3%)"}
    signature = signing.sign(key, finding)
    signing.verify(public, dict(reversed(finding.items())), signature)
    for changed in (
        {**finding, "fields": {"n": 15, "N": 60}},
        {**finding, "quote": "14/60 (23.3 %)"},
        {**finding, "extra": None},
    ):
        with pytest.raises(signing.BadSignature):
            signing.verify(public, changed, signature)
    other = signing.public_key_text(signing.new_private_key())
    with pytest.raises(signing.BadSignature):
        signing.verify(other, finding, signature)


@pytest.mark.parametrize(
    ("public", "signature"),
    [("not base64!", None), ("QUJD", None), (None, "QUJD"), (None, "%%%")],
)
def test_malformed_keys_and_signatures_are_bad_signatures(
    public: str | None, signature: str | None
) -> None:
    key = signing.new_private_key()
    good_signature = signing.sign(key, {"a": 1})
    with pytest.raises(signing.BadSignature):
        signing.verify(
            public or signing.public_key_text(key), {"a": 1}, signature or good_signature
        )


def test_keys_round_trip_through_pem_and_have_a_readable_fingerprint() -> None:
    key = signing.new_private_key()
    again = signing.private_key_from_pem(signing.private_key_to_pem(key))
    assert signing.public_key_text(again) == signing.public_key_text(key)
    print_ = signing.fingerprint(signing.public_key_text(key))
    assert re.fullmatch(r"([0-9a-f]{4} ){7}[0-9a-f]{4}", print_)
    assert print_ != signing.fingerprint(signing.public_key_text(signing.new_private_key()))
    with pytest.raises(signing.BadSignature):
        signing.private_key_from_pem(
            b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"
        )


def test_signed_bytes_check_exactly() -> None:
    key = signing.new_private_key()
    data = b'{"manifest": 1}'
    signature = signing.sign_bytes(key, data)
    signing.verify_bytes(signing.public_key_text(key), data, signature)
    with pytest.raises(signing.BadSignature):
        signing.verify_bytes(signing.public_key_text(key), data + b" ", signature)
