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

from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field
from typing import Any

import numpy as np

from cleaner.index import IndexedStory, Lookup, StoryIndex, describe, open_index
from cleaner.keeper import KEEPER_RULES
from cleaner.lsh import key_matrix
from cleaner.near_duplicates import Similarity, best_match, cluster
from cleaner.story_table import StoryRef, StoryTable


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

    def records(self) -> Iterator[dict[str, Any]]:
        """The decisions as JSON records, for the file the final write reads them from."""
        for number, copy in sorted(self.dropped.items()):
            yield {
                "story": number,
                "kept": copy.kept.as_json(),
                "similarity": astuple(copy.similarity),
                "earlier_run": copy.earlier_run,
            }
        for number, copies in sorted(self.copies.items()):
            listed = [[ref.as_json(), astuple(similarity)] for ref, similarity in copies]
            yield {"story": number, "copies": listed}

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> Decisions:
        """The decisions `records` wrote (without the counts of pairs, which the report
        has)."""
        decisions = cls()
        for record in records:
            if "kept" in record:
                decisions.dropped[record["story"]] = Copy(
                    StoryRef(**record["kept"]),
                    Similarity(*record["similarity"]),
                    record["earlier_run"],
                )
            else:
                decisions.copies[record["story"]] = [
                    (StoryRef(**ref), Similarity(*similarity))
                    for ref, similarity in record["copies"]
                ]
        return decisions

    def add_clusters(self, table: StoryTable, clusters: Clusters) -> None:
        """Keep each cluster's keeper and drop its copies (story numbers of `table`)."""
        named = {number for keeper, copies in clusters for number in (keeper, *dict(copies))}
        refs = table.refs(named)
        for keeper, copies in clusters:
            for copy, similarity in copies:
                self.dropped[copy] = Copy(refs[keeper], similarity)
                self.copies.setdefault(keeper, []).append((refs[copy], similarity))


# (keeper, its copies with their similarity), in story numbers.
Clusters = list[tuple[int, list[tuple[int, Similarity]]]]


def deduplicate(table: StoryTable, options: DedupOptions, run_id: str = "") -> Decisions:
    """Decide which of the stories of `table` (the run's stories, by number) are copies of
    which.

    `run_id` names this run in the index, so that a resumed run knows its own claims.
    """
    decisions = Decisions()
    if options.index is None:
        _, copies = _clusters(decisions, table, np.arange(len(table)), options.keep)
        decisions.add_clusters(table, copies)
        return decisions
    keys = key_matrix(table.full, table.lede)
    refs = table.refs(range(len(table)))
    index = open_index(options.index)
    try:
        pending = np.arange(len(table))
        while len(pending):
            pending = _index_round(
                decisions, _Round(table, keys, refs, index, options.keep, run_id), pending
            )
    finally:
        index.close()
    return decisions


def _clusters(
    decisions: Decisions, table: StoryTable, numbers: np.ndarray, keep: str
) -> tuple[list[int], Clusters]:
    """The keepers of the stories `numbers` of `table`, in keeper order, and the clusters
    with copies, in story numbers."""
    every = len(numbers) == len(table) and bool((numbers == np.arange(len(table))).all())
    part = table if every else table.take(numbers)
    order = KEEPER_RULES[keep](part)
    clustering = cluster(part, order)
    decisions.candidate_pairs += clustering.candidate_pairs
    decisions.verified_pairs += clustering.verified_pairs
    copied = {copy for copies in clustering.copies.values() for copy, _ in copies}
    keepers = [int(numbers[story]) for story in order if story not in copied]
    clusters = [
        (int(numbers[keeper]), [(int(numbers[copy]), sim) for copy, sim in copies])
        for keeper, copies in clustering.copies.items()
    ]
    return keepers, clusters


@dataclass(frozen=True, slots=True)
class _Round:
    """What every round of a run with an index works with."""

    table: StoryTable
    keys: np.ndarray  # (n, BANDS) band keys
    refs: dict[int, StoryRef]
    index: StoryIndex
    keep: str
    run_id: str

    def indexed(self, number: int) -> IndexedStory:
        return IndexedStory(self.refs[number], self.table.signature(number), self.run_id)


def _index_round(decisions: Decisions, job: _Round, pending: np.ndarray) -> np.ndarray:
    """One round of lookup, clustering and claims; the stories to look at again."""
    lookups = dict(zip(pending.tolist(), job.index.lookup(job.keys[pending]), strict=True))
    fresh = []
    for number, lookup in lookups.items():
        earlier = [(s.ref, s.signature) for s in lookup.stories if s.run != job.run_id]
        match = best_match(job.table.signature(number), earlier)
        if match is None:
            fresh.append(number)
        else:
            decisions.dropped[number] = Copy(*match, earlier_run=True)
    keepers, clusters = _clusters(decisions, job.table, np.array(fresh, np.int64), job.keep)
    claiming = [k for k in keepers if not _claimed_before(job.refs[k], lookups[k], job.run_id)]
    claims = job.index.claim(
        [job.indexed(keeper) for keeper in claiming],
        job.keys[claiming],
        [lookups[keeper].seen for keeper in claiming],
    )
    lost = {keeper for keeper, claimed in zip(claiming, claims, strict=True) if not claimed}
    retry = [keeper for keeper in keepers if keeper in lost]
    for keeper, copies in clusters:
        if keeper in lost:
            retry += [copy for copy, _ in copies]
    decisions.add_clusters(job.table, [cluster for cluster in clusters if cluster[0] not in lost])
    return np.array(sorted(retry), dtype=np.int64)


def _claimed_before(ref: StoryRef, lookup: Lookup, run_id: str) -> bool:
    """Whether this run claimed the story already (before it was killed and resumed)."""
    return any(story.run == run_id and story.ref.id == ref.id for story in lookup.stories)
