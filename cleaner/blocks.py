"""Cut a document's text into blocks with exact character offsets.

A block is a non-blank line, or in a plain-text dump the lines of a hard-wrapped paragraph
(see `cleaner.unwrap`), whose text is the lines joined by a space. A line too long to be one
paragraph (a page flattened to one line, as scrapers often produce) is cut further at
sentence ends, so that story boundaries and junk inside it can still be found. Consecutive
blocks cover the text with no gap: each block's span runs to the start of the next one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.markup import is_markdown, markup_ranges
from cleaner.model import Block
from cleaner.unwrap import continued_lines

# A line longer than this is not one paragraph but flattened text: cut it into sentences.
LONG_LINE_CHARS = 1000

BYTE_ORDER_MARK = "\ufeff"
# The content of a line: from its first to its last character that is not blank (white
# space, which for re is what str.isspace says, or a byte-order mark).
LINE_CONTENT = re.compile(r"[^\s\ufeff](?:[^\r\n]*[^\s\ufeff])?")
# The blank space between two lines of one block, which its text holds as one space, or as
# nothing after a word broken at its hyphen ("stiff-" / "legged": "stiff-legged").
LINE_BREAK = re.compile(r"(?:[^\S\r\n]|\ufeff)*(?:\r\n?|\n)[\s\ufeff]*")
BROKEN_WORD = re.compile(r"\w-" + LINE_BREAK.pattern + r"\w")

# A sentence ends at . ! ? (optionally closed by a quote or bracket), then white space and a
# capital, digit or opening quote: "... on Monday. Lee's choice ...".
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")

# Words whose final period does not end a sentence: initials ("U.S.", "J."), titles
# ("Mr.", "Gov."), abbreviated months ("Aug."), "No.", "St.", "Inc.".
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:[A-Za-z]\.){2,}|\b(?:Mrs?|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|"
    r"St|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)$"
)


def split_blocks(text: str, text_dump: bool = True) -> list[Block]:
    """Return the blocks of `text` in order, covering every character once. In a plain-text
    dump (`text_dump`), the lines of a hard-wrapped paragraph make one block, and in a
    Markdown one the markup is set apart (`Block.hidden`).

    >>> [b.text for b in split_blocks("Title\\n\\nFirst line.\\nSecond line.")]
    ['Title', 'First line.', 'Second line.']
    """
    markdown = text_dump and is_markdown(text)
    pieces: list[tuple[int, int, bool, list[tuple[int, int]], str]] = []
    for start, end in _paragraphs(text, text_dump):
        hidden = markup_ranges(text, start, end) if markdown else []
        joined = text_of(text, start, end, hidden)
        if len(joined) > LONG_LINE_CHARS:
            pieces.extend(
                (first, last, line_start, inside, text_of(text, first, last, inside))
                for first, last, line_start, inside in _sentences(text, start, end, hidden)
            )
        else:
            pieces.append((start, end, True, hidden, joined))
    blocks = []
    for index, (start, end, line_start, hidden, joined) in enumerate(pieces):
        span_end = pieces[index + 1][0] if index + 1 < len(pieces) else len(text)
        if hidden and not joined:
            # Markup and nothing else (a picture): the block is its markup.
            hidden, joined = [], text_of(text, start, end)
        blocks.append(
            Block(
                index=index,
                start=start,
                end=end,
                span_end=span_end,
                text=joined,
                line_start=line_start,
                hidden=tuple(hidden),
            )
        )
    return blocks


def _paragraphs(text: str, unwrap: bool) -> list[tuple[int, int]]:
    """The lines of `text` as `start:end` of their content; with `unwrap`, a hard-wrapped
    paragraph's lines as one."""
    lines = [line.span() for line in LINE_CONTENT.finditer(text)]
    if not unwrap or len(lines) < 2:
        return lines
    paragraphs = lines[:1]
    for line, continues in zip(lines[1:], continued_lines(text, lines), strict=True):
        if continues:
            paragraphs[-1] = (paragraphs[-1][0], line[1])
        else:
            paragraphs.append(line)
    return paragraphs


def text_pieces(
    text: str, start: int, end: int, hidden: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The pieces of the block `start:end` of `text` that are its text, as `start:end`: what
    is left of each of its lines once its markup (`hidden`) is taken out."""
    if not hidden and _is_one_line(text, start, end):
        return [(start, end)]  # found without trying LINE_CONTENT at every character
    pieces = []
    for piece_start, piece_end in _between(start, end, hidden):
        for line in LINE_CONTENT.finditer(text, piece_start, piece_end):
            pieces.append(line.span())
    return pieces


def text_of(text: str, start: int, end: int, hidden: Sequence[tuple[int, int]] = ()) -> str:
    """The text of the block `start:end`: its pieces (see `text_pieces`), each joined to the
    one before by a space where blank space outside the markup stands between them in
    `text` (nothing after a word broken at its hyphen at a line's end), else by nothing:
    "[Lee](/tag/lee)'s" is "Lee's"."""
    if not hidden and _is_one_line(text, start, end):
        return text[start:end]
    parts = []
    previous_end = None
    for piece_start, piece_end in text_pieces(text, start, end, hidden):
        if (
            previous_end is not None
            and _between(previous_end, piece_start, hidden)
            and not BROKEN_WORD.fullmatch(text, previous_end - 2, piece_start + 1)
        ):
            parts.append(" ")
        parts.append(text[piece_start:piece_end])
        previous_end = piece_end
    return "".join(parts)


def _is_one_line(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` holds no line break."""
    return text.find("\n", start, end) < 0 and text.find("\r", start, end) < 0


def _between(start: int, end: int, hidden: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges of `start:end` outside the sorted, disjoint ranges `hidden`."""
    ranges, position = [], start
    for hidden_start, hidden_end in hidden:
        if hidden_start >= end:
            break
        if hidden_start > position:
            ranges.append((position, hidden_start))
        position = max(position, hidden_end)
    if position < end:
        ranges.append((position, end))
    return ranges


def _strip_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow `start:end` to exclude blank space at either side."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return start, end


def strip_blank_end(text: str) -> str:
    """`text` without the blank space at its end (`str.rstrip` strips what `isspace` says
    is white space; a byte-order mark among it is stripped here)."""
    stripped = text.rstrip()
    while stripped.endswith(BYTE_ORDER_MARK):
        stripped = stripped[: -len(BYTE_ORDER_MARK)].rstrip()
    return stripped


def is_blank(character: str) -> bool:
    """White space, or a byte-order mark (kept in the text so the file rebuilds exactly)."""
    return character.isspace() or character == BYTE_ORDER_MARK


def _sentences(
    text: str, start: int, end: int, hidden: Sequence[tuple[int, int]]
) -> list[tuple[int, int, bool, list[tuple[int, int]]]]:
    """Cut the line `start:end` at sentence ends that are not abbreviations; each sentence
    keeps the markup (`hidden`) inside it."""
    pieces = []
    piece_start = start
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.start() + 1
        if text[match.start()] == "." and ABBREVIATION.search(text, piece_start, stop):
            continue
        if any(a <= match.start() < b for a, b in hidden):
            continue  # a sentence end inside a picture's description
        boundary = match.end()
        content_end = _strip_bounds(text, piece_start, boundary)[1]
        pieces.append(_sentence(piece_start, content_end, start, hidden))
        piece_start = boundary
    pieces.append(_sentence(piece_start, end, start, hidden))
    return pieces


def _sentence(
    start: int, end: int, line_start: int, hidden: Sequence[tuple[int, int]]
) -> tuple[int, int, bool, list[tuple[int, int]]]:
    """The sentence `start:end` of the line beginning at `line_start`, with the parts of
    the line's markup ranges that fall inside it."""
    inside = [(max(a, start), min(b, end)) for a, b in hidden if a < end and b > start]
    return start, end, start == line_start, inside
