"""What a run did, for `report.json`: the first stage's counts, the dedup's, the final
write's, and the times, throughput and memory of the run (the only part of the report that
differs between two runs of the same inputs)."""

from __future__ import annotations

import platform
import resource
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from cleaner.model import InputError
from cleaner.read import Skipped

if TYPE_CHECKING:
    from cleaner.stages import Outcome


@dataclass
class RunReport:
    """What a run did, for `report.json`: the first stage's counts, then the final write's."""

    inputs: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    documents: int = 0
    characters: int = 0
    skipped_records: Counter = field(default_factory=Counter)
    errors: list[InputError] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)  # map, dedup, write
    bytes_read: int = 0  # of the records read, as read (decompressed)
    stories: int = 0
    kept_characters: int = 0
    removed_characters: Counter = field(default_factory=Counter)
    removed_spans: Counter = field(default_factory=Counter)
    dedup: dict[str, int] = field(default_factory=dict)

    COUNTERS = ("skipped_records", "removed_characters", "removed_spans")
    # The counts of the final write (the others are the first stage's).
    WRITTEN = ("stories", "kept_characters", "removed_characters", "removed_spans")

    def add(self, outcome: Outcome) -> None:
        """Count one outcome of the first stage."""
        if isinstance(outcome, Skipped):
            self.skipped_records[outcome.reason] += 1
        elif isinstance(outcome, InputError):
            self.errors.append(outcome)
        else:
            self.documents += 1
            self.characters += outcome.characters

    def start_writing(self) -> None:
        """Forget the counts of a final write that was interrupted."""
        self.stories = self.kept_characters = 0
        self.removed_characters, self.removed_spans = Counter(), Counter()

    def add_written(self, stories: list[dict[str, Any]], removed: list[dict[str, Any]]) -> None:
        """Count the records the final write wrote for one document."""
        self.stories += len(stories)
        for story in stories:
            self.kept_characters += sum(
                end - start for start, end, *_ in story["metadata"]["spans"]
            )
        for record in removed:
            self.removed_characters[record["reason"]] += record["end"] - record["start"]
            self.removed_spans[record["reason"]] += 1

    def state(self) -> dict[str, Any]:
        """The counts, for a checkpoint; the errors are in `errors.jsonl` already."""
        return {
            name: dict(value) if isinstance(value, Counter) else value
            for name, value in vars(self).items()
            if name not in ("inputs", "options", "errors")
        }

    @classmethod
    def from_state(
        cls,
        inputs: list[str],
        options: dict[str, Any],
        state: dict[str, Any],
        errors: list[InputError],
    ) -> RunReport:
        counters = {name: Counter(state.get(name, {})) for name in cls.COUNTERS}
        return cls(inputs, options, **{**state, **counters}, errors=errors)

    @classmethod
    def merged(
        cls,
        inputs: list[str],
        options: dict[str, Any],
        states: list[dict[str, Any]],
        errors: list[InputError],
    ) -> RunReport:
        """The report of a run whose shards counted `states` (`state()` of each)."""
        report = cls(inputs, options, errors=errors)
        for state in states:
            part = cls.from_state(inputs, options, state, [])
            for name, value in vars(part).items():
                if name in cls.COUNTERS:
                    getattr(report, name).update(value)
                elif name == "stage_seconds":
                    for stage, seconds in value.items():
                        report.stage_seconds[stage] = report.stage_seconds.get(stage, 0) + seconds
                elif isinstance(value, int | float) and name != "seconds":
                    setattr(report, name, getattr(report, name) + value)
        report.seconds = sum(report.stage_seconds.values())
        return report

    def as_json(self) -> dict[str, Any]:
        """The report as `report.json` holds it."""
        return {
            "inputs": self.inputs,
            "options": self.options,
            "documents": self.documents,
            "stories": self.stories,
            "skipped_records": dict(sorted(self.skipped_records.items())),
            "errors": {
                "count": len(self.errors),
                "by_stage": dict(sorted(Counter(error.stage for error in self.errors).items())),
            },
            "characters": {
                "total": self.characters,
                "kept": self.kept_characters,
                "removed": sum(self.removed_characters.values()),
                "removed_by_reason": dict(sorted(self.removed_characters.items())),
            },
            "removed_spans_by_reason": dict(sorted(self.removed_spans.items())),
            "dedup": self.dedup,
            "timings": self._timings(),
            "versions": versions(),
        }

    def _timings(self) -> dict[str, Any]:
        """Time, throughput and memory: the part of the report that differs between runs."""
        per_second = (lambda amount: round(amount / self.seconds, 2)) if self.seconds else None
        return {
            "seconds": round(self.seconds, 3),
            "stages": {name: round(value, 3) for name, value in self.stage_seconds.items()},
            "documents_per_second": per_second(self.documents) if per_second else None,
            "megabytes_per_second": per_second(self.bytes_read / 1e6) if per_second else None,
            "peak_rss_mb": peak_rss(),
        }


def peak_rss() -> dict[str, float]:
    """The largest resident memory of this process, and of the largest worker process."""
    return {
        "main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("cleaner", "trafilatura", "datasketch", "lxml", "fastwarc"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "unknown"
    return versions
