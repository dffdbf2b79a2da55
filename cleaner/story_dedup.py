"""Stage 2 of a run, the global dedup: which stories are kept and which are copies, from the
signatures of all the run's stories and, with an index, of the stories earlier runs emitted.

Without an index the run's stories are clustered (`cleaner.near_duplicates.cluster`) and the
first of each cluster in keeper order (`cleaner.keeper`) is kept. With one, in rounds:

1. each story is looked up in the index; a story verified against an indexed story of another
   run is a copy of it: that run emitted it already;
2. the other stories are clustered among themselves;
3. the keepers are claimed in the index. A claim fails when another run claimed a story
   sharing a band bucket since the lookup; the clusters of failed claims go back to 1, where
   they meet what that run claimed.

A story the index holds from this same run (a resumed run that claimed it before it was
killed) is no copy of anything, and its claim stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleaner.index import IndexedStory, Lookup, StoryIndex, describe, open_index
from cleaner.keeper import KEEPER_RULES
from cleaner.lsh import band_keys
from cleaner.near_duplicates import Similarity, StoryEntry, StoryRef, best_match, cluster


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """`keep`: the keeper rule (a name of `cleaner.keeper.KEEPER_RULES`); `index`: the
    persistent index (a SQLite file path or a `redis://` URL), None for none."""

    keep: str = "longest"
    index: str | None = None

    def settings(self) -> dict[str, Any]:
        """The options as the report shows them (no password)."""
        return {"keep": self.keep, "index": describe(self.index)}


@dataclass(frozen=True, slots=True)
class Copy:
    """A dropped story: the story kept in its place, and how similar the two are."""

    kept: StoryRef
    similarity: Similarity
    earlier_run: bool = False  # the kept story was emitted by an earlier run


@dataclass(slots=True)
class Decisions:
    """What the final write needs: the dropped stories and the copies of each kept one, by
    story number; and what it took, for the report."""

    dropped: dict[int, Copy] = field(default_factory=dict)
    copies: dict[int, list[tuple[StoryRef, Similarity]]] = field(default_factory=dict)
    candidate_pairs: int = 0
    verified_pairs: int = 0

    def as_json(self, stories: int) -> dict[str, int]:
        earlier = sum(copy.earlier_run for copy in self.dropped.values())
        return {
            "stories": stories,
            "kept": stories - len(self.dropped),
            "duplicates": len(self.dropped) - earlier,
            "duplicates_of_earlier_runs": earlier,
            "candidate_pairs": self.candidate_pairs,
            "verified_pairs": self.verified_pairs,
        }

    def add_cluster(
        self, entries: Sequence[StoryEntry], keeper: int, copies: list[tuple[int, Similarity]]
    ) -> None:
        """Keep the story `keeper`, drop its `copies` (story numbers, with similarities)."""
        for copy, similarity in copies:
            self.dropped[copy] = Copy(entries[keeper].ref, similarity)
            self.copies.setdefault(keeper, []).append((entries[copy].ref, similarity))


Clusters = list[tuple[int, list[tuple[int, Similarity]]]]


def deduplicate(
    entries: Sequence[StoryEntry], options: DedupOptions, run_id: str = ""
) -> Decisions:
    """Decide which of `entries` (the run's stories, by number) are copies of which.

    `run_id` names this run in the index, so that a resumed run knows its own claims.
    """
    decisions = Decisions()
    if options.index is None:
        for keeper, copies in _clusters(decisions, entries, range(len(entries)), options.keep):
            decisions.add_cluster(entries, keeper, copies)
        return decisions
    keys = band_keys([entry.signature for entry in entries])
    index = open_index(options.index)
    try:
        pending = list(range(len(entries)))
        while pending:
            pending = _index_round(decisions, entries, keys, pending, index, options.keep, run_id)
    finally:
        index.close()
    return decisions


def _clusters(
    decisions: Decisions, entries: Sequence[StoryEntry], numbers: Sequence[int], keep: str
) -> Clusters:
    """The clusters of the stories `numbers` as (keeper, copies), in story numbers."""
    clustering = cluster([entries[number] for number in numbers], KEEPER_RULES[keep])
    decisions.candidate_pairs += clustering.candidate_pairs
    decisions.verified_pairs += clustering.verified_pairs
    return [
        (numbers[group.keeper], [(numbers[copy], sim) for copy, sim in group.copies])
        for group in clustering.clusters
    ]


def _index_round(
    decisions: Decisions,
    entries: Sequence[StoryEntry],
    keys: np.ndarray,
    pending: list[int],
    index: StoryIndex,
    keep: str,
    run_id: str,
) -> list[int]:
    """One round of lookup, clustering and claims; the stories to look at again."""
    lookups = dict(zip(pending, index.lookup(keys[pending]), strict=True))
    fresh = []
    for number in pending:
        earlier = [(s.ref, s.signature) for s in lookups[number].stories if s.run != run_id]
        match = best_match(entries[number].signature, earlier)
        if match is None:
            fresh.append(number)
        else:
            decisions.dropped[number] = Copy(*match, earlier_run=True)
    clusters = _clusters(decisions, entries, fresh, keep)
    keepers = [
        keeper
        for keeper, _ in clusters
        if not _claimed_before(entries[keeper], lookups[keeper], run_id)
    ]
    claims = index.claim(
        [IndexedStory(entries[k].ref, entries[k].signature, run_id) for k in keepers],
        keys[keepers],
        [lookups[keeper].seen for keeper in keepers],
    )
    lost = {keeper for keeper, claimed in zip(keepers, claims, strict=True) if not claimed}
    retry = []
    for keeper, copies in clusters:
        if keeper in lost:
            retry += [keeper, *(copy for copy, _ in copies)]
        else:
            decisions.add_cluster(entries, keeper, copies)
    return retry


def _claimed_before(entry: StoryEntry, lookup: Lookup, run_id: str) -> bool:
    """Whether this run claimed the story already (before it was killed and resumed)."""
    return any(story.run == run_id and story.ref.id == entry.ref.id for story in lookup.stories)
