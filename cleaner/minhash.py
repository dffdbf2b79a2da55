"""datasketch's MinHash (the "affine32" scheme) computed with numpy over arrays of hashes,
and the hashes of shingles it is fed.

Both sketches cleaner makes, of a document's blocks (`cleaner.dedup`) and of its stories
(`cleaner.signature`), are datasketch `MinHash(num_perm, seed, scheme="affine32")` values:
each 32-bit input hash is mixed by MurmurHash3's finalizer, then mapped by `num_perm` affine
permutations h -> a*h + b mod 2^32, and the sketch keeps the least value of each. datasketch
takes its input hashes one by one from a Python list; here they come as an array, which
makes the same values in a fraction of the time (the tests compare the two).

The shingles (runs of consecutive tokens) are hashed without building a string per shingle:
each distinct token is hashed once (BLAKE2b, 64 bits), and a shingle's hash is a sum of its
tokens' hashes, each times an odd multiplier of its position, mixed by MurmurHash3's 64-bit
finalizer, of which the top 32 bits are kept.

    >>> from datasketch import MinHash
    >>> hashes = np.array([7, 1 << 31, 12345], dtype=np.uint32)
    >>> expected = MinHash(num_perm=8, seed=1, scheme="affine32", hashfunc=int)
    >>> expected.update_batch(hashes.tolist())
    >>> bool((min_hashes(hashes, permutations(8, seed=1)) == expected.hashvalues).all())
    True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache

import numpy as np

SCHEME = "affine32"
# Odd 64-bit multipliers combining a shingle's token hashes, one per position: a shingle of
# n tokens takes the first n.
POSITION_MULTIPLIERS = np.random.default_rng(1).integers(
    0, 2**64, size=8, dtype=np.uint64
) | np.uint64(1)
TOKEN_CACHE = 1 << 16  # distinct tokens whose hashes a worker remembers


def lowered_tokens(pattern: re.Pattern[str], text: str) -> list[str]:
    """The matches of `pattern` in `text`, lowercased: what the sketches are made of. An
    ASCII text is lowercased whole first, which gives the same matches (lowering changes no
    ASCII character's class) in one call."""
    if text.isascii():
        return pattern.findall(text.lower())
    return list(map(str.lower, pattern.findall(text)))


@cache
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The multipliers `a` (odd) and offsets `b` (uint32[num_perm] each) that datasketch
    draws for `num_perm` and `seed` in its "affine32" scheme, drawn the same way.

    Drawn here rather than read off a datasketch MinHash: importing datasketch imports
    scipy and redis too, half a second of every run's start-up (the doctest above and the
    tests check that the values are datasketch's)."""
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def permuted(hashes: np.ndarray, perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(n, num_perm) uint32: each of n uint32 hashes mixed, then through every permutation
    (the offsets added in place: one (n, num_perm) array made, not two)."""
    a, b = perms
    values = np.multiply.outer(fmix32(hashes), a)
    values += b
    return values


def permuted_rows(hashes: np.ndarray, perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(num_perm, n) uint32: `permuted` transposed, a row per permutation, so that a minimum
    over runs of hashes (`np.minimum.reduceat` along the rows) reads memory in order, several
    times faster than down the columns of `permuted`."""
    a, b = perms
    return a[:, None] * fmix32(hashes) + b[:, None]


def min_hashes(hashes: np.ndarray, perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """uint32[num_perm]: the MinHash of a non-empty set of uint32 hashes (repeats change no
    minimum, so it may hold some twice)."""
    return permuted(hashes, perms).min(axis=0)


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies before its permutations."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def token_hashes(tokens: Sequence[str]) -> np.ndarray:
    """uint64[len(tokens)]: the 64-bit BLAKE2b hash of each token.

    The hashes are looked up in a plain dict the worker keeps (emptied once it holds
    TOKEN_CACHE tokens), the tokens not in it hashed first: a lookup per token costs a
    fraction of a call to an lru_cache'd function."""
    distinct = set(tokens)
    missing = distinct.difference(_TOKEN_HASHES)
    if len(_TOKEN_HASHES) + len(missing) > TOKEN_CACHE:
        _TOKEN_HASHES.clear()
        missing = distinct
    _TOKEN_HASHES.update(zip(missing, map(_token_hash, missing), strict=True))
    return np.fromiter(map(_TOKEN_HASHES.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


_TOKEN_HASHES: dict[str, int] = {}


def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """uint32 hashes of the runs of `size` consecutive tokens, in order, from the tokens'
    hashes (`token_hashes`; at least `size` of them)."""
    count = len(hashes) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for position, multiplier in enumerate(POSITION_MULTIPLIERS[:size]):
        combined += hashes[position : position + count] * multiplier
    return (mix64(combined) >> np.uint64(32)).astype(np.uint32)


def mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: every bit of the result depends on every bit given."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))
