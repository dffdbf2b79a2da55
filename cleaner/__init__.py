"""cleaner: turn scraped news dumps into clean, deduplicated stories, with an exact account
of every piece of text removed.

    >>> import cleaner
    >>> result = cleaner.clean_text("Skip to Content\\n\\nTOKYO (AP) — It rained in Tokyo.")
    >>> result.stories[0].dateline
    'TOKYO (AP)'
"""

from __future__ import annotations

from cleaner.html import html_document
from cleaner.model import Document, DocumentResult, InputError, Kept, Reason, Span, Story
from cleaner.pipeline import clean_document
from cleaner.read import text_document
from cleaner.run import clean, run

__all__ = [
    "Document",
    "DocumentResult",
    "InputError",
    "Kept",
    "Reason",
    "Span",
    "Story",
    "clean",
    "clean_document",
    "clean_html",
    "clean_text",
    "run",
]


def clean_text(text: str, source: str = "<text>") -> DocumentResult:
    """Clean one plain-text document given as a string."""
    return clean_document(text_document(text, source=source))


def clean_html(html: str, source: str = "<html>", url: str | None = None) -> DocumentResult:
    """Clean one HTML page given as a string."""
    return clean_document(html_document(html, source=source, url=url))
