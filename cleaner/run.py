"""A whole run: read every input, clean each document in a worker under the time budget,
write the output, the errors and the report, with checkpoints to resume from.
"""

from __future__ import annotations

import hashlib
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from cleaner.failures import InputFailure
from cleaner.model import DocumentResult, InputError
from cleaner.pipeline import clean_document
from cleaner.read import RawRecord, ReadOptions, Skipped, build_document, read_all
from cleaner.resume import DATA_FILES, Checkpoint, Journal, prepare_output
from cleaner.workers import Abandoned, WorkerPool
from cleaner.write import (
    ERRORS_FILE,
    REMOVED_FILE,
    REPORT_FILE,
    STORIES_FILE,
    JsonlWriter,
    StreamWriter,
    error_record,
    jsonl_line,
    partial_path,
    removed_record,
    story_record,
    write_json,
)

# How often progress is made durable for --resume, at most.
CHECKPOINT_SECONDS = 1.0

Outcome = DocumentResult | InputError | Skipped
Task = tuple[RawRecord | InputError | Skipped, int]


def clean(
    inputs: list[str], options: ReadOptions | None = None, jobs: int = 1
) -> Iterator[DocumentResult | InputError]:
    """Clean every document of `inputs` (files, directories, globs, `@lists`, `-`), in order.

    Yields one `DocumentResult` per document, or an `InputError` for an input or record that
    could not be read or cleaned; an error never stops the others.
    """
    options = options or ReadOptions()
    for outcome in _outcomes(read_all(inputs, options), options, jobs):
        if not isinstance(outcome, Skipped):
            yield outcome


def clean_record(task: Task) -> Outcome:
    """The per-document map, as a worker runs it: build the Document, clean it.

    Every exception becomes an `InputError`: one bad record never stops a run.
    """
    item, max_chars = task
    if not isinstance(item, RawRecord):
        return item
    try:
        return clean_document(build_document(item, max_chars))
    except InputFailure as failure:
        return failure.as_error()
    except Exception as error:  # a bug or a library's failure on a hostile page
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return InputError(item.path, "clean", reason[:500], item.record)


def _outcomes(
    items: Iterable[RawRecord | Skipped | InputFailure], options: ReadOptions, jobs: int
) -> Iterator[Outcome]:
    """One outcome per item, in order; records are cleaned in worker processes."""
    tasks = (
        (
            item.as_error() if isinstance(item, InputFailure) else item,
            options.limits.max_document_chars,
        )
        for item in items
    )
    with WorkerPool(clean_record, jobs, options.limits.timeout) as pool:
        for task, result in pool.map(tasks):
            if isinstance(result, Abandoned):
                record = task[0]
                assert isinstance(record, RawRecord)
                yield InputError(record.path, "clean", result.reason, record.record)
            else:
                yield result


@dataclass
class RunReport:
    """What a run did, for `report.json`."""

    inputs: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    documents: int = 0
    stories: int = 0
    characters: int = 0
    kept_characters: int = 0
    removed_characters: Counter = field(default_factory=Counter)
    removed_spans: Counter = field(default_factory=Counter)
    skipped_records: Counter = field(default_factory=Counter)
    errors: list[InputError] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Skipped):
            self.skipped_records[outcome.reason] += 1
        elif isinstance(outcome, InputError):
            self.errors.append(outcome)
        else:
            self._add_result(outcome)

    def _add_result(self, result: DocumentResult) -> None:
        self.documents += 1
        self.stories += len(result.stories)
        self.characters += len(result.document.text)
        for story in result.stories:
            self.kept_characters += sum(span.end - span.start for span in story.spans)
        for span in result.removed:
            self.removed_characters[str(span.label)] += span.end - span.start
            self.removed_spans[str(span.label)] += 1

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
        counters = {key: Counter(value) for key, value in state.items() if isinstance(value, dict)}
        return cls(inputs, options, **{**state, **counters}, errors=errors)

    def as_json(self) -> dict[str, Any]:
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
            "timings": {
                "seconds": round(self.seconds, 3),
                "documents_per_second": round(self.documents / self.seconds, 1)
                if self.seconds
                else None,
            },
            "versions": _versions(),
        }


@dataclass
class _Outputs:
    """Where outcomes go: stories always; removed spans and errors unless streaming."""

    stories: JsonlWriter | StreamWriter
    removed: JsonlWriter | None = None
    errors: JsonlWriter | None = None

    def files(self) -> dict[str, JsonlWriter]:
        writers = {STORIES_FILE: self.stories, REMOVED_FILE: self.removed, ERRORS_FILE: self.errors}
        return {name: writer for name, writer in writers.items() if isinstance(writer, JsonlWriter)}

    def write(self, outcome: Outcome) -> Outcome:
        """Write one outcome; a result that cannot be written becomes an error."""
        if isinstance(outcome, DocumentResult):
            try:
                stories, removed = _result_lines(outcome)
            except orjson.JSONEncodeError as error:
                document = outcome.document
                outcome = InputError(document.path, "write", str(error), document.record)
            else:
                for line in stories:
                    self.stories.write(line)
                for line in removed if self.removed is not None else ():
                    self.removed.write(line)
                return outcome
        if isinstance(outcome, InputError):
            where = (
                f"{outcome.path}#{outcome.record}" if outcome.record is not None else outcome.path
            )
            print(f"cleaner: {where}: {outcome.reason}", file=sys.stderr)
            if self.errors is not None:
                self.errors.write(jsonl_line(error_record(outcome)))
        return outcome


def run(
    inputs: list[str],
    out: Path | None,
    options: ReadOptions | None = None,
    *,
    jobs: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
) -> RunReport:
    """Clean `inputs` into the directory `out` (None: stories to standard output only).

    Errors are reported on stderr as they happen, in `errors.jsonl` and counted in the
    report. `resume` goes on from an interrupted run's last checkpoint; without it a
    directory holding output is refused (`cleaner.resume.OutputError`) unless `overwrite`.
    """
    options = options or ReadOptions()
    settings = asdict(options)
    if out is None:
        report = RunReport(list(inputs), settings)
        started = time.perf_counter()
        outputs = _Outputs(StreamWriter(sys.stdout.buffer))
        for outcome in _outcomes(read_all(inputs, options), options, jobs):
            report.add(outputs.write(outcome))
        outputs.stories.close()
        report.seconds = time.perf_counter() - started
        return report
    journal, checkpoint = prepare_output(out, _fingerprint(inputs, settings), resume, overwrite)
    report = (
        RunReport.from_state(list(inputs), settings, checkpoint.report, _errors(out, checkpoint))
        if checkpoint
        else RunReport(list(inputs), settings)
    )
    if checkpoint is None or not checkpoint.finished:
        checkpoint = _write_outputs(
            inputs, out, options, jobs, journal, checkpoint, report, checkpoint_seconds
        )
    for name in DATA_FILES:
        if partial_path(out / name).exists():
            os.replace(partial_path(out / name), out / name)
    write_json(out / REPORT_FILE, report.as_json())
    journal.compact(checkpoint)
    journal.close()
    return report


def _write_outputs(
    inputs: list[str],
    out: Path,
    options: ReadOptions,
    jobs: int,
    journal: Journal,
    checkpoint: Checkpoint | None,
    report: RunReport,
    checkpoint_seconds: float,
) -> Checkpoint:
    """Clean and write every item after `checkpoint`; return the final checkpoint."""
    offsets = checkpoint.offsets if checkpoint else {}
    writers = {name: JsonlWriter(out / name, offsets.get(name)) for name in DATA_FILES}
    outputs = _Outputs(writers[STORIES_FILE], writers[REMOVED_FILE], writers[ERRORS_FILE])
    done = checkpoint.items if checkpoint else 0
    items = read_all(inputs, options)
    for _ in range(done):
        next(items)
    started = last_checkpoint = time.perf_counter()
    base_seconds = report.seconds

    def save(finished: bool = False) -> Checkpoint:
        report.seconds = base_seconds + time.perf_counter() - started
        for writer in writers.values():
            writer.sync()
        state = Checkpoint(
            done, {n: w.offset for n, w in writers.items()}, report.state(), finished
        )
        journal.write(state)
        return state

    for outcome in _outcomes(items, options, jobs):
        report.add(outputs.write(outcome))
        done += 1
        if time.perf_counter() - last_checkpoint >= checkpoint_seconds:
            save()
            last_checkpoint = time.perf_counter()
    final = save(finished=True)
    for writer in writers.values():
        writer.close()
    return final


def _errors(out: Path, checkpoint: Checkpoint) -> list[InputError]:
    """The errors an interrupted run had written by its checkpoint."""
    size = checkpoint.offsets[ERRORS_FILE]
    path = out / ERRORS_FILE
    with open(partial_path(path) if partial_path(path).exists() else path, "rb") as file:
        lines = file.read(size).splitlines()
    return [InputError(**orjson.loads(line)) for line in lines]


def _result_lines(result: DocumentResult) -> tuple[list[bytes], list[bytes]]:
    source = result.document.source
    stories = [jsonl_line(story_record(story)) for story in result.stories]
    removed = [jsonl_line(removed_record(span, source)) for span in result.removed]
    return stories, removed


def _fingerprint(inputs: list[str], settings: dict[str, Any]) -> str:
    """What a resumed run must share with the run it finishes."""
    run = {"inputs": inputs, "cwd": os.getcwd(), "options": settings, "cleaner": _versions()}
    return hashlib.sha256(orjson.dumps(run, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("cleaner", "trafilatura", "datasketch", "lxml", "fastwarc"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "unknown"
    return versions
