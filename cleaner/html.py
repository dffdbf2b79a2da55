"""Read an HTML page into a Document: its visible text, block by block, and which blocks are
the page's main content.

The account of an HTML page covers its visible text, not its markup: one block per paragraph,
heading, list item or table cell, separated by a blank line. trafilatura decides what the main
content is; the blocks it leaves out stay in the account as `html-boilerplate`. When it finds
nothing, every block is handed to the plain-text rules, so a page is never silently empty.
"""

from __future__ import annotations

import copy
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import DEFAULT_CONFIG
from trafilatura.settings import Document as Extraction

from cleaner.html_metadata import PageMetadata, page_metadata
from cleaner.label import count_words, is_prose
from cleaner.model import Document, HtmlBlock

# Elements whose text a reader never sees. (<noscript> is seen: broken pages often leave
# their whole content inside one.)
INVISIBLE = frozenset(
    """
    head script style template svg math iframe object embed canvas select option
    button input textarea datalist audio video source track map
    """.split()
)
# Elements that start a new block of text.
BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre
    section summary table tbody tfoot thead tr ul br caption legend menu
    """.split()
)
# Table cells stay on their row's line, set apart by a bar: "1 | Kyle Busch | 5040".
CELL_TAGS = frozenset(("td", "th"))
CELL_SEPARATOR = " | "
HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Elements that change the context of their text by their tag alone.
CONTEXT_TAGS = frozenset(("figcaption", "a", *HEADINGS))
# A class or id that marks a caption: "caption", "wp-caption-text", "image-caption"...
CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
# ... but not "has-caption", "withoutCaption", "no_caption", "closed-captioning", "adCaption".
NOT_CAPTION_CLASS = re.compile(r"(?:has|with|no|without|ad)[-_]?caption|captioning", re.IGNORECASE)
# A class or id that marks comments: "comments", "comment-list", "commentBody"...
COMMENTS_CLASS = re.compile(r"comment", re.IGNORECASE)
# An element holding more text than this is a container, whatever its class says.
MAX_CAPTION_CHARS = 500
# Distinct class and id strings whose meaning a worker remembers (a site repeats its own).
NAMES_CACHE = 1 << 14
# Blocks of the main content are found in trafilatura's text by their words.
WORD = re.compile(r"\w+")
# Characters that print nothing and that trafilatura leaves out of its text: controls other
# than white space, the soft hyphen, zero-width spaces and joiners, direction marks, the BOM.
PRINTS_NOTHING = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# Blocks shorter than this many words must match one of trafilatura's lines exactly.
MIN_WORDS_TO_SEARCH = 4
BLOCK_SEPARATOR = "\n\n"
# An <article> with fewer words is a teaser card, not a story container ...
MIN_STORY_CONTAINER_WORDS = 250
# ... unless it brings its own <h1> and this many words: a short story appended by infinite
# scroll has its headline as the page's first did; teaser cards carry <h2>/<h3> headlines.
MIN_HEADED_CONTAINER_WORDS = 100
# The extractor is overruled when a run of prose paragraphs (of at least
# MIN_PROSE_RUN_PARAGRAPH_WORDS words each, with at most MAX_PROSE_RUN_GAP_WORDS words of
# headings, captions and the like between two of them) has PROSE_RUN_FACTOR times the words
# it chose, and at least MIN_PROSE_RUN_WORDS ...
MIN_PROSE_RUN_PARAGRAPH_WORDS = 15
MAX_PROSE_RUN_GAP_WORDS = 40
PROSE_RUN_FACTOR = 3
MIN_PROSE_RUN_WORDS = 150
# ... and a run of prose paragraphs the extractor took part of is main all along when at
# most this many words stand between two of its paragraphs: an ad label ("Advertisement"),
# a short line, where an ad slot cut the article in two and the extractor took one part. Over
# the evaluation pages (F1 of scrapinghub, readability, cleaneval): none taken .973 .944
# .883; 0 words between .973 .946 .888; 2: .975 .946 .888; 4: .973 .946 .889; 8: .972 .946
# .890; MAX_PROSE_RUN_GAP_WORDS (40): .960 .944 .897, as it takes in teasers and bios too.
MAX_CONTINUATION_GAP_WORDS = 2
# A paragraph with more of its text in links than this is a teaser, not prose.
MAX_PROSE_LINK_DENSITY = 0.3
# trafilatura's own extractor alone (its fast mode) is trusted when its text holds at least
# this share of the words of the page's prose paragraphs, and passes the tests trafilatura
# itself puts it to before it calls its fallbacks (readability, jusText) in its full mode
# (`_needs_fallbacks`). The fallbacks take 40% of the full mode's time and change the text
# of one page in ten, nearly always one failing these tests.
MIN_FAST_TEXT_SHARE = 0.6
# trafilatura's MIN_EXTRACTED_SIZE: a shorter text sends it to jusText.
MIN_EXTRACTED_CHARS = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")


@dataclass(slots=True, frozen=True)
class _Context:
    """What the elements around a piece of text say about it."""

    caption: bool = False  # inside a figcaption or a caption box
    heading: int = 0  # inside <h1>..<h6>
    comments: bool = False  # inside an element whose class or id names comments
    link: bool = False  # inside <a>
    part: int = -1  # which story container of a multi-story page (-1: none)
    listing: bool = False  # inside a container made of other posts' cards (`_is_card_list`)

    def inside(self, element: etree._Element, tag: str) -> _Context:
        """The context of the text inside `element`."""
        classes, ident = element.get("class"), element.get("id")
        if classes is None and ident is None and tag not in CONTEXT_TAGS:
            return self  # most elements of a page: nothing said, nothing changes
        names_caption, names_comments = _names_say(f"{classes or ''} {ident or ''}")
        caption = self.caption or tag == "figcaption" or (names_caption and _is_small(element))
        heading = HEADINGS.get(tag, self.heading)
        comments = self.comments or names_comments
        link = self.link or tag == "a"
        if (caption, heading, comments, link) == (
            self.caption,
            self.heading,
            self.comments,
            self.link,
        ):
            return self  # a class that says nothing cleaner reads: the same context
        return _Context(caption, heading, comments, link, self.part, self.listing)


@lru_cache(maxsize=NAMES_CACHE)
def _names_say(names: str) -> tuple[bool, bool]:
    """Whether an element's class and id (`names`) name a caption box, and comments."""
    caption = bool(CAPTION_CLASS.search(names)) and not NOT_CAPTION_CLASS.search(names)
    return caption, bool(COMMENTS_CLASS.search(names))


def _is_small(element: etree._Element) -> bool:
    """Small enough to be a caption: an element holding more text is a container."""
    return len(element.text_content()) <= MAX_CAPTION_CHARS


@dataclass(slots=True)
class _Piece:
    """Text gathered for one block while walking the tree."""

    texts: list[str] = field(default_factory=list)
    context: _Context = field(default_factory=_Context)
    linked: int = 0  # characters of text inside links
    text: str = ""  # once the block is complete: its texts, runs of white space made one space

    @property
    def has_text(self) -> bool:
        """Whether anything but white space has been gathered."""
        return not all(text.isspace() for text in self.texts)

    @property
    def link_density(self) -> float:
        """The share of the block's characters that are link text."""
        return self.linked / max(1, sum(len(text) for text in self.texts))


@dataclass(slots=True)
class _Walk:
    pieces: list[_Piece] = field(default_factory=list)
    current: _Piece = field(default_factory=_Piece)
    parts: dict[etree._Element, int] = field(default_factory=dict)  # story containers
    listings: frozenset[etree._Element] = frozenset()  # containers of cards

    def add(self, text: str | None, context: _Context) -> None:
        if not text:
            return
        if not self.current.texts or self.current.texts[-1].isspace():
            self.current.context = context
        self.current.texts.append(text)
        if context.link:
            self.current.linked += len(text)

    def flush(self) -> None:
        """Complete the current block; one of white space only is dropped, and its piece
        gathers the next block's text (`add` gives it that block's context)."""
        if not self.current.texts:
            return  # most flushes: a block element right inside another
        text = " ".join("".join(self.current.texts).split())
        if text:
            self.current.text = text
            self.pieces.append(self.current)
            self.current = _Piece()
        else:  # the white space between two block elements, most of the rest
            self.current.texts.clear()
            self.current.linked = 0


def html_document(
    html: str,
    source: str = "<html>",
    path: str | None = None,
    sha256: str | None = None,
    url: str | None = None,
) -> Document:
    """A Document of the page's visible text, with main-content and caption marks per block."""
    digest = sha256 or hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()
    tree = _parse(html)
    containers = _containers(tree) if tree is not None else _Containers()
    parts = containers.stories
    pieces = _visible_pieces(tree, containers) if tree is not None else []
    texts = [piece.text for piece in pieces]
    prose = _prose_words(texts, pieces)
    part_pages = [_page_of(part) for part in parts]
    main_text = _main_text(tree, sum(prose)) if tree is not None else None
    # A page the extractor finds nothing in is left to the plain-text rules, metadata included.
    metadata = page_metadata(tree, url) if main_text is not None else PageMetadata(url=url)
    title = _clean_title(metadata.title)
    words = [_words(text) for text in texts]
    main = _main_flags(texts, words, main_text or "")
    for index, page in enumerate(part_pages):
        part_prose = sum(w for w, p in zip(prose, pieces, strict=True) if p.context.part == index)
        in_part = _main_flags(texts, words, _main_text(page, part_prose) or "")
        main = [
            flag or (found and piece.context.part == index)
            for flag, found, piece in zip(main, in_part, pieces, strict=True)
        ]
    if title:
        main = [flag or text == title for flag, text in zip(main, texts, strict=True)]
    main = _with_densest_prose(main, texts, prose)
    main = [flag and not piece.context.listing for flag, piece in zip(main, pieces, strict=True)]
    if not any(main):
        main = [True] * len(texts)
    main = _with_inner_captions(main, pieces)
    blocks = []
    offset = 0
    for piece, text, is_main in zip(pieces, texts, main, strict=True):
        context = piece.context
        blocks.append(
            HtmlBlock(
                offset, offset + len(text), is_main, context.caption, context.heading, context.part
            )
        )
        offset += len(text) + len(BLOCK_SEPARATOR)
    return Document(
        source=source,
        text=BLOCK_SEPARATOR.join(texts),
        sha256=digest,
        path=path or source,
        url=metadata.url or url,
        created=metadata.date,
        title=title,
        html_blocks=blocks,
    )


def _parse(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class _Containers:
    """The <article> elements of a page that carries several of them long enough to be
    stories (infinite scroll, "next article"), outermost only."""

    stories: list[etree._Element] = field(default_factory=list)  # [] for a page of one story
    listings: frozenset[etree._Element] = frozenset()  # made of other posts' cards


def _containers(tree: etree._Element) -> _Containers:
    """The page's story containers, and those that are lists of cards instead.

    An extractor keeps one story of such a page and drops the others as boilerplate, so each
    story container is extracted on its own. Teaser cards are <article>s too, but short ones
    without an <h1>; an <article> made of them (a blog's listing of its other posts under
    the post) is no story, and no text of it is main content, whatever the extractor kept.
    """
    outermost = [
        element
        for element in tree.iter("article")
        if not any(ancestor.tag == "article" for ancestor in element.iterancestors())
        and _holds_a_story(element)
    ]
    if len(outermost) < 2:
        return _Containers()
    listings = frozenset(article for article in outermost if _is_card_list(article))
    stories = [article for article in outermost if article not in listings]
    return _Containers(stories if len(stories) >= 2 else [], listings)


def _is_card_list(article: etree._Element) -> bool:
    """Two or more cards inside `article` (innermost <article>s that hold no story), and
    fewer than MIN_HEADED_CONTAINER_WORDS words of its own around them."""
    cards = [
        inner
        for inner in article.iter("article")
        if inner is not article and inner.find(".//article") is None and not _holds_a_story(inner)
    ]
    if len(cards) < 2:
        return False
    own_words = count_words(article.text_content()) - sum(
        count_words(card.text_content()) for card in cards
    )
    return own_words < MIN_HEADED_CONTAINER_WORDS


def _holds_a_story(article: etree._Element) -> bool:
    """Long enough to be a story, or headed by its own <h1> and long enough for a short one."""
    words = count_words(article.text_content())
    if words >= MIN_STORY_CONTAINER_WORDS:
        return True
    return words >= MIN_HEADED_CONTAINER_WORDS and next(article.iter("h1"), None) is not None


def _page_of(container: etree._Element) -> etree._Element:
    """A page of its own holding a copy of `container`, for the extractor to read."""
    page = lxml_html.Element("html")
    etree.SubElement(page, "body").append(copy.deepcopy(container))
    return page


def _visible_pieces(tree: etree._Element, containers: _Containers) -> list[_Piece]:
    """The visible text of the page, cut into blocks at block-level elements."""
    parts = {part: index for index, part in enumerate(containers.stories)}
    walk = _Walk(parts=parts, listings=containers.listings)
    body = tree.find("body")
    _walk(body if body is not None else tree, walk, _Context())
    walk.flush()
    return walk.pieces


def _walk(element: etree._Element, walk: _Walk, context: _Context) -> None:
    """Add the text of `element` and its children; `context` is the parent's."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in INVISIBLE or element.get("hidden") is not None:
        walk.add(element.tail, context)
        return
    is_block = tag in BLOCK_TAGS
    if is_block:
        walk.flush()
    elif tag in CELL_TAGS and walk.current.has_text:
        walk.add(CELL_SEPARATOR, context)
    inner = context.inside(element, tag)
    if element in walk.parts:
        inner = replace(inner, part=walk.parts[element])
    elif element in walk.listings:
        inner = replace(inner, listing=True)
    walk.add(element.text, inner)
    for child in element:
        _walk(child, walk, inner)
    if is_block:
        walk.flush()
    walk.add(element.tail, context)


def _main_text(page: etree._Element, prose_words: int) -> str | None:
    """trafilatura's main text of the page, or None when it finds nothing.

    Its fast mode first, its full mode when the fast text calls for the fallbacks. Its
    metadata is not asked for here (see `cleaner.html_metadata`), nor for the story
    containers of a page, whose text is all cleaner uses. trafilatura prunes the tree it is
    given (2.3 prunes a copy): call this only once the page has been walked.
    """
    extracted = _extraction(page, fast=True)
    if extracted is None or _needs_fallbacks(extracted, prose_words):
        extracted = _extraction(page, fast=False)
    return extracted.text if extracted is not None else None


def _extraction(page: etree._Element, fast: bool) -> Extraction | None:
    try:
        return trafilatura.bare_extraction(
            page,
            fast=fast,
            include_comments=False,
            favor_precision=True,
            with_metadata=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, etree.LxmlError):
        return None


def _needs_fallbacks(extracted: Extraction, prose_words: int) -> bool:
    """Whether trafilatura's fast text may be one its fallbacks replace: short, without
    paragraphs or made of tables (its own tests), or missing much of the page's prose (where
    readability finds twice the text, trafilatura takes readability's). Its words are
    counted without the bars of its table cells."""
    text, body = extracted.text or "", extracted.body
    return (
        len(text) < MIN_EXTRACTED_CHARS
        or len(WORD.findall(text)) < MIN_FAST_TEXT_SHARE * prose_words
        or body is None
        or not body.xpath(".//p//text()")
        or len(body.findall(".//table")) > len(body.findall(".//p"))
    )


def _main_flags(texts: list[str], words: list[list[str]], main_text: str) -> list[bool]:
    """Which blocks trafilatura kept, found in its text by their words (`words`: each
    block's, see `_words`).

    A block of a few words ("Home") is found anywhere in any text, so it counts only as a
    whole line of the extractor's text, or as part of a run of found blocks next to a block
    that counts (list items the extractor ran together into one line).
    """
    main_lines = [" ".join(WORD.findall(line)) for line in _as_extracted(main_text).splitlines()]
    lines = set(main_lines)
    haystack = f" {' '.join(line for line in main_lines if line)} "
    # A block with a word the text lacks is not in it: most blocks left out are told so
    # without a search of the whole text.
    vocabulary = set(haystack.split())
    flags, found = [], []
    for block_words in words:
        needle = " ".join(block_words)
        in_text = bool(needle) and vocabulary.issuperset(block_words) and f" {needle} " in haystack
        short = len(block_words) < MIN_WORDS_TO_SEARCH
        flags.append(needle in lines if short else in_text)
        found.append(in_text)
    return _with_short_lines_between(_spread_along_found(flags, found), texts)


def _words(text: str) -> list[str]:
    """The words of `text` as trafilatura writes it (see `_as_extracted`)."""
    return WORD.findall(_as_extracted(text))


def _as_extracted(text: str) -> str:
    """`text` as trafilatura writes it: without the characters that print nothing (a soft
    hyphen in "Vladi\xadmir" would cut the word in two), in Unicode's composed form."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", PRINTS_NOTHING.sub("", text))


def _spread_along_found(flags: list[bool], found: list[bool]) -> list[bool]:
    """Extend each main block over the neighbouring blocks whose words are in the text."""
    flags = list(flags)
    for order in (range(1, len(flags)), range(len(flags) - 2, -1, -1)):
        for i in order:
            neighbour = i - 1 if order.step == 1 else i + 1
            flags[i] = flags[i] or (found[i] and flags[neighbour])
    return flags


def _prose_words(texts: list[str], pieces: list[_Piece]) -> list[int]:
    """The words of each block that is a paragraph of prose, 0 for any other block.
    Comment threads and lists of links to other stories, long as they may be, never count."""
    return [
        count_words(text)
        if is_prose(text)
        and not piece.context.comments
        and not piece.context.listing
        and piece.link_density <= MAX_PROSE_LINK_DENSITY
        else 0
        for text, piece in zip(texts, pieces, strict=True)
    ]


def _with_densest_prose(main: list[bool], texts: list[str], prose: list[int]) -> list[bool]:
    """Second opinion on the extractor: when the page holds a run of prose (`prose`: the
    words of each block that is prose) far longer than what the extractor chose (it took a
    notice, a teaser or nothing), the run is main too; and a run of prose the extractor took
    part of is main all along (see MAX_CONTINUATION_GAP_WORDS)."""
    chosen = sum(count_words(text) for text, flag in zip(texts, main, strict=True) if flag)
    runs = _prose_runs(texts, prose, MAX_PROSE_RUN_GAP_WORDS)
    densest = max(runs, key=lambda run: run.words, default=None)
    continued = _prose_runs(texts, prose, MAX_CONTINUATION_GAP_WORDS)
    whole = [run for run in continued if any(main[run.start : run.stop])]
    if densest is not None and densest.words >= max(MIN_PROSE_RUN_WORDS, PROSE_RUN_FACTOR * chosen):
        whole.append(densest)
    return [flag or any(run.start <= i < run.stop for run in whole) for i, flag in enumerate(main)]


@dataclass(frozen=True, slots=True)
class _ProseRun:
    """Blocks `start:stop` of the page: paragraphs of MIN_PROSE_RUN_PARAGRAPH_WORDS words of
    prose or more, and the other blocks between two of them, few enough words of them."""

    start: int
    stop: int
    words: int  # of prose


def _prose_runs(texts: list[str], prose: list[int], max_gap_words: int) -> list[_ProseRun]:
    """The runs of prose of the page, at most `max_gap_words` words between two paragraphs."""
    runs: list[_ProseRun] = []
    gap_words = 0
    for i, (words, text) in enumerate(zip(prose, texts, strict=True)):
        if words < MIN_PROSE_RUN_PARAGRAPH_WORDS:
            gap_words += count_words(text)
            continue
        if runs and gap_words <= max_gap_words:
            last = runs[-1]
            runs[-1] = _ProseRun(last.start, i + 1, last.words + words)
        else:
            runs.append(_ProseRun(i, i + 1, words))
        gap_words = 0
    return runs


def _with_short_lines_between(flags: list[bool], texts: list[str]) -> list[bool]:
    """A block between two main blocks is in the flow of the main text (a list item, a
    label, a paragraph with many links that the extractor dropped); the labeller then judges
    what it is."""
    return [
        flag or (0 < i < len(flags) - 1 and flags[i - 1] and flags[i + 1])
        for i, flag in enumerate(flags)
    ]


def _with_inner_captions(main: list[bool], pieces: list[_Piece]) -> list[bool]:
    """Captions inside the main content belong to it, though extractors drop them."""
    inside = [i for i, flag in enumerate(main) if flag]
    if not inside:
        return main
    first, last = inside[0], inside[-1]
    return [
        flag or (piece.context.caption and first < i < last)
        for i, (flag, piece) in enumerate(zip(main, pieces, strict=True))
    ]


def _clean_title(title: str | None) -> str | None:
    return " ".join(title.split()) if title else None
