"""A whole run: read every input, clean each document, write the output and the report."""

from __future__ import annotations

import platform
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from cleaner.model import DocumentResult, InputError
from cleaner.pipeline import clean_document
from cleaner.read import InputFailure, expand_inputs, read_documents
from cleaner.write import (
    REMOVED_FILE,
    REPORT_FILE,
    STORIES_FILE,
    JsonlWriter,
    removed_record,
    story_record,
    write_json,
)


def clean(inputs: list[str]) -> Iterator[DocumentResult | InputError]:
    """Clean every document of `inputs` (files or directories), in input order.

    Yields one `DocumentResult` per document, or an `InputError` for an input that could not
    be read; an error never stops the others.
    """
    for item in expand_inputs(inputs):
        if isinstance(item, InputFailure):
            yield InputError(item.path, item.stage, item.reason)
            continue
        try:
            documents = read_documents(item)
        except InputFailure as failure:
            yield InputError(failure.path, failure.stage, failure.reason)
            continue
        for document in documents:
            yield clean_document(document)


@dataclass
class RunReport:
    """What a run did, for `report.json`."""

    inputs: list[str]
    documents: int = 0
    stories: int = 0
    characters: int = 0
    kept_characters: int = 0
    removed_characters: Counter = field(default_factory=Counter)
    removed_spans: Counter = field(default_factory=Counter)
    errors: list[InputError] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        self.stories += len(result.stories)
        self.characters += len(result.document.text)
        for story in result.stories:
            self.kept_characters += sum(span.end - span.start for span in story.spans)
        for span in result.removed:
            self.removed_characters[str(span.label)] += span.end - span.start
            self.removed_spans[str(span.label)] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "documents": self.documents,
            "stories": self.stories,
            "failed_inputs": len(self.errors),
            "characters": {
                "total": self.characters,
                "kept": self.kept_characters,
                "removed": sum(self.removed_characters.values()),
                "removed_by_reason": dict(sorted(self.removed_characters.items())),
            },
            "removed_spans_by_reason": dict(sorted(self.removed_spans.items())),
            "errors": [{"path": e.path, "stage": e.stage, "reason": e.reason} for e in self.errors],
            "timings": {
                "seconds": round(self.seconds, 3),
                "documents_per_second": round(self.documents / self.seconds, 1)
                if self.seconds
                else None,
            },
            "versions": _versions(),
        }


def run(inputs: list[str], out: Path) -> RunReport:
    """Clean `inputs` into the directory `out`; return the report also written there.

    Errors are reported on stderr as they happen and listed in the report.
    """
    out.mkdir(parents=True, exist_ok=True)
    report = RunReport(inputs=list(inputs))
    started = time.perf_counter()
    stories = JsonlWriter(out / STORIES_FILE)
    removed = JsonlWriter(out / REMOVED_FILE)
    for result in clean(inputs):
        if isinstance(result, InputError):
            report.errors.append(result)
            print(f"cleaner: {result.path}: {result.reason}", file=sys.stderr)
            continue
        report.add(result)
        for story in result.stories:
            stories.write(story_record(story))
        for span in result.removed:
            removed.write(removed_record(span, result.document.source))
    stories.close()
    removed.close()
    report.seconds = time.perf_counter() - started
    write_json(out / REPORT_FILE, report.as_json())
    return report


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("cleaner", "trafilatura", "datasketch", "lxml"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "unknown"
    return versions
