"""The finding form's suggester on one sentence, with the shipped vocabulary: the helpers the
suggester's tests share."""

from __future__ import annotations

from reviewapp.core.models import Category
from reviewapp.core.suggest import suggest_fields
from reviewapp.services.suggestions import load_vocabulary

WORDS = load_vocabulary()


def eff(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.EFFICACY, sentence, WORDS)


def tox(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.TOXICITY, sentence, WORDS)


def mech(sentence: str) -> dict[str, str]:
    return suggest_fields(Category.MECHANISM, sentence, WORDS)
