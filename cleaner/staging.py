"""The files a run's stages hand each other, in `OUT/.stage/` (removed once the output is
written):

- `documents.jsonl`: one line per cleaned document, `{"stories": [...], "removed": [...]}`,
  the records of `stories.jsonl` and `removed.jsonl` as the document alone makes them;
- `signatures.jsonl`: one line per story, in the same order: where the story is, its length
  and time, and its signature (base64) — all that the dedup stage reads.

The final write reads `documents.jsonl` again, with the dedup's decisions. Stories are known
across stages by their number: their place in `signatures.jsonl`, from 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from cleaner.model import DocumentResult
from cleaner.near_duplicates import StoryEntry, StoryRef
from cleaner.signature import Signature
from cleaner.write import jsonl_line, read_jsonl, removed_record, story_record

STAGE_DIR = ".stage"
DOCUMENTS_FILE = f"{STAGE_DIR}/documents.jsonl"
SIGNATURES_FILE = f"{STAGE_DIR}/signatures.jsonl"


def stage_lines(result: DocumentResult, signatures: list[Signature]) -> tuple[bytes, list[bytes]]:
    """The `documents.jsonl` line and the `signatures.jsonl` lines of one cleaned document.

    Raises `orjson.JSONEncodeError` for a document whose text cannot be written.
    """
    source = result.document.source
    stories = [story_record(story) for story in result.stories]
    removed = [removed_record(span, source) for span in result.removed]
    signed = zip(stories, signatures, strict=True)
    return (
        jsonl_line({"stories": stories, "removed": removed}),
        [jsonl_line(_signature_record(story, signature)) for story, signature in signed],
    )


def read_entries(directory: Path) -> list[StoryEntry]:
    """Every story's entry for the dedup, in story number order."""
    return [_entry(record) for record in read_jsonl(directory / SIGNATURES_FILE)]


def read_documents(directory: Path) -> Iterator[dict[str, Any]]:
    """Every cleaned document's records, in input order."""
    with (directory / DOCUMENTS_FILE).open("rb") as file:
        for line in file:
            yield orjson.loads(line)


def _signature_record(story: dict[str, Any], signature: Signature) -> dict[str, Any]:
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
        "signature": signature.to_text(),
    }
    return {name: value for name, value in record.items() if value is not None}


def _entry(record: dict[str, Any]) -> StoryEntry:
    ref = StoryRef(
        id=record["id"],
        source=record["source"],
        start=record["start"],
        end=record["end"],
        path=record["path"],
        url=record.get("url"),
    )
    signature = Signature.from_text(record["signature"])
    return StoryEntry(ref, record["length"], record.get("created"), signature)
