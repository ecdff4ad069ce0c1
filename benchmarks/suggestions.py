"""How well the finding form's suggestions match what a careful oncologist fills.

Runs the suggester over a labelled set of sentences (by default the one the tests hold,
tests/fixtures/suggestions/labelled.jsonl: our own sentences, each with the fields a
reviewer fills) and prints, per category and per field, recall (expected fields suggested
with the right value), precision (suggested fields that are right) and the sentences whose
suggestions are exactly right. ``--show`` lists every sentence that is not.

    python -m benchmarks.suggestions [--cases FILE] [--show]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from reviewapp.core.categories import SCHEMAS
from reviewapp.core.models import Category
from reviewapp.services.suggestions import load_vocabulary, suggest

CASES = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "suggestions" / "labelled.jsonl"
)


@dataclass
class Tally:
    expected: int = 0
    suggested: int = 0
    right: int = 0
    sentences: int = 0
    exact: int = 0

    def add(self, expected: dict[str, str], suggested: dict[str, str]) -> None:
        self.expected += len(expected)
        self.suggested += len(suggested)
        self.right += sum(1 for k, v in suggested.items() if expected.get(k) == v)

    def row(self, name: str) -> str:
        recall = self.right / self.expected if self.expected else 1.0
        precision = self.right / self.suggested if self.suggested else 1.0
        exact = f"{self.exact}/{self.sentences}" if self.sentences else ""
        return f"{name:<22} {recall:>7.3f} {precision:>9.3f} {self.expected:>9} {exact:>9}"


@dataclass
class Report:
    total: Tally = field(default_factory=Tally)
    categories: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[tuple[str, str, dict[str, str], dict[str, str]]] = field(default_factory=list)


def load_cases(path: Path) -> list[tuple[Category, str, dict[str, str]]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            cases.append((Category(record["category"]), record["sentence"], record["fields"]))
    return cases


def measure(cases: list[tuple[Category, str, dict[str, str]]]) -> Report:
    vocabulary = load_vocabulary()
    report = Report()
    for category, sentence, expected in cases:
        suggested = suggest(category, sentence, vocabulary)
        exact = suggested == expected
        for tally in (report.total, report.categories[category.value]):
            tally.add(expected, suggested)
            tally.sentences += 1
            tally.exact += exact
        for key in set(expected) | set(suggested):
            per_field = report.fields[f"{category.value}.{key}"]
            per_field.add(
                {key: expected[key]} if key in expected else {},
                {key: suggested[key]} if key in suggested else {},
            )
            per_field.sentences += 1
            per_field.exact += expected.get(key) == suggested.get(key)
        if not exact:
            report.misses.append((category.value, sentence, expected, suggested))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--show", action="store_true", help="list the sentences not exactly right")
    args = parser.parse_args()
    cases = load_cases(args.cases)
    report = measure(cases)
    counts = Counter(c.value for c, _, _ in cases)
    print(f"{len(cases)} sentences ({', '.join(f'{n} {c}' for c, n in sorted(counts.items()))})")
    header = f"{'':<22} {'recall':>7} {'precision':>9} {'expected':>9} {'exact':>9}"
    print(header)
    print(report.total.row("all"))
    for category in Category:
        if category.value in report.categories:
            print(report.categories[category.value].row(category.value))
    print()
    print(f"{'per field':<22} {'recall':>7} {'precision':>9} {'expected':>9} {'right':>9}")
    for category in Category:
        for spec in SCHEMAS[category]:
            key = f"{category.value}.{spec.key}"
            if key in report.fields:
                print(report.fields[key].row(key))
    if args.show:
        for category_name, sentence, expected, suggested in report.misses:
            print(f"\n[{category_name}] {sentence}")
            for key in sorted(set(expected) | set(suggested)):
                if expected.get(key) != suggested.get(key):
                    print(
                        f"  {key}: expected {expected.get(key)!r}, suggested {suggested.get(key)!r}"
                    )


if __name__ == "__main__":
    main()
