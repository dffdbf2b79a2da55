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

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, pairwise

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
    sizes = list(accumulate((sum(counter.values()) for counter in words), initial=0))
    starts: list[int] = []
    cohesive = [not _inside_one_container(a, b) for a, b in pairwise(body)]
    _split_part(Part(0, len(body) - 1), _Evidence(words, sizes, gap_scores, cohesive), starts)
    return sorted(body[i].index for i in [0, *starts])


@dataclass(slots=True)
class _Evidence:
    """Per body block: its content words; prefix sums of their counts; per gap: its score."""

    words: list[Counter]
    sizes: list[int]
    gap_scores: list[float]
    cohesive: list[bool]  # whether a drop in cohesion may cut the gap


def _split_part(part: Part, evidence: _Evidence, out: list[int]) -> None:
    """Cut `part` at its best gap if that gap scores enough, then search each side."""
    best_gap, best_score = None, BOUNDARY_SCORE
    sizes = evidence.sizes
    cohesion = _cohesion_scores(evidence.words, part)
    for gap in range(part.first, part.last):
        left_size = sizes[gap + 1] - sizes[part.first]
        right_size = sizes[part.last + 1] - sizes[gap + 1]
        if min(left_size, right_size) < MIN_STORY_WORDS:
            continue
        score = evidence.gap_scores[gap]
        if min(left_size, right_size) >= MIN_COHESION_SIDE_WORDS and evidence.cohesive[gap]:
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
    if _inside_one_container(before, after):
        return score  # the page itself marks this story's extent: only news cues cut it
    if any(block.label is Kept.TITLE for block in between):
        score += HEADLINE_SCORE
    if any(block.html is not None and 0 < block.html.heading <= 2 for block in [*between, after]):
        score += HTML_HEADLINE_SCORE
    if before.html and after.html and before.html.part != after.html.part:
        score += STORY_CONTAINER_SCORE
    if any(isinstance(block.label, Reason) or block.label is Kept.CAPTION for block in between):
        score += JUNK_RUN_SCORE
    return score


def _inside_one_container(before: Block, after: Block) -> bool:
    """Both blocks sit in the same <article> of a page holding several."""
    return (
        before.html is not None
        and after.html is not None
        and before.html.part >= 0
        and before.html.part == after.html.part
    )


@dataclass(slots=True)
class _Sides:
    """Content-word counts on the two sides of a gap, with what cohesion needs from them."""

    left: Counter
    right: Counter
    dot: int = 0
    left_norm: int = 0
    right_norm: int = 0
    left_recurring: int = 0  # words seen twice or more on the left
    left_new: int = 0  # ... of which none is on the right
    right_recurring: int = 0
    right_new: int = 0

    def move_left(self, word: str, count: int) -> None:
        """Move `count` occurrences of `word` from the right side to the left."""
        self._account(word, -1)
        before_left, before_right = self.left[word], self.right[word]
        after_left, after_right = before_left + count, before_right - count
        self.dot += after_left * after_right - before_left * before_right
        self.left_norm += after_left * after_left - before_left * before_left
        self.right_norm += after_right * after_right - before_right * before_right
        self.left[word], self.right[word] = after_left, after_right
        self._account(word, +1)

    def _account(self, word: str, sign: int) -> None:
        left, right = self.left[word], self.right[word]
        if left >= 2:
            self.left_recurring += sign
            self.left_new += sign * (right == 0)
        if right >= 2:
            self.right_recurring += sign
            self.right_new += sign * (left == 0)

    def cosine(self) -> float:
        norm = math.sqrt(self.left_norm * self.right_norm)
        return self.dot / norm if norm else 1.0

    def novelty(self) -> float:
        if not self.left_recurring or not self.right_recurring:
            return 0.0
        return min(self.left_new / self.left_recurring, self.right_new / self.right_recurring)


def _cohesion_scores(words: list[Counter], part: Part) -> list[float]:
    """For each gap of `part`, what the cohesion of the two sides adds to its score.

    Moving the gap one block to the right moves that block's words from one side to the
    other, so the sums are updated word by word instead of recomputed.
    """
    right: Counter = Counter()
    for counter in words[part.first : part.last + 1]:
        right.update(counter)
    sides = _Sides(Counter(), Counter())
    for word, count in right.items():
        sides.right[word] = count
        sides.right_norm += count * count
        sides._account(word, +1)
    scores = []
    for counter in words[part.first : part.last]:
        for word, count in counter.items():
            sides.move_left(word, count)
        scores.append(_cohesion_score(sides.cosine(), sides.novelty()))
    return scores


def _cohesion_score(cosine: float, novelty: float) -> float:
    apart = _ramp(cosine, COSINE_TOGETHER, COSINE_APART)
    new = _ramp(novelty, NOVELTY_TOGETHER, NOVELTY_APART)
    return COHESION_WEIGHT * apart * new


def _ramp(value: float, nothing: float, full: float) -> float:
    """0 at `nothing`, 1 at `full`, linear between and flat beyond."""
    return min(1.0, max(0.0, (value - nothing) / (full - nothing)))


def _content_words(text: str) -> Counter:
    words = (word.lower() for word in CONTENT_WORD.findall(text))
    return Counter(word for word in words if word not in STOPWORDS)
