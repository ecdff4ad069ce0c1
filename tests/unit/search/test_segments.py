"""Whole segments written by ``segments.SegmentBuilder`` are the segments whoosh's own writer
writes for the same documents: the same words, postings (document numbers, weights,
positions), block statistics, field lengths and stored fields, file for file; the same
frequent-word files as those read back from whoosh's; and the same search results."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from reviewapp.search import postings, segments, whoosh_internals
from reviewapp.search.index import SearchIndex
from reviewapp.search.schema import build_schema, to_document
from reviewapp.search.segments import SegmentBuilder

WORDS = [
    "patients", "survival", "response", "toxicity", "grade", "median", "follow-up",
    "PD-L1", "T-cell", "CD52", "14/60", "23.3", "ALL", "all", "or", "OR", "nausea",
    "carcinoma", "lymphoma", "ZG006", "randomised", "phase", "trial's", "tumour",
    "naïve", "éclair", "HER2+", "x/y/z", "anti-PD-1", "10.1002/cncr.35750.",
    "https://doi.org/10.1056/NEJMoa2034577", "a", "to", "in", "—", "Kaplan–Meier",
]  # fmt: skip
QUERIES = [
    "patients",
    "survival AND toxicity",
    "PD-L1",
    '"median follow-up"',
    '"t cell"',
    "title:carcinoma",
    "author:rossi",
    "journal:lancet",
    "keyword:lymphoma",
    "ALL",
    "surviv*",
    "nausa~1",
    "year:2020",
    "doi:10.1002/cncr.35750",
    "category:toxicity",
    "tag:include",
    "reviewer:okafor",
    "finding:grade",
    "naïve OR éclair",
    "patients -toxicity",
]


def _article(n: int, rng: random.Random, words: list[str]) -> dict[str, Any]:
    def text(count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count))

    findings = [
        {
            "category": rng.choice(["toxicity", "efficacy"]),
            "quote": text(6),
            "note": text(3) if rng.random() < 0.5 else None,
            "fields": {"grade": str(rng.randint(1, 5)), "events": [text(1), text(1)]},
            "reviewer": rng.choice(["Okafor L", "Tanaka S"]),
        }
        for _ in range(rng.randint(0, 2))
    ]
    return {
        "id": n + 1,
        "title": text(rng.randint(1, 12)),
        "authors": rng.sample(["Rossi T", "Tanaka S", "Schmidt K", "O'Brien-Smith J"], 2),
        "journal": rng.choice(["Lancet Oncol", "J Clin Oncol", "N Engl J Med"]),
        "year": rng.choice([2019, 2020, 2021, None]),
        "doi": rng.choice(["10.1002/cncr.35750", f"10.5555/x.{n}", None]),
        "pmid": str(30000000 + n) if rng.random() < 0.7 else None,
        "nct_ids": ["NCT01234567"] if rng.random() < 0.2 else [],
        "abstract": text(rng.randint(0, 80)),
        "full_text": text(rng.randint(0, 40)) if rng.random() < 0.3 else "",
        "keywords": [text(2) for _ in range(rng.randint(0, 3))],
        "tags": ["include"] if rng.random() < 0.3 else [],
        "findings": findings,
    }


def _documents(count: int, seed: int, words: list[str] = WORDS) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [to_document(_article(n, rng, words)) for n in range(count)]


def _by_whoosh(folder: Path, documents: list[dict[str, Any]]) -> None:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = ix.writer()
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    with ix.searcher() as searcher:
        postings.write_missing(folder, searcher)
    ix.close()


def _by_builder(folder: Path, documents: list[dict[str, Any]], max_postings: int = 10**9) -> None:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    builder = SegmentBuilder(ix.storage, ix.indexname, ix.schema, max_postings)
    for document in documents:
        builder.add_document(document)
    segments = builder.finish()
    writer = ix.writer()
    writer.commit(mergetype=lambda _writer, existing: existing + segments)
    ix.close()


def _segment_files(folder: Path) -> dict[str, bytes]:
    """Each file within the index's one compound segment file, by its extension."""
    storage = FileStorage(str(folder))
    (name,) = [n for n in storage.list() if n.endswith(".seg")]
    compound = CompoundStorage(storage.open_file(name), use_mmap=False)
    found = {n.split(".", 1)[1]: compound.open_file(n).read() for n in compound.list()}
    compound.close()
    return found


def _frequent_files(folder: Path) -> dict[str, bytes]:
    (segment,) = [p for p in (folder / postings.FOLDER).iterdir() if not p.name.startswith(".")]
    return {p.name: p.read_bytes() for p in segment.iterdir() if p.name != "meta.json"}


def _read_whole(folder: Path) -> dict[str, Any]:
    """Everything whoosh reads of an index, segment boundaries aside."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        terms: dict[tuple[str, bytes], Any] = {}
        for fieldname, btext in reader.all_terms():
            fmt = reader.schema[fieldname].format
            matcher = reader.postings(fieldname, btext)
            listed = []
            while matcher.is_active():
                positions = matcher.value_as("positions") if fmt.supports("positions") else None
                listed.append((matcher.id(), matcher.weight(), positions))
                matcher.next()
            info = reader.term_info(fieldname, btext)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
            terms[(fieldname, btext)] = (listed, stats, info.max_weight())
        count = reader.doc_count_all()
        names = reader.schema.names()
        lengths = {n: [reader.doc_field_length(d, n) for d in range(count)] for n in names}
        totals = {n: reader.field_length(n) for n in names}
        stored = list(reader.all_stored_fields())
    ix.close()
    return {"terms": terms, "lengths": lengths, "totals": totals, "stored": stored}


def _results(folder: Path) -> dict[str, list[tuple[int, float]]]:
    index = SearchIndex(folder)
    try:
        return {
            query: [(hit.article_id, round(hit.score, 9)) for hit in index.search(query, 50)]
            for query in QUERIES
        }
    finally:
        index.close()


def _assert_same_index(whoosh_built: Path, built_here: Path) -> None:
    assert _segment_files(built_here) == _segment_files(whoosh_built)
    assert _frequent_files(built_here) == _frequent_files(whoosh_built)
    assert _read_whole(built_here) == _read_whole(whoosh_built)
    assert _results(built_here) == _results(whoosh_built)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(min_value=1, max_value=40),
    seed=st.integers(min_value=0, max_value=2**32),
    extra=st.lists(
        st.text(
            alphabet=st.characters(
                codec="utf-8", categories=["L", "N", "P", "Zs"], include_characters="-/.'’+"
            ),
            min_size=1,
            max_size=12,
        ),
        max_size=8,
    ),
)
def test_a_segment_is_the_one_whoosh_writes(
    tmp_path_factory: pytest.TempPathFactory, count: int, seed: int, extra: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("segments")
    documents = _documents(count, seed, WORDS + extra)
    _by_whoosh(folder / "whoosh", documents)
    _by_builder(folder / "here", documents)
    _assert_same_index(folder / "whoosh", folder / "here")


def test_frequent_words_and_many_blocks_are_written_as_whoosh_writes_them(
    tmp_path: Path,
) -> None:
    # 700 documents: the commonest words are in hundreds of them (several posting blocks
    # of 128, and frequent-word arrays from 256), and rarer words (some hapaxes) besides.
    rng = random.Random(7)
    vocabulary = WORDS + [f"w{rng.randrange(5000)}" for _ in range(2000)]
    documents = _documents(700, 11, vocabulary)
    _by_whoosh(tmp_path / "whoosh", documents)
    _by_builder(tmp_path / "here", documents)
    assert len(_frequent_files(tmp_path / "here")["ids.npy"]) > 4096  # words kept there
    _assert_same_index(tmp_path / "whoosh", tmp_path / "here")


@pytest.mark.parametrize("terms_kept", [segments._TERMS_KEPT, 0])
def test_a_builder_past_its_postings_limit_writes_several_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terms_kept: int
) -> None:
    # (0: the worker's tables of tokens and terms are made again for each segment)
    monkeypatch.setattr(segments, "_TERMS_KEPT", terms_kept)
    documents = _documents(300, 3)
    _by_whoosh(tmp_path / "whoosh", documents)
    _by_builder(tmp_path / "here", documents, max_postings=2000)
    ix = whoosh_index.open_dir(str(tmp_path / "here"))
    assert len(ix._segments()) > 3
    assert ix.doc_count() == 300
    ix.close()
    here = SearchIndex(tmp_path / "here")
    assert not postings.problems(tmp_path / "here", here.searcher())  # each has its files
    here.close()
    assert _results(tmp_path / "here") == _results(tmp_path / "whoosh")


def test_a_value_that_is_not_text_is_refused_and_adds_nothing(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    builder = SegmentBuilder(ix.storage, ix.indexname, ix.schema)
    builder.add_document({"id": "1", "abstract": "alpha beta"})
    with pytest.raises(TypeError, match="'abstract' takes text, not list"):
        builder.add_document({"id": "2", "abstract": ["gamma", "delta"]})
    (segment,) = builder.finish()
    assert segment.doc_count_all() == 1
    ix.close()


def test_the_schema_allows_whole_segments() -> None:
    assert whoosh_internals.whole_segments_possible(build_schema())
