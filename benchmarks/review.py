"""Dual review at scale, timed as a clinician runs it: `reviewapp agreement` and
`reviewapp disagreements` as typed, each in a fresh process until it exits (the library
opened, its index checked, the figures computed and printed as JSON).

    .venv/bin/python -m benchmarks.review [--articles 200] [--reviewers 10] [--per 50]

The library: ``--articles`` full-text articles of 150 sentences each, in one collection;
``--reviewers`` reviewers, each with ``--per`` findings on every article and every article
marked finished. Reviewers mostly tag the same sentences in the same category with the same
fields; some pick another sentence, category or number, so that there are groups missing a
reviewer and groups whose fields differ, as in a real club.

Each command is timed in a user's install (a virtual environment made as the README's first
command makes it, in a temporary folder: about 30 s, not timed) and, as a note, in the
developer's .venv, whose test extras bring pandas. Prints the median and every run, and (a
note, not the headline) the same work in-process, split into reading the library and
computing. Goal (issue 14): ≤ 2 s each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reviewapp.core.models import Category

SENTENCES_PER_ARTICLE = 150
EVENTS = ("neutropenia", "anaemia", "CMV viremia", "cytokine release syndrome", "fatigue")
AGENTS = ("alveltamig", "tarlatamab", "alemtuzumab", "blinatumomab", "teclistamab")
ENDPOINTS = ("OS", "PFS", "ORR", "DFS")


def write_articles(folder: Path, count: int, rng: random.Random) -> None:
    """Plain-text full texts, each sentence naming a drug, an event or an endpoint with
    figures (so every sentence could carry a finding)."""
    folder.mkdir(parents=True)
    for number in range(1, count + 1):
        lines = [f"Trial {number} of a T-cell engager in relapsed disease: full report", ""]
        for s in range(SENTENCES_PER_ARTICLE):
            n, total = rng.randint(3, 60), rng.randint(61, 400)
            kind = s % 3
            if kind == 0:
                lines.append(
                    f"In cohort {s}, {rng.choice(EVENTS)} occurred in {n} of {total} patients "
                    f"treated with {rng.choice(AGENTS)}."
                )
            elif kind == 1:
                months = f"{rng.randint(3, 40)}.{s % 10}"
                lines.append(
                    f"Median {rng.choice(ENDPOINTS)} in cohort {s} was {months} months with "
                    f"{rng.choice(AGENTS)}."
                )
            else:
                lines.append(
                    f"In cohort {s}, {rng.choice(AGENTS)} engaged CD3 and a tumour antigen, "
                    f"{n} of {total} samples showing T-cell activation."
                )
        (folder / f"trial-{number:04d}.txt").write_text(" ".join(lines) + "\n", "utf-8")


def build_library(
    library: Path, config: Path, articles: int, reviewers: int, per: int, seed: int
) -> None:
    """The library (set-up, not timed: findings are written in one transaction, unsigned
    as a library's own findings are until they are shared)."""
    os.environ["REVIEWAPP_CONFIG_DIR"] = str(config)
    from reviewapp.core.anchoring import anchor_at
    from reviewapp.core.models import Finding
    from reviewapp.core.sentences import Sentences
    from reviewapp.services.identity import identity_for, reviewer_of
    from reviewapp.services.importing import import_paths
    from reviewapp.services.library import LibrarySession
    from reviewapp.services.organise import add_to_collection, create_collection
    from reviewapp.services.signing import sign_mark

    rng = random.Random(seed)
    write_articles(library.parent / "papers", articles, rng)
    names = [f"Reviewer {r + 1:02d}" for r in range(reviewers)]
    os.environ["REVIEWAPP_REVIEWER"] = names[0]
    with LibrarySession.open(library) as session:
        import_paths(session, [library.parent / "papers"])
        lib = session.library
        ids = lib.articles.ids()
        question = create_collection(session, "Bench")
        add_to_collection(session, question.id, ids)
        identities = [identity_for(name) for name in names]
        with lib.transaction():
            authors = [reviewer_of(session, identity) for identity in identities]
            for article_id in ids:
                text = lib.articles.text(article_id) or ""
                spans = Sentences(text).spans
                # The sentences worth a finding, shared by the club; each reviewer takes most.
                chosen = rng.sample(range(1, len(spans)), min(len(spans) - 1, per + per // 5))
                for author, identity in zip(authors, identities, strict=True):
                    for index in rng.sample(chosen, min(per, len(chosen))):
                        start, end = spans[index]
                        kind = index % 3 if rng.random() > 0.05 else rng.randrange(3)
                        category, fields = _finding_fields(kind, rng)
                        finding = Finding(
                            article_id=article_id,
                            category=category,
                            anchor=anchor_at(text, start, end),
                            fields=fields,
                            reviewer=author.name,
                        )
                        lib.findings.insert(finding, author.id or 0)
                    sign_mark(session, article_id, identity, True)
        session.sync_index()


def _finding_fields(kind: int, rng: random.Random) -> tuple[Category, dict[str, object]]:
    differs = rng.random() < 0.1
    if kind == 0:
        return Category.TOXICITY, {"event": "CMV viremia", "N": 120 + (1 if differs else 0)}
    if kind == 1:
        return Category.EFFICACY, {"endpoint": "OS" if not differs else "PFS"}
    return Category.MECHANISM, {"agent": "alveltamig" if not differs else "tarlatamab"}


def user_install(folder: Path) -> Path:
    """A user's install, as the README's first command makes it: a virtual environment with
    reviewapp installed (editable) without the test extras. Their statsmodels brings pandas,
    which sqlite-utils imports whenever it is installed: 0.2 s no user pays. Returns the
    install's interpreter."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", "."],
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
    )
    return python


def reviewapp(python: Path | str, library: Path, config: Path, *args: str) -> float:
    """Run the command as typed with this install's interpreter; its wall time in seconds."""
    env = {**os.environ, "REVIEWAPP_CONFIG_DIR": str(config), "REVIEWAPP_REVIEWER": "Reviewer 01"}
    start = time.perf_counter()
    subprocess.run(
        [str(python), "-m", "reviewapp", "--library", str(library), *args],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def in_process(library: Path) -> str:
    from reviewapp.services.library import LibrarySession
    from reviewapp.services.review import agreement, group_json, groups, review_data

    with LibrarySession.open(library, sync_index=False) as session:
        start = time.perf_counter()
        data = review_data(session, "Bench")
        read = time.perf_counter() - start
        start = time.perf_counter()
        found = [group_json(g, data) for g in groups(data)]
        grouping = time.perf_counter() - start
        start = time.perf_counter()
        agreement(session, "Bench").to_json()
        figures = time.perf_counter() - start
    return (
        f"in-process: reading the library {read:.2f} s; grouping {grouping:.2f} s "
        f"({len(found):,} disagreements); agreement (reading included) {figures:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--reviewers", type=int, default=10)
    parser.add_argument("--per", type=int, default=50, help="findings per reviewer per article")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        library, config = root / "library.sqlite", root / "settings"
        start = time.perf_counter()
        build_library(library, config, args.articles, args.reviewers, args.per, args.seed)
        total = args.articles * args.reviewers * args.per
        print(
            f"library: {args.articles} articles of {SENTENCES_PER_ARTICLE} sentences, "
            f"{args.reviewers} reviewers, {total:,} findings, every article finished by all "
            f"(built in {time.perf_counter() - start:.0f} s, not timed)"
        )
        python = user_install(root / "user-install")
        installs: list[tuple[str, Path | str]] = [
            ("a user's install (the README's first command)", python),
            ("the developer's .venv (test extras: pandas imported)", sys.executable),
        ]
        for command in ("agreement", "disagreements"):
            for label, interpreter in installs:
                runs = [
                    reviewapp(
                        interpreter, library, config, command, "--collection", "Bench", "--json"
                    )
                    for _run in range(args.runs)
                ]
                print(
                    f"`reviewapp {command} --collection Bench --json` as typed, fresh process "
                    f"to exit, in {label}: median {statistics.median(runs):.2f} s (runs: "
                    f"{', '.join(f'{t:.2f}' for t in runs)}); goal ≤ 2 s"
                )
        print(in_process(library))


if __name__ == "__main__":
    main()
