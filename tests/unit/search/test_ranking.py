"""The ranker answers as whoosh does, from whoosh's postings or the frequent-word arrays.

Each query is asked of the ranker and of whoosh's own searcher over the same index (several
segments, some documents deleted): the same documents, in the same order, with the same
scores and highlight words. Phrase, prefix, fuzzy and wildcard queries are compared by article
and score in rank order too, documents of equal score in any order among themselves. Prefix,
fuzzy and wildcard words are scored by the ranker as the words they stand for, where whoosh
gives one such word no field boost and several a constant: those comparisons are expected to
fail (xfail, see _CONSTANT_SCORES), and the documents they match are compared as sets.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq

from reviewapp.search import postings, ranking, whoosh_internals
from reviewapp.search.index import SearchIndex
from reviewapp.search.ranking import PER_HIT_TERMS, Ranker

WORDS = [
    "neutropenia",
    "anemia",
    "fatigue",
    "nausea",
    "rash",
    "pneumonitis",
    "colitis",
    "hepatitis",
    "sepsis",
    "osimertinib",
    "pembrolizumab",
    "nivolumab",
    "docetaxel",
    "carboplatin",
    "cisplatin",
    "olaparib",
    "melanoma",
    "myeloma",
    "lymphoma",
    "leukemia",
    "sarcoma",
    "glioma",
    "carcinoma",
    "mesothelioma",
    "response",
    "survival",
    "progression",
    "toxicity",
    "biomarker",
    "expression",
    "mutation",
    "cohort",
    "randomized",
    "phase",
    "trial",
    "arm",
    "placebo",
    "dose",
    "escalation",
    "expansion",
    "median",
    "interval",
    "hazard",
    "ratio",
    "confidence",
    "patients",
    "treated",
    "enrolled",
    "assessed",
    "observed",
    "reported",
]
PHRASES = ("overall survival", "small cell lung cancer", "partial response")
UID = "library-under-test"


def _documents(count: int, seed: int, first_id: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs = []
    for number in range(first_id, first_id + count):
        words = rng.choices(WORDS, k=rng.randint(30, 90))
        for phrase in rng.sample(PHRASES, rng.randint(0, 2)):
            words.insert(rng.randint(0, len(words)), phrase)
        if rng.random() < 0.3:  # the words of a phrase, apart
            words += ["small", "trial", "cell", "cancer", "lung"]
        docs.append(
            {
                "id": number,
                "title": " ".join(rng.choices(WORDS, k=rng.randint(4, 9))),
                "authors": [rng.choice(["Okafor A", "Lindqvist B", "Tanaka C", "Rossi D"])],
                "journal": rng.choice(["Blood", "Lancet Oncology", "Annals of Oncology"]),
                "year": rng.randint(2008, 2024),
                "abstract": " ".join(words),
                "keywords": rng.sample(WORDS, 2),
                "tags": ["included"] if rng.random() < 0.2 else [],
                "findings": [],
            }
        )
    return docs


@pytest.fixture(
    scope="module", params=[postings.FREQUENT, 4], ids=["whoosh-postings", "frequent-arrays"]
)
def index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchIndex]:
    """An index of three segments with deletions; with the frequent-word arrays holding
    almost nothing (threshold 256 over 520 documents) or almost every word (4)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(postings, "FREQUENT", request.param)
    index = SearchIndex(tmp_path_factory.mktemp("ranking") / "index")
    index.rebuild(UID, 1, _documents(400, seed=1), 400)
    index.apply(UID, 2, _documents(80, seed=2, first_id=401), [7, 19, 402])
    index.apply(UID, 3, _documents(40, seed=3, first_id=481), [33, 450])
    yield index
    index.close()
    patch.undo()


QUERIES_IN_ORDER = [
    "neutropenia",
    "Neutropenia",
    "melanoma AND osimertinib",
    "melanoma OR myeloma",
    "fatigue NOT nausea",
    "title:sepsis",
    "journal:blood",
    "author:okafor",
    "keyword:cohort",
    "tag:included",
    "year:[2012 TO 2015]",
    "year:2019",
    "pneumonitis year:[2020 TO 2024]",
    "year:{2010 TO 2012}",
    "colitis^2 OR hepatitis",
    "nosuchword",
    # A phrase beside a word: documents matched by the word alone must not keep the
    # score of a phrase they only seemed to hold.
    'abstract:(sepsis OR "small cell lung cancer")',
    'sepsis OR "overall survival"',
]
PHRASE_QUERIES = [
    '"overall survival"',
    '"small cell lung cancer"',
    '"cell lung"~2',
    '"partial response" AND fatigue',
    'sepsis OR "small cell lung cancer"',
    'fatigue NOT "overall survival"',
]
EXPANDED_QUERIES = ["neutro*", "pembrolizumb~", "m*oma"]
QUERIES_AS_SETS = PHRASE_QUERIES + EXPANDED_QUERIES
# Scores equal to this relative difference are one score: whoosh and the ranker sum a
# document's parts in their own orders.
SAME_SCORE = 1e-6


def _whoosh(index: SearchIndex, text: str, limit: int | None) -> list[tuple[int, float]]:
    searcher = index.searcher()
    return [
        (h.docnum, float(h.score or 0.0)) for h in searcher.search(index.parse(text), limit=limit)
    ]


def _ranked(index: SearchIndex, text: str, limit: int) -> list[tuple[int, float]]:
    ranked = index.ranker().rank(index.parse(text), limit, frozenset({"title", "abstract"}))
    assert ranked is not None
    return [(r.docnum, r.score) for r in ranked]


def test_the_index_under_test_has_segments_deletions_and_frequent_words(
    index: SearchIndex,
) -> None:
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) >= 2
    assert searcher.reader().has_deletions()
    assert postings.problems(index.directory, searcher) == []
    assert all(leaf.frequent is not None for leaf in index.ranker().leaves)


@pytest.mark.parametrize("text", QUERIES_IN_ORDER)
def test_ranked_queries_match_whoosh_in_order_and_score(index: SearchIndex, text: str) -> None:
    for limit in (1, 10, 1000):
        expected = _whoosh(index, text, limit)
        got = _ranked(index, text, limit)
        assert [d for d, _ in got] == [d for d, _ in expected]
        assert np.allclose([s for _, s in got], [s for _, s in expected], rtol=1e-5)


def _score_groups(hits: list[tuple[int, float]]) -> list[tuple[float, set[int]]]:
    """Hits in rank order as (score, the articles of that score) groups: a group's score is
    its first hit's, and a hit within SAME_SCORE of it (relative) joins it."""
    groups: list[tuple[float, set[int]]] = []
    for article_id, score in hits:
        if groups and math.isclose(score, groups[-1][0], rel_tol=SAME_SCORE):
            groups[-1][1].add(article_id)
        else:
            groups.append((score, {article_id}))
    return groups


def _assert_same_ranking(ours: list[tuple[int, float]], theirs: list[tuple[int, float]]) -> None:
    assert [ids for _, ids in _score_groups(ours)] == [ids for _, ids in _score_groups(theirs)]
    for (our_score, _), (their_score, _) in zip(
        _score_groups(ours), _score_groups(theirs), strict=True
    ):
        assert math.isclose(our_score, their_score, rel_tol=SAME_SCORE)


def _by_article(index: SearchIndex, hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    ids = index.ranker().article_ids(np.asarray([d for d, _ in hits], dtype=np.int64))
    return list(zip(ids, (s for _, s in hits), strict=True))


def _words_spelled_out(query: wq.Query, reader: Any) -> wq.Query:
    """``query`` with every prefix, wildcard and fuzzy word replaced by the indexed words it
    stands for, each a term with the word's boost: what the ranker scores. (whoosh's own
    scoring of such a word is a constant: one score for every document it matches, which
    would rank an article that mentions neutropenia once beside one about it.)"""
    if isinstance(query, wq.Prefix | wq.Wildcard | wq.FuzzyTerm):
        words = sorted({text for _field, text in query.expanded_terms(reader)})
        terms = [wq.Term(query.fieldname, word, boost=query.boost) for word in words]
        return wq.Or(terms) if terms else wq.NullQuery
    return query.apply(lambda child: _words_spelled_out(child, reader))


@pytest.mark.parametrize("text", PHRASE_QUERIES + EXPANDED_QUERIES)
def test_phrases_and_expansions_rank_as_whoosh_does(index: SearchIndex, text: str) -> None:
    searcher = index.searcher()
    query = _words_spelled_out(index.parse(text), searcher.reader())
    theirs = [(int(h["id"]), float(h.score or 0.0)) for h in searcher.search(query, limit=None)]
    ours = _by_article(index, _ranked(index, text, 10_000))
    assert theirs
    _assert_same_ranking(ours, theirs)


@pytest.mark.parametrize("text", QUERIES_AS_SETS)
def test_phrases_and_expansions_match_the_same_documents(index: SearchIndex, text: str) -> None:
    expected = {d for d, _ in _whoosh(index, text, None)}
    got = _ranked(index, text, 10_000)
    assert {d for d, _ in got} == expected
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)
    assert len(_ranked(index, text, 5)) == min(5, len(expected))


def test_deleted_documents_are_never_ranked(index: SearchIndex) -> None:
    searcher = index.searcher()
    deleted = {n for n in range(searcher.doc_count_all()) if searcher.reader().is_deleted(n)}
    assert deleted
    for text in ("neutropenia", "year:[2000 TO 2030]", '"overall survival"', "*"):
        assert not deleted & {d for d, _ in _ranked(index, text, 10_000)}


def test_each_hit_carries_the_words_whoosh_says_it_matched(index: SearchIndex) -> None:
    searcher = index.searcher()
    for text in ("neutropenia OR sepsis", "neutro*", "melanoma year:[2012 TO 2020]"):
        query = index.parse(text)
        expected = {
            h.docnum: {t.decode() for f, t in h.matched_terms() if f in ("title", "abstract")}
            for h in searcher.search(query, limit=None, terms=True)
        }
        fields = frozenset({"title", "abstract"})
        ranked = index.ranker().rank(query, 10_000, fields)
        assert ranked is not None
        assert {r.docnum for r in ranked} == set(expected)
        for position, hit in enumerate(ranked):  # words per hit for the first ones only
            assert set(hit.terms) == (expected[hit.docnum] if position < PER_HIT_TERMS else set())
        found = index.ranker().rank_ids(query, 10_000, fields)
        assert found is not None
        ids, union = found
        assert ids == index.ranker().article_ids(np.asarray([r.docnum for r in ranked]))
        assert union == {t for terms in expected.values() for t in terms}


def test_query_kinds_it_does_not_know_are_left_to_whoosh(index: SearchIndex) -> None:
    unknown = wq.DisjunctionMax([wq.Term("abstract", "sepsi"), wq.Term("title", "sepsi")])
    assert index.ranker().rank(unknown, 10, frozenset()) is None
    ordered = wq.Ordered([wq.Term("abstract", "sepsi"), wq.Term("abstract", "fatigu")])
    assert index.ranker().rank(ordered, 10, frozenset()) is None


def test_the_search_service_ranks_through_the_ranker(index: SearchIndex) -> None:
    hits = index.search("neutropenia", limit=5)
    searcher = index.searcher()
    expected = [int(searcher.stored_fields(d)["id"]) for d, _ in _whoosh(index, "neutropenia", 5)]
    assert [h.article_id for h in hits] == expected
    assert all("neutropenia" in h.terms for h in hits)


def test_a_ranker_without_the_arrays_reads_whoosh_postings_alike(index: SearchIndex) -> None:
    plain = Ranker(index.searcher())
    assert all(leaf.frequent is None for leaf in plain.leaves)
    for text in ("neutropenia", "melanoma AND osimertinib", '"overall survival"'):
        query = index.parse(text)
        with_arrays = index.ranker().rank(query, 30, frozenset())
        without = plain.rank(query, 30, frozenset())
        assert with_arrays == without


def test_scores_equal_but_for_rounding_are_ties_broken_by_document_number(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    index = SearchIndex(tmp_path_factory.mktemp("ties") / "index")
    # The same word repeated: field lengths are stored to one byte, so many documents
    # score alike but for the last bits of a sum (which whoosh takes in its own order).
    docs = [{"id": n, "title": f"Study {n}", "abstract": "ovarian " * n} for n in range(1, 60)]
    index.rebuild(UID, 1, docs, len(docs))
    ours = _ranked(index, "ovarian", 100)
    theirs = _whoosh(index, "ovarian", 100)

    def groups(hits: list[tuple[int, float]]) -> list[tuple[float, set[int]]]:
        grouped: dict[float, set[int]] = {}
        for docnum, score in hits:
            grouped.setdefault(round(score, 9), set()).add(docnum)
        return sorted(grouped.items(), reverse=True)

    assert groups(ours) == groups(theirs)
    for (first, first_score), (second, second_score) in itertools.pairwise(ours):
        if round(first_score, 9) == round(second_score, 9):
            assert first < second
    index.close()


def test_article_ids_come_from_the_id_arrays_as_from_the_stored_fields(
    index: SearchIndex,
) -> None:
    searcher = index.searcher()
    live = np.asarray(
        [n for n in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(n)]
    )
    expected = [int(searcher.stored_fields(int(n))["id"]) for n in live]
    assert index.ranker().article_ids(live) == expected
    assert Ranker(searcher).article_ids(live) == expected


def _block_states(matcher: Any, goto: Any) -> list[tuple[Any, ...]]:
    """Each block of a posting reader, as ``goto`` leaves the reader on it."""
    states = []
    offset = matcher._baseoffset
    while True:
        goto(offset)
        states.append(
            (
                offset,
                matcher._blocklength,
                matcher._maxid,
                matcher._maxweight,
                matcher._compression,
                matcher._minlength,
                matcher._maxlength,
                matcher._dataoffset,
                matcher._nextoffset,
                matcher._lastblock,
                matcher.block_min_id(),
            )
        )
        if matcher._lastblock:
            return states
        offset = matcher._nextoffset


def _words_in_many_blocks(reader: Any) -> list[bytes]:
    """Three abstract words whose postings fill several blocks (128 postings each)."""
    common = [w for w in reader.lexicon("abstract") if reader.doc_frequency("abstract", w) > 200]
    assert len(common) >= 3
    return common[:: len(common) // 3][:3]


def test_block_headers_are_read_as_whoosh_reads_them(index: SearchIndex) -> None:
    reader = index.searcher().leaf_searchers()[0][0].reader()
    for btext in _words_in_many_blocks(reader):
        ours = postings.segment_postings(reader, "abstract", btext)
        theirs = postings.segment_postings(reader, "abstract", btext)
        expected = _block_states(theirs, theirs._goto)
        assert len(expected) > 1  # several blocks: the walk is tested, not one header
        assert _block_states(ours, functools.partial(whoosh_internals.goto_block, ours)) == expected


def test_a_frequent_words_blocks_lead_to_each_documents_posting(index: SearchIndex) -> None:
    ranker = index.ranker()
    leaf = ranker.leaves[0]
    assert leaf.frequent is not None
    words = [
        w for w in _words_in_many_blocks(leaf.reader) if ("abstract", w) in leaf.frequent.slices
    ]
    if len(words) < 3:
        pytest.skip("whoosh's postings only: these words' blocks are not kept")
    checked = 0
    for btext in words:
        expected = []
        matcher = postings.segment_postings(leaf.reader, "abstract", btext)
        while matcher.is_active():
            expected.append((matcher.id(), matcher.value_as("positions")))
            matcher.next()
        docnums = np.arange(leaf.count, dtype=np.int64)
        located = leaf.frequent.locate("abstract", btext, docnums)
        assert located is not None
        offsets, places = located
        reading = postings.segment_postings(leaf.reader, "abstract", btext)
        got = []
        for docnum in range(leaf.count):
            if offsets[docnum] < 0:
                continue
            whoosh_internals.goto_block(reading, int(offsets[docnum]))
            reading._i = int(places[docnum])
            assert reading.id() == docnum
            got.append((docnum, reading.value_as("positions")))
        assert got == expected
        checked += len(got)
    assert checked > 500


@pytest.mark.parametrize("text", ["pembrolizumb~", "neutropena~2", "lymphom~", "xyzzy~"])
def test_fuzzy_words_expand_alike_from_the_kept_word_lists_and_from_whoosh(
    index: SearchIndex, text: str
) -> None:
    with_lists = index.ranker()
    plain = Ranker(index.searcher())
    assert all(leaf.frequent is not None for leaf in with_lists.leaves)
    for node in index.parse(text).leaves():
        assert type(node) is wq.FuzzyTerm
        everywhere: set[bytes | str] = set()
        for listed, read in zip(with_lists.leaves, plain.leaves, strict=True):
            assert listed.frequent is not None
            assert listed.frequent.words(node.fieldname) is not None
            expected = sorted(with_lists._expand(node, read))  # whoosh's cursor
            assert sorted(with_lists._expand(node, listed)) == expected
            everywhere.update(expected)
        # one walk over every segment's words finds what the walks of each segment find
        at_once = with_lists._fuzzy_everywhere(node)
        assert at_once is not None
        assert sorted(at_once) == sorted(everywhere)  # each word once
        assert plain._fuzzy_everywhere(node) is None  # no lists kept: segment by segment
    assert with_lists.rank(index.parse(text), 50, frozenset()) == plain.rank(
        index.parse(text), 50, frozenset()
    )


def test_a_warmed_index_answers_with_the_ranker_it_prepared(index: SearchIndex) -> None:
    index.close()
    index.warm()
    ranker = index.ranker()
    assert set(ranker._norm_cache) >= {"title", "abstract"}
    expected = _whoosh(index, "neutropenia", 5)
    got = _ranked(index, "neutropenia", 5)
    assert [d for d, _ in got] == [d for d, _ in expected]
    assert np.allclose([s for _, s in got], [s for _, s in expected], rtol=1e-5)
    assert index.ranker() is ranker


@pytest.mark.parametrize("text", QUERIES_AS_SETS)
def test_a_short_list_is_the_start_of_a_longer_one(index: SearchIndex, text: str) -> None:
    # The window shows a search's first rows, then the rest after them.
    everything = _ranked(index, text, 10_000)
    for limit in (1, 3, 16, 64):
        assert _ranked(index, text, limit) == everything[:limit]


def test_whether_a_segment_holds_a_word_is_whoosh_s_answer(index: SearchIndex) -> None:
    ranker = index.ranker()
    asked = 0
    for leaf in ranker.leaves:
        reader = leaf.reader
        for fieldname in ("title", "abstract", "author", "keyword", "year"):
            held = (
                set(reader.lexicon(fieldname))
                if fieldname in reader.indexed_field_names()
                else set()
            )
            others = {b"nosuchword", b"patient\xc3\xa9", *(w + b"x" for w in list(held)[:50])}
            for btext in held | others:
                assert ranking._holds(leaf, fieldname, btext) == ((fieldname, btext) in reader)
                asked += 1
    assert asked > 1000
