"""Write a run's output: `stories.jsonl`, `removed.jsonl`, `errors.jsonl` and `report.json`.

Records are in the shape datatrove, Dolma and NeMo Curator read unchanged: `id`, `text`,
`source`, `created`/`added` when known (never null), and everything else in `metadata`.
Each file is written under a temporary name and renamed when complete, so a reader never
sees half a file; a resumed run cuts the temporary file back to its last checkpoint and
appends (see `cleaner.resume`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from cleaner.blocks import strip_blank_end
from cleaner.model import SCHEMA_VERSION, InputError, Span, Story

STORIES_FILE = "stories.jsonl"
REMOVED_FILE = "removed.jsonl"
ERRORS_FILE = "errors.jsonl"
REPORT_FILE = "report.json"
PARTIAL_SUFFIX = ".partial"


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
    if document.input_id is not None:
        metadata["input_id"] = document.input_id
    if document.encoding:
        metadata["encoding"] = document.encoding
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
    content = strip_blank_end(span.text)
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


def error_record(error: InputError) -> dict[str, Any]:
    """The JSON record of one input that failed: where, at which stage, and why."""
    record: dict[str, Any] = {"path": error.path}
    if error.record is not None:
        record["record"] = error.record
    record["stage"] = error.stage
    record["reason"] = error.reason
    return record


def jsonl_line(record: dict[str, Any]) -> bytes:
    return orjson.dumps(record) + b"\n"


class JsonlWriter:
    """Appends lines to `path` under a temporary name; `close()` renames it into place.

    With `resume_at`, the temporary file of an interrupted run is cut back to that many bytes
    and appended to; `offset` is always the number of bytes written so far.
    """

    def __init__(self, path: Path, resume_at: int | None = None):
        self.path = path
        self.partial = partial_path(path)
        if resume_at is None:
            self.file: BinaryIO = self.partial.open("wb")
        else:
            self.file = self.partial.open("r+b")
            self.file.truncate(resume_at)
            self.file.seek(resume_at)
        self.offset = self.file.tell()

    def write(self, line: bytes) -> None:
        self.file.write(line)
        self.offset += len(line)

    def sync(self) -> None:
        """Make what was written durable: it survives a crash of the machine, too."""
        self.file.flush()
        os.fsync(self.file.fileno())

    def close(self) -> None:
        self.sync()
        self.file.close()
        os.replace(self.partial, self.path)


class StreamWriter:
    """Writes lines to an open stream (standard output for `-o -`)."""

    def __init__(self, stream: BinaryIO):
        self.file = stream
        self.offset = 0

    def write(self, line: bytes) -> None:
        self.file.write(line)
        self.offset += len(line)

    def sync(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.file.flush()


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL_SUFFIX)


def write_json(path: Path, value: Any) -> None:
    """Write `value` as indented JSON, atomically."""
    partial = partial_path(path)
    partial.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    os.replace(partial, path)


def read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open("rb") as file:
        for line in file:
            if line.strip():
                yield orjson.loads(line)
