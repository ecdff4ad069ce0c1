"""Brief figures: 50 articles with 500 findings → the PDF, timed (goal ≤ 3 s).

.venv/bin/python -m benchmarks.brief
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_corpus


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REVIEWAPP_CONFIG_DIR"] = str(Path(tmp) / "config")
        from reviewapp.core.models import Category
        from reviewapp.services.briefs import build_brief
        from reviewapp.services.findings import create_finding
        from reviewapp.services.importing import import_paths
        from reviewapp.services.library import LibrarySession

        rng = random.Random(4)
        write_corpus(Path(tmp) / "corpus", 50)
        with LibrarySession.open(Path(tmp) / "brief.sqlite") as session:
            reports = import_paths(session, [Path(tmp) / "corpus"])
            ids = [i for r in reports for i in r.article_ids]
            lib = session.library
            with lib.transaction():  # 500 findings, straight into the store (not timed)
                for k in range(500):
                    article_id = ids[k % len(ids)]
                    text = lib.articles.text(article_id) or ""
                    sentence = text.split("\n")[5 + k % 3]
                    category = [
                        Category.TOXICITY,
                        Category.EFFICACY,
                        Category.MECHANISM,
                        Category.REFERENCE,
                    ][k % 4]
                    fields = {
                        Category.TOXICITY: {
                            "event": f"event {k % 12}",
                            "incidence_pct": str(rng.randint(1, 60)),
                        },
                        Category.EFFICACY: {
                            "endpoint": "OS",
                            "measure": "HR",
                            "value": "0.8",
                            "ci_low": "0.6",
                            "ci_high": "1.0",
                        },
                        Category.MECHANISM: {"agent": "agent", "targets": "DLL3"},
                        Category.REFERENCE: {"citation": f"Related report {k}"},
                    }[category]
                    create_finding(
                        session,
                        article_id,
                        category,
                        quote=sentence[:80],
                        fields=fields,
                        reviewer=f"Reviewer {k % 3}",
                    )
            timings = []
            for _ in range(3):
                start = time.perf_counter()
                report = build_brief(
                    session,
                    Path(tmp) / "brief.pdf",
                    title="Benchmark brief",
                    bottom_line="Fifty generated articles.",
                )
                timings.append(time.perf_counter() - start)
            print(
                f"brief of {report.articles} articles and {report.findings} findings: "
                f"{report.pages} pages in {min(timings):.2f} s (best of 3; "
                f"runs {', '.join(f'{t:.2f}' for t in timings)}; goal ≤ 3 s)"
            )


if __name__ == "__main__":
    main()
