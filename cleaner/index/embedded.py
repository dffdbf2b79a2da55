"""The embedded story index: one SQLite file (the standard library's sqlite3, no server).

    meta(name, value)                  the LAYOUT of the signatures, checked on open
    stories(number, run, ref, signature)
    bands(key, story)                  one row per band key of a story, keyed (key, story)

Band keys are the 64-bit keys of `cleaner.lsh`, stored as signed integers. The file is in
WAL mode, so runs on one machine may share it: a lookup reads one snapshot, a claim checks
and adds in one write transaction (`BEGIN IMMEDIATE`), which SQLite serialises.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import orjson

from cleaner.index import IndexedStory, Lookup, StoryIndexError
from cleaner.lsh import LAYOUT
from cleaner.signature import Signature
from cleaner.story_table import StoryRef

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS stories (number INTEGER PRIMARY KEY, run TEXT NOT NULL, "
    "ref BLOB NOT NULL, signature BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, story INTEGER NOT NULL, "
    "PRIMARY KEY (key, story)) WITHOUT ROWID",
)
BUSY_SECONDS = 600  # how long to wait for another run's write transaction
RETRY_SECONDS = 0.01  # pause between tries to switch a busy file to WAL
QUERY_BATCH = 500  # values bound in one IN (...) query


class EmbeddedIndex:
    """A story index in the SQLite file at `path` (created if missing)."""

    def __init__(self, path: str):
        try:
            self.connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
            _switch_to_wal(self.connection)
            with self._transaction("BEGIN IMMEDIATE"):
                for statement in SCHEMA:
                    self.connection.execute(statement)
                self.connection.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('layout', ?)", (LAYOUT,)
                )
                query = "SELECT value FROM meta WHERE name = 'layout'"
                (layout,) = self.connection.execute(query).fetchone()
        except sqlite3.Error as error:
            raise StoryIndexError(f"{path}: {error}") from error
        if layout != LAYOUT:
            raise StoryIndexError(f"{path} holds signatures made otherwise: {layout}")

    def lookup(self, keys: np.ndarray) -> list[Lookup]:
        rows = keys.view(np.int64).tolist()
        with self._transaction("BEGIN"):  # one snapshot
            members = self._members({key for row in rows for key in row})
            numbers = {number for key_members in members.values() for number in key_members}
            stories = self._stories(numbers)
        lookups = []
        for row in rows:
            found = sorted({number for key in row for number in members.get(key, ())})
            seen = tuple(len(members.get(key, ())) for key in row)
            lookups.append(Lookup([stories[number] for number in found], seen))
        return lookups

    def claim(
        self, stories: Sequence[IndexedStory], keys: np.ndarray, seen: Sequence[tuple[int, ...]]
    ) -> list[bool]:
        rows = keys.view(np.int64).tolist()
        with self._transaction("BEGIN IMMEDIATE"):
            return [
                self._claim_one(story, row, expected)
                for story, row, expected in zip(stories, rows, seen, strict=True)
            ]

    def close(self) -> None:
        self.connection.close()

    def _claim_one(self, story: IndexedStory, row: list[int], seen: tuple[int, ...]) -> bool:
        members = self._members(set(row))
        if tuple(len(members.get(key, ())) for key in row) != seen:
            return False
        cursor = self.connection.execute(
            "INSERT INTO stories (run, ref, signature) VALUES (?, ?, ?)",
            (story.run, orjson.dumps(story.ref.as_json()), story.signature.to_bytes()),
        )
        self.connection.executemany(
            "INSERT OR IGNORE INTO bands VALUES (?, ?)", ((key, cursor.lastrowid) for key in row)
        )
        return True

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        """`begin` ... COMMIT, or ROLLBACK on an error."""
        self.connection.execute(begin)
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def _members(self, keys: Iterable[int]) -> dict[int, list[int]]:
        members: dict[int, list[int]] = {}
        for batch in _batches(sorted(keys)):
            query = f"SELECT key, story FROM bands WHERE key IN ({','.join('?' * len(batch))})"
            for key, story in self.connection.execute(query, batch):
                members.setdefault(key, []).append(story)
        return members

    def _stories(self, numbers: Iterable[int]) -> dict[int, IndexedStory]:
        stories = {}
        for batch in _batches(sorted(numbers)):
            query = (
                "SELECT number, run, ref, signature FROM stories "
                f"WHERE number IN ({','.join('?' * len(batch))})"
            )
            for number, run, ref, signature in self.connection.execute(query, batch):
                stories[number] = IndexedStory(
                    StoryRef(**orjson.loads(ref)), Signature.from_bytes(signature), run
                )
        return stories


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode. SQLite does not wait for a busy file to change its journal
    mode (the busy timeout does not apply), so runs that open a new index at the same moment
    retry here, up to the same BUSY_SECONDS."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(RETRY_SECONDS)


def _batches(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), QUERY_BATCH):
        yield values[start : start + QUERY_BATCH]
