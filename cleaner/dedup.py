"""Find blocks that repeat inside one document: captions printed twice, a gallery printed
again after the story, a headline printed three times, a paragraph pasted twice.

Long blocks are compared with MinHash (datasketch) over word bigrams: LSH proposes candidate
pairs and each candidate is verified on the word sequences, so that two captions of different
photos ("Ishiba speaks ... with Lee" / "Lee speaks ... with Ishiba", the same words in another
order) stay apart while variants ("Tokyo, Japan, Saturday" / "Tokyo, Saturday") merge.
Short blocks must match exactly, ignoring case and punctuation.

A page may also carry its whole text twice in another cut (an article, then the same article
flattened into one long line): `mark_copied_runs` finds runs of body blocks whose word
4-grams all appeared earlier, however the text was cut into blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from itertools import pairwise

from datasketch import MinHash, MinHashLSH

from cleaner.model import Block, Kept, Reason

# MinHash size and LSH banding. With 16 bands of 4 rows a pair of blocks whose bigram sets
# have Jaccard J becomes a candidate with probability 1 - (1 - J**4)**16:
# J=0.5 -> 0.64, J=0.6 -> 0.89, J=0.7 -> 0.98, J=0.8 -> 1.00.
NUM_PERM = 64
BANDS, ROWS = 16, 4
SEED = 1
SCHEME = "affine32"  # named, so that a change of datasketch's default changes nothing here
# Blocks with fewer words than this are only compared exactly.
MIN_WORDS_FOR_MINHASH = 6
# A candidate is a repeat when difflib's ratio of the two word sequences reaches this:
# one or two words inserted in a 30-word caption give 0.93-0.97; two names swapped give 0.6.
MIN_SEQUENCE_SIMILARITY = 0.85
# At most this many LSH candidates, the most similar by MinHash, are verified per block.
MAX_VERIFIED = 4

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
    for label, reason in REPEAT_REASON.items():
        if label is Kept.BODY and not paragraphs:
            continue
        group = [block for block in blocks if block.label == label]
        for block, original in _repeats(group):
            block.label = reason
            block.duplicate_of = original.index


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
        shingles = _shingles([word.lower() for word in WORD.findall(block.text)])
        original = _copied_from(shingles, first_seen)
        if original is None:
            _close_run(run)
            run = []
        else:
            run.append((block, original))
        for shingle in shingles:
            first_seen.setdefault(shingle, block.index)
    _close_run(run)


def _shingles(tokens: list[str]) -> list[tuple[str, ...]]:
    if len(tokens) < SHINGLE:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]


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


def _repeats(blocks: list[Block]) -> list[tuple[Block, Block]]:
    """Pairs (copy, first occurrence) among `blocks`, in text order."""
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    exact: dict[tuple[str, ...], Block] = {}
    originals: dict[int, _Original] = {}
    pairs = []
    for block in blocks:
        tokens = [word.lower() for word in WORD.findall(block.text)]
        original = exact.get(tuple(tokens))
        signature = None
        if original is None and len(tokens) >= MIN_WORDS_FOR_MINHASH:
            signature = _signature(tokens)
            original = _verified_match(tokens, signature, lsh.query(signature), originals)
        if original is not None:
            pairs.append((block, original))
            continue
        exact[tuple(tokens)] = block
        if signature is not None:
            originals[block.index] = _Original(block, tokens, signature)
            lsh.insert(block.index, signature)
    return pairs


@dataclass(slots=True, frozen=True)
class _Original:
    block: Block
    tokens: list[str]
    signature: MinHash


def _verified_match(
    tokens: list[str], signature: MinHash, candidates: list[int], originals: dict[int, _Original]
) -> Block | None:
    """The earliest of the most similar candidates whose word sequence is close enough.

    Only the MAX_VERIFIED candidates with the highest estimated Jaccard are compared word by
    word, so a text with hundreds of look-alike paragraphs costs no more per paragraph.
    """
    ranked = sorted(
        candidates, key=lambda index: (-signature.jaccard(originals[index].signature), index)
    )
    for index in sorted(ranked[:MAX_VERIFIED]):
        original = originals[index]
        matcher = SequenceMatcher(None, tokens, original.tokens, autojunk=False)
        # The quick ratios are upper bounds of ratio(), in O(n): most candidates stop there.
        if (
            matcher.real_quick_ratio() >= MIN_SEQUENCE_SIMILARITY
            and matcher.quick_ratio() >= MIN_SEQUENCE_SIMILARITY
            and matcher.ratio() >= MIN_SEQUENCE_SIMILARITY
        ):
            return original.block
    return None


@cache
def _permutations() -> tuple:
    """The hash permutations for NUM_PERM and SEED, made once instead of per signature."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def _signature(tokens: list[str]) -> MinHash:
    """MinHash of the word bigrams of `tokens`, with a fixed seed so results never vary."""
    signature = MinHash(num_perm=NUM_PERM, permutations=_permutations(), scheme=SCHEME)
    bigrams = {f"{a} {b}".encode() for a, b in pairwise(tokens)}
    signature.update_batch(sorted(bigrams))
    return signature
