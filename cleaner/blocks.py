"""Cut a document's text into blocks with exact character offsets.

A block is a non-blank line, or in a plain-text dump the lines of a hard-wrapped paragraph
(see `cleaner.unwrap`), whose text is the lines joined by a space. A line too long to be one
paragraph (a page flattened to one line, as scrapers often produce) is cut further at
sentence ends, so that story boundaries and junk inside it can still be found. Consecutive
blocks cover the text with no gap: each block's span runs to the start of the next one.
"""

from __future__ import annotations

import re

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
BROKEN_WORD = re.compile(r"(?<=\w-)" + LINE_BREAK.pattern + r"(?=\w)")

# A sentence ends at . ! ? (optionally closed by a quote or bracket), then white space and a
# capital, digit or opening quote: "... on Monday. Lee's choice ...".
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")

# Words whose final period does not end a sentence: initials ("U.S.", "J."), titles
# ("Mr.", "Gov."), abbreviated months ("Aug."), "No.", "St.", "Inc.".
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:[A-Za-z]\.){2,}|\b(?:Mrs?|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|"
    r"St|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)$"
)


def split_blocks(text: str, unwrap: bool = True) -> list[Block]:
    """Return the blocks of `text` in order, covering every character once; with `unwrap`,
    the lines of a hard-wrapped paragraph make one block.

    >>> [b.text for b in split_blocks("Title\\n\\nFirst line.\\nSecond line.")]
    ['Title', 'First line.', 'Second line.']
    """
    pieces: list[tuple[int, int, bool, str]] = []
    for start, end in _paragraphs(text, unwrap):
        joined = _joined(text, start, end)
        if len(joined) > LONG_LINE_CHARS:
            pieces.extend(
                (first, last, line_start, _joined(text, first, last))
                for first, last, line_start in _sentences(text, start, end)
            )
        else:
            pieces.append((start, end, True, joined))
    blocks = []
    for index, (start, end, line_start, joined) in enumerate(pieces):
        span_end = pieces[index + 1][0] if index + 1 < len(pieces) else len(text)
        blocks.append(
            Block(
                index=index,
                start=start,
                end=end,
                span_end=span_end,
                text=joined,
                line_start=line_start,
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


def _joined(text: str, start: int, end: int) -> str:
    """The text of `start:end`, its lines joined by a space."""
    piece = text[start:end]
    if "\n" not in piece and "\r" not in piece:
        return piece
    return LINE_BREAK.sub(" ", BROKEN_WORD.sub("", piece))


def line_starts(text: str, start: int, end: int) -> list[int]:
    """Where each line of the block `start:end` of `text` begins."""
    if text.find("\n", start, end) < 0 and text.find("\r", start, end) < 0:
        return [start]  # one line: found without trying LINE_BREAK at every character
    return [start, *(match.end() for match in LINE_BREAK.finditer(text, start, end))]


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


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Cut the line `start:end` at sentence ends that are not abbreviations."""
    pieces = []
    piece_start = start
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.start() + 1
        if text[match.start()] == "." and ABBREVIATION.search(text, piece_start, stop):
            continue
        boundary = match.end()
        content_end = _strip_bounds(text, piece_start, boundary)[1]
        pieces.append((piece_start, content_end, piece_start == start))
        piece_start = boundary
    pieces.append((piece_start, end, piece_start == start))
    return pieces
