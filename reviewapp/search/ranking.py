"""Top-k ranking over whoosh's postings, scored a whole posting list at a time.

whoosh scores matches one posting at a time in Python: at 100,000 abstracts a common word
has some 25,000 postings per field, and each costs a matcher step, a field-length read and
a BM25 call (about 100 ms for one word over the default fields). Here the same postings
are read block by block into arrays and BM25F is computed with numpy over them: the
same index, the same statistics (idf from the whole index, average field lengths, the
field boosts), the same formula.

Phrases are planned, not scanned: the documents holding every word of a phrase are taken
in order of their words' scores (an upper bound of their true score) and checked for the
words in sequence (their positions, read from the index) in growing batches, until no
document left unchecked could reach the page. A phrase found in a document ranks it by
how much its words weigh there; the count of a phrase's matches is not known beyond the
documents checked.

Queries of kinds this module does not know (see ``_evaluate``) return ``None``, and the
caller asks whoosh itself: everything the parser can produce still works.

What whoosh's public API does not offer (a posting block reached from its offset, a
document found within it, every field length at once, a fuzzy word's automaton) comes from
``whoosh_internals``, the one package that uses whoosh's internals.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.fields import NUMERIC
from whoosh.searching import Searcher

from reviewapp.search import whoosh_internals as internals
from reviewapp.search.postings import SegmentPostings, read_postings, segment_postings
from reviewapp.search.postings import load as load_postings

Mask = npt.NDArray[np.bool_]
Scores = npt.NDArray[np.float64]
Ids = npt.NDArray[np.int64]

# BM25F's free parameters, as whoosh's default weighting has them.
_B = 0.75
_K1 = 1.2
# A field length byte of 0 means "no length stored": whoosh then takes 1.
_LENGTHS = np.array([1.0, *internals.field_lengths_by_byte()[1:]])
# Hits beyond this many carry no words of their own to highlight (only the union does):
# the window's table shows thousands of rows and highlights in the one it opens.
PER_HIT_TERMS = 200
# Phrase candidates are checked in batches of at least this many, best first.
_FIRST_BATCH = 16


class Unsupported(Exception):
    """A query node this module does not evaluate: the caller lets whoosh run the query."""


@dataclass(frozen=True)
class Ranked:
    docnum: int
    score: float
    terms: frozenset[str]


Resolved = tuple[Mask, Scores]


@dataclass
class _Match:
    """What a query node matches. With ``resolve`` unset, ``mask`` holds exactly its
    documents and ``scores`` their scores. With it set (a phrase, or anything holding one),
    ``mask`` is a superset and ``scores`` an upper bound, and ``resolve`` gives, for given
    documents, which truly match and their true scores."""

    mask: Mask
    scores: Scores
    terms: list[tuple[str, str, Ids]] = field(default_factory=list)  # field, word, docs
    resolve: Callable[[Ids], Resolved] | None = None

    def exact(self, docnums: Ids) -> Resolved:
        inside = self.mask[docnums]
        if self.resolve is None:
            return inside, np.where(inside, self.scores[docnums], 0.0)
        matched = np.zeros(len(docnums), dtype=bool)
        scores = np.zeros(len(docnums))
        if inside.any():
            matched[inside], scores[inside] = self.resolve(docnums[inside])
        return matched, scores


@dataclass(frozen=True)
class _Leaf:
    searcher: Searcher
    reader: Any
    offset: int
    count: int
    frequent: SegmentPostings | None


class Ranker:
    """Ranks queries over one open searcher (one state of the index). Field lengths and
    deletions are read once and kept for the searcher's lifetime."""

    def __init__(self, searcher: Searcher, index_dir: Path | None = None) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        self.size = int(searcher.doc_count_all())
        self.leaves = [
            _Leaf(
                sub,
                sub.reader(),
                int(offset),
                int(sub.doc_count_all()),
                load_postings(index_dir, sub.reader()) if index_dir is not None else None,
            )
            for sub, offset in searcher.leaf_searchers()
        ]
        self.live = np.ones(self.size, dtype=bool)
        for leaf in self.leaves:
            if leaf.reader.has_deletions():
                kept = np.fromiter(leaf.reader.all_doc_ids(), dtype=np.int64)
                self.live[leaf.offset : leaf.offset + leaf.count] = False
                self.live[kept + leaf.offset] = True
        self._lengths: dict[str, Scores] = {}
        self._norm_cache: dict[str, Scores] = {}
        self._automata: dict[tuple[str, int, int], Any] = {}
        self._all_words: dict[str, list[str] | None] = {}
        self._values: dict[str, list[tuple[Any, Ids]]] = {}
        self._average: dict[str, float] = {}

    # -- public ----------------------------------------------------------------------------

    def prepare(
        self, fieldnames: Iterable[str], words_of: Iterable[str] = (), numbers: bool = False
    ) -> None:
        """Read the fields' lengths and norms, the word lists (for fuzzy words) of the
        fields ``words_of`` and, with ``numbers``, the numeric fields' values (for ranges),
        now rather than at the first query that needs them."""
        for fieldname in fieldnames:
            if fieldname in self.schema and self.schema[fieldname].scorable:
                self._norms(fieldname)
        for fieldname in words_of:
            self._words_of_all(fieldname)
        if numbers:
            for fieldname, fieldobj in self.schema.items():
                if type(fieldobj) is NUMERIC:
                    self._values_of(fieldname)

    def rank(self, query: wq.Query, limit: int, highlighted: frozenset[str]) -> list[Ranked] | None:
        """The best ``limit`` documents for ``query``, best first (ties by document
        number, as whoosh breaks them), the first PER_HIT_TERMS each with the words it
        holds in ``highlighted`` fields; or None if whoosh must answer the query."""
        found = self._chosen(query, limit)
        if found is None:
            return None
        match, chosen, scores = found
        terms = self._terms_of(match, chosen[:PER_HIT_TERMS], highlighted)
        terms += [set() for _ in range(len(chosen) - len(terms))]
        return [
            Ranked(int(d), float(v), frozenset(t))
            for d, v, t in zip(chosen, scores, terms, strict=True)
        ]

    def rank_ids(
        self, query: wq.Query, limit: int, highlighted: frozenset[str]
    ) -> tuple[list[int], frozenset[str]] | None:
        """Article ids of the best ``limit`` documents and the query words they hold
        together (the window's table: thousands of rows, no per-row highlighting)."""
        found = self._chosen(query, limit)
        if found is None:
            return None
        match, chosen, _scores = found
        return self.article_ids(chosen), self._union_of(match, chosen, highlighted)

    def _chosen(self, query: wq.Query, limit: int) -> tuple[_Match, Ids, Scores] | None:
        """The query's match, its best ``limit`` documents and their scores."""
        try:
            match = self._evaluate(query)
        except Unsupported:
            return None
        candidates = np.flatnonzero(match.mask & self.live)
        if not len(candidates) or limit <= 0:
            return match, candidates[:0], np.zeros(0)
        # Scores equal but for their last bits (sums taken in another order than whoosh's)
        # are ties, broken by document number as whoosh breaks its ties.
        order_by = np.round(match.scores, 9)
        if match.resolve is None:
            chosen = _best(candidates, order_by, limit)
            return match, chosen, match.scores[chosen]
        # Candidates by their upper bounds, resolved until the best are certain.
        ranked = candidates[np.lexsort((candidates, -order_by[candidates]))]
        chosen, scores = self._resolved(match, ranked, order_by, limit)
        return match, chosen, scores

    def article_ids(self, docnums: Ids) -> list[int]:
        """The article ids of index documents: from each segment's id array where it has
        one, else from the stored fields (some 12 µs a document)."""
        found = np.zeros(len(docnums), dtype=np.int64)
        for leaf in self.leaves:
            inside = (docnums >= leaf.offset) & (docnums < leaf.offset + leaf.count)
            if not inside.any():
                continue
            local = docnums[inside] - leaf.offset
            if leaf.frequent is not None and leaf.frequent.docids is not None:
                found[inside] = leaf.frequent.docids[local]
            else:
                stored = leaf.reader.stored_fields
                found[inside] = [int(stored(int(d))["id"]) for d in local]
        return [int(i) for i in found]

    # -- evaluation ------------------------------------------------------------------------

    def _empty(self) -> _Match:
        return _Match(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def _evaluate(self, node: wq.Query) -> _Match:
        # Exact types only: a subclass may mean something else.
        kind = type(node)
        if kind is wq.Term:
            return self._term(node.fieldname, node.text, node.boost)
        if kind is wq.Or:
            return self._or([self._evaluate(child) for child in node.subqueries], node.boost)
        if kind is wq.And:
            nots = [q for q in node.subqueries if type(q) is wq.Not]
            return self._and(
                [q for q in node.subqueries if type(q) is not wq.Not],
                [q.query for q in nots],
                node.boost,
                # whoosh scores a NOT inside an AND as a match worth its boost
                sum(q.boost for q in nots),
            )
        if kind is wq.AndNot:
            return self._and([node.a], [node.b], 1.0, 0.0)
        if kind is wq.Not:
            return self._and([], [node.query], 1.0, node.boost)
        if kind is wq.Phrase:
            return self._phrase(node)
        if kind in (wq.Prefix, wq.FuzzyTerm, wq.Wildcard):
            return self._expansion(node)
        if kind is wq.NumericRange and type(self.schema[node.fieldname]) is NUMERIC:
            return self._numbers(node)
        if kind is wq.Every and not node.fieldname:
            everything = self._empty()
            everything.mask[:] = True
            everything.scores[:] = node.boost
            return everything
        if kind in (wq.NumericRange, wq.TermRange, wq.DateRange, wq.Every):
            return self._constant(node)
        if node is wq.NullQuery:
            return self._empty()
        raise Unsupported(kind.__name__)

    def _term(self, fieldname: str, text: Any, boost: float) -> _Match:
        match = self._empty()
        if fieldname not in self.schema:
            return match
        fieldobj = self.schema[fieldname]
        try:
            btext = fieldobj.to_bytes(text)
        except ValueError:
            return match
        self._add_term(match, fieldname, btext, boost)
        return match

    def _add_term(self, match: _Match, fieldname: str, btext: bytes, boost: float) -> None:
        """Add one term's postings (all leaves) to ``match``: its documents and scores."""
        found = self._postings(fieldname, btext, boost)
        if found is None:
            return
        ids, scores = found
        match.mask[ids] = True
        match.scores[ids] += scores
        match.terms.append((fieldname, _text(self.schema[fieldname], btext), ids))

    def _postings(self, fieldname: str, btext: bytes, boost: float) -> tuple[Ids, Scores] | None:
        """One term's documents over all leaves (ascending) and its scores in each, or None
        where no segment holds it."""
        parts: list[Ids] = []
        weights: list[npt.NDArray[np.float64]] = []
        for leaf in self.leaves:
            if not _holds(leaf, fieldname, btext):
                continue
            ids, leaf_weights = self._read(leaf, fieldname, btext)
            parts.append(ids + leaf.offset)
            weights.append(leaf_weights)
        if not parts:
            return None
        ids = np.concatenate(parts) if len(parts) > 1 else parts[0]
        tf = np.concatenate(weights) if len(weights) > 1 else weights[0]
        if not self.schema[fieldname].scorable:
            return ids, tf * boost
        # whoosh's document frequency: every posting of the word, deleted documents' too,
        # as read here (whoosh looks it up again in each segment's word table).
        df = len(ids)
        idf = math.log(self.size / (df + 1)) + 1
        scores = tf * ((_K1 + 1) * idf * boost)
        scores /= tf + self._norms(fieldname)[ids]
        return ids, scores

    @staticmethod
    def _read(leaf: _Leaf, fieldname: str, btext: bytes) -> tuple[Ids, Scores]:
        """A term's postings in one segment: from the frequent-word arrays if there."""
        if leaf.frequent is not None:
            found = leaf.frequent.get(fieldname, btext)
            if found is not None:
                return found
        return read_postings(segment_postings(leaf.reader, fieldname, btext))

    def _or(self, children: Sequence[_Match], boost: float) -> _Match:
        # Branches that match nothing (a synonym's phrase in the author field) add nothing.
        children = [c for c in children if c.mask.any()]
        if not children:
            return self._empty()
        mask = _combined([c.mask for c in children], np.logical_or)
        scores = _combined([c.scores for c in children], np.add)
        if boost != 1.0:
            scores *= boost
        terms = [t for c in children for t in c.terms]
        if all(c.resolve is None for c in children):
            return _Match(mask, scores, terms)

        def resolve(docnums: Ids) -> Resolved:
            # Every child resolved: a document matched by one branch must not keep the
            # score of a phrase it only seemed to hold.
            matched = np.zeros(len(docnums), dtype=bool)
            total = np.zeros(len(docnums))
            for child in children:
                child_matched, child_scores = child.exact(docnums)
                matched |= child_matched
                total += child_scores
            return matched, total * boost

        return _Match(mask, scores, terms, resolve)

    def _and(
        self,
        wanted_queries: Sequence[wq.Query],
        unwanted_queries: Sequence[wq.Query],
        boost: float,
        extra: float,
    ) -> _Match:
        """Documents matching all of ``wanted_queries`` and none of ``unwanted_queries``,
        scored by the sum of the wanted ones' scores (times ``boost``) plus ``extra``."""
        wanted = [self._evaluate(q) for q in wanted_queries] or [self._evaluate(wq.Every())]
        unwanted = [self._evaluate(q) for q in unwanted_queries]
        if not wanted_queries:
            wanted[0].scores[:] = 0.0
        mask = _combined([c.mask for c in wanted], np.logical_and)
        for other in unwanted:
            if other.resolve is None:
                mask &= ~other.mask
        total = _combined([c.scores for c in wanted], np.add) * boost + extra
        scores = np.where(mask, total, 0.0)
        terms = [t for c in wanted for t in c.terms]
        if all(c.resolve is None for c in (*wanted, *unwanted)):
            return _Match(mask, scores, terms)

        def resolve(docnums: Ids) -> Resolved:
            matched = np.ones(len(docnums), dtype=bool)
            total = np.zeros(len(docnums))
            for child in wanted:
                child_matched, child_scores = child.exact(docnums)
                matched &= child_matched
                total += child_scores
            for child in unwanted:
                matched &= ~child.exact(docnums)[0]
            return matched, np.where(matched, total * boost + extra, 0.0)

        return _Match(mask, scores, terms, resolve)

    def _phrase(self, node: wq.Phrase) -> _Match:
        words = [w for w in node.words if w]
        if len(words) == 1:
            return self._term(node.fieldname, words[0], node.boost)
        fieldname = node.fieldname
        if not words or fieldname not in self.schema:
            return self._empty()
        fieldobj = self.schema[fieldname]
        if not fieldobj.format or not fieldobj.format.supports("positions"):
            raise Unsupported("phrase over a field without positions")
        btexts = [fieldobj.to_bytes(w) for w in words]
        slop = max(1, int(node.slop))
        # The documents holding every word, and the sum of their words' scores (taken in
        # the phrase's order, as whoosh sums them).
        found = [self._postings(fieldname, btext, node.boost) for btext in btexts]
        lists = [f for f in found if f is not None]
        if len(lists) < len(found):
            return self._empty()
        match = self._empty()
        match.mask[lists[0][0]] = True
        holds = np.empty(self.size, dtype=bool)
        for ids, _scores in lists[1:]:
            holds[:] = False
            holds[ids] = True  # a scatter of True: several times faster than one of += 1
            match.mask &= holds
        for ids, scores in lists:
            match.scores[ids] += scores
        match.scores[~match.mask] = 0.0
        held = np.flatnonzero(match.mask)
        match.terms = [(fieldname, _text(fieldobj, btext), held) for btext in btexts]
        phrase_scores = match.scores

        def resolve(docnums: Ids) -> Resolved:
            found = self._in_sequence(fieldname, btexts, slop, docnums)
            return found, np.where(found, phrase_scores[docnums], 0.0)

        match.resolve = resolve
        return match

    def _expansion(self, node: wq.Query) -> _Match:
        """A prefix, wildcard or fuzzy word: every indexed word it stands for, scored as
        those words would be (whoosh gives them all one constant score)."""
        fieldname = node.fieldname
        match = self._empty()
        if fieldname not in self.schema:
            return match
        btexts: set[bytes] = set()
        fieldobj = self.schema[fieldname]
        # A fuzzy word's automaton walks every segment's words at once where their lists
        # are kept (at 20 segments, 20 walks a field were 50-100 ms a query); else each
        # segment's own lexicon: a multi-segment reader expands fuzzy words by measuring
        # every word of the field, seconds at 100k. (Fuzzy words come as text, prefixes
        # as bytes.)
        words = self._fuzzy_everywhere(node)
        if words is None:
            expanded: Iterable[Iterable[bytes | str]] = (
                self._expand(node, leaf) for leaf in self.leaves
            )
        else:
            expanded = [words]
        for found in expanded:
            btexts.update(
                word if isinstance(word, bytes) else fieldobj.to_bytes(word) for word in found
            )
        for btext in sorted(btexts):
            self._add_term(match, fieldname, btext, node.boost)
        return match

    def _expand(self, node: wq.Query, leaf: _Leaf) -> Iterable[bytes | str]:
        """The indexed words a prefix, wildcard or fuzzy word stands for in one segment. A
        fuzzy word's automaton is built once per query, not once per field and segment
        (16 times over the default fields of a two-segment index), and walks the segment's
        word list in memory where it is kept (see postings.py)."""
        reader = leaf.reader
        if type(node) is not wq.FuzzyTerm or not internals.has_word_cursor(reader):
            return (btext for _fieldname, btext in node.expanded_terms(reader))
        spelled = self.schema[node.fieldname].spelling_fieldname(node.fieldname)
        listed = leaf.frequent.words(spelled) if leaf.frequent is not None else None
        cursor = (
            internals.SortedWordCursor(listed)
            if listed is not None
            else internals.word_cursor(reader, spelled)
        )
        return internals.words_matching(self._automaton(node), cursor)

    def _fuzzy_everywhere(self, node: wq.Query) -> Iterable[str] | None:
        """A fuzzy word's words in every segment, found in one walk over all their words;
        None for other words, or where a segment's word list is not kept."""
        if type(node) is not wq.FuzzyTerm:
            return None
        words = self._words_of_all(self.schema[node.fieldname].spelling_fieldname(node.fieldname))
        if words is None:
            return None
        return internals.words_matching(self._automaton(node), internals.SortedWordCursor(words))

    def _automaton(self, node: wq.Query) -> Any:
        key = (node.text, node.maxdist, node.prefixlength)
        dfa = self._automata.get(key)
        if dfa is None:
            if len(self._automata) >= 32:
                self._automata.clear()
            dfa = self._automata[key] = internals.levenshtein_automaton(*key)
        return dfa

    def _words_of_all(self, fieldname: str) -> list[str] | None:
        """Every segment's words of a field, in order (kept for the searcher's lifetime);
        None where a segment's list is not kept."""
        if fieldname not in self._all_words:
            lists = [
                leaf.frequent.words(fieldname) if leaf.frequent is not None else None
                for leaf in self.leaves
            ]
            merged: list[str] | None = None
            if all(listed is not None for listed in lists):
                kept = [listed for listed in lists if listed is not None]
                # Sorted runs, merged by one sort (which finds them: 73 ms for 630,000 words
                # of 17 segments, a set's sort 370 ms). A word met in several segments stays
                # as many times: the automaton's walk steps past a match's every copy.
                merged = kept[0] if len(kept) == 1 else sorted(chain(*kept))
            self._all_words[fieldname] = merged
        return self._all_words[fieldname]

    def _numbers(self, node: wq.NumericRange) -> _Match:
        """A range of numbers (years): the union of the values' postings (each value's
        read once at full precision and kept), with a constant score like whoosh's."""
        match = self._empty()
        for value, ids in self._values_of(node.fieldname):
            if node.start is not None and (
                value < node.start or (node.startexcl and value == node.start)
            ):
                continue
            if node.end is not None and (value > node.end or (node.endexcl and value == node.end)):
                continue
            match.mask[ids] = True
        match.scores[match.mask] = node.boost
        return match

    def _values_of(self, fieldname: str) -> list[tuple[Any, Ids]]:
        """A numeric field's values, each with the documents holding it (numbered across
        segments), kept for the searcher's lifetime: a year range read them from every
        segment each time (some 20 values a segment; 30 ms at 20 segments)."""
        found = self._values.get(fieldname)
        if found is None:
            fieldobj = self.schema[fieldname]
            found = [
                (fieldobj.from_bytes(btext), self._read(leaf, fieldname, btext)[0] + leaf.offset)
                for leaf in self.leaves
                for btext in fieldobj.sortable_terms(leaf.reader, fieldname)
            ]
            self._values[fieldname] = found
        return found

    def _constant(self, node: wq.Query) -> _Match:
        """Ranges and "every document": matched, not scored (a constant, like whoosh)."""
        match = self._empty()
        for leaf in self.leaves:
            ids = np.fromiter(node.docs(leaf.searcher), dtype=np.int64)
            match.mask[ids + leaf.offset] = True
        match.scores[match.mask] = node.boost
        return match

    # -- phrases ---------------------------------------------------------------------------

    def _resolved(
        self, match: _Match, ranked: Ids, bounds: Scores, limit: int
    ) -> tuple[Ids, Scores]:
        """The best ``limit`` of ``ranked`` (in descending upper bound) by their true scores.

        Candidates are resolved in growing batches; once ``limit`` are found whose
        ``limit``-th true score is at least the next candidate's upper bound, no later
        candidate can pass it: each candidate's bound is its score with every phrase it
        seemed to hold counted, and a true score only loses those. A later candidate can
        still tie it, and ties go to the lower document number: those few are resolved too.
        """
        found_ids: list[Ids] = []
        found_scores: list[Scores] = []
        start, batch = 0, max(_FIRST_BATCH, limit)
        while start < len(ranked):
            part = ranked[start : start + batch]
            matched, scores = match.exact(part)
            found_ids.append(part[matched])
            found_scores.append(np.round(scores[matched], 9))
            start += batch
            batch *= 2
            have = np.concatenate(found_scores)
            if len(have) >= limit and start < len(ranked):
                kth = np.partition(have, len(have) - limit)[len(have) - limit]
                if kth >= bounds[ranked[start]]:
                    tied = np.concatenate(found_ids)[have == kth]
                    rest = ranked[start:]
                    # Bounds equal to the k-th score, at lower document numbers than a
                    # document holding that score (most often none).
                    rest = rest[(bounds[rest] == kth) & (rest < tied.max())]
                    matched, scores = match.exact(rest)
                    found_ids.append(rest[matched])
                    found_scores.append(np.round(scores[matched], 9))
                    break
        if not found_ids:
            return ranked[:0], np.zeros(0)
        ids = np.concatenate(found_ids)
        scores = np.concatenate(found_scores)
        order = np.lexsort((ids, -scores))[:limit]
        return ids[order], scores[order]

    def _in_sequence(self, fieldname: str, btexts: list[bytes], slop: int, docnums: Ids) -> Mask:
        """Which of ``docnums`` hold the words in order, each at most ``slop`` positions
        after the one before (1: adjacent)."""
        result = np.zeros(len(docnums), dtype=bool)
        order = np.argsort(docnums, kind="stable")
        for leaf in self.leaves:
            in_leaf = order[
                (docnums[order] >= leaf.offset) & (docnums[order] < leaf.offset + leaf.count)
            ]
            if not len(in_leaf):
                continue
            if not all(_holds(leaf, fieldname, b) for b in btexts):
                continue
            local = docnums[in_leaf] - leaf.offset
            words = [_word_positions(leaf, fieldname, b, local) for b in btexts]
            result[in_leaf[_chained(words, slop)]] = True
        return result

    # -- statistics and highlighting -------------------------------------------------------

    def _field_lengths(self, fieldname: str) -> Scores:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = np.ones(self.size)
            for leaf in self.leaves:
                raw = internals.field_length_bytes(leaf.reader, fieldname, leaf.count)
                lengths[leaf.offset : leaf.offset + leaf.count] = _LENGTHS[raw]
            self._lengths[fieldname] = lengths
        return lengths

    def _norms(self, fieldname: str) -> Scores:
        """BM25's length normalisation of every document in a field (k1 · (1 − b + b · l/avg)),
        computed once per searcher rather than once per word."""
        norms = self._norm_cache.get(fieldname)
        if norms is None:
            lengths = self._field_lengths(fieldname)
            norms = _K1 * ((1 - _B) + _B * lengths / self._average_length(fieldname))
            self._norm_cache[fieldname] = norms
        return norms

    def _average_length(self, fieldname: str) -> float:
        average = self._average.get(fieldname)
        if average is None:
            average = float(self.searcher.avg_field_length(fieldname) or 1)
            self._average[fieldname] = average
        return average

    def _union_of(self, match: _Match, chosen: Ids, highlighted: frozenset[str]) -> frozenset[str]:
        """The query words held by any of the chosen documents."""
        marked = np.zeros(self.size, dtype=bool)
        marked[chosen] = True
        return frozenset(
            text
            for fieldname, text, ids in match.terms
            if fieldname in highlighted and marked[ids].any()
        )

    def _terms_of(self, match: _Match, chosen: Ids, highlighted: frozenset[str]) -> list[set[str]]:
        """For each chosen document, the words of the query it holds (to highlight)."""
        place = np.full(self.size, -1, dtype=np.int64)
        place[chosen] = np.arange(len(chosen))
        found: list[set[str]] = [set() for _ in chosen]
        for fieldname, text, ids in match.terms:
            if fieldname not in highlighted:
                continue
            where = place[ids]
            for index in where[where >= 0]:
                found[index].add(text)
        return found


def _combined(arrays: list[Any], operation: Any) -> Any:
    """``operation`` over whole-index arrays, one at a time into a copy of the first: a
    reduce over the list stacks them all first (16 × 100,000 for a synonym's phrases)."""
    result = arrays[0].copy()
    for other in arrays[1:]:
        operation(result, other, out=result)
    return result


def _best(candidates: Ids, scores: Scores, limit: int) -> Ids:
    """The ``limit`` best of ``candidates`` (ascending document numbers), best first, ties
    to the lower document number: a partition, then a sort of only what it keeps."""
    if len(candidates) > limit:
        values = scores[candidates]
        cut = np.partition(values, len(values) - limit)[len(values) - limit]
        above = candidates[values > cut]
        tied = candidates[values == cut]
        candidates = np.concatenate([above, tied[: limit - len(above)]])
    return candidates[np.lexsort((candidates, -scores[candidates]))]


def _holds(leaf: _Leaf, fieldname: str, btext: bytes) -> bool:
    """Whether a segment holds a word: a frequent word is known from the arrays kept beside
    it (a dictionary), others from the field's word list kept there (a bisection, in
    memory once the field has been asked for), and only where neither is kept from
    whoosh's word table (a lookup in its file, some 30 µs: a phrase over the eight default
    fields of a twenty-segment index asks it hundreds of times)."""
    frequent = leaf.frequent
    if frequent is None:
        return (fieldname, btext) in leaf.reader
    if (fieldname, btext) in frequent.slices:
        return True
    listed = frequent.words(fieldname)
    if listed is None:
        return (fieldname, btext) in leaf.reader
    word = btext.decode("utf-8", "surrogateescape")
    at = bisect.bisect_left(listed, word)
    return at < len(listed) and listed[at] == word


def _word_positions(leaf: _Leaf, fieldname: str, btext: bytes, docnums: Ids) -> tuple[Ids, Ids]:
    """A word's positions in ``docnums`` (a segment's, ascending), each with the place in
    ``docnums`` of its document: a frequent word's from the arrays kept beside the segment
    (``SegmentPostings.positions_in``), others' from whoosh's postings."""
    if leaf.frequent is not None:
        found = leaf.frequent.positions_in(fieldname, btext, docnums)
        if found is not None:
            return found
    word = _Positions(leaf, fieldname, btext, docnums)
    places: list[int] = []
    positions: list[int] = []
    for k, docnum in enumerate(docnums.tolist()):
        held = word.at(k, docnum)
        if held:
            places += [k] * len(held)
            positions += held
    return np.asarray(places, dtype=np.int64), np.asarray(positions, dtype=np.int64)


def _chained(words: list[tuple[Ids, Ids]], slop: int) -> Ids:
    """The places (as ``_word_positions`` gives them) where some position of the first word
    starts a chain through every word, each at most ``slop`` positions after the one before.
    A place and a position are one number (positions are below 2**32), so that each word's
    step is one set operation over every document at once."""
    places, positions = words[0]
    chains = np.unique((places << 32) + positions)
    for places, positions in words[1:]:
        later = np.unique((places << 32) + positions)
        following = np.zeros(len(later), dtype=bool)
        for gap in range(1, slop + 1):
            following |= np.isin(later - gap, chains, assume_unique=True)
        chains = later[following]
        if not len(chains):
            break
    return np.unique(chains >> 32)


class _Positions:
    """One word's positions in given documents of a segment, asked for in ascending order,
    from whoosh's postings. A frequent word's blocks are known (``SegmentPostings.locate``):
    the block holding a document is read directly. Other words' postings (a few blocks) are
    walked."""

    def __init__(self, leaf: _Leaf, fieldname: str, btext: bytes, docnums: Ids) -> None:
        self.matcher = segment_postings(leaf.reader, fieldname, btext)
        self.located = None
        if leaf.frequent is not None and internals.has_blocks(self.matcher):
            self.located = leaf.frequent.locate(fieldname, btext, docnums)
        self.block = -1

    def at(self, k: int, docnum: int) -> Any:
        """The positions in document ``docnum`` (the ``k``-th asked), or None if absent."""
        matcher = self.matcher
        if self.located is not None:
            offsets, places = self.located
            offset = int(offsets[k])
            if offset < 0:
                return None
            if offset != self.block:
                internals.goto_block(matcher, offset)
                self.block = offset
            internals.move_within_block(matcher, int(places[k]))
            return matcher.value_as("positions")
        if not matcher.is_active():
            return None
        internals.skip_to(matcher, docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            return None
        return matcher.value_as("positions")


def _text(fieldobj: Any, btext: bytes) -> str:
    value = fieldobj.from_bytes(btext)
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
