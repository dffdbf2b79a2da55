"""Find the Markdown markup of a plain-text dump: what crawlers that write pages as Markdown
print around the text (link targets, images, heading and list marks, emphasis, escapes).

"Stack Overflow published its analysis of [2017 hiring trends](https://stackoverflow.blog/
2017/03/09/developer-hiring-trends-2017/) based on ..." reads as "Stack Overflow published
its analysis of 2017 hiring trends based on ...": the markup is not the story's words, and
left in, it puts URLs into its text and cuts its sentences apart. Markup is only looked for
in a dump that holds MIN_MARKDOWN_LINKS links or images or more, so that a bracket in plain
text stays text. An image (its description included: it is not printed on the page) is
markup; so is a link's target, but not its text.
"""

from __future__ import annotations

import re
from itertools import islice

# A dump holding this many links or images is Markdown.
MIN_MARKDOWN_LINKS = 3
# A link or an image, innermost first: "[text](target)", "![description](source)", a target
# being a URL with no blank in it (one level of parentheses allowed: Wikipedia's), but a
# line break after a hyphen where a wrapped paragraph's line ends inside it (html2text
# breaks a long URL there: "(https://example.com/how-\nto-pick)", in a block quote before
# the quote's marks: "(https://example.com/how-\n> to-pick)"), and perhaps a title:
# '[text](https://example.com/a_(b) "Title")'.
TARGET = r"\((?:[^()\s]|(?<=-)\r?\n(?:>[ \t]?)*|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
LINK = re.compile(r"(?P<image>!)?\[(?P<text>[^\[\]]*)\]" + TARGET)
# Links nest ("[![description](source)](target)", a linked picture): found innermost first,
# again once the inner one is markup.
MAX_NESTING = 2
# "# " to "###### " opening a line, and the "#"s some writers close a heading with.
HEADING_MARKS = (re.compile(r"#{1,6}[ \t]+"), re.compile(r"[ \t]+#+[ \t]*$"))
# The marks of a block quote opening a line, one per level: "> ", "> > " (html2text wraps
# a quoted paragraph, then prints the marks before each of its lines).
QUOTE_MARKS = re.compile(r"(?:>[ \t]?)+")
# The start of a line and the blank space opening it.
LINE_OPENING = re.compile(r"(?:^|(?<=\n)|(?<=\r)(?!\n))[ \t]*")
# The mark of a list item opening a line: "*   [Home](/)", "- Cuba holds mass funeral".
LIST_MARK = re.compile(r"[*+-][ \t]+(?=\S)")
# "**bold**", "__bold__", then "*italic*", "_italic_": the marks around the words; never a
# mark inside a word ("file_name_here"), nor one followed by a space (a "* " bullet, "* * *").
STRONG = re.compile(r"(?P<mark>\*\*|__)(?=\S)[^*_]+?(?<=\S)(?P=mark)")
EMPHASIS = re.compile(r"(?<![\w*])(?P<mark>[*_])(?=[^\s*_])[^*_]+?(?<=[^\s*_])(?P=mark)(?![\w*])")
# A backslash before punctuation that Markdown would read as markup ("\_", "\*", "\[").
ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|])")
# What a character already found to be markup is shown as to the patterns (see `_view`):
# one no pattern reads as a word or a mark, so that a linked picture, once the picture is
# markup, reads as a link around nothing.
HIDDEN = "\x00"
# What an escaped character ("\*") is shown as to the patterns of emphasis: a letter, which
# no pattern reads as a mark.
LITERAL = "x"


def is_markdown(text: str) -> bool:
    """Whether the dump `text` is written in Markdown (see MIN_MARKDOWN_LINKS)."""
    if "](" not in text:
        return False
    return len(list(islice(LINK.finditer(text), MIN_MARKDOWN_LINKS))) == MIN_MARKDOWN_LINKS


def markup_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The markup in the paragraph `text[start:end]` (a line, or the lines of a hard-wrapped
    paragraph), as sorted, disjoint `start:end` ranges of `text`; none when markup is all
    the paragraph holds (a picture alone: see `is_markup`)."""
    line = text[start:end]
    hidden = [False] * len(line)
    _hide_links(line, hidden)
    opening = _hide_quote_marks(line, hidden)
    _hide_heading_marks(line, hidden, opening)
    _hide_match(LIST_MARK.match(line, opening), hidden)
    escapes = [match.start() for match in ESCAPE.finditer(line)]
    for position in escapes:
        hidden[position] = True
    for pattern in (STRONG, EMPHASIS):
        view = list(_view(line, hidden))
        for position in escapes:
            view[position + 1] = LITERAL
        for match in pattern.finditer("".join(view)):
            mark = len(match.group("mark"))
            for position in (match.start(), match.end() - mark):
                hidden[position : position + mark] = [True] * mark
    if all(hidden[i] or line[i].isspace() for i in range(len(line))):
        return []
    return _runs(hidden, start)


def _hide_quote_marks(line: str, hidden: list[bool]) -> int:
    """Mark the block quote's marks opening each line of the paragraph `line` in `hidden`;
    return where its first line's words (or a heading's or a list item's mark) begin."""
    opening = 0
    for start in _line_starts(line):
        match = QUOTE_MARKS.match(line, start)
        _hide_match(match, hidden)
        if start == 0 and match is not None:
            opening = match.end()
    return opening


def _line_starts(line: str) -> list[int]:
    """Where each line of the paragraph `line` begins, past the blank space opening it."""
    return [match.end() for match in LINE_OPENING.finditer(line)]


def _hide_heading_marks(line: str, hidden: list[bool], start: int) -> None:
    """Mark the "#"s of a heading line in `hidden`: those opening it (at `start`) and any
    closing it."""
    opening = HEADING_MARKS[0].match(line, start)
    if opening is None:
        return
    _hide_match(opening, hidden)
    _hide_match(HEADING_MARKS[1].search(line, opening.end()), hidden)


def _hide_match(match: re.Match[str] | None, hidden: list[bool]) -> None:
    if match is not None:
        hidden[match.start() : match.end()] = [True] * (match.end() - match.start())


def is_markup(text: str) -> bool:
    """Whether `text` is markup and nothing else: a picture, or a link that shows one."""
    if "](" not in text:
        return False
    hidden = [False] * len(text)
    _hide_links(text, hidden)
    return not any(
        char.isalnum() for char, is_hidden in zip(text, hidden, strict=True) if not is_hidden
    )


def _hide_links(line: str, hidden: list[bool]) -> None:
    """Mark the links' markup and the images of `line` in `hidden`."""
    for _ in range(MAX_NESTING):
        view = _view(line, hidden)
        found = False
        for match in LINK.finditer(view):
            found = True
            if match.group("image"):
                marked = [(match.start(), match.end())]
            else:
                marked = [(match.start(), match.start("text")), (match.end("text"), match.end())]
            for first, last in marked:
                hidden[first:last] = [True] * (last - first)
        if not found:
            return


def _view(line: str, hidden: list[bool]) -> str:
    """`line` with its hidden characters as HIDDEN, so that patterns see past them."""
    return "".join(
        HIDDEN if is_hidden else char for char, is_hidden in zip(line, hidden, strict=True)
    )


def _runs(hidden: list[bool], offset: int) -> list[tuple[int, int]]:
    """The runs of True in `hidden`, as ranges shifted by `offset`."""
    runs: list[tuple[int, int]] = []
    for position, is_hidden in enumerate(hidden):
        if not is_hidden:
            continue
        if runs and runs[-1][1] == offset + position:
            runs[-1] = (runs[-1][0], offset + position + 1)
        else:
            runs.append((offset + position, offset + position + 1))
    return runs
