"""Near-duplicate stories: candidate pairs verified on their similarity, then clusters, each
with the one story that is kept.

A candidate pair (from `cleaner.lsh`) is a duplicate only when its estimated similarity says
so (`Similarity.is_duplicate`):

- the Jaccard similarity of the full shingle sets reaches MIN_JACCARD: the same text with
  a few words edited, a paragraph moved, a sentence added; or
- the containment |A∩B| / min(|A|, |B|) reaches MIN_CONTAINMENT, and either the ledes'
  Jaccard similarity reaches MIN_LEDE_JACCARD (a copy cut short, which starts as its story
  does) or the Jaccard similarity reaches MIN_JACCARD_CONTAINED (most of a story inside a
  longer one: enough values agree for the containment to be more than noise).
  A follow-up story that repeats a paragraph of background, or one that reuses the lede and
  then tells something else, has a low containment and stays.

Clusters are built from verified pairs only, and around keepers: stories are taken in keeper
order (`cleaner.keeper`); a story verified against a keeper already chosen joins the most
similar one, any other story becomes a keeper. So every copy was verified against the story
that is kept in its place: a chain A~B~C never puts C with A unless C~A was verified too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaner.lsh import BANDS, band_columns, bucket_pairs, shared_earlier
from cleaner.signature import Signature
from cleaner.story_table import StoryRef, StoryTable

# Thresholds on estimated similarities (the full sketch estimates J within ±0.04 at 0.5).
# 5% of the words edited gives J ≈ 0.75; distinct stories on one event share J < 0.1.
MIN_JACCARD = 0.5
# A copy cut to 40% of its story, 5% of its words edited, is contained at ≈ 0.85.
MIN_CONTAINMENT = 0.7
# ... and starts the same way: its lede's J is ≈ 0.7 or more with a few of its words edited.
MIN_LEDE_JACCARD = 0.4
# ... or is a fifth of the longer story or more. A containment estimated from fewer agreeing
# values is noise: one value of 128 in common makes a story 12 times shorter "contained" at 0.3.
MIN_JACCARD_CONTAINED = 0.2
# Candidate pairs verified at once: a batch's sketches take VERIFY_BATCH * 0.8 KB, twice.
VERIFY_BATCH = 1 << 15


@dataclass(frozen=True, slots=True)
class Similarity:
    """How alike two stories are, as their signatures estimate it."""

    jaccard: float  # |A∩B| / |A∪B| of the full shingle sets
    containment: float  # |A∩B| / min(|A|, |B|)
    lede: float  # Jaccard similarity of the ledes' shingle sets

    @property
    def is_duplicate(self) -> bool:
        return bool(_is_duplicate(self.jaccard, self.containment, self.lede))

    def as_json(self) -> dict[str, float]:
        return {"similarity": round(self.jaccard, 3), "containment": round(self.containment, 3)}


@dataclass(slots=True)
class Clustering:
    """The clusters of a table of stories: each copy with the story kept in its place and
    their similarity (a story in no list is kept), and what it took."""

    copies: dict[int, list[tuple[int, Similarity]]]  # keeper -> its copies, in keeper order
    candidate_pairs: int = 0
    verified_pairs: int = 0


def compare(a: Sequence[Signature], b: Sequence[Signature]) -> list[Similarity]:
    """The similarity of each pair `a[i]`, `b[i]`."""
    return _Measures.of(_Sketches.of(a), _Sketches.of(b)).similarities()


def best_match(
    signature: Signature, others: Sequence[tuple[StoryRef, Signature]]
) -> tuple[StoryRef, Similarity] | None:
    """The story of `others` most similar to `signature` among its duplicates, if any.

    The most similar is the one with the highest Jaccard similarity, then containment; a tie
    goes to the first in `others`.
    """
    similarities = compare([signature] * len(others), [other for _, other in others])
    duplicates = [
        (ref, similarity)
        for (ref, _), similarity in zip(others, similarities, strict=True)
        if similarity.is_duplicate
    ]
    if not duplicates:
        return None
    return max(duplicates, key=lambda match: (match[1].jaccard, match[1].containment))


def cluster(table: StoryTable, order: np.ndarray) -> Clustering:
    """Cluster the stories of `table` into kept stories and their verified copies.

    `order` is the table's story numbers in keeper order (`cleaner.keeper`), the keeper of a
    cluster first. Bands are taken one at a time; a candidate pair is verified once, in the
    first band it shares.
    """
    sketches = _Sketches.of_table(table)
    keys = np.empty((BANDS, len(table)), dtype=np.uint32)
    found = _VerifiedPairs()
    for band, column in enumerate(band_columns(table.full, table.lede)):
        keys[band] = column.astype(np.uint32)  # the low 32 bits
        for pairs in bucket_pairs(column, order):
            fresh = pairs[~shared_earlier(keys, band, pairs)]
            found.candidates += len(fresh)
            for start in range(0, len(fresh), VERIFY_BATCH):
                batch = fresh[start : start + VERIFY_BATCH]
                measures = _Measures.of(sketches.take(batch[:, 0]), sketches.take(batch[:, 1]))
                found.add(batch, measures)
    rank = np.empty(len(table), dtype=np.int64)
    rank[order] = np.arange(len(table))
    return Clustering(found.around_keepers(rank), found.candidates, found.verified)


class _VerifiedPairs:
    """The verified pairs (first, later) of stories, first before later in keeper order,
    with their measures, gathered as arrays."""

    def __init__(self) -> None:
        self.candidates = self.verified = 0
        self.parts: list[tuple[np.ndarray, _Measures]] = []

    def add(self, pairs: np.ndarray, measures: _Measures) -> None:
        """Keep the `pairs` that `measures` verify."""
        duplicate = measures.is_duplicate()
        self.verified += int(np.count_nonzero(duplicate))
        self.parts.append((pairs[duplicate], measures.take(duplicate)))

    def around_keepers(self, rank: np.ndarray) -> dict[int, list[tuple[int, Similarity]]]:
        """Stories taken in keeper order: one verified against a keeper already chosen joins
        the most similar (the highest Jaccard similarity, then containment, then the first
        in keeper order), any other is a keeper. Returns keeper -> its copies."""
        pairs = np.concatenate([np.zeros((0, 2), np.int64), *(p for p, _ in self.parts)])
        measures = _Measures.concatenate([m for _, m in self.parts])
        first, later = pairs[:, 0], pairs[:, 1]
        preference = np.lexsort(
            (rank[first], -measures.containment, -measures.jaccard, rank[later])
        )
        is_copy: set[int] = set()
        copies: dict[int, list[tuple[int, Similarity]]] = {}
        similarities = measures.take(preference)
        for position, (keeper, story) in enumerate(pairs[preference].tolist()):
            if story in is_copy or keeper in is_copy:
                continue
            is_copy.add(story)
            copies.setdefault(keeper, []).append((story, similarities.similarity(position)))
        return copies


@dataclass(frozen=True, slots=True)
class _Sketches:
    """Signatures as arrays, one row per story."""

    full: np.ndarray
    lede: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of_table(cls, table: StoryTable) -> _Sketches:
        return cls(table.full, table.lede, table.shingles.astype(np.float64))

    @classmethod
    def of(cls, signatures: Sequence[Signature]) -> _Sketches:
        if not signatures:
            return cls(np.zeros((0, 1)), np.zeros((0, 1)), np.zeros(0))
        return cls(
            np.stack([signature.full for signature in signatures]),
            np.stack([signature.lede for signature in signatures]),
            np.array([signature.shingles for signature in signatures], dtype=np.float64),
        )

    def take(self, rows: np.ndarray) -> _Sketches:
        return _Sketches(self.full[rows], self.lede[rows], self.sizes[rows])


@dataclass(frozen=True, slots=True)
class _Measures:
    """The similarities of row pairs of two `_Sketches`, as arrays."""

    jaccard: np.ndarray
    containment: np.ndarray
    lede: np.ndarray

    @classmethod
    def of(cls, a: _Sketches, b: _Sketches) -> _Measures:
        """Estimated from the sketches: |A∩B| = J (|A| + |B|) / (1 + J)."""
        full_equal, lede_equal = a.full == b.full, a.lede == b.lede
        jaccard = np.count_nonzero(full_equal, axis=1) / full_equal.shape[1]
        shared = jaccard * (a.sizes + b.sizes) / (1 + jaccard)
        containment = np.minimum(1.0, shared / np.maximum(1, np.minimum(a.sizes, b.sizes)))
        lede = np.count_nonzero(lede_equal, axis=1) / lede_equal.shape[1]
        return cls(jaccard, containment, lede)

    @classmethod
    def concatenate(cls, parts: Sequence[_Measures]) -> _Measures:
        arrays = [np.concatenate([[], *(getattr(p, name) for p in parts)]) for name in _MEASURES]
        return cls(*arrays)

    def take(self, rows: np.ndarray) -> _Measures:
        return _Measures(self.jaccard[rows], self.containment[rows], self.lede[rows])

    def similarity(self, row: int) -> Similarity:
        return Similarity(
            float(self.jaccard[row]), float(self.containment[row]), float(self.lede[row])
        )

    def is_duplicate(self) -> np.ndarray:
        """`Similarity.is_duplicate` of every pair."""
        return _is_duplicate(self.jaccard, self.containment, self.lede)

    def similarities(self, rows: np.ndarray | slice = slice(None)) -> list[Similarity]:
        return [
            Similarity(float(j), float(c), float(s))
            for j, c, s in zip(
                self.jaccard[rows], self.containment[rows], self.lede[rows], strict=True
            )
        ]


_MEASURES = ("jaccard", "containment", "lede")


def _is_duplicate(jaccard: Any, containment: Any, lede: Any) -> Any:
    """The rule of the module docstring, for numbers or numpy arrays of them."""
    believable = (lede >= MIN_LEDE_JACCARD) | (jaccard >= MIN_JACCARD_CONTAINED)
    return (jaccard >= MIN_JACCARD) | ((containment >= MIN_CONTAINMENT) & believable)
