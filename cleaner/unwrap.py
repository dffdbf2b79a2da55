"""Find the paragraphs of a plain-text dump that were hard-wrapped: cut into lines of at
most a fixed width (72 columns in mail, 79 in `lynx -dump`, 70 in wire feeds), each line
but a paragraph's last ending where its next word would not have fitted.

A wrapped line read alone is no sentence ("tempor incididunt ut labore et dolore magna
aliqua. Ut enim ad minim veniam,") and would be judged page furniture, so the lines of one
paragraph are joined back into one block. The evidence is the wrapping itself, not the
words: a width W at which many pairs of consecutive lines are what greedy wrapping makes
(the first line at most W columns, and longer than W with the next line's first word added)
and that nearly every line of some length keeps to (but a line of one word, which no width
cuts: a paragraph of Chinese or Japanese). On the 293 page texts of the glued
benchmark, with their blank lines taken out (every line of a page next to the next one) no
line was joined but on the one page that is wrapped at 77 columns; wrapped at 72 or 79
columns, 99.8% of the wrapped lines were joined to the line they continue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from cleaner.label import is_dateline
from cleaner.markup import QUOTE_MARKS

# The widths text is wrapped at: a dump's lines are never wrapped narrower (a list of short
# items is not a paragraph) nor wider (two long paragraphs, one line each, are not one).
MIN_WRAP_WIDTH = 40
MAX_WRAP_WIDTH = 160
# A width is the dump's when at least this many pairs of lines are wrapped at it...
MIN_WRAPPED_PAIRS = 3
# ...and at least this share of the lines of MIN_WRAP_WIDTH columns or more keep to it.
MIN_SHARE_WITHIN = 0.9
# ...and at least this share of the lines that end within NEAR_WIDTH columns of it are
# wrapped (in a dump that is not, a few lines of one length may fit any width by chance).
MIN_SHARE_WRAPPED = 0.5
NEAR_WIDTH = 15

FIRST_WORD = re.compile(r"\S+")
# A list item ("* ", "- ", "+ ", "1. "): wrappers leave many of them as they are (html2text
# wraps paragraphs, not list items), so how long it is says nothing of the width. Stricter
# than `label.LIST_MARKER`: a wrapped line may well begin "20th century" or "2a".
LIST_ITEM = re.compile(r"(?:[*+-]|\d{1,3}[.)])[ \t]")
# A space between two words, each holding a letter or a digit.
SPACE_BETWEEN_WORDS = re.compile(r"\w\S*[ \t]+\S*\w")
# A line holding this many bars is a row of cells (html2text prints a table of two columns
# as "[Home](/) | News") or a menu's items, not a line of prose.
MIN_ROW_BARS = 1


@dataclass(frozen=True, slots=True)
class _Pair:
    """Two lines with one line break between them: the first one's last column, the width
    of the second one's first word and the second one's last column."""

    end_column: int
    next_word: int
    next_end_column: int

    def wrapped_at(self, width: int) -> bool:
        """Whether greedy wrapping at `width` ends the first line where it ends."""
        fits = self.end_column <= width < self.end_column + 1 + self.next_word
        return fits and self.next_end_column <= width


def continued_lines(text: str, lines: list[tuple[int, int]]) -> list[bool]:
    """For each line of `text` after the first (`lines` holds each line's content, as
    `start:end`), whether it continues the paragraph of the line above it."""
    quotes = [_quote_marks(text, *line) for line in lines]
    lines = [(start + len(quote), end) for (start, end), quote in zip(lines, quotes, strict=True)]
    columns = _columns(text, lines)
    lined = zip(lines, columns, quotes, strict=True)
    pairs = [_pair(text, *above, *below) for above, below in pairwise(lined)]
    if sum(pair is not None for pair in pairs) < MIN_WRAPPED_PAIRS:
        return [False] * len(pairs)  # too few for any width: most dumps, told at once
    long_lines = [
        end_column
        for line, (_, end_column) in zip(lines, columns, strict=True)
        if end_column >= MIN_WRAP_WIDTH and _tells_width(text, *line)
    ]
    width = _wrap_width(pairs, long_lines)
    if width is None:
        return [False] * len(pairs)
    # A line opening with a dateline ("HAVANA (AP) — ...") begins a story, whatever its width.
    return [
        pair is not None and pair.wrapped_at(width) and not is_dateline(text[slice(*below)])
        for pair, below in zip(pairs, lines[1:], strict=True)
    ]


def _quote_marks(text: str, start: int, end: int) -> str:
    """The block quote's marks opening the line `start:end` ("> ", "> > "), or "": html2text
    prints them before each line of a quoted paragraph, so a line's first word, or the mark
    of a list item, is found past them, and a line quoted deeper or less deep than the one
    above is not of its paragraph."""
    match = QUOTE_MARKS.match(text, start, end)
    return match.group() if match else ""


def _tells_width(text: str, start: int, end: int) -> bool:
    """Whether the line `start:end` says how wide its dump's lines may be: not a list item
    (see LIST_ITEM) nor a row of a table or a menu (cells or items between bars: "Home |
    News | Sport", html2text's tables), which wrappers leave whole, and not a word alone,
    which a wrapper leaves whole on a line of its own however long (a paragraph of Chinese
    or Japanese, a URL or the piece of one up to a hyphen, a Markdown link's target)."""
    return (
        not LIST_ITEM.match(text, start)
        and not _is_row(text, start, end)
        and _has_space(text, start, end)
    )


def _is_row(text: str, start: int, end: int) -> bool:
    """Whether the line `start:end` is a row of a table or a menu (see MIN_ROW_BARS)."""
    return text.count("|", start, end) >= MIN_ROW_BARS


def _pair(
    text: str,
    above: tuple[int, int],
    above_columns: tuple[int, int],
    above_quote: str,
    below: tuple[int, int],
    below_columns: tuple[int, int],
    below_quote: str,
) -> _Pair | None:
    """The pair of two lines one line break apart (their content past a block quote's marks
    as `start:end`, their indentation and end column, those marks), if the first is as long
    as a wrapped line can be (or shorter, before a word too long to have fitted on it: a
    URL) and could be cut (see `_has_break`; a table's row is not), and the second is
    quoted as deep, indented no deeper (a paragraph's first line may be indented, the lines
    it wraps onto are not) and opens no list item; None otherwise."""
    end_column = above_columns[1]
    if end_column > MAX_WRAP_WIDTH or below_columns[0] > above_columns[0]:
        return None
    if _depth(below_quote) != _depth(above_quote):
        return None
    if _line_breaks(text, above[1], below[0]) != 1:
        return None  # most lines of a dump: a blank line between them (tested first, cheapest)
    if LIST_ITEM.match(text, below[0]):
        return None  # a new item of a list, not a line of the one above
    word = FIRST_WORD.match(text, below[0], below[1])
    next_word = word.end() - word.start() if word else 0
    if end_column < MIN_WRAP_WIDTH and next_word < MIN_WRAP_WIDTH:
        return None
    if not _has_break(text, *above) or _is_row(text, *above):
        return None  # a row is left whole: wrapped at no width
    return _Pair(end_column, next_word, below_columns[1])


def _depth(quote: str) -> int:
    """How deep a line is quoted: the marks of its block quote (see `_quote_marks`)."""
    return quote.count(">")


def _wrap_width(pairs: list[_Pair | None], long_lines: list[int]) -> int | None:
    """The width most pairs are wrapped at, if the dump is wrapped at it (see the
    thresholds above; `long_lines`: the end columns of the lines of MIN_WRAP_WIDTH columns
    or more that tell the width); the narrowest of equals."""
    votes: Counter[int] = Counter()
    for pair in pairs:
        # A short line before a long word fits any width short of the two: it has no vote.
        if pair is not None and pair.end_column >= MIN_WRAP_WIDTH:
            last = min(pair.end_column + pair.next_word, MAX_WRAP_WIDTH)
            votes.update(range(pair.end_column, last + 1))
    if not votes:
        return None
    width = min(votes, key=lambda candidate: (-votes[candidate], candidate))
    wrapped = votes[width]
    within = sum(column <= width for column in long_lines)
    near = sum(
        1 for pair in pairs if pair is not None and width - NEAR_WIDTH <= pair.end_column <= width
    )
    if wrapped < MIN_WRAPPED_PAIRS or within < MIN_SHARE_WITHIN * len(long_lines):
        return None
    return width if wrapped >= MIN_SHARE_WRAPPED * near else None


def _has_break(text: str, start: int, end: int) -> bool:
    """Whether wrapping could have cut the line where it ends: it holds a space between two
    words, or ends after the hyphen of a word (html2text and `textwrap` cut a long URL
    there). A line of one word otherwise is as long as it is at any width: a paragraph of
    Chinese or Japanese, written without spaces (in the glued benchmark, a page of them
    glued to a wrapped one kept its lines from being joined), a long address."""
    hyphen_after_word = text[end - 1] == "-" and end - start > 1 and text[end - 2].isalnum()
    return hyphen_after_word or _has_space(text, start, end)


def _has_space(text: str, start: int, end: int) -> bool:
    """Whether the line `start:end` holds a space between two words: a quote's or a list's
    mark before a word alone ("> 2018](https://twitter.com/...)") is no word."""
    return SPACE_BETWEEN_WORDS.search(text, start, end) is not None


def _columns(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each line (its content as `start:end`, in order), the columns of blank space
    before its first character and the column after its last one.

    A line's content holds no line break, so the line break before it is looked for back to
    the end of the line above only, not to the start of the text (where a text with no
    "\\r" would send every search): the text is read once."""
    columns = []
    begin = searched = 0
    for start, end in lines:
        line_break = max(text.rfind("\n", searched, start), text.rfind("\r", searched, start))
        if line_break >= 0:
            begin = line_break + 1
        columns.append((start - begin, end - begin))
        searched = end
    return columns


def _line_breaks(text: str, start: int, end: int) -> int:
    """The line breaks in `text[start:end]` ("\\r\\n" is one)."""
    crlf = text.count("\r\n", start, end)
    return text.count("\n", start, end) + text.count("\r", start, end) - crlf
