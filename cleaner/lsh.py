"""Locality-sensitive hashing of story signatures: bands of MinHash values, and the candidate
pairs of stories that share a band.

A sketch of `bands * rows` values is cut into `bands` bands of `rows` values. Two stories
whose shingle sets have Jaccard similarity J agree on one band with probability J^rows, and
become a candidate pair when they agree on at least one band:

    P(candidate) = 1 - (1 - J^rows)^bands

    J                        0.1    0.2    0.3    0.5    0.6    0.7    0.8
    full: 32 bands x 4 rows  0.003  0.05   0.23   0.87   0.99   1.00   1.00
    lede: 21 bands x 3 rows  0.02   0.16   0.44   0.94   0.99   1.00   1.00

(`Banding.probability`). The full sketch's bands find copies with a few words edited
(J ≈ 0.75 for 5% of the words), the lede's bands find copies cut short. Candidates are only
proposals: each pair is verified on its estimated similarity before it counts
(`cleaner.near_duplicates`), so the curves are set to miss little, not to be exact.

Bands are grouped by sorting, not in hash tables: a band's key is a 64-bit hash of its values
and its place, one column of a numpy array per band, and stories with equal keys are
neighbours once the column is sorted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.minhash import mix64
from cleaner.signature import LEDE_PERM, NUM_PERM, VERSION, Signature


@dataclass(frozen=True, slots=True)
class Banding:
    """`bands` bands of `rows` values each, over a sketch of at least bands * rows values."""

    bands: int
    rows: int

    def probability(self, jaccard: float) -> float:
        """The chance that two stories of Jaccard similarity `jaccard` share a band.

        >>> round(FULL.probability(0.6), 2), round(LEDE.probability(0.2), 2)
        (0.99, 0.16)
        """
        return 1 - (1 - jaccard**self.rows) ** self.bands

    def keys(self, sketches: np.ndarray, first_band: int) -> np.ndarray:
        """(n, bands) uint64 keys of n sketches (an (n, perm) array), numbered from
        `first_band` so that equal values in two different bands never give equal keys: each
        band's `key`, computed for all the bands at once."""
        banded = sketches[:, : self.bands * self.rows].reshape(len(sketches), self.bands, self.rows)
        values = banded.astype(np.uint64)
        key = (values * _MULTIPLIERS[: self.rows]).sum(axis=2, dtype=np.uint64)
        numbers = np.arange(first_band, first_band + self.bands, dtype=np.uint64)
        return mix64(key + numbers * np.uint64(_BAND_STEP))

    def key(self, sketches: np.ndarray, band: int, number: int) -> np.ndarray:
        """(n,) uint64: the key of band `band` of n sketches, as band `number` of all."""
        values = sketches[:, band * self.rows : (band + 1) * self.rows].astype(np.uint64)
        key = (values * _MULTIPLIERS[: self.rows]).sum(axis=1, dtype=np.uint64)
        return mix64(key + np.uint64(number * _BAND_STEP % 2**64))


FULL = Banding(bands=32, rows=4)
LEDE = Banding(bands=21, rows=3)
BANDS = FULL.bands + LEDE.bands
assert FULL.bands * FULL.rows <= NUM_PERM and LEDE.bands * LEDE.rows <= LEDE_PERM

# What stories must have been signed and banded with for their band keys to be compared with
# these; an index records it. Change "keys1" whenever `Banding.keys` computes keys otherwise.
LAYOUT = f"{VERSION}-keys1-bands{FULL.bands}x{FULL.rows}+{LEDE.bands}x{LEDE.rows}"

# At most this many stories of a band bucket, the first in keeper order, are paired with each
# of the others: a thousand copies of one story cost 32,000 checks per band, not 500,000.
MAX_PARTNERS = 32

# Odd 64-bit constants: the band key is sum(value_i * multiplier_i) + band * step, mixed.
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
_BAND_STEP = 0x27D4EB2F165667C5


def band_keys(signatures: Sequence[Signature]) -> np.ndarray:
    """(n, BANDS) uint64: the keys of every band of n signatures, full bands first."""
    if not signatures:
        return np.zeros((0, BANDS), dtype=np.uint64)
    full = np.stack([signature.full for signature in signatures])
    lede = np.stack([signature.lede for signature in signatures])
    return key_matrix(full, lede)


def key_matrix(full: np.ndarray, lede: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64: the keys of every band of n stories' full and lede sketches."""
    return np.column_stack(list(band_columns(full, lede)))


def band_columns(full: np.ndarray, lede: np.ndarray) -> Iterator[np.ndarray]:
    """The (n,) key column of each band of n stories' sketches, full bands first, one at a
    time: the keys of a million stories are never all in memory at once."""
    for band in range(FULL.bands):
        yield FULL.key(full, band, band)
    for band in range(LEDE.bands):
        yield LEDE.key(lede, band, FULL.bands + band)


def shared_earlier(keys: np.ndarray, band: int, pairs: np.ndarray) -> np.ndarray:
    """(m,) bool: which of m `pairs` of stories share a band before `band`, by the low 32
    bits of their band keys (`keys`: (BANDS, n) uint32, the rows before `band` filled). Such
    a pair was a candidate of that band already."""
    shared = np.zeros(len(pairs), dtype=bool)
    first, later = pairs[:, 0], pairs[:, 1]
    for earlier in keys[:band]:
        shared |= earlier[first] == earlier[later]
    return shared


def bucket_pairs(column: np.ndarray, order: np.ndarray) -> Iterator[np.ndarray]:
    """Pairs (first, later) of the stories with equal keys in one band's key `column`, the
    story first in keeper order (`order`: the story numbers in that order) first, one batch
    per partner: each story paired with the first of its bucket, then with the second...

    In a bucket of k stories each is paired with the MAX_PARTNERS first in keeper order
    (all the others when k <= MAX_PARTNERS + 1).

    >>> column = np.array([7, 7, 8, 7], dtype=np.uint64)
    >>> [pairs.tolist() for pairs in bucket_pairs(column, order=np.array([1, 3, 0, 2]))]
    [[[1, 3], [1, 0]], [[3, 0]]]
    """
    ranked = column[order]
    by_key = np.argsort(ranked, kind="stable")  # equal keys stay in keeper order
    sorted_keys = ranked[by_key]
    order = order[by_key]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    shared = np.repeat(sizes > 1, sizes)  # only stories in a bucket of two or more
    order = order[shared]
    group_start = np.repeat(np.cumsum(np.r_[0, sizes[sizes > 1]])[:-1], sizes[sizes > 1])
    position = np.arange(len(order))
    for partner in range(MAX_PARTNERS):
        later = position[position > group_start + partner]
        if not len(later):
            return
        yield np.column_stack([order[group_start[later] + partner], order[later]])
