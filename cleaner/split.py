"""Find where one story ends and the next begins inside a document.

Every gap between two body blocks gets a score from general signals, each weighed below:
a dateline opening the next block, an end-of-story line in the gap, a headline or a run of
junk in the gap, an HTML heading, and a drop in lexical cohesion between the body text
before and after the gap. The document is then split divisively: the best-scoring gap above
the threshold is cut, and each side is searched again on its own. Because cohesion is
measured only inside the part being searched, re-cleaning a story found this way finds no new
boundary in it (cleaning is idempotent).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, filterfalse

import numpy as np

from cleaner.label import is_dateline, is_end_of_story
from cleaner.model import Block, Kept, Reason

# --- Weights of the signals (a boundary needs BOUNDARY_SCORE) -------------------------------

BOUNDARY_SCORE = 2.0
DATELINE_SCORE = 2.0  # "HAVANA (AP) — ..." opens the block after the gap
END_OF_STORY_SCORE = 2.0  # "... contributed to this report." in the gap
HEADLINE_SCORE = 1.0  # a headline-shaped line in the gap that is not the current title
HTML_HEADLINE_SCORE = 1.0  # an <h1> or <h2> in the gap (HTML input)
STORY_CONTAINER_SCORE = 2.0  # the two blocks sit in different <article>s of one page
JUNK_RUN_SCORE = 0.5  # captions, chrome or time stamps between the two paragraphs
# Cohesion compares everything before a gap (in the part being searched) with everything
# after it, on content words. Measured on 300 glued pairs of real article bodies and on the
# single articles alone:
# - cosine of the two sides: two halves of one story 0.15-0.5, two stories 0.0-0.15;
# - novelty: of the words that recur (twice or more) on one side, the share absent from the
#   other side, the smaller of the two sides' shares. Two stories: 0.6-1 (each has its own
#   names and places); one story: mostly below 0.5 (its names recur on both sides).
# Cohesion adds COHESION_WEIGHT when the cosine is at most COSINE_APART and the novelty at
# least NOVELTY_APART, nothing at COSINE_TOGETHER or NOVELTY_TOGETHER, linearly between. On
# that data a cut by cohesion alone found 83% of the boundaries and split 1.6% of the single
# articles; a headline in the gap lowers what cohesion has to show.
COHESION_WEIGHT = 2.0
COSINE_APART, COSINE_TOGETHER = 0.1, 0.2
NOVELTY_APART, NOVELTY_TOGETHER = 0.6, 0.3

# A story found only by cohesion must have this many content words on each side.
MIN_COHESION_SIDE_WORDS = 80
# A cut never leaves a side with fewer content words than this (a dateline story included).
MIN_STORY_WORDS = 15

CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")
# Function words carry no topic; leaving them out makes the cohesion of two texts on
# different subjects fall to near zero.
STOPWORDS = frozenset(
    """
    the and for are but not you all any can had her was one our out has have him his how its
    may new now old see two who boy did get let put say she too use that with this from they
    will would there their what about which when were been into than them then these some
    could other more also said says after over only just like very most such where while
    being because those through during before under between both each same own against since
    until upon your yours ours hers theirs whom whose why off again further once here should
    does doing having itself himself herself themselves mr mrs ms
    """.split()
)


@dataclass(slots=True)
class Part:
    """A run of body blocks that is searched for boundaries: `first:last` in `body`."""

    first: int
    last: int


def split_stories(blocks: list[Block]) -> list[int]:
    """Return the indexes (into `blocks`) of the first body block of every story.

    >>> from cleaner.blocks import split_blocks
    >>> from cleaner.label import label_blocks
    >>> blocks = split_blocks(
    ...     "TOKYO (AP) — Japan's cabinet approved a record defence budget on Friday, "
    ...     "raising spending on missiles, ships and cyber units for a third year.\\n"
    ...     "HAVANA (AP) — Cuban officials opened the sugar harvest on Monday, promising "
    ...     "growers better prices and new tractors after years of falling output.")
    >>> label_blocks(blocks)
    >>> split_stories(blocks)
    [0, 1]
    """
    body = [block for block in blocks if block.label is Kept.BODY]
    if not body:
        return []
    words = [_content_words(block.text) for block in body]
    gap_scores = [_gap_score(blocks, body[i], body[i + 1]) for i in range(len(body) - 1)]
    starts: list[int] = []
    _split_part(Part(0, len(body) - 1), _evidence(words, gap_scores), starts)
    return sorted(body[i].index for i in [0, *starts])


@dataclass(slots=True)
class _Evidence:
    """Per body block: prefix sums of its content-word counts, and its content words as
    (word id, count) entries `offsets[i]:offsets[i + 1]` of `word_ids` and `counts`; per gap:
    its score."""

    sizes: list[int]
    offsets: np.ndarray
    word_ids: np.ndarray
    counts: np.ndarray
    gap_scores: list[float]


def _evidence(words: list[Counter], gap_scores: list[float]) -> _Evidence:
    vocabulary: dict[str, int] = {}
    entries = [entry for counter in words for entry in counter.items()]
    word_ids = [vocabulary.setdefault(word, len(vocabulary)) for word, _ in entries]
    counts = [count for _, count in entries]
    return _Evidence(
        sizes=list(accumulate((sum(counter.values()) for counter in words), initial=0)),
        offsets=np.array(list(accumulate(map(len, words), initial=0)), dtype=np.int64),
        word_ids=np.array(word_ids, dtype=np.int64),
        counts=np.array(counts, dtype=np.int64),
        gap_scores=gap_scores,
    )


def _split_part(part: Part, evidence: _Evidence, out: list[int]) -> None:
    """Cut `part` at its best gap if that gap scores enough, then search each side."""
    best_gap, best_score = None, BOUNDARY_SCORE
    sizes = evidence.sizes
    part_size = sizes[part.last + 1] - sizes[part.first]
    # Cohesion counts only where both sides have MIN_COHESION_SIDE_WORDS.
    needs_cohesion = part_size >= 2 * MIN_COHESION_SIDE_WORDS
    cohesion = _cohesion_scores(evidence, part) if needs_cohesion else []
    for gap in range(part.first, part.last):
        left_size = sizes[gap + 1] - sizes[part.first]
        right_size = sizes[part.last + 1] - sizes[gap + 1]
        if min(left_size, right_size) < MIN_STORY_WORDS:
            continue
        score = evidence.gap_scores[gap]
        if min(left_size, right_size) >= MIN_COHESION_SIDE_WORDS:
            score += cohesion[gap - part.first]
        if score >= best_score:
            best_gap, best_score = gap, score
    if best_gap is None:
        return
    out.append(best_gap + 1)
    _split_part(Part(part.first, best_gap), evidence, out)
    _split_part(Part(best_gap + 1, part.last), evidence, out)


def _gap_score(blocks: list[Block], before: Block, after: Block) -> float:
    """Score of the signals found between two consecutive body blocks and in the second."""
    between = blocks[before.index + 1 : after.index]
    score = DATELINE_SCORE if is_dateline(after.text) else 0.0
    if any(is_end_of_story(block.text) for block in between):
        score += END_OF_STORY_SCORE
    if any(block.label is Kept.TITLE for block in between):
        score += HEADLINE_SCORE
    if any(block.html is not None and 0 < block.html.heading <= 2 for block in [*between, after]):
        score += HTML_HEADLINE_SCORE
    if before.html and after.html and before.html.part != after.html.part:
        score += STORY_CONTAINER_SCORE
    if any(isinstance(block.label, Reason) or block.label is Kept.CAPTION for block in between):
        score += JUNK_RUN_SCORE
    return score


def _cohesion_scores(evidence: _Evidence, part: Part) -> list[float]:
    """For each gap of `part`, what the cohesion of the two sides adds to its score.

    Moving the gap one block to the right moves that block's words from the right side to
    the left, changing the sums cohesion needs (the dot product and norms of the two sides'
    counts, the words recurring on each side and how many of them the other lacks) by
    amounts that depend only on each word's counts before and after. These changes are
    computed for all the part's (block, word) entries at once and summed up gap by gap.
    """
    low, high = evidence.offsets[part.first], evidence.offsets[part.last + 1]
    word_ids, counts = evidence.word_ids[low:high], evidence.counts[low:high]
    totals = np.bincount(word_ids, weights=counts).astype(np.int64)
    left_before = _earlier_counts(word_ids, counts)
    right_before = totals[word_ids] - left_before
    left_after, right_after = left_before + counts, right_before - counts
    changes = np.stack(
        [
            left_after * right_after - left_before * right_before,  # dot
            left_after**2 - left_before**2,  # left norm
            right_after**2 - right_before**2,  # right norm
            (left_after >= 2).astype(np.int64) - (left_before >= 2),  # left recurring
            _recurring_new(left_after, right_after) - _recurring_new(left_before, right_before),
            (right_after >= 2).astype(np.int64) - (right_before >= 2),  # right recurring
            _recurring_new(right_after, left_after) - _recurring_new(right_before, left_before),
        ]
    )
    start = np.array(
        [0, 0, int((totals**2).sum()), 0, 0, int((totals >= 2).sum()), int((totals >= 2).sum())]
    )
    running = np.concatenate([start[:, None], start[:, None] + np.cumsum(changes, axis=1)], 1)
    gap_ends = evidence.offsets[part.first + 1 : part.last + 1] - low
    return _cohesion_score(*_cohesion(running[:, gap_ends])).tolist()


def _earlier_counts(word_ids: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """For each (block, word) entry, in block order: the word's count in the blocks before."""
    order = np.argsort(word_ids, kind="stable")
    sorted_ids, sorted_counts = word_ids[order], counts[order]
    running = np.cumsum(sorted_counts) - sorted_counts
    first_of_word = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    group_start = np.repeat(first_of_word, np.diff(np.r_[first_of_word, len(order)]))
    earlier = np.empty_like(counts)
    earlier[order] = running - running[group_start]
    return earlier


def _recurring_new(side: np.ndarray, other: np.ndarray) -> np.ndarray:
    """1 where a word recurs (twice or more) on one side and is absent from the other."""
    return ((side >= 2) & (other == 0)).astype(np.int64)


def _cohesion(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cosine and the novelty of the two sides of each gap, from its sums (a column per
    gap). Every sum is an integer below 2**53, so the float arithmetic is that of Python's
    on the same integers."""
    values = sums.astype(np.float64)
    dot, left_norm, right_norm, left_recurring, left_new, right_recurring, right_new = values
    norm = np.sqrt(left_norm * right_norm)
    cosine = np.divide(dot, norm, out=np.ones_like(dot), where=norm != 0)
    recurring = (left_recurring != 0) & (right_recurring != 0)
    left_share = np.divide(left_new, left_recurring, out=np.zeros_like(dot), where=recurring)
    right_share = np.divide(right_new, right_recurring, out=np.zeros_like(dot), where=recurring)
    return cosine, np.minimum(left_share, right_share)


def _cohesion_score(cosine: np.ndarray, novelty: np.ndarray) -> np.ndarray:
    apart = _ramp(cosine, COSINE_TOGETHER, COSINE_APART)
    new = _ramp(novelty, NOVELTY_TOGETHER, NOVELTY_APART)
    return COHESION_WEIGHT * apart * new


def _ramp(value: np.ndarray, nothing: float, full: float) -> np.ndarray:
    """0 at `nothing`, 1 at `full`, linear between and flat beyond."""
    return np.clip((value - nothing) / (full - nothing), 0.0, 1.0)


def _content_words(text: str) -> Counter:
    words = map(str.lower, CONTENT_WORD.findall(text))
    return Counter(filterfalse(STOPWORDS.__contains__, words))
