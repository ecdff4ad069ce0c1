"""Review packs and the club folder, timed as a clinician runs them: the terminal command as
typed, in a fresh process, until it exits (a pack import until its findings are searchable).

    .venv/bin/python -m benchmarks.packs [--articles 1000] [--findings 10000] [--members 15]

Prints:
- `reviewapp pack export` of the whole library (N articles, M findings): seconds, size;
- `reviewapp pack import` of that pack into a new library: seconds (the index included);
- `reviewapp club sync` of a folder of K members' packs when nothing changed: seconds.
Goals (issue 13): ≤ 10 s each way at 1,000 articles and 10,000 findings; ≤ 1 s for the sync.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.record_corpus import make_records, write_ris


def reviewapp(library: Path, config: Path, name: str, *args: str) -> float:
    """Run the command as typed; its wall time in seconds."""
    env = {**os.environ, "REVIEWAPP_CONFIG_DIR": str(config), "REVIEWAPP_REVIEWER": name}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reviewapp", "--library", str(library), *args],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def build_library(library: Path, config: Path, name: str, articles: int, findings: int) -> None:
    """A library of ``articles`` generated abstracts with ``findings`` signed findings (set-up,
    not timed: findings are written in one transaction, as no user would type them)."""
    os.environ["REVIEWAPP_CONFIG_DIR"] = str(config)
    os.environ["REVIEWAPP_REVIEWER"] = name
    from reviewapp.core.anchoring import anchor_at
    from reviewapp.core.models import Category, Finding
    from reviewapp.services.identity import current_identity, reviewer_of
    from reviewapp.services.importing import import_paths
    from reviewapp.services.library import LibrarySession
    from reviewapp.services.signing import sign_finding

    export = library.parent / "export.ris"
    write_ris(export, make_records(articles))
    with LibrarySession.open(library) as session:
        import_paths(session, [export])
        identity = current_identity()
        lib = session.library
        ids = lib.articles.ids()
        per_article = max(1, findings // len(ids))
        with lib.transaction():
            author = reviewer_of(session, identity)
            made = 0
            for article_id in ids:
                text = lib.articles.text(article_id) or ""
                for k in range(per_article):
                    if made >= findings:
                        break
                    start = (k * 37) % max(1, len(text) - 60)
                    finding = Finding(
                        article_id=article_id,
                        category=Category.MECHANISM,
                        anchor=anchor_at(text, start, start + 40),
                        fields={"agent": f"agent {k}"},
                        note=f"note {k}",
                        reviewer=author.name,
                    )
                    lib.findings.insert(finding, author.id or 0)
                    sign_finding(session, finding.id or 0, identity)
                    made += 1
        session.sync_index()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        moderator = root / "ana"
        moderator.mkdir()
        library, config = moderator / "library.sqlite", moderator / "settings"
        build_library(library, config, "Ana Ruiz", args.articles, args.findings)
        pack = root / "whole.rvpack"
        exports = [
            reviewapp(library, config, "Ana Ruiz", "pack", "export", "--out", str(pack))
            for _run in range(args.runs)
        ]
        size = pack.stat().st_size / 2**20
        print(
            f"pack export ({args.articles:,} articles, {args.findings:,} findings, whole "
            f"library, `reviewapp pack export` as typed): median "
            f"{statistics.median(exports):.2f} s (runs: "
            f"{', '.join(f'{t:.2f}' for t in exports)}); pack {size:.1f} MB; goal ≤ 10 s"
        )
        imports = []
        for run in range(args.runs):
            fresh = root / f"ben{run}"
            fresh.mkdir()
            imports.append(
                reviewapp(
                    fresh / "library.sqlite",
                    fresh / "settings",
                    "Ben Okafor",
                    "pack",
                    "import",
                    str(pack),
                )
            )
        print(
            "pack import into a new library (`reviewapp pack import` as typed, until its "
            f"findings are searchable): median {statistics.median(imports):.2f} s (runs: "
            f"{', '.join(f'{t:.2f}' for t in imports)}); goal ≤ 10 s"
        )
        folder = root / "club"
        folder.mkdir()
        members = []
        for number in range(args.members):
            home = root / f"member{number}"
            home.mkdir(exist_ok=True)
            shutil.copy(library, home / "library.sqlite")
            members.append((home / "library.sqlite", home / "settings", f"Member {number + 1}"))
            reviewapp(*members[-1], "club", "sync", str(folder))
        reviewapp(*members[0], "club", "sync", str(folder))  # takes everyone's packs once
        syncs = [reviewapp(*members[0], "club", "sync", str(folder)) for _run in range(args.runs)]
        print(
            f"club sync of a folder of {args.members} members' packs where nothing changed "
            f"(`reviewapp club sync` as typed): median {statistics.median(syncs):.2f} s (runs: "
            f"{', '.join(f'{t:.2f}' for t in syncs)}); goal ≤ 1 s"
        )


if __name__ == "__main__":
    main()
