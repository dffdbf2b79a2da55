"""How the dedup's decisions show in the output: stage 3 of a run, the final write, turns a
document's staged records into its final ones.

- A kept story lists its copies in `metadata.duplicates`, ordered by source and start: where
  each was (`id`, `source`, `path`, `url`, `start`, `end`) and how alike the two are
  (`similarity`, the estimated Jaccard similarity of their shingle sets, and `containment`).
- A dropped copy leaves `stories.jsonl` and becomes one `story-duplicate` span of
  `removed.jsonl` over its whole place in its source (the removed spans inside it included),
  with `duplicate_of` (the kept story: `id`, `source`, `path`, `url`, `start`, `end`) and the
  same two measures. The account stays whole: `cleaner diff --rebuild` still rebuilds every
  source from the two files.
"""

from __future__ import annotations

from typing import Any

from cleaner.account import story_region
from cleaner.model import Reason
from cleaner.near_duplicates import Similarity
from cleaner.story_dedup import Copy, Decisions
from cleaner.story_table import StoryRef

Record = dict[str, Any]


def final_records(
    document: Record, first: int, decisions: Decisions
) -> tuple[list[Record], list[Record]]:
    """The story and removed records of a staged document whose first story is story
    number `first`, as `stories.jsonl` and `removed.jsonl` hold them."""
    stories, removed = [], document["removed"]
    for number, story in enumerate(document["stories"], start=first):
        copy = decisions.dropped.get(number)
        if copy is None:
            story["metadata"]["duplicates"] = _duplicates(decisions.copies.get(number, []))
            stories.append(story)
        else:
            removed = _drop(story, removed, copy)
    return stories, sorted(removed, key=lambda record: record["start"])


def _duplicates(copies: list[tuple[StoryRef, Similarity]]) -> list[Record]:
    entries = [{**ref.as_json(), **similarity.as_json()} for ref, similarity in copies]
    return sorted(entries, key=lambda entry: (entry["source"], entry["start"]))


def _drop(story: Record, removed: list[Record], copy: Copy) -> list[Record]:
    """`removed` with the story's place as one story-duplicate span instead of the removed
    spans inside it."""
    start, end = story["metadata"]["start"], story["metadata"]["end"]
    inside = [record for record in removed if start <= record["start"] < end]
    duplicate = {
        "source": story["source"],
        "start": start,
        "end": end,
        "reason": str(Reason.STORY_DUPLICATE),
        "text": story_region(story, inside),
        "duplicate_of": copy.kept.as_json(),
        **copy.similarity.as_json(),
    }
    return [record for record in removed if not start <= record["start"] < end] + [duplicate]
