"""Signatures on what reviewers exchange: Ed25519 over a canonical JSON form.

A finding revision, a collection's state or a pack's manifest is signed as the bytes of its
canonical JSON (keys sorted, no spaces, UTF-8): the same object always gives the same bytes,
so any library can check a signature on an object it received as JSON, whoever relayed it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class BadSignature(Exception):
    """A signature that does not verify, or a key or signature that is malformed."""


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that is signed and checked (ValueError for values
    JSON cannot carry: NaN, infinities, unpaired surrogates)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def private_key_from_pem(data: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise BadSignature(f"the signing key cannot be read ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BadSignature("the signing key is not an Ed25519 key")
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """A public key as it travels in packs: its 32 raw bytes, base64."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _decode(text: str, length: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise BadSignature(f"the {what} is not base64") from exc
    if len(raw) != length:
        raise BadSignature(f"the {what} has {len(raw)} bytes, not {length}")
    return raw


def public_key_from_text(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(_decode(text, PUBLIC_KEY_BYTES, "public key"))
    except ValueError as exc:  # 32 bytes that are not a point of the curve
        raise BadSignature(f"the public key is not an Ed25519 key ({exc})") from exc


def fingerprint(public_key: str) -> str:
    """What two people read to each other to check a key: the first 16 bytes of the
    SHA-256 of the raw key, in eight groups of four hex digits."""
    digest = hashlib.sha256(_decode(public_key, PUBLIC_KEY_BYTES, "public key")).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(key: Ed25519PrivateKey, value: Any) -> str:
    """The signature of ``value``'s canonical JSON, base64."""
    return base64.b64encode(key.sign(canonical_json(value))).decode("ascii")


def verify(public_key: str, value: Any, signature: str) -> None:
    """Raise BadSignature unless ``signature`` is ``public_key``'s over ``value``."""
    key = public_key_from_text(public_key)
    try:
        key.verify(_decode(signature, SIGNATURE_BYTES, "signature"), canonical_json(value))
    except InvalidSignature as exc:
        raise BadSignature("the signature does not match the signed content") from exc


def sign_bytes(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode("ascii")


def verify_bytes(public_key: str, data: bytes, signature: str) -> None:
    key = public_key_from_text(public_key)
    try:
        key.verify(_decode(signature, SIGNATURE_BYTES, "signature"), data)
    except InvalidSignature as exc:
        raise BadSignature("the signature does not match the signed content") from exc


def content_digest(value: Any) -> str:
    """SHA-256 of a value's canonical JSON: the deterministic tie-break between two
    different revisions that claim the same number."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
