"""The check of whoosh's internals: ``check_whoosh_internals()`` names every internal this
package relies on that the installed whoosh no longer has as it expects (names, signatures,
constants, the names used by the code copied or followed here, from ``tables.py``; with a
scratch folder, a small index read both ways, ``probes.py``); ``changed_internals()`` runs it
once per process for ``SearchIndex`` and ``bulk.py``."""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reviewapp.search.whoosh_internals.probes import index_problems
from reviewapp.search.whoosh_internals.tables import (
    ATTRIBUTES,
    CODE,
    NAMES,
    SIGNATURES,
    VALUES,
    Use,
)

log = logging.getLogger(__name__)


@functools.cache
def changed_internals() -> tuple[str, ...]:
    """``check_whoosh_internals()`` once per process (about a millisecond); each internal
    that changed is logged once, as a warning."""
    changed = tuple(check_whoosh_internals())
    for message in changed:
        log.warning("%s; searching and indexing keep to whoosh's own, slower, ways", message)
    return changed


class _Missing(Exception):
    pass


def _resolve(internal: str) -> Any:
    """The object an internal ("module:dotted.name") names; _Missing says what is gone."""
    module, dotted = internal.split(":")
    try:
        found: Any = importlib.import_module(module)
    except ImportError as exc:
        raise _Missing(f"{module} cannot be imported ({exc})") from None
    owner = module
    for part in dotted.split("."):
        if not hasattr(found, part):
            raise _Missing(f"{owner} has no attribute {part}")
        found = getattr(found, part)
        owner = f"{owner}.{part}"
    return found


def _names_used(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        for value in vars(klass).values():
            code = getattr(getattr(value, "__func__", value), "__code__", None)
            if code is not None:
                names.update(code.co_names)
    return names


def _static_problems() -> Iterator[str]:
    tables: list[dict[str, Any]] = [NAMES, SIGNATURES, ATTRIBUTES, CODE, VALUES]
    found: dict[str, Any] = {}
    for table in tables:
        for internal, entry in table.items():
            if internal in found:
                continue
            use = entry if isinstance(entry, Use) else entry[-1]
            try:
                found[internal] = _resolve(internal)
            except _Missing as missing:
                found[internal] = missing
                yield f"{missing}: {_relied(use)}"
    resolved = {k: v for k, v in found.items() if not isinstance(v, _Missing)}
    name = {internal: internal.replace(":", ".") for internal in found}
    for internal, (expected, use) in SIGNATURES.items():
        if internal in resolved:
            now = ", ".join(inspect.signature(resolved[internal]).parameters)
            if now != expected:
                yield f"{name[internal]} takes ({now}), not ({expected}): {_relied(use)}"
    for internal, (attributes, use) in ATTRIBUTES.items():
        if internal in resolved:
            used = _names_used(resolved[internal])
            for attribute in attributes.split():
                if attribute not in used:
                    yield f"{name[internal]} has no attribute {attribute}: {_relied(use)}"
    for internal, (names, use) in CODE.items():
        if internal in resolved:
            code = getattr(resolved[internal], "__code__", None)
            uses, used = set(code.co_names if code is not None else ()), set(names.split())
            if uses != used:
                added = ", ".join(sorted(uses - used)) or "nothing new"
                gone = ", ".join(sorted(used - uses)) or "nothing"
                yield (
                    f"{name[internal]} changed (it now uses {added} and no longer {gone}): "
                    f"{_relied(use)}"
                )
    for internal, (probe, expected, use) in VALUES.items():
        if internal in resolved:
            try:
                now = probe(resolved[internal])
            except Exception as exc:
                now = f"{type(exc).__name__}: {exc}"
            if now != expected:
                yield f"{name[internal]} gives {now!r}, not {expected!r}: {_relied(use)}"


def check_whoosh_internals(scratch: Path | None = None) -> list[str]:
    """What of whoosh's internals this package relies on the installed whoosh no longer has
    as it expects, each named in a sentence ("whoosh.codec.whoosh3.W3LeafMatcher has no
    attribute _nextoffset: … relies on it to …"); empty if nothing changed.

    The names, signatures, the code this package copies, and constants are checked in the
    installed whoosh (about a millisecond). Given an empty folder ``scratch``, a small index
    is also built there and read through the package's functions, each compared with
    whoosh's own reading (under a second: ``probes.py``).
    """
    problems = list(_static_problems())
    if scratch is not None and not problems:
        problems += index_problems(scratch)
    return problems


def _relied(use: Use) -> str:
    return f"{use.where} relies on it to {use.purpose}"
