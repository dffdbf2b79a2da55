"""One story as a person reads it: its title, date and dateline, its text, its captions and
credits, then where it came from and where its dropped copies were."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def render_story(story: dict[str, Any]) -> Iterator[str]:
    """The lines of one story record of `stories.jsonl`."""
    metadata = story["metadata"]
    if "title" in metadata:
        yield metadata["title"]
        yield "=" * min(len(metadata["title"]), 80)
    about = [story.get("created"), metadata.get("dateline")]
    if any(about):
        yield " · ".join(part for part in about if part)
    yield ""
    yield story["text"]
    yield from _listed("Captions", metadata.get("captions", []))
    yield from _listed("Credits", metadata.get("credits", []))
    yield ""
    yield f"story {story['id']}"
    yield f"  source  {story['source']} {_place(metadata)}"
    yield f"  path    {metadata['path']}"
    if "url" in metadata:
        yield f"  url     {metadata['url']}"
    duplicates = metadata.get("duplicates", [])
    yield f"  copies  {len(duplicates)}" + (" dropped:" if duplicates else "")
    for copy in duplicates:
        yield (
            f"    {copy['id']} at {copy['source']} {_place(copy)}"
            f" (similarity {copy['similarity']:.2f}, containment {copy['containment']:.2f})"
        )


def _listed(heading: str, items: list[str]) -> Iterator[str]:
    if items:
        yield ""
        yield f"{heading}:"
        yield from (f"  - {item}" for item in items)


def _place(record: dict[str, Any]) -> str:
    return f"{record['start']}–{record['end']}"
