"""The stories of a run as columns: what the dedup of stories holds in memory, about 0.9 KB
a story (1M stories in under 1 GB).

The first stage writes two stage files per story (`cleaner.staging`): a line of
`stories.jsonl` (where the story is, its length, its time) and a row of `signatures.bin`
(its signature, `signature.BYTES` bytes). The dedup loads the signatures as one numpy array
and, as columns, the fields the keeper order compares (`cleaner.keeper`); where a story is
(`StoryRef`, with its path and URL) is read again only for the stories a decision names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaner.signature import BYTES, LEDE_PERM, NUM_PERM, Signature

# uint32 values per signature row: the shingle count, the full sketch, the lede sketch.
ROW_VALUES = BYTES // 4


@dataclass(frozen=True, slots=True)
class StoryRef:
    """Where a story is: its id and its place in its source."""

    id: str
    source: str
    start: int
    end: int
    path: str | None = None
    url: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The fields that are known, for `duplicate_of` and `metadata.duplicates`."""
        fields = {"id": self.id, "source": self.source, "path": self.path, "url": self.url}
        known = {name: value for name, value in fields.items() if value is not None}
        return {**known, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as the first stage describes it to the dedup."""

    ref: StoryRef
    length: int  # characters of the story's text
    created: str | None


# Reads the places of the stories numbered (by position in the table) in a set.
RefReader = Callable[[set[int]], dict[int, StoryRef]]


@dataclass(frozen=True, slots=True)
class StoryTable:
    """n stories, one row each: their signatures and what the keeper order compares.

    `sources` numbers each story's source by its place among the table's sources sorted by
    name, so comparing numbers compares names.
    """

    signatures: np.ndarray  # uint32 (n, ROW_VALUES): shingle count, full sketch, lede sketch
    length: np.ndarray  # int64 (n,)
    created: np.ndarray  # bytes (n,): ISO 8601 time, b"" when unknown
    ids: np.ndarray  # bytes (n,)
    sources: np.ndarray  # int64 (n,)
    starts: np.ndarray  # int64 (n,)
    read_refs: RefReader

    @classmethod
    def of(cls, rows: Sequence[StoryRow], signatures: Sequence[Signature]) -> StoryTable:
        """A table of stories held in memory."""
        refs = [row.ref for row in rows]
        matrix = np.zeros((len(signatures), ROW_VALUES), dtype=np.uint32)
        for number, signature in enumerate(signatures):
            matrix[number] = np.frombuffer(signature.to_bytes(), dtype="<u4")
        columns = Columns()
        for row in rows:
            columns.add(row.ref.id, row.ref.source, row.ref.start, row.length, row.created)
        return columns.table(
            lambda: matrix, lambda numbers: {number: refs[number] for number in numbers}
        )

    def __len__(self) -> int:
        return len(self.length)

    @property
    def shingles(self) -> np.ndarray:
        """(n,) the size of each story's shingle set."""
        return self.signatures[:, 0]

    @property
    def full(self) -> np.ndarray:
        """(n, NUM_PERM) the full sketches."""
        return self.signatures[:, 1 : 1 + NUM_PERM]

    @property
    def lede(self) -> np.ndarray:
        """(n, LEDE_PERM) the lede sketches."""
        return self.signatures[:, 1 + NUM_PERM : 1 + NUM_PERM + LEDE_PERM]

    def signature(self, number: int) -> Signature:
        """The signature of story `number`."""
        row = self.signatures[number]
        return Signature(int(row[0]), self.full[number], self.lede[number])

    def take(self, numbers: Sequence[int] | np.ndarray) -> StoryTable:
        """The stories `numbers`, renumbered from 0 in that order."""
        rows = np.asarray(numbers, dtype=np.int64)
        return StoryTable(
            signatures=self.signatures[rows],
            length=self.length[rows],
            created=self.created[rows],
            ids=self.ids[rows],
            sources=self.sources[rows],
            starts=self.starts[rows],
            read_refs=lambda wanted: _renumbered(self.read_refs, rows, wanted),
        )

    def refs(self, numbers: Iterable[int]) -> dict[int, StoryRef]:
        """Where each of the stories `numbers` is."""
        return self.read_refs(set(numbers))


class Columns:
    """The fields of a table's stories gathered one story at a time, then made columns."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self.ids: list[bytes] = []
        self.sources: list[str] = []
        self.starts: list[int] = []
        self.lengths: list[int] = []
        self.created: list[bytes] = []

    def add(self, id: str, source: str, start: int, length: int, created: str | None) -> None:
        self.ids.append(id.encode())
        self.sources.append(source)
        self.starts.append(start)
        self.lengths.append(length)
        self.created.append(created.encode() if created else b"")

    def table(self, signatures: Callable[[], np.ndarray], read_refs: RefReader) -> StoryTable:
        """The table of the stories added and the (n, ROW_VALUES) signatures `signatures()`
        returns, rows in the same order. The fields become arrays (and the lists of them
        are let go) before the signatures are asked for: a smaller peak of memory."""
        names = {name: number for number, name in enumerate(sorted(set(self.sources)))}
        columns = {
            "length": np.array(self.lengths, dtype=np.int64),
            "created": np.array(self.created, dtype=bytes),
            "ids": np.array(self.ids, dtype=bytes),
            "sources": np.fromiter(map(names.__getitem__, self.sources), np.int64),
            "starts": np.array(self.starts, dtype=np.int64),
        }
        del names
        self._clear()
        rows = signatures().reshape(-1, ROW_VALUES)
        return StoryTable(signatures=rows, read_refs=read_refs, **columns)


def _renumbered(read_refs: RefReader, rows: np.ndarray, wanted: set[int]) -> dict[int, StoryRef]:
    refs = read_refs({int(rows[number]) for number in wanted})
    return {number: refs[int(rows[number])] for number in wanted}
