"""Show a person what a run removed: each source's text with removed spans marked by reason
and story boundaries drawn, in the style of a unified diff.

Kept lines start with two spaces, removed lines with "- " and end with their reason in
brackets; a story starts at an "@@ story ... @@" line. On a terminal removed text is red and
reasons are dimmed; piped, the same markers stand alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from cleaner.account import AccountSpan


def render_source(source: str, spans: list[AccountSpan], color: bool) -> Iterator[str]:
    """The lines of one source's diff."""
    yield _style(f"=== {source}", color, bold=True)
    current_story = None
    for span in spans:
        if not span.removed and span.story is not None and span.story is not current_story:
            current_story = span.story
            yield _style(_story_header(span.story), color, fg="cyan")
        yield from _span_lines(span, color)


def _story_header(story: dict) -> str:
    title = story["metadata"].get("title")
    about = f" {title!r}" if title else ""
    return f"@@ story {story['id'][:12]}{about} @@"


def _span_lines(span: AccountSpan, color: bool) -> Iterator[str]:
    lines = span.text.rstrip().splitlines() or [""]
    for line in lines:
        if not span.removed:
            yield f"  {line}"
            continue
        reason = span.label
        if span.duplicate_of:
            reason += f" of {_original(span.duplicate_of)}"
        yield _style(f"- {line}", color, fg="red") + " " + _style(f"[{reason}]", color, dim=True)


def _original(duplicate_of: dict) -> str:
    """Where the kept copy is: `start:end` in the same source, or a story elsewhere."""
    place = f"{duplicate_of['start']}:{duplicate_of['end']}"
    if "id" not in duplicate_of:
        return place
    return f"story {duplicate_of['id'][:12]} at {duplicate_of['source']} {place}"


def _style(text: str, color: bool, **style) -> str:
    return click.style(text, **style) if color else text
