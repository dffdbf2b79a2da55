"""The account of a run read back from its output: every span of a source, kept or
removed, in order, and the source text rebuilt from them.

`stories.jsonl` holds the kept spans (their words in the story's fields, the blank space
after them in `metadata.spans`); `removed.jsonl` holds the removed spans with their text.
Rebuilding a source from these two alone proves nothing was lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.blocks import is_blank
from cleaner.write import REMOVED_FILE, STORIES_FILE, read_jsonl


class AccountError(Exception):
    """The output does not account for a source exactly."""


@dataclass(slots=True, frozen=True)
class AccountSpan:
    """One span of a source as read back from the output."""

    start: int
    end: int
    label: str
    text: str
    removed: bool
    story: dict[str, Any] | None = None  # the story a kept span belongs to
    duplicate_of: dict[str, Any] | None = None


def same_source(a: str, b: str) -> bool:
    return os.path.normpath(a) == os.path.normpath(b)


def load_account(out: Path) -> dict[str, list[AccountSpan]]:
    """Every source's spans, in source order, from the output directory `out`."""
    sources: dict[str, list[AccountSpan]] = {}
    for story in read_jsonl(out / STORIES_FILE):
        sources.setdefault(story["source"], []).extend(_kept_spans(story))
    for record in read_jsonl(out / REMOVED_FILE):
        sources.setdefault(record["source"], []).append(_removed_span(record))
    for spans in sources.values():
        spans.sort(key=lambda span: span.start)
    return sources


def find_story(out: Path, prefix: str) -> dict[str, Any]:
    """The story of `out` whose id is `prefix` or starts with it; AccountError when no story or
    more than one matches."""
    matches = [story for story in read_jsonl(out / STORIES_FILE) if story["id"].startswith(prefix)]
    if not matches:
        raise AccountError(f"no story {prefix!r} in {out}")
    if len(matches) > 1:
        ids = ", ".join(story["id"] for story in matches[:5])
        raise AccountError(f"{prefix!r} names {len(matches)} stories ({ids}): give more of the id")
    return matches[0]


def story_spans(account: dict[str, list[AccountSpan]], story: dict[str, Any]) -> list[AccountSpan]:
    """The spans, kept or removed, inside a story's place in its source."""
    start, end = story["metadata"]["start"], story["metadata"]["end"]
    return [span for span in account[story["source"]] if start <= span.start < end]


def rebuild(spans: list[AccountSpan], start: int = 0) -> str:
    """The source text from `start` on, from its spans; raises AccountError on a gap or an
    overlap."""
    position = start
    for span in spans:
        if span.start != position:
            kind = "gap" if span.start > position else "overlap"
            raise AccountError(f"{kind} in the account at character {position}")
        if len(span.text) != span.end - span.start:
            raise AccountError(f"span {span.start}:{span.end} holds {len(span.text)} characters")
        position = span.end
    return "".join(span.text for span in spans)


def story_region(story: dict[str, Any], removed: list[dict[str, Any]]) -> str:
    """The source text of a story record's place (`metadata.start` to `end`), rebuilt from
    its kept spans and the removed records inside it."""
    spans = [*_kept_spans(story), *map(_removed_span, removed)]
    return rebuild(sorted(spans, key=lambda span: span.start), story["metadata"]["start"])


def _removed_span(record: dict[str, Any]) -> AccountSpan:
    return AccountSpan(
        start=record["start"],
        end=record["end"],
        label=record["reason"],
        text=record["text"],
        removed=True,
        duplicate_of=record.get("duplicate_of"),
    )


def _kept_spans(story: dict[str, Any]) -> list[AccountSpan]:
    """The kept spans of a story record, their words taken from the story's fields in order
    (a field's text may hold the words of several spans: the lines of a hard-wrapped
    paragraph, joined by a space)."""
    metadata = story["metadata"]
    fields = {
        "body": _BodyReader(story["text"]),
        "title": _BodyReader(metadata.get("title", "")),
        "caption": _BodyReader(" ".join(metadata.get("captions", []))),
        "credit": _BodyReader(" ".join(metadata.get("credits", []))),
    }
    spans = []
    for start, end, label, blank in metadata["spans"]:
        if label not in fields:
            raise AccountError(f"story {story['id']}: no text for its {label} at {start}")
        words = fields[label].take(end - start - len(blank))
        spans.append(AccountSpan(start, end, label, words + blank, removed=False, story=story))
    return spans


class _BodyReader:
    """Reads the words of spans out of a field's text, skipping the blank space between."""

    def __init__(self, text: str):
        self.text = text
        self.position = 0

    def take(self, length: int) -> str:
        while self.position < len(self.text) and is_blank(self.text[self.position]):
            self.position += 1
        words = self.text[self.position : self.position + length]
        self.position += length
        return words
