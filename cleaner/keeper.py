"""Which copy of a story is kept: a total order on stories, the first of a cluster is kept.

The order uses only what the stories are (their text, publication time, id and place), never
the order of the inputs, so the same copy is kept whatever the order or `--jobs`:

- `longest` (the default): the longest text, then the earliest `created` (a story with no
  `created` comes after every dated one), then the smallest id, then the smallest source
  and start;
- `earliest`: the earliest `created`, then the longest text, then as above.

Times are compared as the ISO 8601 strings the stories carry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cleaner.near_duplicates import StoryEntry

KeeperRule = Callable[[StoryEntry], tuple[Any, ...]]


def longest_first(entry: StoryEntry) -> tuple[Any, ...]:
    """The keeper order of `--keep longest`."""
    return (-entry.length, _created(entry), *_place(entry))


def earliest_first(entry: StoryEntry) -> tuple[Any, ...]:
    """The keeper order of `--keep earliest`."""
    return (_created(entry), -entry.length, *_place(entry))


KEEPER_RULES: dict[str, KeeperRule] = {"longest": longest_first, "earliest": earliest_first}


def _created(entry: StoryEntry) -> tuple[bool, str]:
    return (entry.created is None, entry.created or "")


def _place(entry: StoryEntry) -> tuple[str, str, int]:
    return (entry.ref.id, entry.ref.source, entry.ref.start)
