"""Show a person what a run removed: each source's text with removed spans marked by reason
and story boundaries drawn, in the style of a unified diff, and a table of removals by reason.

Kept lines start with two spaces, removed lines with "- " and end with their reason in
brackets; a story starts at an "@@ story ... @@" line. On a terminal removed text is red and
reasons are dimmed; piped, the same markers stand alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator

import click

from cleaner.account import AccountSpan


def render_source(
    source: str, spans: list[AccountSpan], color: bool, reasons: Collection[str] = ()
) -> Iterator[str]:
    """The lines of one source's diff; with `reasons`, only removed spans of those reasons are
    shown (kept text is always shown, as context)."""
    yield _style(f"=== {source}", color, bold=True)
    current_story = None
    for span in spans:
        if span.removed and not _selected(span, reasons):
            continue
        if not span.removed and span.story is not None and span.story is not current_story:
            current_story = span.story
            yield _style(_story_header(span.story), color, fg="cyan")
        yield from _span_lines(span, color)


def shows_removals(spans: Iterable[AccountSpan], reasons: Collection[str] = ()) -> bool:
    """Whether a source has a removed span to show under the `reasons` filter."""
    return any(span.removed and _selected(span, reasons) for span in spans)


def render_stats(spans: Iterable[AccountSpan], reasons: Collection[str] = ()) -> Iterator[str]:
    """A table of removed spans by reason: spans, characters, and their share of all the
    characters of `spans` (kept and removed), then the removed, kept and total characters."""
    counts: Counter[str] = Counter()
    characters: Counter[str] = Counter()
    kept = total = 0
    for span in spans:
        length = span.end - span.start
        total += length
        if not span.removed:
            kept += length
        elif _selected(span, reasons):
            counts[span.label] += 1
            characters[span.label] += length
    yield f"{'reason':<22}{'spans':>8}{'characters':>12}{'share':>9}"
    for reason in sorted(counts):
        yield _stats_row(reason, counts[reason], characters[reason], total)
    yield _stats_row("removed", counts.total(), characters.total(), total)
    yield _stats_row("kept", None, kept, total)
    yield _stats_row("total", None, total, total)


def _stats_row(name: str, spans: int | None, characters: int, total: int) -> str:
    share = f"{characters / total:.2%}" if total else "-"
    return f"{name:<22}{'' if spans is None else spans:>8}{characters:>12}{share:>9}"


def _selected(span: AccountSpan, reasons: Collection[str]) -> bool:
    return not reasons or span.label in reasons


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
        if not line.strip():
            yield _style("-", color, fg="red")
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
