"""Citations in Vancouver style (ICMJE / NLM), as briefs and exports print them."""

from __future__ import annotations

from reviewapp.core.models import Article

MAX_AUTHORS = 6


def vancouver_authors(authors: list[str]) -> str:
    """ "Luskin MR, Yin J, Lozanski G" — the first six, then "et al"."""
    if not authors:
        return ""
    shown = ", ".join(authors[:MAX_AUTHORS])
    return shown + (", et al" if len(authors) > MAX_AUTHORS else "")


def vancouver(article: Article) -> str:
    """The article as a Vancouver reference, without its number."""
    parts: list[str] = []
    authors = vancouver_authors(article.authors)
    if authors:
        parts.append(authors + ".")
    title = article.title.strip()
    parts.append(title if title.endswith(("?", "!", ".")) else title + ".")
    source = " ".join(
        p
        for p in [
            f"{article.journal}." if article.journal else "",
            f"{article.year}." if article.year else "",
        ]
        if p
    )
    if source:
        parts.append(source)
    if article.doi:
        parts.append(f"doi:{article.doi}")
    return " ".join(parts)


def short_citation(article: Article) -> str:
    """ "Luskin et al, Cancer 2025" — for tables and running text."""
    first = _surname(article.authors[0]) if article.authors else ""
    who = f"{first} et al" if len(article.authors) > 1 else first
    where = " ".join(str(p) for p in (article.journal, article.year) if p)
    return ", ".join(p for p in (who, where) if p) or _cut_at_word(article.title, 60)


def _surname(name: str) -> str:
    """ "van der Berg JH" → "van der Berg"; a name without trailing initials stays whole."""
    parts = name.split()
    if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) <= 3:
        return " ".join(parts[:-1])
    return name


def _cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"
