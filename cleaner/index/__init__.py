"""The persistent story index: the signatures of every story emitted by earlier runs, so that
a later run emits only stories it has not seen.

`open_index(location)` opens an embedded index, a SQLite file at a path (no server), or, for
`redis://host:port/db`, one on a Redis server that several machines can share. Both keep, for
each story emitted, its place (`StoryRef`), its signature and the id of the run that emitted
it, and for each LSH band key the stories that have it (`cleaner.lsh`).

A run looks its stories up (`lookup`), verifies the candidates (`cleaner.near_duplicates`),
and claims the ones it will emit (`claim`). A claim is a compare-and-set: it succeeds only if
the story's band buckets still hold what the lookup saw. When another run has claimed a story
sharing a bucket in between, the claim fails and the run looks again, so two runs never both
emit the same story, whatever their timing. Indexes are append-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from cleaner.signature import Signature
from cleaner.story_table import StoryRef


class StoryIndexError(Exception):
    """The index cannot be used: unreachable, or made with other signatures."""


@dataclass(frozen=True, slots=True)
class IndexedStory:
    """A story of the index: where it is, its signature, and the run that claimed it."""

    ref: StoryRef
    signature: Signature
    run: str


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the index holds for one story: the stories that share a band bucket with it, and
    the state of its buckets (`seen`, the index's own token) for a later `claim`."""

    stories: list[IndexedStory]
    seen: Any


class StoryIndex(Protocol):
    """An index of stories by their band keys (see the module docstring)."""

    def lookup(self, keys: np.ndarray) -> list[Lookup]:
        """For each row of `keys` ((n, BANDS) band keys of n stories), what the index holds."""
        ...

    def claim(
        self, stories: Sequence[IndexedStory], keys: np.ndarray, seen: Sequence[Any]
    ) -> list[bool]:
        """Add each story unless its buckets changed since `seen`; True where it was added."""
        ...

    def close(self) -> None: ...


def open_index(location: str) -> StoryIndex:
    """The index at `location`: `redis://...` for Redis, anything else a SQLite file path."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        from cleaner.index.redis import RedisIndex  # redis-py is only needed for this

        return RedisIndex(location)
    from cleaner.index.embedded import EmbeddedIndex

    return EmbeddedIndex(location)


def describe(location: str | None) -> str | None:
    """`location` as a report may show it: a Redis URL without its password."""
    if location is None or "@" not in location:
        return location
    scheme, rest = location.split("://", 1)
    return f"{scheme}://{rest.rsplit('@', 1)[1]}"
