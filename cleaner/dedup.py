"""Find blocks that repeat inside one document: captions printed twice, a gallery printed
again after the story, a headline printed three times, a paragraph pasted twice.

Long blocks are compared with MinHash over word bigrams: LSH proposes candidate pairs and each
candidate is verified on the word sequences, so that two captions of different photos ("Ishiba
speaks ... with Lee" / "Lee speaks ... with Ishiba", the same words in another order) stay
apart while variants ("Tokyo, Japan, Saturday" / "Tokyo, Saturday") merge. Short blocks must
match exactly, ignoring case and punctuation; so must any block first, which costs one lookup.

The MinHash is datasketch's (seed 1, the "affine32" scheme, `cleaner.minhash`) of the bigrams,
each hashed from its words' hashes as a story's shingles are, computed with numpy for all
the long blocks of a document at once instead of one MinHash object per block. The LSH bands are
grouped by their keys as for stories (`cleaner.lsh`), instead of a MinHashLSH per document.

A page may also carry its whole text twice in another cut (an article, then the same article
flattened into one long line): `mark_copied_runs` finds runs of body blocks whose word
4-grams all appeared earlier, however the text was cut into blocks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from cleaner.lsh import Banding
from cleaner.minhash import (
    lowered_tokens,
    permutations,
    permuted_rows,
    shingle_hashes,
    token_hashes,
)
from cleaner.model import Block, Kept, Reason

# MinHash size and LSH banding. With 16 bands of 4 rows a pair of blocks whose bigram sets
# have Jaccard J becomes a candidate with probability 1 - (1 - J**4)**16:
# J=0.5 -> 0.64, J=0.6 -> 0.89, J=0.7 -> 0.98, J=0.8 -> 1.00.
NUM_PERM = 64
BANDING = Banding(bands=16, rows=4)
SEED = 1
# Bigrams whose permuted hashes are held in memory at once (NUM_PERM uint32 each, 4 MB in
# all): a document is sketched in slices of whole blocks this size (one longer block, a line
# with no sentence end to cut it at, is a slice of its own).
SKETCH_BIGRAMS = 16384
# Blocks with fewer words than this are only compared exactly: in a block of 7 words, one
# word changed (two captions of two photos) still leaves a sequence similarity of 0.86.
MIN_WORDS_FOR_MINHASH = 8
# A candidate is a repeat when difflib's ratio of the two word sequences reaches this:
# one or two words inserted in a 30-word caption give 0.93-0.97; two names swapped give 0.6.
MIN_SEQUENCE_SIMILARITY = 0.85
# At most this many LSH candidates, the most similar by MinHash, are verified per block.
MAX_VERIFIED = 4
# Blocks whose words a worker remembers: mark_repeats and mark_copied_runs read the same.
WORDS_CACHE = 4096

# What a repeat of a kept block becomes.
REPEAT_REASON = {
    Kept.CAPTION: Reason.CAPTION_DUPLICATE,
    Kept.BODY: Reason.PARAGRAPH_DUPLICATE,
    Kept.TITLE: Reason.TITLE_REPEAT,
}

# Copied runs: a body block is a copy when this share of its word 4-grams appeared in
# earlier body blocks; a run of copies is removed once it copies this many different blocks
# (or two, with this many words).
COPY_CONTAINMENT = 0.9
COPY_RUN_BLOCKS = 3
COPY_RUN_WORDS = 60
SHINGLE = 4

WORD = re.compile(r"\w+")


def mark_repeats(blocks: list[Block], paragraphs: bool = True) -> None:
    """Relabel every later copy of a kept block as a duplicate of its first occurrence.

    Only blocks of the same label are compared: a caption repeats a caption, a paragraph a
    paragraph. The first occurrence keeps its label; a copy gets the matching duplicate
    reason and `duplicate_of` = the first occurrence's index. With `paragraphs=False` body
    paragraphs are left alone: in an HTML page's main content a repeated paragraph was put
    there by its author, while in a text dump it is the scraper's doing.
    """
    labels = [label for label in REPEAT_REASON if paragraphs or label is not Kept.BODY]
    compared = [block for block in blocks if block.label in labels]
    sketched = _Sketched.of(compared)
    for label in labels:
        group = [position for position, block in enumerate(compared) if block.label == label]
        for copy, original in _repeats(group, sketched):
            compared[copy].label = REPEAT_REASON[label]
            compared[copy].duplicate_of = compared[original].index


def mark_copied_runs(blocks: list[Block]) -> None:
    """Relabel runs of body blocks that repeat earlier body text as paragraph duplicates.

    A single repeated paragraph is left to `mark_repeats`; a run copying several earlier
    blocks is a second copy of the text, whatever its cut.
    """
    first_seen: dict[tuple[str, ...], int] = {}
    run: list[tuple[Block, int]] = []
    for block in blocks:
        if block.label is not Kept.BODY:
            continue
        shingles = _shingles(_words(block.text))
        original = _copied_from(shingles, first_seen)
        if original is None:
            _close_run(run)
            run = []
        else:
            run.append((block, original))
        for shingle in shingles:
            first_seen.setdefault(shingle, block.index)
    _close_run(run)


class Texts:
    """The text of some blocks, asked whether it prints another one nearly word for word:
    COPY_CONTAINMENT of the other's word 4-grams, as `mark_copied_runs` compares copies. Its
    words are gathered once, its 4-grams only when the other's words are nearly all in it."""

    def __init__(self, blocks: list[Block]) -> None:
        self._blocks = blocks
        self._vocabulary = set().union(*(_words(block.text) for block in blocks))
        self._shingles: set[tuple[str, ...]] | None = None

    def prints(self, other: Texts) -> bool:
        """Whether nearly all of `other` is printed in this text."""
        shared = other._vocabulary & self._vocabulary
        if len(shared) < COPY_CONTAINMENT * len(other._vocabulary):
            return False
        own = other.shingles()
        return bool(own) and len(own & self.shingles()) >= COPY_CONTAINMENT * len(own)

    def shingles(self) -> set[tuple[str, ...]]:
        """The word 4-grams of the text, found once."""
        if self._shingles is None:
            tokens = (_shingles(_words(block.text)) for block in self._blocks)
            self._shingles = {shingle for shingles in tokens for shingle in shingles}
        return self._shingles


def _shingles(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    if len(tokens) < SHINGLE:
        return [tokens] if tokens else []
    # Each run of SHINGLE words: the slices from each offset, zipped, stop with the shortest.
    return list(zip(*(tokens[offset:] for offset in range(SHINGLE)), strict=False))


def _copied_from(shingles: list[tuple[str, ...]], first_seen: dict) -> int | None:
    """The block most of `shingles` were first seen in, if nearly all were seen before."""
    seen = [first_seen[shingle] for shingle in shingles if shingle in first_seen]
    if not shingles or len(seen) < COPY_CONTAINMENT * len(shingles):
        return None
    return Counter(seen).most_common(1)[0][0]


def _close_run(run: list[tuple[Block, int]]) -> None:
    """Remove the run if it copies a section: several different earlier blocks, not one
    paragraph printed again and again (which a page may well mean)."""
    originals = len({original for _, original in run})
    words = sum(len(block.text.split()) for block, _ in run)
    if originals >= COPY_RUN_BLOCKS or (originals >= 2 and words >= COPY_RUN_WORDS):
        for block, original in run:
            block.label = Reason.PARAGRAPH_DUPLICATE
            block.duplicate_of = original


@dataclass(slots=True, frozen=True)
class _Sketched:
    """The blocks compared for repeats: their words, and for the long ones (`row_of` maps a
    block's position to its row) MinHash sketches; `band_keys` holds the band keys of the
    blocks sharing one with another block, the only ones that can be candidates."""

    words: list[tuple[str, ...]]
    row_of: dict[int, int]
    sketches: np.ndarray
    band_keys: dict[int, list[int]]

    @classmethod
    def of(cls, blocks: list[Block]) -> _Sketched:
        words = [_words(block.text) for block in blocks]
        long = [i for i, tokens in enumerate(words) if len(tokens) >= MIN_WORDS_FOR_MINHASH]
        sketches = _sketches([words[position] for position in long])
        keys = BANDING.keys(sketches, 0)
        shared = np.flatnonzero(_shares_a_key(keys)).tolist()
        band_keys = dict(zip([long[row] for row in shared], keys[shared].tolist(), strict=True))
        row_of = {position: row for row, position in enumerate(long)}
        return cls(words, row_of, sketches, band_keys)


def _repeats(group: list[int], sketched: _Sketched) -> list[tuple[int, int]]:
    """Pairs (copy, first occurrence) of positions among the blocks at `group`, in order."""
    exact: dict[tuple[str, ...], int] = {}
    buckets: defaultdict[int, list[int]] = defaultdict(list)  # band key -> originals
    pairs = []
    for position in group:
        words = sketched.words[position]
        original = exact.get(words)
        keys = sketched.band_keys.get(position)
        if original is None and keys is not None:
            candidates = {other for key in keys for other in buckets.get(key, ())}
            original = _verified_match(position, sorted(candidates), sketched)
        if original is not None:
            pairs.append((position, original))
            continue
        exact[words] = position
        for key in keys or ():
            buckets[key].append(position)
    return pairs


@lru_cache(maxsize=WORDS_CACHE)
def _words(text: str) -> tuple[str, ...]:
    """The words of a block, lowercased: what repeats and copies are compared on."""
    return tuple(lowered_tokens(WORD, text))


def _shares_a_key(keys: np.ndarray) -> np.ndarray:
    """Per row of band keys, whether another row has one of its keys: a block sharing none
    can be no candidate, and is left out of the LSH buckets."""
    _, inverse, counts = np.unique(keys.ravel(), return_inverse=True, return_counts=True)
    return (counts[inverse] > 1).reshape(keys.shape).any(axis=1)


def _verified_match(position: int, candidates: list[int], sketched: _Sketched) -> int | None:
    """The earliest of the most similar candidates whose word sequence is close enough.

    Only the MAX_VERIFIED candidates with the most equal MinHash values (the highest
    estimated Jaccard) are compared word by word, so a text with hundreds of look-alike
    paragraphs costs no more per paragraph.
    """
    if not candidates:
        return None
    rows = [sketched.row_of[candidate] for candidate in candidates]
    sketches = sketched.sketches
    agreements = np.count_nonzero(sketches[rows] == sketches[sketched.row_of[position]], axis=1)
    ranked = sorted(zip(agreements.tolist(), candidates, strict=True), key=lambda pair: -pair[0])
    words = sketched.words
    for candidate in sorted(candidate for _, candidate in ranked[:MAX_VERIFIED]):
        matcher = SequenceMatcher(None, words[position], words[candidate], autojunk=False)
        # The quick ratios are upper bounds of ratio(), in O(n): most candidates stop there.
        if (
            matcher.real_quick_ratio() >= MIN_SEQUENCE_SIMILARITY
            and matcher.quick_ratio() >= MIN_SEQUENCE_SIMILARITY
            and matcher.ratio() >= MIN_SEQUENCE_SIMILARITY
        ):
            return candidate
    return None


def _sketches(token_lists: list[tuple[str, ...]]) -> np.ndarray:
    """(n, NUM_PERM) uint32: the MinHash of the word bigrams of each of n token lists (each
    of two tokens or more), SKETCH_BIGRAMS bigrams at a time."""
    sketches = [np.zeros((0, NUM_PERM), dtype=np.uint32)]
    first, bigrams = 0, 0
    for last, tokens in enumerate(token_lists):
        bigrams += len(tokens) - 1
        if bigrams >= SKETCH_BIGRAMS or last == len(token_lists) - 1:
            sketches.append(_sketch_slice(token_lists[first : last + 1]))
            first, bigrams = last + 1, 0
    return np.concatenate(sketches)


def _sketch_slice(token_lists: list[tuple[str, ...]]) -> np.ndarray:
    """The MinHash of the bigrams of each token list: the min of each permuted bigram hash
    over the list's bigrams (repeated bigrams change no minimum, so no set is built). The
    lists' tokens are hashed as one run, whose bigrams across two lists are left out."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    ends = np.cumsum(lengths)
    bigrams = shingle_hashes(token_hashes([t for tokens in token_lists for t in tokens]), 2)
    hashes = np.delete(bigrams, ends[:-1] - 1)
    starts = np.concatenate([[0], np.cumsum(lengths[:-1] - 1)])
    rows = permuted_rows(hashes, permutations(NUM_PERM, SEED))
    return np.minimum.reduceat(rows, starts, axis=1).T
