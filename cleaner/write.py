"""Write a run's output: `stories.jsonl`, `removed.jsonl` and `report.json`.

Records are in the shape datatrove, Dolma and NeMo Curator read unchanged: `id`, `text`,
`source`, `created`/`added` when known (never null), and everything else in `metadata`.
Each file is written under a temporary name and renamed when complete, so a reader never
sees half a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from cleaner.model import SCHEMA_VERSION, Span, Story

STORIES_FILE = "stories.jsonl"
REMOVED_FILE = "removed.jsonl"
REPORT_FILE = "report.json"


def story_id(text: str) -> str:
    """A stable id from the story's text: the same text always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def story_record(story: Story) -> dict[str, Any]:
    """The JSON record of one story."""
    document = story.document
    metadata: dict[str, Any] = {}
    for key, value in (("title", story.title), ("dateline", story.dateline)):
        if value:
            metadata[key] = value
    metadata["captions"] = story.captions
    metadata["credits"] = story.credits
    if document.url:
        metadata["url"] = document.url
    metadata["path"] = document.path
    if document.record is not None:
        metadata["record"] = document.record
    metadata["sha256"] = document.sha256
    metadata["start"] = story.start
    metadata["end"] = story.end
    metadata["duplicates"] = []
    metadata["spans"] = [kept_span_entry(span) for span in story.spans]
    metadata["schema_version"] = SCHEMA_VERSION
    record: dict[str, Any] = {
        "id": story_id(story.text),
        "text": story.text,
        "source": document.source,
    }
    if story.created:
        record["created"] = story.created
    if document.added:
        record["added"] = document.added
    record["metadata"] = metadata
    return record


def kept_span_entry(span: Span) -> list[Any]:
    """`[start, end, label, blank]`: a kept span, and the blank space that closes it.

    The span's words are in the story's fields (`text`, `title`, `captions`, `credits`);
    the blank space after them is kept here so the source can be rebuilt exactly.
    """
    content = span.text.rstrip()
    return [span.start, span.end, str(span.label), span.text[len(content) :]]


def removed_record(span: Span, source: str) -> dict[str, Any]:
    """The JSON record of one removed span."""
    record: dict[str, Any] = {
        "source": source,
        "start": span.start,
        "end": span.end,
        "reason": str(span.label),
        "text": span.text,
    }
    if span.duplicate_of is not None:
        record["duplicate_of"] = {
            "source": source,
            "start": span.duplicate_of[0],
            "end": span.duplicate_of[1],
        }
    return record


class JsonlWriter:
    """Appends records to `path` under a temporary name; `close()` renames it into place."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.file = self.partial.open("wb")

    def write(self, record: dict[str, Any]) -> None:
        self.file.write(orjson.dumps(record) + b"\n")

    def close(self) -> None:
        self.file.close()
        os.replace(self.partial, self.path)


def write_json(path: Path, value: Any) -> None:
    """Write `value` as indented JSON, atomically."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    os.replace(partial, path)


def read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open("rb") as file:
        for line in file:
            if line.strip():
                yield orjson.loads(line)
