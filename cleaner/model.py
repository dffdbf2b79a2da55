"""The data cleaner passes between its stages: documents, blocks, spans and stories.

Every stage reads and writes these types only, so a stage can be tested, replaced or run
elsewhere without knowing the others. Offsets are always character offsets into
`Document.text`, the text the account covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SCHEMA_VERSION = 1


class Kept(StrEnum):
    """Labels of blocks that stay part of a story."""

    BODY = "body"
    TITLE = "title"
    CAPTION = "caption"
    CREDIT = "credit"


class Reason(StrEnum):
    """Why a span of text was removed; users filter `removed.jsonl` on these names."""

    NAVIGATION = "navigation"  # menus, skip links, section labels: "Skip to Content", "News"
    SHARE_BUTTONS = "share-buttons"  # "Facebook Twitter Email", "Share this article"
    TIMESTAMP = "timestamp"  # "2025-08-24 00:28 Last Updated At:00:30"
    TITLE_REPEAT = "title-repeat"  # the headline printed again
    GALLERY_CHROME = "gallery-chrome"  # "More Images", "1 of 12", "Enlarge this image"
    CAPTION_DUPLICATE = "caption-duplicate"  # a photo caption already kept (or a near variant)
    PARAGRAPH_DUPLICATE = "paragraph-duplicate"  # a body paragraph printed twice
    STORY_DUPLICATE = "story-duplicate"  # a whole story kept elsewhere (another site's copy)
    RELATED_LINKS = "related-links"  # "Recommended Articles", "Most read", "Read more"
    NEWSLETTER = "newsletter"  # "Sign up for our newsletter"
    PROMOTION = "promotion"  # a story's closing calls to follow, join, buy or write in
    ADVERTISEMENT = "advertisement"  # "Advertisement", "Sponsored content"
    COMMENTS = "comments"  # "Leave a comment", "23 comments"
    SITE_NOTICE = "site-notice"  # "© 2019 CNBC LLC. All Rights Reserved.", "We use cookies"
    BOILERPLATE = "boilerplate"  # short non-sentence lines outside any story body
    TEMPLATE = "template"  # a short line printed again and again: "Whatsapp Facebook Baixar"
    HTML_BOILERPLATE = "html-boilerplate"  # page text outside the HTML main content
    NO_STORY = "no-story"  # captions or headlines in a document that has no story text
    FRAGMENT = "fragment"  # prose too short to be a story, set apart from the real one
    WHITESPACE = "whitespace"  # leading blank space of a document, or a blank document
    MARKUP = "markup"  # Markdown around the words: "](https://...)", "![photo](a.jpg)", "## "

    @property
    def is_duplicate(self) -> bool:
        return self in (
            Reason.CAPTION_DUPLICATE,
            Reason.PARAGRAPH_DUPLICATE,
            Reason.STORY_DUPLICATE,
            Reason.TITLE_REPEAT,
        )


Label = Kept | Reason


@dataclass(slots=True)
class Document:
    """One input record: a file, or one record of a container file.

    `text` is what the account covers: the decoded file for plain text, the visible text of
    the page for HTML (see `cleaner.html`).
    """

    source: str
    text: str
    sha256: str
    path: str
    url: str | None = None
    record: int | None = None
    added: str | None = None
    created: str | None = None
    title: str | None = None
    html_blocks: list[HtmlBlock] | None = None
    encoding: str | None = None  # the charset the bytes were decoded with
    input_id: str | None = None  # the id the input gave the record (JSONL --id-field)
    header_end: int = 0  # a text dump's converter header is text[:header_end] (front_matter)


@dataclass(slots=True, frozen=True)
class HtmlBlock:
    """What the HTML reader knows about one block of the visible text beyond the words."""

    start: int
    end: int
    main: bool  # inside the page's main content, as the extractor decided
    caption: bool  # inside figcaption or an element whose class names a caption
    heading: int  # 1-6 for <h1>-<h6>, 0 otherwise
    part: int = -1  # the story container (<article>) of a multi-story page, -1 for none


@dataclass(slots=True)
class Block:
    """A paragraph, line or sentence of a document, with its place in the text.

    `start:end` is the block's content, stripped of surrounding white space; `span_end` is
    where the next block's content begins (or the end of the text), so that consecutive
    blocks cover the text with no gap.
    """

    index: int
    start: int
    end: int
    span_end: int
    text: str
    label: Label = Kept.BODY
    duplicate_of: int | None = None  # index of the block this one repeats
    line_start: bool = True  # False for a sentence split out of the middle of a line
    html: HtmlBlock | None = None
    # `start:end` ranges of Markdown markup inside the block, left out of `text` (a link's
    # target, an image, heading marks: see `cleaner.markup`); removed as `markup`.
    hidden: tuple[tuple[int, int], ...] = ()

    @property
    def kept(self) -> bool:
        return isinstance(self.label, Kept)


@dataclass(slots=True, frozen=True)
class Span:
    """One piece of the account: `start:end` of the document text, kept or removed."""

    start: int
    end: int
    label: Label
    text: str
    duplicate_of: tuple[int, int] | None = None  # start/end of the kept span it repeats


@dataclass(slots=True)
class Story:
    """One story found in a document, with its kept spans in order."""

    document: Document
    spans: list[Span]
    text: str
    title: str | None = None
    dateline: str | None = None
    created: str | None = None
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end


@dataclass(slots=True)
class DocumentResult:
    """Everything cleaner decided about one document: its stories and its removed spans.

    Together `stories[*].spans` and `removed` cover `document.text` exactly once.
    """

    document: Document
    stories: list[Story]
    removed: list[Span]

    def spans(self) -> list[Span]:
        """The whole account in text order."""
        kept = [span for story in self.stories for span in story.spans]
        return sorted(kept + self.removed, key=lambda span: span.start)


@dataclass(slots=True, frozen=True)
class InputError:
    """An input that could not be read or cleaned, and why."""

    path: str
    stage: str
    reason: str
    record: int | None = None
