"""Turn labelled blocks and story starts into stories and removed spans: the account.

Each story owns a region of blocks: from the headline, byline and time stamp just above its
first paragraph to the block before the next story's region. Captions and credits that trail
a story (a gallery printed after the text) stay with it. Inside its region the decisions that
need context are made here: which headline is the title, which short line is a subheading,
what a trailing fragment is.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from cleaner.blocks import text_pieces
from cleaner.dedup import Texts
from cleaner.label import (
    chrome_reason,
    count_words,
    dateline_of,
    is_end_of_story,
    is_headline,
    is_promotion,
    is_title_case,
)
from cleaner.model import Block, Document, DocumentResult, Kept, Reason, Span, Story
from cleaner.split import (
    MIN_COHESION_PARAGRAPHS,
    holds_together,
    is_page_seam,
    is_post,
    is_story_run,
    page_head,
    page_tail,
    paragraph_cohesion,
    prose_runs,
    run_words,
    share_in,
    story_runs,
    words_of,
)
from cleaner.times import parse_timestamp

# Blocks that may stand between a story's headline and its first paragraph, and so belong to
# the story below them rather than to the one above.
LEAD_IN = (
    Kept.TITLE,
    Reason.TITLE_REPEAT,
    Reason.TIMESTAMP,
    Reason.NAVIGATION,
    Reason.BOILERPLATE,
    Reason.SHARE_BUTTONS,
)
# A story next to a longer one needs a run of prose of this many words (see
# `cleaner.split.prose_runs`), or a dateline, to be a story.
MIN_STORY_BODY_WORDS = 60
# A run of prose that does not hold together (see `cleaner.split.paragraph_cohesion`) is a
# story only when it is more than 1/LONGER_STORY_SHARE of the longest run that does.
LONGER_STORY_SHARE = 2
# A story right below another, with at most 1/MINOR_STORY_SHARE of its prose, that no page
# seam sets apart from it (see `cleaner.split.is_page_seam`), is the other prose of the
# same page: an author's bio, an editor's note, the badges of a comment section, a teaser
# under "Most Read". On 300 glued page texts, count exact 0.763 -> 0.793 (too many 0.147 ->
# 0.113), boundary F1 0.882 -> 0.895; the page texts cleaned alone F1 0.846 -> 0.848. Any
# share from 1 to 3 gives the same; with a seam of 40 lines instead of a full one, count
# exact 0.810 but 0.107 too few (0.090), real short pages lost.
MINOR_STORY_SHARE = 3
# A page ends with the site's notice to its readers (see `cleaner.split.is_page_seam`): the
# prose between a story and the notice closing its page is the page's too, a disclaimer
# ("The information provided on this website ..."), a footer's "About" blurb or another
# article the page prints, even across a full seam of related links and share buttons.
# A region of prose ends its page when a site notice stands among its lines or at most
# PAGE_END_LINES lines below its last paragraph; then a story above it sets it apart as
# a minor story (see MINOR_STORY_SHARE) unless a seam of TWO_PAGES_SEAM_LINES lines or a
# site notice stands between them: one page's footer and the next one's header. On 300
# glued page texts, such regions (no site notice between) were 12 regions that were none
# of the pages' articles (seams of 16 to 38 lines) and no article (the nearest: a page's
# article under a seam of 88 lines); with 10 lines instead of 20, 9 regions; with seams of
# 40 to 70 lines instead of 50, 12 to 13; never an article.
PAGE_END_LINES = 20
TWO_PAGES_SEAM_LINES = 50
# A region's runs of prose, each too short to tell whether it holds together, are a feed of
# teasers when there are this many of them and all together they do not hold together (see
# `_is_feed`); two such runs are as often a short article cut by a picture and its caption.
MIN_FEED_RUNS = 3
# Lines that name the list below them (see `_mark_listed_tail`).
LIST_HEADERS = (Reason.RELATED_LINKS, Reason.COMMENTS)
# A headline is a story's title when at least this share of its content words are in the
# story's body (see `_pick_title`). On the 292 pages of the glued benchmark that have a
# title in their metadata, the text dumps' titles agreed with it on 69 pages and differed on
# 147 when the nearest headline was taken; at 0.3, 102 and 89 (in HTML, 229 and 63 -> 246
# and 46); at any share above 0, 103 and 95.
MIN_TITLE_SHARE = 0.3
# A line above the first paragraph needs this many words to be a sentence of the story.
LEAD_SENTENCE_WORDS = 6
# Labels given by shape alone, that a line standing between two paragraphs loses.
SHAPE_ONLY = (Kept.TITLE, Reason.NAVIGATION, Reason.BOILERPLATE)


def build_result(document: Document, blocks: list[Block], starts: list[int]) -> DocumentResult:
    """Assemble the stories beginning at the body blocks `starts` and the removed spans."""
    regions = [blocks[first : last + 1] for first, last in _regions(blocks, starts)]
    text_dump = document.html_blocks is None
    if text_dump:
        # A region's runs depend on its own blocks' labels only, which page edges of other
        # regions leave alone: found once for all regions, they serve both.
        runs = [prose_runs(blocks, region) for region in regions]
        dated_feeds = [_is_dated_feed(blocks, region_runs) for region_runs in runs]
        runs = [
            _set_apart_page_edges(blocks, region, region_runs)
            for region, region_runs in zip(regions, runs, strict=True)
        ]
        # Judged before the regions settle: settling makes the short lines between two
        # paragraphs body, which would join a list of teasers into one run of prose.
        prose = [
            _prose_of(blocks, region_runs, dated_feed)
            for region_runs, dated_feed in zip(runs, dated_feeds, strict=True)
        ]
        minor = [False] + [
            _is_minor_story(blocks, above, below) for above, below in pairwise(prose)
        ]
    for region in regions:
        _settle_region(region)
    if text_dump:
        regions = _drop_fragments(regions, prose, minor)
    stories = [_story(document, region) for region in regions]
    if not regions:
        for block in blocks:
            if block.kept:
                block.label = Reason.NO_STORY
    removed = _removed_spans(document, blocks) + _markup_spans(document, blocks)
    removed.sort(key=lambda span: span.start)
    return DocumentResult(document=document, stories=stories, removed=removed)


def _set_apart_page_edges(
    blocks: list[Block], region: list[Block], runs: list[list[Block]]
) -> list[list[Block]]:
    """Sentences below a story across a seam of page furniture, and those above it across
    a long one that speak of something else, are the page's, not the story's (see
    `page_tail` and `page_head`): they become fragments. Returns the runs of prose of
    `region` (`runs` before) once they are set apart.

    For text dumps only: in an HTML page the extractor has already judged what is content.
    """
    story = story_runs(blocks, runs, MIN_STORY_BODY_WORDS)
    tail = page_tail(blocks, region, story)
    for block in tail:
        block.label = Reason.FRAGMENT
    # Once the tail is set apart: the words the story shares are its own.
    head = page_head(blocks, region, story)
    for block in head:
        block.label = Reason.FRAGMENT
    return prose_runs(blocks, region) if tail or head else runs


@dataclass(frozen=True, slots=True)
class _Prose:
    """What a region holds of prose: its longest run (see `cleaner.split.prose_runs`) and
    its longest run of MIN_STORY_BODY_WORDS words or more whose paragraphs hold together
    (see `cleaner.split.paragraph_cohesion`), 0 if none, in words; its first and last
    paragraphs, None if none; whether it ends its page (see PAGE_END_LINES)."""

    longest: int
    cohesive: int
    first: Block | None
    last: Block | None
    ends_page: bool


def _prose_of(blocks: list[Block], runs: list[list[Block]], dated_feed: bool) -> _Prose:
    """What a region whose runs of prose are `runs` holds of prose; none of it holds
    together when the region is a feed of teasers (see `_is_feed` and `_is_dated_feed`)."""
    cohesive = [
        run
        for run in ([] if dated_feed or _is_feed(blocks, runs) else runs)
        if is_story_run(blocks, run, MIN_STORY_BODY_WORDS)
    ]
    first = runs[0][0] if runs else None
    last = runs[-1][-1] if runs else None
    return _Prose(
        longest=max(map(run_words, runs), default=0),
        cohesive=max(map(run_words, cohesive), default=0),
        first=first,
        last=last,
        ends_page=first is not None and last is not None and _ends_page(blocks, first, last),
    )


def _ends_page(blocks: list[Block], first: Block, last: Block) -> bool:
    """Whether a site notice stands among the lines from the paragraph `first` to
    PAGE_END_LINES lines below the paragraph `last` (see PAGE_END_LINES)."""
    lines = blocks[first.index : last.index + PAGE_END_LINES + 1]
    return any(block.label is Reason.SITE_NOTICE for block in lines)


def _is_feed(blocks: list[Block], runs: list[list[Block]]) -> bool:
    """Whether a region's runs of prose are a feed of teasers: each of them too short to
    tell whether it holds together (see `cleaner.split.paragraph_cohesion`: a summary of a
    paragraph or two under its headline, its section and "8 Comments"), and all of them
    together do not.

    On the 300 glued page texts, five regions were judged so (cohesion 0.04 to 0.14: a
    portal's feed of nine summaries, the teasers of a magazine's footer, a sidebar's quiz),
    none of them a page's article; the nearest above were another article a portal prints
    whole (15 paragraphs, cohesion 0.17) and one whose every paragraph stands under an ad or
    a picture (12 paragraphs: 0.25). Such a region is no story but as a document's only one.
    """
    if len(runs) < MIN_FEED_RUNS:
        return False
    if any(paragraph_cohesion(blocks, run) is not None for run in runs):
        return False
    return not holds_together(blocks, [block for run in runs for block in run])


def _is_dated_feed(blocks: list[Block], runs: list[list[Block]]) -> bool:
    """Whether a region's runs of prose, before its page tail is set apart (see
    `_set_apart_page_edges`), are a feed of teasers (see `_is_feed`) each of which but the
    first stands under its own time stamp (see `cleaner.split.is_post`): a headline, an
    author, a date and a summary, again and again.

    The page tail sets apart every teaser below the longest, which is then alone in its
    region and long enough to look like a story. On 300 glued page texts, one column's
    feed so judged (an 80-word summary under a 450-word story: 3 documents with a story too
    many); judged on undated runs too, a short article above a list of questions or the
    linked posts of its page became a feed and was lost beside a longer story (4 documents).
    """
    posts = all(is_post(blocks, above, below) for above, below in pairwise(runs))
    return posts and _is_feed(blocks, runs)


def _is_minor_story(blocks: list[Block], above: _Prose, below: _Prose) -> bool:
    """Whether the region of prose `below` is the page's other prose under the story of the
    region above it (see MINOR_STORY_SHARE and PAGE_END_LINES)."""
    if above.last is None or below.first is None:
        return False
    much_shorter = below.longest * MINOR_STORY_SHARE <= above.longest
    if below.ends_page:
        return much_shorter and not is_page_seam(
            blocks, above.last, below.first, TWO_PAGES_SEAM_LINES
        )
    return much_shorter and not is_page_seam(blocks, above.last, below.first)


def _drop_fragments(
    regions: list[list[Block]], prose: list[_Prose], minor: list[bool]
) -> list[list[Block]]:
    """Remove "stories" that are not one, next to a real story: a cookie notice or a
    sign-up confirmation that cohesion or a headline set apart, a list of teasers or
    comments, a page footer.

    A story has a run of prose of MIN_STORY_BODY_WORDS words whose paragraphs hold
    together, or a run more than 1/LONGER_STORY_SHARE as long as every such story of the
    document (a review whose every paragraph turns to another track of the record is still
    the page's article when the other "story" is a cookie notice), and is not a minor story
    of the page above it (see MINOR_STORY_SHARE). A short story that opens with a dateline
    is a news brief and stays, unless it repeats a story with more prose (see `_repeats`);
    a document's only story always stays.

    For text dumps only: in an HTML page the extractor has already judged what is content,
    and a short part of it is a part of the story.
    """
    if not prose or max(found.longest for found in prose) < MIN_STORY_BODY_WORDS:
        return regions
    best_story = max(found.cohesive for found in prose)
    repeats = _repeats(regions, prose)
    kept = []
    for region, found, is_minor, repeat in zip(regions, prose, minor, repeats, strict=True):
        is_story = not is_minor and (found.cohesive or _rivals(found, best_story))
        if not repeat and (is_story or _opens_with_dateline(region)):
            kept.append(region)
            continue
        for block in region:
            if block.kept:
                block.label = Reason.FRAGMENT
    return kept


def _repeats(regions: list[list[Block]], prose: list[_Prose]) -> list[bool]:
    """For each region, whether it is a card of fewer than MIN_COHESION_PARAGRAPHS body
    blocks whose text a region with more prose prints nearly word for word (see
    `cleaner.dedup.Texts`): a summary card that repeats the lede of the article it
    links to, however the card cuts or joins its paragraphs. (The evaluation corpus holds
    one such page, a portal's: among its 1,312 documents, no other story repeats one with
    more prose.)"""
    bodies = [[block for block in region if block.label is Kept.BODY] for region in regions]
    cards = [
        position for position, body in enumerate(bodies) if len(body) < MIN_COHESION_PARAGRAPHS
    ]
    repeats = [False] * len(regions)
    if len(regions) < 2 or not cards:
        return repeats
    texts = [Texts(body) for body in bodies]
    for card in cards:
        repeats[card] = any(
            texts[other].prints(texts[card])
            for other in range(len(regions))
            if prose[other].longest > prose[card].longest
        )
    return repeats


def _rivals(found: _Prose, best_story: int) -> bool:
    """A run of prose that does not hold together is long enough to be a story beside the
    longest one that does."""
    return found.longest >= MIN_STORY_BODY_WORDS and found.longest * LONGER_STORY_SHARE > best_story


def _opens_with_dateline(region: list[Block]) -> bool:
    first = next(block for block in region if block.label is Kept.BODY)
    return dateline_of(first.text) is not None


def _regions(blocks: list[Block], starts: list[int]) -> list[tuple[int, int]]:
    """First and last block index of each story's region."""
    region_starts = [0] + [
        _lead_in_start(blocks, start, previous) for previous, start in pairwise(starts)
    ]
    ends = [start - 1 for start in region_starts[1:]] + [len(blocks) - 1]
    return list(zip(region_starts, ends, strict=True)) if starts else []


def _lead_in_start(blocks: list[Block], first_body: int, previous_start: int) -> int:
    """Move a story's start back over the headline, byline and time stamp above it; in a
    page of several story containers, back to where its container begins (its headline,
    kicker and menu, whatever they were labelled), never past the story before."""
    start = first_body
    while start > previous_start + 1:
        above = blocks[start - 1]
        is_byline = above.label is Kept.CREDIT and not is_end_of_story(above.text)
        in_lead_in = above.label in LEAD_IN or is_byline
        if not in_lead_in and not _same_container(above, blocks[first_body]):
            break
        start -= 1
    return start


def _same_container(block: Block, other: Block) -> bool:
    """Both blocks sit in the same story container of a page that has several."""
    return (
        block.html is not None
        and other.html is not None
        and block.html.part >= 0
        and block.html.part == other.html.part
    )


def _settle_region(region: list[Block]) -> None:
    """Decide the labels that depend on the story: title, subheadings, trailing lines.

    Closing promotions go first, so that the short lines above them ("About the Author")
    are judged as what they then are, lines after the story, as re-cleaning it would.
    """
    _mark_closing_promotions(region)
    body_positions = [i for i, block in enumerate(region) if block.label is Kept.BODY]
    first_body, last_body = body_positions[0], body_positions[-1]
    story = words_of(block for block in region if block.label is Kept.BODY)
    title = _pick_title(region[:first_body], story)
    for block in region:
        if block.label is Kept.TITLE and block is not title:
            block.label = Reason.BOILERPLATE
        elif block.label is Reason.TITLE_REPEAT and (
            title is None or block.duplicate_of != title.index
        ):
            # A headline-shaped line printed twice that is not this story's title: a list
            # item, a subheading, judged by its place like any other line.
            block.label, block.duplicate_of = Reason.BOILERPLATE, None
    _keep_main_content_lead(region[:first_body])
    _keep_lines_inside_body(region[first_body : last_body + 1])
    _keep_main_content_tail(region[last_body + 1 :])
    _mark_listed_tail(region[last_body + 1 :])


def _keep_lines_inside_body(inner: list[Block]) -> None:
    """Short lines between paragraphs are the story's own: subheadings, list items.

    A run of lines labelled by shape alone, with a paragraph right above and right below,
    becomes body; a run that holds chrome or a caption stays what it is.
    """
    run: list[Block] = []
    for block in inner:
        if block.label is Reason.HTML_BOILERPLATE:
            continue  # page furniture between two main blocks does not cut the run
        if block.label in SHAPE_ONLY and chrome_reason(block.text) is None:
            run.append(block)
            continue
        if block.label is Kept.BODY:
            for line in run:
                line.label = Kept.BODY
        run = []


def _pick_title(lead: list[Block], story: set[str]) -> Block | None:
    """The headline above the first paragraph that speaks of the story; else the page's own
    headline there (see `_page_headline`).

    Of the headline-shaped lines of the lead (a repeated one as first printed), the one with
    the largest share of its content words in the story's body (`story`), the nearest on a
    tie, if that share is MIN_TITLE_SHARE or more: the nearest such line above an article is
    as often a byline ("Tom Davies Associated Press"), a date line or a prompt ("Show more
    sharing options"), which speak of nothing the story says.
    """
    by_index = {block.index: block for block in lead}
    headlines = []
    for block in reversed(lead):
        if block.label is Kept.TITLE:
            headlines.append(block)
        elif block.label is Reason.TITLE_REPEAT and block.duplicate_of in by_index:
            headlines.append(by_index[block.duplicate_of])
    best = max(headlines, key=lambda headline: share_in(headline, story), default=None)
    if best is not None and share_in(best, story) >= MIN_TITLE_SHARE:
        return best
    return _page_headline(lead)


def _page_headline(lead: list[Block]) -> Block | None:
    """The <h1> nearest above the first paragraph, shaped like a headline, that the HTML
    extractor left out of the main content (extractors often cut the headline off the
    article), which becomes the story's title."""
    for block in reversed(lead):
        if (
            block.html is not None
            and block.html.heading == 1
            and block.label is Reason.HTML_BOILERPLATE
            and is_headline(block.text)
            and chrome_reason(block.text) is None
        ):
            block.label = Kept.TITLE
            return block
    return None


def _keep_main_content_lead(lead: list[Block]) -> None:
    """Sentences between the headline and the first paragraph that the HTML extractor kept
    (a standfirst, summary bullets) are the story's; names and labels in title case
    ("Tanza Loudenback, Business Insider") are not."""
    for block in lead:
        if (
            block.html is not None
            and block.html.main
            and block.label is Reason.BOILERPLATE
            and count_words(block.text) >= LEAD_SENTENCE_WORDS
            and not is_title_case(block.text)
            and chrome_reason(block.text) is None
        ):
            block.label = Kept.BODY


def _keep_main_content_tail(tail: list[Block]) -> None:
    """Lines after the last paragraph that the HTML extractor kept in the main content (a
    closing list, a table) stay with the story, up to where the main content ends."""
    for block in tail:
        if block.html is None or not block.html.main:
            return
        if block.label in SHAPE_ONLY and chrome_reason(block.text) is None:
            block.label = Kept.BODY


def _mark_closing_promotions(region: list[Block]) -> None:
    """Calls to action that close a story ("Follow us on Twitter", "Email the author at")
    are not its text. Only the run at the very end is taken: the same words inside the
    story are quoted, not promoted."""
    body = [block for block in region if block.label is Kept.BODY]
    for block in reversed(body[1:]):
        if not is_promotion(block.text):
            return
        block.label = Reason.PROMOTION


def _mark_listed_tail(tail: list[Block]) -> None:
    """Headlines listed after a "Recommended Articles" line are related links too; the
    names, dates and posts after a "13 comments" line, comments. What lies below the story
    was already set apart by its shape (a list, a page tail): the line above it names it."""
    listed: Reason | None = None
    for block in tail:
        if block.label in LIST_HEADERS:
            listed = block.label
        elif listed is not None and block.label in (*SHAPE_ONLY, Kept.BODY, Reason.FRAGMENT):
            block.label = listed


def _story(document: Document, region: list[Block]) -> Story:
    kept = [block for block in region if block.kept]
    body = [block for block in kept if block.label is Kept.BODY]
    title = next((block.text for block in kept if block.label is Kept.TITLE), None)
    return Story(
        document=document,
        spans=[span for block in kept for span in _kept_spans(document, block)],
        text=_join_body(region, body),
        title=title or document.title,
        dateline=dateline_of(body[0].text),
        created=_created(region) or document.created,
        captions=[block.text for block in kept if block.label is Kept.CAPTION],
        credits=[block.text for block in kept if block.label is Kept.CREDIT],
    )


def _created(region: list[Block]) -> str | None:
    """The publication time from the first time stamp above the first paragraph."""
    for block in region:
        if block.label is Kept.BODY:
            return None
        if block.label is Reason.TIMESTAMP:
            created = parse_timestamp(block.text)
            if created:
                return created
    return None


def _join_body(region: list[Block], body: list[Block]) -> str:
    """Body paragraphs joined by a blank line; the sentences of one paragraph (a line cut
    into sentences, or the lines of one hard-wrapped paragraph) stay on one line: no block
    between two of them, removed or not, opens a line."""
    first = region[0].index
    parts = []
    for previous, block in zip([None, *body], body, strict=False):
        if previous is not None:
            between = region[previous.index - first + 1 : block.index - first + 1]
            parts.append("\n\n" if any(b.line_start for b in between) else " ")
        parts.append(block.text)
    return "".join(parts)


def _span(document: Document, block: Block, original: Block | None = None) -> Span:
    """The account span of `block`: its text and the blank space after it."""
    return Span(
        start=block.start,
        end=block.span_end,
        label=block.label,
        text=document.text[block.start : block.span_end],
        duplicate_of=(original.start, original.span_end) if original else None,
    )


def _kept_spans(document: Document, block: Block) -> list[Span]:
    """The account spans of a kept block: one per line, the lines of a hard-wrapped
    paragraph being joined by a space in the story's fields, each span holding the blank
    space after it; and around its Markdown markup, which is removed (`_markup_spans`)."""
    return [span for span in _pieces_and_markup(document, block) if span.label is block.label]


def _markup_spans(document: Document, blocks: list[Block]) -> list[Span]:
    """The markup inside the kept blocks, as removed spans."""
    return [
        span
        for block in blocks
        if block.kept and block.hidden
        for span in _pieces_and_markup(document, block)
        if span.label is Reason.MARKUP
    ]


def _pieces_and_markup(document: Document, block: Block) -> list[Span]:
    """The block's span cut at its lines and its markup, each part running to the start of
    the next (the last to the block's span end)."""
    parts = sorted(
        [
            (start, block.label)
            for start, _ in text_pieces(document.text, block.start, block.end, block.hidden)
        ]
        + [(start, Reason.MARKUP) for start, _ in block.hidden]
    )
    ends = [start for start, _ in parts[1:]] + [block.span_end]
    return [
        Span(start=start, end=end, label=label, text=document.text[start:end])
        for (start, label), end in zip(parts, ends, strict=True)
    ]


def _removed_spans(document: Document, blocks: list[Block]) -> list[Span]:
    """Every removed block as a span, plus any blank space before the first block."""
    removed = []
    first_start = blocks[0].start if blocks else len(document.text)
    if first_start > 0:
        removed.append(Span(0, first_start, Reason.WHITESPACE, document.text[:first_start]))
    for block in blocks:
        if block.kept:
            continue
        original = blocks[block.duplicate_of] if block.duplicate_of is not None else None
        removed.append(_span(document, block, original))
    return removed
