"""Find where one story ends and the next begins inside a document.

The units searched are the document's paragraphs: body blocks long enough to be prose. A body
line of a few words ("Need help?", "Why do billions of people still not have glasses?") is
page furniture as often as it is a story's, so it is not a unit: it belongs to the gap it
stands in. Every gap between two paragraphs gets a score from general signals, each weighed
below: a dateline opening the next paragraph, an end-of-story line in the gap, a headline in
the gap, an HTML heading, the seam of two pages (a long run of short non-prose lines:
navigation, footer, "related" lists), and a drop in lexical cohesion between the text before
and after the gap. The document is then split divisively: the best-scoring gap above the
threshold is cut, and each side is searched again on its own. Because cohesion is measured
only inside the part being searched, re-cleaning a story found this way finds no new boundary
in it (cleaning is idempotent).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, filterfalse, pairwise
from operator import itemgetter

import numpy as np

from cleaner.label import count_words, holds_date, is_dateline, is_end_of_story, is_list_item
from cleaner.model import Block, Kept, Reason

# --- Weights of the signals (a boundary needs BOUNDARY_SCORE) -------------------------------

BOUNDARY_SCORE = 2.0
# News cues and the page's own markup: each is enough on its own.
DATELINE_SCORE = 2.0  # "HAVANA (AP) — ..." opens the paragraph after the gap
END_OF_STORY_SCORE = 2.0  # "... contributed to this report." in the gap
STORY_CONTAINER_SCORE = 2.0  # the two paragraphs sit in different <article>s of one page
# A site's notice to its readers in the gap ("© 2019 CNBC LLC. All Rights Reserved.", a cookie
# notice) is where a page ends in a text dump, as often as not: half a boundary. On 300 glued
# page texts it stands in 63% of the true boundaries' gaps and 17% of the false ones';
# boundary F1 0.854 -> 0.860 (at 2.0, 0.862 but 19% of the documents over-split, from 16%).
PAGE_END_SCORE = 1.0
# Page structure: what a new story looks like, but a new section of the same story too
# ("Notes on Speculation and Lore" after an ad; a list of 15 short lines), and what stands
# between a page's article and the other prose the page prints (a related story's excerpt,
# an author's bio, a disclaimer). Structure counts only where the text on the two sides shows
# at least COHESION_FOR_STRUCTURE of cohesion, and weakly: on 300 glued page texts, with a
# headline and a full seam worth 1.0 and 1.5, 0.737 of the documents had their story count
# exact and boundary F1 was 0.860; at 0.5 and 0.75, 0.753 and 0.874 (at a third, 0.750 and
# 0.876; glued HTML unchanged). Across a page break, though, a site notice inside a full seam
# (one page's footer, the next one's header), structure counts without cohesion: two long
# pages of one site share its generic words and their cohesion misses the drop. On 300 glued
# page texts, count exact 0.760 -> 0.763, boundary F1 0.876 -> 0.882, story F1 0.855 ->
# 0.861; the page texts cleaned alone unchanged (F1 0.846).
HEADLINE_SCORE = 0.5  # a headline-shaped line in the gap that is not the current title
HTML_HEADLINE_SCORE = 0.5  # an <h1> or <h2> in the gap (HTML input)
COHESION_FOR_STRUCTURE = 0.5  # a quarter of COHESION_WEIGHT
# The seam of two pages in a visible-text dump: the lines between two paragraphs that are
# neither prose nor a picture's (menus, "Share this with Email", "Related Topics", footers,
# short body lines such as "Cookies" or "Need help?"). One story's paragraphs are set apart
# by a line or two (a subheading, "Advertisement"); two pages' articles by their footer and
# header, dozens of lines. The seam adds SEAM_SCORE times its length's place between
# SEAM_LINES (nothing at the first, all at the second, linearly between).
SEAM_SCORE = 0.75
SEAM_LINES = (1, 12)
# A seam of this many lines ends a run of prose (see `prose_runs`): "Media and Democrats
# ... / By Becket Adams / Tuesday November 19" between two teasers.
MIN_SEAM_BREAK_LINES = 3
# A body line above a story across a full seam shares at most this share of its content words
# with the story when it is the page's, not the story's (see `page_head`). On the 293 page
# texts of the glued benchmark cleaned alone, precision went from 0.862 to 0.874 and recall
# from 0.895 to 0.894 (F1 0.846 -> 0.853); at 0.4, 0.874 and 0.889.
MAX_HEAD_SHARE = 0.2
# A line of at most this many words that holds a date or a time stands above a post (a
# comment, a teaser) or an embedded one; between two paragraphs it ends a run of prose.
TIME_STAMP_LINE_WORDS = 15
# A story ends before this many posts in a row (see `is_post`). On the 293 page texts of the
# glued benchmark cleaned alone, precision went from 0.874 to 0.883 and recall from 0.894
# to 0.892 (F1 0.853 -> 0.859: comment sections under articles); at 1, recall fell to 0.891,
# articles cut at the first short run under an embedded tweet.
MIN_POSTS = 2
# A body line with fewer words than this is not a paragraph but part of a gap: "Need help?",
# "Why do billions of people still not have glasses?" (a line cut out of a flattened page is
# a sentence, and always a paragraph).
PARAGRAPH_WORDS = 10
# Labels that a story's own pictures bring between its paragraphs: never part of a seam.
PICTURE_LABELS = (Kept.CAPTION, Reason.CAPTION_DUPLICATE, Reason.GALLERY_CHROME)
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

# A story found only by cohesion must have this many content words on each side, or this
# many where the gap is a full seam (SEAM_LINES[1] lines or more: a short page glued to a
# long one, whose few words say little but whose page furniture says much).
MIN_COHESION_SIDE_WORDS = 80
MIN_SEAM_SIDE_WORDS = 30
# Inside a run of prose (a seam of fewer than MIN_SEAM_BREAK_LINES lines), each side's words
# count only up to the nearest full seam: the new story needs words of its own, and the prose
# across the page's menus is not the story's. A newsletter sign-up above the header let
# cohesion cut an article's lede (two paragraphs and a caption) from its body at a "Related"
# link. On 300 glued page texts, boundary precision 0.895 -> 0.904 (that lede, 4 documents),
# recall unchanged (0.924); one page whose article is a race calendar of short lines keeps the
# sidebar under it (its story F1 0.93 -> 0.44). Counted so at every gap, sides went short
# wherever a page's header or footer holds a full seam: count exact 0.860 -> 0.617.
# A cut never leaves a side with fewer content words than this (a dateline story included),
# but between two story containers, each of which holds a story whatever its paragraphs.
MIN_STORY_WORDS = 15
# `paragraph_cohesion` needs this many paragraphs to judge; a run of paragraphs holds
# together when they score MIN_PARAGRAPH_COHESION. On 300 glued page texts, 39% of the
# "stories" found that were none of the pages' articles (teasers, comments, footers) scored
# below 0.15, and 1% of those that were; at 0.2, 53% and 2%, but a short article of six
# varied paragraphs may score 0.19.
MIN_COHESION_PARAGRAPHS = 3
MIN_PARAGRAPH_COHESION = 0.15

# Content words are compared by their first STEM_CHARS letters, a crude stem: the forms of
# one term ("government", "governments"; "Warszawa", "Warszawie") count as one word, so a
# story that inflects its words keeps its cohesion. On 300 glued page texts, boundary
# precision went from 0.71 to 0.73 and recall stayed at 0.91; with six letters two
# unrelated stories shared too many stems ("presid", "minist") and one test pair joined.
STEM_CHARS = 7
# Texts whose content words a worker remembers (see `_content_words`).
CONTENT_WORDS_CACHE = 1 << 14
CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")
# Chinese and Japanese write no spaces between words: a run of their characters is one
# clause, not a word, and counts as its overlapping character pairs ("登月计划" -> "登月",
# "月计", "计划"), so that the names and terms two paragraphs share are seen.
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
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
    openers = _container_openers(body)
    paragraphs = [b for b in body if b.index in openers or _is_paragraph(blocks, b)] or body
    words = [_content_words(block.text) for block in paragraphs]
    gaps = list(pairwise(paragraphs))
    seam_lines = [len(_seam(blocks, before, after)) for before, after in gaps]
    evidence = _Evidence(
        sizes=np.array(list(accumulate((sum(counter.values()) for counter in words), initial=0))),
        cue_scores=np.array([_cue_score(blocks, before, after) for before, after in gaps]),
        structure_scores=np.array(
            [
                _structure_score(blocks, before, after, lines)
                for lines, (before, after) in zip(seam_lines, gaps, strict=True)
            ]
        ),
        seam_lines=np.array(seam_lines, dtype=np.int64),
        page_breaks=np.array(
            [
                lines >= SEAM_LINES[1] and _has_site_notice(blocks, before, after)
                for lines, (before, after) in zip(seam_lines, gaps, strict=True)
            ],
            dtype=bool,
        ),
        cohesive=np.array(
            [
                not _inside_one_container(before, after)
                and not _inside_one_list(blocks, before, after)
                for before, after in gaps
            ],
            dtype=bool,
        ),
        across_containers=np.array(
            [_in_different_containers(before, after) for before, after in gaps], dtype=bool
        ),
        **_word_entries(words),
    )
    starts: list[int] = []
    _split_part(Part(0, len(paragraphs) - 1), evidence, starts)
    return sorted([body[0].index, *(_story_start(blocks, paragraphs[i]) for i in starts)])


def prose_runs(
    blocks: list[Block], region: list[Block], seam_lines: int = MIN_SEAM_BREAK_LINES
) -> list[list[Block]]:
    """The runs of paragraphs of `region` (a slice of `blocks`) that no seam of `seam_lines`
    lines or more, nor a time stamp, sets apart, in order.

    An article's paragraphs follow one another, with a subheading, an ad or a picture here
    and there; a list of teasers, comments or a page footer puts a headline, a byline and a
    time stamp between every two.
    """
    runs: list[list[Block]] = []
    previous = None
    for block in region:
        if block.label is not Kept.BODY or not _is_paragraph(blocks, block):
            continue
        if previous is None or _ends_run(_seam(blocks, previous, block), seam_lines):
            runs.append([])
        runs[-1].append(block)
        previous = block
    return runs


def _ends_run(seam: list[Block], seam_lines: int) -> bool:
    """Whether a seam sets two runs of prose apart: it is long, or holds a post's time stamp."""
    return len(seam) >= seam_lines or any(_is_time_stamp_line(block) for block in seam)


def _is_time_stamp_line(block: Block) -> bool:
    """A short line with a date or a time: a post's time stamp or dated byline ("Barry
    Kooij · March 13, 2017 at 6:30 AM")."""
    return count_words(block.text) <= TIME_STAMP_LINE_WORDS and holds_date(block.text)


def page_tail(blocks: list[Block], region: list[Block], runs: list[list[Block]]) -> list[Block]:
    """The body blocks of `region` (a slice of `blocks`) below its story across a seam of
    page furniture: the copyright line under the footer links, a sign-up blurb, the teasers
    between the "Local / Texas / Obituaries" links.

    The story ends with the last of its `runs` of prose (see `story_runs`). A seam of
    MIN_SEAM_BREAK_LINES lines, which ends a run of prose, ends the story there too: on the
    293 page texts of the glued benchmark, cleaned alone, F1 went from 0.831 to 0.845 (81
    pages better, 11 worse: a changelog whose last items follow a list) against a full
    seam (SEAM_LINES[1]). (Above a story a short run across such a seam is as often the
    story's own lede under a gallery as a cookie notice: see `page_head`.)
    """
    if not runs:
        return []
    last = runs[-1][-1]
    below = [block for block in region if block.index > last.index]
    # The seam from `last` to a block only grows going down: once it ends a run, it does
    # for every block below (found in one pass, not by a seam per block).
    for position, block in enumerate(below):
        if block.label is Kept.BODY and _ends_run(_seam(blocks, last, block), MIN_SEAM_BREAK_LINES):
            return [block for block in below[position:] if block.label is Kept.BODY]
    return []


def page_head(blocks: list[Block], region: list[Block], runs: list[list[Block]]) -> list[Block]:
    """The body blocks of `region` (a slice of `blocks`) above its story across a full seam
    of page furniture that share little with the story: a site's promotion ("Find a
    Business in S.A.", "Chat with us in Facebook Messenger") or a cookie notice above the
    header's menus, which would otherwise make the menus between them and the story lines
    inside its body.

    The story begins with the first of its `runs` of prose (see `story_runs`; setting its
    page tail apart leaves that one as it was). A body line above it is the page's when the
    last seam of SEAM_LINES[1] lines or more between body lines lies below it and at most
    MAX_HEAD_SHARE of its content words recur in the story: the story's own headline and
    lede, which a gallery or a video player may set apart as far, speak of its people and
    places.
    """
    if not runs:
        return []
    first = runs[0][0]
    above = [block for block in region if block.label is Kept.BODY and block.index < first.index]
    cut = None
    for upper, lower in pairwise([*above, first]):
        if len(_seam(blocks, upper, lower)) >= SEAM_LINES[1]:
            cut = upper
    if cut is None:
        return []
    story = words_of(
        block for block in region if block.label is Kept.BODY and block.index >= first.index
    )
    return [
        block
        for block in above
        if block.index <= cut.index and share_in(block, story) <= MAX_HEAD_SHARE
    ]


def story_runs(blocks: list[Block], runs: list[list[Block]], min_words: int) -> list[list[Block]]:
    """Of the runs of prose of a region of `blocks` (`runs`, see `prose_runs`), those from
    the first to the last that can be a story: of `min_words` words or more that hold
    together (a list of teasers does not), or the longest."""
    if not runs:
        return []
    longest = max(runs, key=run_words)

    def can_be_story(run: list[Block]) -> bool:
        return run is longest or is_story_run(blocks, run, min_words)

    first = next(i for i, run in enumerate(runs) if can_be_story(run))
    last = _last_story_run(blocks, runs, runs.index(longest), can_be_story)
    return runs[first : last + 1]


def _last_story_run(
    blocks: list[Block],
    runs: list[list[Block]],
    longest: int,
    can_be_story: Callable[[list[Block]], bool],
) -> int:
    """The index of the last of `runs` that can be a story and is no post (see `is_post`),
    from the longest (`longest`) on, before MIN_POSTS posts in a row: the comments under a
    story or a feed of teasers, however long one of them is."""
    posts = [i > longest and is_post(blocks, runs[i - 1], runs[i]) for i in range(len(runs))]
    end = next(
        (i for i in range(longest + 1, len(runs) - MIN_POSTS + 1) if all(posts[i : i + MIN_POSTS])),
        len(runs),
    )
    return next(
        (i for i in reversed(range(longest + 1, end)) if not posts[i] and can_be_story(runs[i])),
        longest,
    )


def is_post(blocks: list[Block], previous: list[Block], run: list[Block]) -> bool:
    """A run of prose under a time stamp, too short to tell whether its paragraphs hold
    together (see `paragraph_cohesion`): a comment, a teaser. An article's paragraphs are
    not dated, but for an embedded post ("— Jane Doe (@jane) November 18, 2019") now and
    then, or a live report's updates, whose runs are longer."""
    seam = _seam(blocks, previous[-1], run[0])
    return any(map(_is_time_stamp_line, seam)) and paragraph_cohesion(blocks, run) is None


def words_of(blocks: Iterable[Block]) -> set[str]:
    """The content words (see `_content_words`) of `blocks`."""
    return {word for block in blocks for word in _content_words(block.text)}


def share_in(block: Block, words: set[str]) -> float:
    """The share of the content words of `block` (counted with repeats) that are in `words`;
    0 for a block without any."""
    counts = _content_words(block.text)
    total = sum(counts.values())
    return sum(n for word, n in counts.items() if word in words) / total if total else 0.0


def paragraph_cohesion(blocks: list[Block], run: list[Block]) -> float | None:
    """How much a run of paragraphs of `blocks` holds together: the mean share of each
    paragraph's content words that another one has too. None for fewer than
    MIN_COHESION_PARAGRAPHS whole-line paragraphs, too few to tell.

    An article's paragraphs go on about the same people, places and things; a list of
    teasers or comments changes subject at every item, so its paragraphs share little.
    """
    paragraphs = [block for block in run if _is_whole_line(blocks, block)]
    if len(paragraphs) < MIN_COHESION_PARAGRAPHS:
        return None
    words = [_content_words(block.text).keys() for block in paragraphs]
    holding = Counter(chain.from_iterable(words))  # paragraphs per word
    shared = {word for word, count in holding.items() if count >= 2}
    shares = [len(group & shared) / len(group) for group in words if group]
    return sum(shares) / len(shares) if shares else None


def is_story_run(blocks: list[Block], run: list[Block], min_words: int) -> bool:
    """Whether a run of paragraphs of `blocks` can be a story: `min_words` words or more
    that hold together."""
    return run_words(run) >= min_words and holds_together(blocks, run)


def holds_together(blocks: list[Block], run: list[Block]) -> bool:
    """Whether a run of paragraphs of `blocks` is one text, not a list (see
    `paragraph_cohesion`); a run too short to tell is one."""
    cohesion = paragraph_cohesion(blocks, run)
    return cohesion is None or cohesion >= MIN_PARAGRAPH_COHESION


def run_words(run: list[Block]) -> int:
    """The words of a run of paragraphs."""
    return sum(count_words(block.text) for block in run)


def _story_start(blocks: list[Block], first_paragraph: Block) -> int:
    """The first body block of the story whose first paragraph is `first_paragraph`: the
    short body lines right above it (a standfirst, "By the numbers:"), up to the nearest
    line that is not body, go with it; in HTML, only those of its own story container."""
    start = first_paragraph.index
    while start > 0:
        above = blocks[start - 1]
        if above.label is not Kept.BODY or _is_paragraph(blocks, above):
            break
        if _in_different_containers(above, first_paragraph):
            break
        start -= 1
    return start


def _container_openers(body: list[Block]) -> set[int]:
    """The index of the first body block of each story container: a unit of the search
    even when it is a short line, so that a container of short lines (release notes, a
    list) is a story of its own."""
    openers: dict[int, int] = {}
    for block in body:
        if block.html is not None and block.html.part >= 0:
            openers.setdefault(block.html.part, block.index)
    return set(openers.values())


def _is_paragraph(blocks: list[Block], block: Block) -> bool:
    """A body block that is prose of its own: a dateline, a sentence cut out of a flattened
    line, an item of a list that is the text (`cleaner.label.is_list_item`: a changelog has
    no other paragraphs), or a line of at least PARAGRAPH_WORDS words. (Most paragraphs are
    told by their words, tested first as the cheapest.)"""
    return (
        count_words(block.text) >= PARAGRAPH_WORDS
        or not _is_whole_line(blocks, block)
        or is_dateline(block.text)
        or is_list_item(blocks, block)
    )


def _is_whole_line(blocks: list[Block], block: Block) -> bool:
    """Whether `block` is a line of the document, not a sentence cut out of a longer one."""
    following = blocks[block.index + 1] if block.index + 1 < len(blocks) else None
    return block.line_start and (following is None or following.line_start)


@dataclass(slots=True)
class _Evidence:
    """Per paragraph: prefix sums of its content-word counts, and its content words as
    arrays; per gap: the signals. Arrays, so that a part's gaps are scored all at once."""

    sizes: np.ndarray
    cue_scores: np.ndarray  # news cues and story containers
    structure_scores: np.ndarray  # headlines and seams
    seam_lines: np.ndarray  # lines of the seam in the gap, to choose among equal scores
    # whether the gap is a page break: a site notice inside a full seam (one page's footer,
    # the next one's header)
    page_breaks: np.ndarray
    cohesive: np.ndarray  # whether a drop in cohesion may cut the gap
    # whether the gap is between two story containers, each of which the page reader has
    # judged to hold a story however few of its lines are paragraphs
    across_containers: np.ndarray
    # The content words again, as (word id, count) entries offsets[i]:offsets[i + 1] of
    # word_ids and counts for paragraph i, for the cohesion sums over arrays; and for each
    # entry, its word's count in the paragraphs before and the entry of the word before it
    # (-1 for none), from which each part's own counts follow without sorting it again.
    offsets: np.ndarray
    word_ids: np.ndarray
    counts: np.ndarray
    earlier: np.ndarray
    previous: np.ndarray


def _word_entries(words: list[Mapping[str, int]]) -> dict[str, np.ndarray]:
    """The paragraphs' content words as arrays of (word id, count) entries (`_Evidence`)."""
    every_word = list(chain.from_iterable(words))
    vocabulary = {word: i for i, word in enumerate(dict.fromkeys(every_word))}  # first seen
    word_ids = np.fromiter(map(vocabulary.__getitem__, every_word), np.int64, len(every_word))
    counts = np.fromiter(
        chain.from_iterable(counter.values() for counter in words), np.int64, len(every_word)
    )
    return {
        "offsets": np.array(list(accumulate(map(len, words), initial=0)), dtype=np.int64),
        "word_ids": word_ids,
        "counts": counts,
        **_earlier_entries(word_ids, counts),
    }


def _split_part(part: Part, evidence: _Evidence, out: list[int]) -> None:
    """Cut `part` at its best gap if that gap scores enough, then search each side."""
    best_gap = _best_gap(part, evidence)
    if best_gap is None:
        return
    out.append(best_gap + 1)
    _split_part(Part(part.first, best_gap), evidence, out)
    _split_part(Part(best_gap + 1, part.last), evidence, out)


def _best_gap(part: Part, evidence: _Evidence) -> int | None:
    """The gap of `part` with the highest score, BOUNDARY_SCORE or more, that leaves both
    sides words enough: of equal scores the one with the longest seam, of equals the last.
    None if no gap scores enough."""
    gaps = slice(part.first, part.last)
    sizes = evidence.sizes
    left = sizes[part.first + 1 : part.last + 1] - sizes[part.first]
    smaller = np.minimum(left, sizes[part.last + 1] - sizes[part.first] - left)
    allowed = (smaller >= MIN_STORY_WORDS) | evidence.across_containers[gaps]
    side_words = _cohesion_side_words(evidence, part, smaller)
    with_cohesion = allowed & (side_words >= _words_for_cohesion(evidence, gaps))
    score = evidence.cue_scores[gaps]
    if with_cohesion.any():  # else cohesion counts nowhere and need not be measured
        with_structure = _with_structure(
            _cohesion_scores(evidence, part),
            evidence.structure_scores[gaps],
            evidence.page_breaks[gaps],
        )
        score = np.where(with_cohesion, score + with_structure, score)
    candidates = np.flatnonzero(allowed & (score >= BOUNDARY_SCORE))
    if not len(candidates):
        return None
    best = candidates[score[candidates] == score[candidates].max()]
    seams = evidence.seam_lines[gaps][best]
    return part.first + int(best[seams == seams.max()][-1])


def _cohesion_side_words(evidence: _Evidence, part: Part, smaller: np.ndarray) -> np.ndarray:
    """For each gap of `part`, the content words of its smaller side that count for cohesion
    (see MIN_COHESION_SIDE_WORDS): `smaller`, those of the side in the part, but for a gap
    inside a run of prose, whose sides count only up to the nearest full seam."""
    gaps = np.arange(part.first, part.last)
    full = np.flatnonzero(evidence.seam_lines[part.first : part.last] >= SEAM_LINES[1])
    full += part.first
    left_start = np.r_[part.first, full + 1][np.searchsorted(full, gaps)]
    right_end = np.r_[full, part.last][np.searchsorted(full, gaps, side="right")]
    sizes = evidence.sizes
    own = np.minimum(sizes[gaps + 1] - sizes[left_start], sizes[right_end + 1] - sizes[gaps + 1])
    inside_run = evidence.seam_lines[part.first : part.last] < MIN_SEAM_BREAK_LINES
    return np.where(inside_run, own, smaller)


def _words_for_cohesion(evidence: _Evidence, gaps: slice) -> np.ndarray:
    """The content words each side of each of `gaps` needs for cohesion to count; none
    suffice inside one story container."""
    needed = np.where(
        evidence.seam_lines[gaps] >= SEAM_LINES[1], MIN_SEAM_SIDE_WORDS, MIN_COHESION_SIDE_WORDS
    )
    return np.where(evidence.cohesive[gaps], needed, math.inf)


def _with_structure(
    cohesion: np.ndarray, structure: np.ndarray, page_break: np.ndarray
) -> np.ndarray:
    """What cohesion and page structure add together: structure only backs cohesion up, but
    across a page break (see COHESION_FOR_STRUCTURE)."""
    return np.where(
        page_break | (cohesion >= COHESION_FOR_STRUCTURE), cohesion + structure, cohesion
    )


def _cue_score(blocks: list[Block], before: Block, after: Block) -> float:
    """Score of the news cues between two consecutive paragraphs and in the second, and of
    the two being in different story containers."""
    between = blocks[before.index + 1 : after.index]
    score = DATELINE_SCORE if is_dateline(after.text) else 0.0
    if any(is_end_of_story(block.text) for block in between):
        score += END_OF_STORY_SCORE
    if _in_different_containers(before, after):
        score += STORY_CONTAINER_SCORE
    if _has_site_notice(blocks, before, after):
        score += PAGE_END_SCORE
    return score


def _has_site_notice(blocks: list[Block], before: Block, after: Block) -> bool:
    """A site notice stands between two paragraphs of a text dump."""
    between = blocks[before.index + 1 : after.index]
    return before.html is None and any(block.label is Reason.SITE_NOTICE for block in between)


def is_page_seam(
    blocks: list[Block], before: Block, after: Block, seam_lines: int = SEAM_LINES[1]
) -> bool:
    """Whether the lines between two paragraphs of a text dump may be where one page ends
    and the next begins: a seam of `seam_lines` lines or more (a full seam by default) or a
    site notice. Between one page's article and the other prose it prints (an author's
    bio, an editor's note, a teaser) stand a few links or share buttons."""
    long_seam = len(_seam(blocks, before, after)) >= seam_lines
    return long_seam or _has_site_notice(blocks, before, after)


def _structure_score(blocks: list[Block], before: Block, after: Block, seam_lines: int) -> float:
    """Score of the headlines and the seam (of `seam_lines` lines) between two consecutive
    paragraphs; nothing inside one story container, whose extent the page itself marks."""
    if _inside_one_container(before, after):
        return 0.0
    between = blocks[before.index + 1 : after.index]
    score = HEADLINE_SCORE if any(block.label is Kept.TITLE for block in between) else 0.0
    if any(block.html is not None and 0 < block.html.heading <= 2 for block in [*between, after]):
        score += HTML_HEADLINE_SCORE
    return score + SEAM_SCORE * _ramp(seam_lines, *SEAM_LINES)


def _seam(blocks: list[Block], before: Block, after: Block) -> list[Block]:
    """The lines between two paragraphs that are page furniture: all but pictures."""
    between = blocks[before.index + 1 : after.index]
    return [block for block in between if block.label not in PICTURE_LABELS]


def _inside_one_list(blocks: list[Block], before: Block, after: Block) -> bool:
    """Two paragraphs are items of one list that is the text: one line after the other. A
    list changes subject at every item ("+ Added Rabbits", "* Anvil repairing has been
    rebalanced"); a drop in cohesion between two of them is no boundary."""
    consecutive = after.index == before.index + 1
    return consecutive and is_list_item(blocks, before) and is_list_item(blocks, after)


def _inside_one_container(before: Block, after: Block) -> bool:
    """Both blocks sit in the same <article> of a page holding several."""
    parts = _containers(before, after)
    return parts is not None and parts[0] >= 0 and parts[0] == parts[1]


def _in_different_containers(before: Block, after: Block) -> bool:
    """The blocks sit in different <article>s of a page holding several (or one does)."""
    parts = _containers(before, after)
    return parts is not None and parts[0] != parts[1]


def _containers(before: Block, after: Block) -> tuple[int, int] | None:
    """The story containers of two blocks of an HTML page; None for a text dump."""
    if before.html is None or after.html is None:
        return None
    return before.html.part, after.html.part


def _cohesion_scores(evidence: _Evidence, part: Part) -> np.ndarray:
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
    left_before = _earlier_counts(evidence, low, high, len(totals))
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
    recurring = int((totals >= 2).sum())
    start = np.array([0, 0, int((totals**2).sum()), 0, 0, recurring, recurring])
    # Each gap's sums: the start's, plus the changes of the entries of the blocks before it.
    block_bounds = evidence.offsets[part.first : part.last + 1] - low
    running = start[:, None] + np.cumsum(_block_sums(changes, block_bounds), axis=1)
    return _cohesion_score(*_cohesion(running))


def _block_sums(changes: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The sums of the columns of `changes` (a column per entry) over the entries of each
    block, block i's entries being bounds[i]:bounds[i + 1] (none for some blocks)."""
    sums = np.zeros((len(changes), len(bounds) - 1), dtype=changes.dtype)
    filled = np.flatnonzero(bounds[:-1] < bounds[1:])
    if len(filled):
        sums[:, filled] = np.add.reduceat(changes[:, : bounds[-1]], bounds[filled], axis=1)
    return sums


def _earlier_entries(word_ids: np.ndarray, counts: np.ndarray) -> dict[str, np.ndarray]:
    """For each (block, word) entry, in block order: the word's count in the blocks before
    ("earlier") and the word's entry before it, -1 for none ("previous")."""
    order = np.argsort(word_ids, kind="stable")
    sorted_ids, sorted_counts = word_ids[order], counts[order]
    running = np.cumsum(sorted_counts) - sorted_counts
    first_of_word = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]
    starts = np.flatnonzero(first_of_word)
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    earlier = np.empty_like(counts)
    earlier[order] = running - running[group_start]
    previous = np.empty_like(order)
    previous[order] = np.where(first_of_word, -1, np.r_[-1, order[:-1]])
    return {"earlier": earlier, "previous": previous}


def _earlier_counts(evidence: _Evidence, low: int, high: int, words: int) -> np.ndarray:
    """For each entry `low:high` (a part's, whose word ids are below `words`), the word's
    count in the part's blocks before: its count in all the blocks before, less that in
    those before the part, which is what the word's first entry in the part has before it."""
    earlier, word_ids = evidence.earlier[low:high], evidence.word_ids[low:high]
    first_in_part = evidence.previous[low:high] < low
    before_part = np.zeros(words, np.int64)
    before_part[word_ids[first_in_part]] = earlier[first_in_part]
    return earlier - before_part[word_ids]


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
    apart = np.clip((cosine - COSINE_TOGETHER) / (COSINE_APART - COSINE_TOGETHER), 0.0, 1.0)
    new = np.clip((novelty - NOVELTY_TOGETHER) / (NOVELTY_APART - NOVELTY_TOGETHER), 0.0, 1.0)
    return COHESION_WEIGHT * apart * new


def _ramp(value: float, nothing: float, full: float) -> float:
    """0 at `nothing`, 1 at `full`, linear between and flat beyond."""
    return min(1.0, max(0.0, (value - nothing) / (full - nothing)))


_STEM = itemgetter(slice(STEM_CHARS))  # word[:STEM_CHARS], called without a Python frame


@lru_cache(maxsize=CONTENT_WORDS_CACHE)
def _content_words(text: str) -> Mapping[str, int]:
    """The content words of `text` (stems, see STEM_CHARS) and their counts. Remembered, and
    so shared: the split, the cohesion of runs and the page head ask of the same blocks."""
    ascii = text.isascii()  # no CJK; lowered first, it gives the same words in one call
    if ascii:
        words = CONTENT_WORD.findall(text.lower())
    else:
        words = map(str.lower, CONTENT_WORD.findall(CJK_RUN.sub(" ", text)))
    counts = Counter(map(_STEM, filterfalse(STOPWORDS.__contains__, words)))
    if ascii:
        return counts
    for run in CJK_RUN.findall(text):
        counts.update(run[i : i + 2] for i in range(len(run) - 1))
    return counts
