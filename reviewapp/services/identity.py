"""Who is reviewing: a reviewer uid, a display name, initials, a colour and an Ed25519
signing key, created on first use and kept in the settings folder.

Each name used on this machine (preferences, ``REVIEWAPP_REVIEWER``, ``--reviewer``) has
an identity of its own, so two people sharing a laptop, or a test simulating a club, never
sign as each other. The key file is readable by its owner only. The library knows each
reviewer by uid; the name is how people read it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reviewapp.core import signing
from reviewapp.core.models import Reviewer, utc_now
from reviewapp.core.text import initials_of
from reviewapp.services.library import LibrarySession, ServiceError
from reviewapp.services.paths import config_dir
from reviewapp.services.preferences import current_reviewer, load_preferences
from reviewapp.store.reviewers import PALETTE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    uid: str
    name: str
    initials: str
    colour: str
    key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        return signing.public_key_text(self.key)

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)

    def sign(self, value: Any) -> str:
        return signing.sign(self.key, value)

    def sign_bytes(self, data: bytes) -> str:
        return signing.sign_bytes(self.key, data)

    def as_reviewer(self) -> Reviewer:
        return Reviewer(
            name=self.name,
            initials=self.initials,
            colour=self.colour,
            uid=self.uid,
            public_key=self.public_key,
        )

    def to_json(self) -> dict[str, str]:
        return {
            "uid": self.uid,
            "name": self.name,
            "initials": self.initials,
            "colour": self.colour,
            "fingerprint": self.fingerprint,
            "public_key": self.public_key,
        }


def identities_dir() -> Path:
    return config_dir() / "identities"


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, whole or not at all."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _load(record: Path) -> Identity | None:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        key = signing.private_key_from_pem(record.with_suffix(".key").read_bytes())
        return Identity(data["uid"], data["name"], data["initials"], data["colour"], key)
    except (OSError, ValueError, KeyError, TypeError, signing.BadSignature) as exc:
        log.warning("identity %s unreadable (%s)", record, exc)
        return None


def _all() -> list[Identity]:
    folder = identities_dir()
    if not folder.is_dir():
        return []
    found = (_load(record) for record in sorted(folder.glob("*.json")))
    return [identity for identity in found if identity is not None]


def _save(identity: Identity, created_at: str) -> None:
    folder = identities_dir()
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{identity.uid}.json"
    _write_private(record.with_suffix(".key"), signing.private_key_to_pem(identity.key))
    data = {
        "uid": identity.uid,
        "name": identity.name,
        "initials": identity.initials,
        "colour": identity.colour,
        "created_at": created_at,
    }
    _write_private(record, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def _initials_for(name: str) -> str:
    prefs = load_preferences()
    if prefs.reviewer_initials and prefs.reviewer_name.strip().lower() == name.lower():
        return prefs.reviewer_initials.strip()[:4]
    return initials_of(name)


def identity_for(name: str) -> Identity:
    """The identity of ``name`` on this machine, created (with a new key) on first use."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError("a reviewer needs a name")
    for identity in _all():
        if identity.name.lower() == name.lower():
            return identity
    uid = str(uuid.uuid4())
    identity = Identity(
        uid,
        name,
        _initials_for(name),
        PALETTE[int(uid.replace("-", ""), 16) % len(PALETTE)],
        signing.new_private_key(),
    )
    _save(identity, utc_now())
    return identity


def local_keys() -> dict[str, str]:
    """The public key of every identity kept on this machine, by uid: a pack that claims one
    of these uids with another key is an impostor, whatever a library has seen before."""
    return {identity.uid: identity.public_key for identity in _all()}


def passing_identity(name: str) -> Identity:
    """An identity whose key is kept nowhere (the demo library's example reviewer): what it
    signs can be checked by anyone and changed by no one."""
    uid = str(uuid.uuid4())
    colour = PALETTE[int(uid.replace("-", ""), 16) % len(PALETTE)]
    return Identity(uid, name, initials_of(name), colour, signing.new_private_key())


def current_identity(explicit: str | None = None) -> Identity:
    """The identity of the reviewer at work: the one named, else REVIEWAPP_REVIEWER, else
    the preferences' name (ServiceError when none is set)."""
    name = current_reviewer(explicit)
    if name is None:
        raise ServiceError(
            "no reviewer: pass --reviewer NAME, set REVIEWAPP_REVIEWER, "
            "or set your name in the preferences"
        )
    return identity_for(name)


def acting_identity(explicit: str | None, owner_uid: str) -> Identity:
    """Who is changing something of ``owner_uid``'s: the reviewer named (option, environment,
    preferences) or, when none is, the owner themselves if their key is on this machine."""
    name = current_reviewer(explicit)
    if name is not None:
        return identity_for(name)
    for identity in _all():
        if identity.uid == owner_uid:
            return identity
    return current_identity(explicit)  # says that no reviewer is set


def rename_identity(old: str, new: str, initials: str) -> None:
    """The preferences' name changed: the same person (uid and key) goes by ``new``."""
    for identity in _all():
        if identity.name.lower() == old.strip().lower():
            renamed = Identity(
                identity.uid, " ".join(new.split()), initials, identity.colour, identity.key
            )
            _save(renamed, utc_now())
            return


def reviewer_of(session: LibrarySession, identity: Identity) -> Reviewer:
    """This library's reviewer row for ``identity``, made or brought up to date (call
    inside a write transaction). Findings tagged under its name before reviewers had
    keys become its own."""
    lib = session.library
    known = lib.reviewers.get_by_uid(identity.uid)
    if known is not None and known.public_key not in (None, identity.public_key):
        raise ServiceError(
            f"this library knows reviewer {identity.uid} with another key than yours: "
            "it cannot take findings signed as you"
        )
    reviewer = lib.reviewers.ensure_keyed(identity.as_reviewer(), claim_by_name=True)
    if (reviewer.name, reviewer.initials, reviewer.colour) != (
        identity.name,
        identity.initials,
        identity.colour,
    ):
        lib.reviewers.describe(reviewer.id or 0, identity.name, identity.initials, identity.colour)
        reviewer = lib.reviewers.get(reviewer.id or 0) or reviewer
    return reviewer


def confirm_reviewer_key(session: LibrarySession, uid: str, confirmed: bool = True) -> None:
    """Record that a person checked a reviewer's key fingerprint with its owner."""
    lib = session.library
    reviewer = lib.reviewers.get_by_uid(uid)
    if reviewer is None or reviewer.public_key is None:
        raise ServiceError(f"no reviewer {uid} with a key in this library")
    with lib.transaction():
        lib.reviewers.confirm_key(reviewer.id or 0, confirmed)


def view_as(session: LibrarySession, explicit: str | None = None) -> str:
    """Show the library as the reviewer at work sees it: on a blind collection's articles,
    only their own findings (none when no reviewer is set). The library remembers whose
    view its index holds; a change of viewer re-indexes the blind articles. Returns the
    viewer's uid ("" for nobody)."""
    name = current_reviewer(explicit)
    uid = identity_for(name).uid if name else ""
    session.show_findings_of(uid)
    return uid
