"""The files a run's stages hand each other, in `OUT/.stage/` (removed once the output is
written):

- `documents.jsonl`: one line per cleaned document, `{"stories": [...], "removed": [...]}`,
  the records of `stories.jsonl` and `removed.jsonl` as the document alone makes them;
- `stories.jsonl`: one line per story, in the same order: where the story is, its length
  and time;
- `signatures.bin`: one row per story, in the same order: its signature
  (`Signature.to_bytes`, `signature.BYTES` bytes).

The dedup reads the last two only (`read_table`), the final write `documents.jsonl` again,
with the dedup's decisions. Stories are known across stages by their number: their place in
`stories.jsonl` and `signatures.bin`, from 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from cleaner.model import DocumentResult
from cleaner.signature import Signature
from cleaner.story_table import ROW_VALUES, StoryRef, StoryRow, StoryTable
from cleaner.write import jsonl_line, read_jsonl, removed_record, story_record

STAGE_DIR = ".stage"
DOCUMENTS_FILE = f"{STAGE_DIR}/documents.jsonl"
STAGED_STORIES_FILE = f"{STAGE_DIR}/stories.jsonl"
SIGNATURES_FILE = f"{STAGE_DIR}/signatures.bin"
# The files the first stage appends to.
STAGE_FILES = (DOCUMENTS_FILE, STAGED_STORIES_FILE, SIGNATURES_FILE)


def stage_lines(
    result: DocumentResult, signatures: list[Signature]
) -> tuple[bytes, list[bytes], bytes]:
    """The `documents.jsonl` line, the `stories.jsonl` lines and the `signatures.bin` rows
    of one cleaned document.

    Raises `orjson.JSONEncodeError` for a document whose text cannot be written.
    """
    source = result.document.source
    stories = [story_record(story) for story in result.stories]
    removed = [removed_record(span, source) for span in result.removed]
    return (
        jsonl_line({"stories": stories, "removed": removed}),
        [jsonl_line(_story_line(story)) for story in stories],
        b"".join(signature.to_bytes() for signature in signatures),
    )


def read_table(directory: Path) -> StoryTable:
    """The dedup's table of every story staged in `directory`, in story number order."""
    path = directory / STAGED_STORIES_FILE
    rows = (_row(record) for record in read_jsonl(path))
    # The rows first, the signatures once the rows' passing objects are gone: a smaller peak.
    table = StoryTable.from_columns(np.zeros(0, np.uint32), rows, partial(_read_refs, path))
    signatures = np.fromfile(directory / SIGNATURES_FILE, dtype="<u4").astype(np.uint32, copy=False)
    return replace(table, signatures=signatures.reshape(-1, ROW_VALUES))


def read_documents(directory: Path) -> Iterator[dict[str, Any]]:
    """Every cleaned document's records, in input order."""
    with (directory / DOCUMENTS_FILE).open("rb") as file:
        for line in file:
            yield orjson.loads(line)


def _story_line(story: dict[str, Any]) -> dict[str, Any]:
    metadata = story["metadata"]
    record = {
        "id": story["id"],
        "source": story["source"],
        "path": metadata["path"],
        "url": metadata.get("url"),
        "start": metadata["start"],
        "end": metadata["end"],
        "length": len(story["text"]),
        "created": story.get("created"),
    }
    return {name: value for name, value in record.items() if value is not None}


def _ref(record: dict[str, Any]) -> StoryRef:
    return StoryRef(
        id=record["id"],
        source=record["source"],
        start=record["start"],
        end=record["end"],
        path=record["path"],
        url=record.get("url"),
    )


def _row(record: dict[str, Any]) -> StoryRow:
    return StoryRow(_ref(record), record["length"], record.get("created"))


def _read_refs(path: Path, numbers: set[int]) -> dict[int, StoryRef]:
    """The places of the stories `numbers`, read from `stories.jsonl` again."""
    refs = {}
    if not numbers:
        return refs
    with path.open("rb") as file:
        for number, line in enumerate(file):
            if number in numbers:
                refs[number] = _ref(orjson.loads(line))
    return refs
