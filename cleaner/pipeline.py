"""Clean one document: blocks, labels, repeats, story boundaries, account.

This is the per-document map of a run; it keeps no state between documents, so documents
can be cleaned in any order, in any process, with the same result.
"""

from __future__ import annotations

from bisect import bisect_right

from cleaner.blocks import LONG_LINE_CHARS, split_blocks
from cleaner.dedup import mark_copied_runs, mark_repeats, repeat_of
from cleaner.label import (
    chrome_reason,
    is_dateline,
    is_long_sentence,
    label_of,
    mark_list_items,
    mark_template_lines,
)
from cleaner.model import Block, Document, DocumentResult, HtmlBlock, Kept, Reason
from cleaner.split import split_stories
from cleaner.stories import SHAPE_ONLY, build_result


def clean_document(document: Document) -> DocumentResult:
    """Find the stories of `document` and account for every character of its text.

    >>> from cleaner.read import text_document
    >>> result = clean_document(text_document("Skip to Content\\n\\nIt rained in Oslo today."))
    >>> [story.text for story in result.stories], [span.label for span in result.removed]
    (['It rained in Oslo today.'], [<Reason.NAVIGATION: 'navigation'>])
    """
    blocks = split_blocks(document.text, text_dump=document.html_blocks is None)
    if document.html_blocks:
        _attach_html(blocks, document.html_blocks)
    for block in blocks:
        block.label = _label(block)
    if document.html_blocks:
        _trust_main_content(blocks)
    else:
        _remove_header(blocks, document.header_end)
        mark_template_lines(blocks)
        mark_list_items(blocks)
    mark_repeats(blocks, paragraphs=not document.html_blocks)
    mark_copied_runs(blocks)
    if not document.html_blocks:
        _judge_short_cut_lines_for_repeats(blocks)
    _judge_cut_lines_whole(blocks)
    starts = split_stories(blocks)
    return build_result(document, blocks, starts)


def _remove_header(blocks: list[Block], header_end: int) -> None:
    """The lines of the header a converter wrote above a dump (`text[:header_end]`) are
    markup: its title, URL and date are already the document's
    (`cleaner.read.document.text_document`)."""
    if not header_end:
        return
    for block in blocks:
        if block.end > header_end:
            break
        block.label = Reason.MARKUP


def _judge_cut_lines_whole(blocks: list[Block]) -> None:
    """Judge what is left of a line cut into sentences as the line it will be in the story.

    A flattened line is cut into sentences, which pass as prose; once repeats are gone the
    sentences left may make a short line that, read as a line, is a headline or a caption.
    Reading the story again would judge it so: judging it so now keeps cleaning idempotent.
    """
    for line in _cut_lines(blocks):
        kept = [block for block in line if block.label is Kept.BODY]
        if not kept:
            continue
        joined = " ".join(block.text for block in kept)
        if len(joined) > LONG_LINE_CHARS:
            continue
        label = label_of(Block(index=-1, start=0, end=0, span_end=0, text=joined))
        if label is not Kept.BODY:
            for block in kept:
                block.label = label


def _judge_short_cut_lines_for_repeats(blocks: list[Block]) -> None:
    """Judge what is left of a line cut into sentences for repeats as the one line it will
    be in the story, when that line is too short to be cut again.

    Sentences of a line printed again with changes may pass as no repeat one by one; joined
    in the story, read again whole, they are a repeat of the earlier line, so they are one
    now: cleaning the story again changes nothing.
    """
    for line in _cut_lines(blocks):
        kept = [block for block in line if block.label is Kept.BODY]
        if len(kept) < 2:
            continue
        joined = " ".join(block.text for block in kept)
        if len(joined) > LONG_LINE_CHARS:
            continue
        original = repeat_of(blocks[: kept[0].index], joined)
        if original is not None:
            for block in kept:
                block.label, block.duplicate_of = Reason.PARAGRAPH_DUPLICATE, original


def _cut_lines(blocks: list[Block]) -> list[list[Block]]:
    """The blocks of each line that was cut into sentences; a sentence opening with a
    dateline after body text begins a line of its own, as it begins a story of its own."""
    if all(block.line_start for block in blocks):
        return []
    lines: list[list[Block]] = []
    for block in blocks:
        if block.line_start or (
            lines
            and is_dateline(block.text)
            and any(earlier.label is Kept.BODY for earlier in lines[-1])
        ):
            lines.append([block])
        elif lines:
            lines[-1].append(block)
    return [line for line in lines if len(line) > 1 or not line[0].line_start]


def _label(block: Block) -> Kept | Reason:
    """A block's own label; the HTML reader's decisions come first where there are some."""
    if block.html is not None:
        if not block.html.main:
            return Reason.HTML_BOILERPLATE
        if block.html.caption:
            return Kept.CAPTION
        if block.html.heading and not is_long_sentence(block.text):
            return Kept.TITLE
    return label_of(block)


def _trust_main_content(blocks: list[Block]) -> None:
    """A page whose main content has no prose (a list, a table, a schedule) is still a story:
    its lines are body unless something other than their shape says otherwise. So is each
    story container of a page that has several (release notes above a news story)."""
    main = [block for block in blocks if block.label is not Reason.HTML_BOILERPLATE]
    containers: dict[int, list[Block]] = {}
    for block in main:
        if block.html is not None and block.html.part >= 0:
            containers.setdefault(block.html.part, []).append(block)
    for story in [main, *containers.values()]:
        if not any(block.label is Kept.BODY for block in story):
            _lines_as_body(story)


def _lines_as_body(story: list[Block]) -> None:
    """Lines labelled by their shape alone become body; chrome stays chrome."""
    for block in story:
        if block.label in SHAPE_ONLY and chrome_reason(block.text) is None:
            block.label = Kept.BODY


def _attach_html(blocks: list[Block], html_blocks: list[HtmlBlock]) -> None:
    """Give each block what the HTML reader knows about the element it came from."""
    starts = [html_block.start for html_block in html_blocks]
    for block in blocks:
        position = bisect_right(starts, block.start) - 1
        if position >= 0 and block.start < html_blocks[position].end:
            block.html = html_blocks[position]
