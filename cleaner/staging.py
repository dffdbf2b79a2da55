"""The files a run's stages hand each other, in `OUT/.stage/` (removed once the output is
written). The first stage writes, for each shard of the inputs (`Shard`: the whole of them
in a run on one machine), in `OUT/.stage/RANK-of-WORLD/`:

- `documents.jsonl`: one line per cleaned document, `{"stories": [...], "removed": [...]}`,
  the records of `stories.jsonl` and `removed.jsonl` as the document alone makes them;
- `stories.jsonl`: one line per story, in the same order: where the story is, its length
  and time;
- `signatures.bin`: one row per story, in the same order: its signature
  (`Signature.to_bytes`, `signature.BYTES` bytes).

The dedup reads the last two of every shard only (`read_table`), the final write each
shard's `documents.jsonl` again, with the dedup's decisions. Stories are known across stages
by their number: their place in the shards' `stories.jsonl` and `signatures.bin` taken in
rank order, from 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import orjson

from cleaner.model import DocumentResult
from cleaner.signature import Signature
from cleaner.story_table import Columns, StoryRef, StoryTable
from cleaner.write import jsonl_line, read_jsonl, removed_record, story_record

STAGE_DIR = ".stage"
SHARD_NAME = re.compile(r"(\d{5})-of-(\d{5})")
DECISIONS_FILE = f"{STAGE_DIR}/decisions.jsonl"  # the dedup's, for the final write
DEDUP_REPORT_FILE = f"{STAGE_DIR}/dedup.json"  # the dedup's counts and time

T = TypeVar("T")


class StageError(Exception):
    """The stage files of a run are not all there."""


@dataclass(frozen=True, slots=True)
class StageFiles:
    """A shard's stage files, as paths relative to the output directory."""

    documents: str
    stories: str
    signatures: str

    def __iter__(self) -> Iterator[str]:
        return iter((self.documents, self.stories, self.signatures))


@dataclass(frozen=True, slots=True, order=True)
class Shard:
    """Part `rank` (from 0) of `world_size` of a run's inputs.

    A shard holds a contiguous run of the input files, so the shards taken in rank order
    hold the inputs in their order:

    >>> [Shard(rank, 3).take(list("abcdefg")) for rank in range(3)]
    [['a', 'b'], ['c', 'd'], ['e', 'f', 'g']]
    """

    rank: int = 0
    world_size: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.rank < self.world_size:
            raise ValueError(f"rank {self.rank} is not in 0..{self.world_size - 1}")

    def take(self, items: Sequence[T]) -> list[T]:
        count = len(items)
        first = self.rank * count // self.world_size
        return list(items[first : (self.rank + 1) * count // self.world_size])

    @property
    def directory(self) -> str:
        return f"{STAGE_DIR}/{self.rank:05d}-of-{self.world_size:05d}"

    @property
    def files(self) -> StageFiles:
        return StageFiles(
            f"{self.directory}/documents.jsonl",
            f"{self.directory}/stories.jsonl",
            f"{self.directory}/signatures.bin",
        )


def shard_report_file(shard: Shard) -> str:
    """Where a shard run on its own keeps its counts (`RunReport.state`) for `merge`."""
    return f"{shard.directory}/report.json"


def shard_output_files(shard: Shard) -> tuple[str, str, str]:
    """Where a shard run on its own puts its final stories, removed spans and errors, for
    `merge` to put together."""
    final = f"{shard.directory}/final"
    return f"{final}-stories.jsonl", f"{final}-removed.jsonl", f"{final}-errors.jsonl"


def shards(directory: Path) -> list[Shard]:
    """The shards staged in `directory`, in rank order; all of them, or `StageError`."""
    found = sorted(
        Shard(int(match[1]), int(match[2]))
        for path in (directory / STAGE_DIR).glob("*-of-*")
        if (match := SHARD_NAME.fullmatch(path.name))
    )
    if not found:
        raise StageError(f"{directory} holds no staged documents")
    world_size = found[0].world_size
    if found != [Shard(rank, world_size) for rank in range(world_size)]:
        raise StageError(f"{directory} does not hold the first stage of every shard")
    return found


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
    staged = [shard.files for shard in shards(directory)]
    paths = [directory / files.stories for files in staged]
    columns = Columns()
    for path in paths:
        for record in read_jsonl(path):
            created = record.get("created")
            columns.add(record["id"], record["source"], record["start"], record["length"], created)

    def signatures() -> np.ndarray:
        parts = [np.fromfile(directory / files.signatures, dtype="<u4") for files in staged]
        return (parts[0] if len(parts) == 1 else np.concatenate(parts)).astype(
            np.uint32, copy=False
        )

    return columns.table(signatures, partial(_read_refs, paths))


def first_story(directory: Path, shard: Shard) -> int:
    """The number of the first story of `shard`: the stories of the shards before it."""
    return sum(
        _line_count(directory / Shard(rank, shard.world_size).files.stories)
        for rank in range(shard.rank)
    )


def read_documents(directory: Path, shard: Shard) -> Iterator[dict[str, Any]]:
    """Every cleaned document of `shard`, in input order."""
    with (directory / shard.files.documents).open("rb") as file:
        for line in file:
            yield orjson.loads(line)


def _line_count(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


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


def _read_refs(paths: list[Path], numbers: set[int]) -> dict[int, StoryRef]:
    """The places of the stories `numbers`, read from the shards' `stories.jsonl` again."""
    refs: dict[int, StoryRef] = {}
    number = 0
    for path in paths if numbers else ():
        with path.open("rb") as file:
            for line in file:
                if number in numbers:
                    refs[number] = _ref(orjson.loads(line))
                number += 1
    return refs
