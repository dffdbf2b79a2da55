"""Which copy of a story is kept: a total order on stories, the first of a cluster is kept.

The order uses only what the stories are (their text, publication time, id and place), never
the order of the inputs, so the same copy is kept whatever the order or `--jobs`:

- `longest` (the default): the longest text, then the earliest `created` (a story with no
  `created` comes after every dated one), then the smallest id, then the smallest source
  and start;
- `earliest`: the earliest `created`, then the longest text, then as above.

Times are compared as the ISO 8601 strings the stories carry. The order is computed over the
columns of a `StoryTable` with one `numpy.lexsort`.

    >>> from cleaner.signature import sign
    >>> from cleaner.story_table import StoryRef, StoryRow, StoryTable
    >>> rows = [StoryRow(StoryRef("b", "x.txt", 0, 9), 9, None),
    ...         StoryRow(StoryRef("a", "y.txt", 0, 5), 5, "2025-08-23"),
    ...         StoryRow(StoryRef("c", "z.txt", 0, 9), 9, "2025-08-24")]
    >>> table = StoryTable.of(rows, [sign("one two three")] * 3)
    >>> longest_first(table).tolist(), earliest_first(table).tolist()
    ([2, 0, 1], [1, 2, 0])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cleaner.story_table import StoryTable

KeeperRule = Callable[[StoryTable], np.ndarray]


def longest_first(table: StoryTable) -> np.ndarray:
    """The story numbers of `table` in the keeper order of `--keep longest`."""
    undated, created = _created(table)
    return np.lexsort((*_place(table), created, undated, -table.length))


def earliest_first(table: StoryTable) -> np.ndarray:
    """The story numbers of `table` in the keeper order of `--keep earliest`."""
    undated, created = _created(table)
    return np.lexsort((*_place(table), -table.length, created, undated))


KEEPER_RULES: dict[str, KeeperRule] = {"longest": longest_first, "earliest": earliest_first}


def _created(table: StoryTable) -> tuple[np.ndarray, np.ndarray]:
    return table.created == b"", table.created


def _place(table: StoryTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The last keys first, as `numpy.lexsort` takes them: start, source, id."""
    return table.starts, table.sources, table.ids
