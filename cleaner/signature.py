"""Story signatures: what the dedup of stories across documents and runs knows of a story.

A signature is made from the story's cleaned text (boilerplate, captions and credits are gone,
so a site's template cannot make two stories look alike), with its dateline left out, so a
copy that adds or drops "WASHINGTON (AP) —" is the same text. The text is cut into tokens
(runs of letters and digits, lowercased; each Chinese or Japanese character alone) and the
tokens into shingles of `SHINGLE` consecutive tokens, hashed by `cleaner.minhash` from the
hashes of their tokens, as building and hashing a string per shingle would cost several
times more. Two MinHash sketches
(datasketch) of the shingle sets are kept, with a fixed seed and the permutation scheme named
explicitly (datasketch 2.0 changed its default; sketches of two schemes must never be
compared):

- `full`, over all the shingles: the share of equal values estimates the Jaccard similarity
  J = |A∩B| / |A∪B| of two stories; with the sizes of the sets it estimates their containment
  |A∩B| / min(|A|, |B|), which stays high for a copy cut short ("Read more…").
- `lede`, over the shingles of the first `LEDE_TOKENS` tokens: a copy cut to 40% of its story
  has J ≈ 0.4 with it, too low to be found by the full sketch's bands, but the same lede.

    >>> a = sign("The summit opened in Tokyo on Saturday with talks on trade and security.")
    >>> b = sign("The summit opened in Tokyo on Saturday with talks on trade and defence.")
    >>> round(jaccard(a.full, b.full), 1), a.shingles
    (0.8, 11)
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import numpy as np

from cleaner.label import CJK_CHARACTER
from cleaner.minhash import (
    SCHEME,
    lowered_tokens,
    min_hashes,
    permutations,
    shingle_hashes,
    token_hashes,
)

# Tokens per shingle. Each word edited changes SHINGLE shingles: with 3, 5% of the words
# edited leaves J ≈ 0.75 (5-grams: 0.63), while two stories on the same event in different
# words (seeds 000 and 003) share 3% of their 3-grams.
SHINGLE = 3
NUM_PERM = 128  # permutations of the full sketch: J is estimated within ±0.04 (one sd at 0.5)
LEDE_TOKENS = 60  # the lede: about the first two sentences
LEDE_PERM = 64
SEED = 1
# Changes whenever a signature's meaning does: an index of other signatures is refused.
VERSION = (
    f"{SCHEME}-seed{SEED}-blake2b-shingle{SHINGLE}-full{NUM_PERM}-lede{LEDE_TOKENS}x{LEDE_PERM}"
)

TOKEN = re.compile(rf"{CJK_CHARACTER.pattern}|[^\W{CJK_CHARACTER.pattern[1:-1]}]+")


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """The MinHash sketches of one story and the size of its shingle set."""

    shingles: int  # |A|: distinct shingles of the whole text
    full: np.ndarray  # uint32[NUM_PERM]
    lede: np.ndarray  # uint32[LEDE_PERM]

    def to_bytes(self) -> bytes:
        """`shingles`, `full` and `lede` as little-endian uint32, `BYTES` long."""
        values = np.concatenate([[self.shingles], self.full, self.lede])
        return values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
        return cls(int(values[0]), values[1 : 1 + NUM_PERM], values[1 + NUM_PERM :])

    def to_text(self) -> str:
        """The signature as base64, for JSON lines."""
        return base64.b64encode(self.to_bytes()).decode("ascii")

    @classmethod
    def from_text(cls, text: str) -> Signature:
        return cls.from_bytes(base64.b64decode(text))


BYTES = 4 * (1 + NUM_PERM + LEDE_PERM)


def sign(text: str, dateline: str | None = None) -> Signature:
    """The signature of a story's `text`, its leading `dateline` (if any) left out."""
    if dateline and text.startswith(dateline):
        text = text[len(dateline) :]
    tokens = lowered_tokens(TOKEN, text) or [text]
    shingles = _shingle_hashes(tokens)
    lede = shingles[: max(1, LEDE_TOKENS - SHINGLE + 1)]
    full = np.unique(shingles)
    return Signature(len(full), _sketch(full, NUM_PERM), _sketch(np.unique(lede), LEDE_PERM))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity estimated from two sketches: the share of equal values."""
    return float(np.count_nonzero(a == b)) / len(a)


def _shingle_hashes(tokens: list[str]) -> np.ndarray:
    """uint32 hashes of the runs of SHINGLE tokens, in text order; a text shorter than one
    shingle is one shingle."""
    hashes = token_hashes(tokens)
    if len(hashes) < SHINGLE:
        hashes = np.concatenate([hashes, np.zeros(SHINGLE - len(hashes), dtype=np.uint64)])
    return shingle_hashes(hashes, SHINGLE)


def _sketch(shingles: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash values of a set of shingle hashes (datasketch's, the hashes taken as they
    are, as with `hashfunc=int`)."""
    return min_hashes(shingles, permutations(num_perm, SEED))
