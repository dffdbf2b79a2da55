"""A whole run, in three stages that hand each other files (`cleaner.staging`):

1. the per-document map: read every input, clean each document in a worker process under
   the time budget and sign its stories; write the documents' records, the signatures and
   the errors, with checkpoints to resume from (`cleaner.resume`);
2. the global dedup, over the signatures only (`cleaner.story_dedup`);
3. the final write: `stories.jsonl` and `removed.jsonl` with the dedup's decisions
   (`cleaner.provenance`), and `report.json`.

Each stage reads only what the one before wrote, so a distributed engine could run the shards
of a stage on many machines the way the worker pool runs the documents of the first on one.
"""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from cleaner.failures import InputFailure
from cleaner.model import DocumentResult, InputError
from cleaner.pipeline import clean_document
from cleaner.progress import Progress
from cleaner.provenance import final_records
from cleaner.read import Item, RawRecord, ReadOptions, Skipped, build_document, read_all
from cleaner.resume import (
    DATA_FILES,
    Checkpoint,
    Journal,
    prepare_output,
    remove_stage_files,
)
from cleaner.signature import Signature, sign
from cleaner.staging import (
    STAGE_DIR,
    STAGE_FILES,
    read_documents,
    read_table,
    stage_lines,
)
from cleaner.story_dedup import DedupOptions, deduplicate
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
    write_json,
)

# How often progress is made durable for --resume, at most.
CHECKPOINT_SECONDS = 1.0

Task = tuple[RawRecord | InputError | Skipped, int]


@dataclass(slots=True)
class SignedResult:
    """A cleaned document and the signature of each of its stories: the first stage's
    output for one document."""

    result: DocumentResult
    signatures: list[Signature]


Outcome = SignedResult | InputError | Skipped


def clean(
    inputs: list[str], options: ReadOptions | None = None, jobs: int = 1
) -> Iterator[DocumentResult | InputError]:
    """Clean every document of `inputs` (files, directories, globs, `@lists`, `-`), in order.

    Yields one `DocumentResult` per document, or an `InputError` for an input or record that
    could not be read or cleaned; an error never stops the others.
    """
    options = options or ReadOptions()
    for outcome in _outcomes(read_all(inputs, options), options, jobs, clean_record):
        if not isinstance(outcome, Skipped):
            yield outcome


def clean_record(task: Task) -> DocumentResult | InputError | Skipped:
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


def map_record(task: Task) -> Outcome:
    """The per-document map of a run, as a worker runs it: clean the record, sign its
    stories."""
    outcome = clean_record(task)
    if not isinstance(outcome, DocumentResult):
        return outcome
    signatures = [sign(story.text, story.dateline) for story in outcome.stories]
    return SignedResult(outcome, signatures)


def _outcomes(
    items: Iterable[RawRecord | Skipped | InputFailure],
    options: ReadOptions,
    jobs: int,
    worker: Callable[[Task], Any],
) -> Iterator[Any]:
    """`worker`'s outcome of each item, in order, from worker processes."""
    tasks = (
        (
            item.as_error() if isinstance(item, InputFailure) else item,
            options.limits.max_document_chars,
        )
        for item in items
    )
    with WorkerPool(worker, jobs, options.limits.timeout) as pool:
        for task, result in pool.map(tasks):
            if isinstance(result, Abandoned):
                record = task[0]
                assert isinstance(record, RawRecord)
                yield InputError(record.path, "clean", result.reason, record.record)
            else:
                yield result


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

    def add(self, outcome: Outcome) -> None:
        """Count one outcome of the first stage."""
        if isinstance(outcome, Skipped):
            self.skipped_records[outcome.reason] += 1
        elif isinstance(outcome, InputError):
            self.errors.append(outcome)
        else:
            self.documents += 1
            self.characters += len(outcome.result.document.text)

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
            "dedup": self.dedup,
            "timings": self._timings(),
            "versions": _versions(),
        }

    def _timings(self) -> dict[str, Any]:
        """Time, throughput and memory: the part of the report that differs between runs."""
        per_second = (lambda amount: round(amount / self.seconds, 2)) if self.seconds else None
        return {
            "seconds": round(self.seconds, 3),
            "stages": {name: round(value, 3) for name, value in self.stage_seconds.items()},
            "documents_per_second": per_second(self.documents) if per_second else None,
            "megabytes_per_second": per_second(self.bytes_read / 1e6) if per_second else None,
            "peak_rss_mb": _peak_rss(),
        }


@dataclass
class _StageWriters:
    """Where the first stage's outcomes go: the stage files, and the errors (unless
    streaming)."""

    documents: JsonlWriter
    stories: JsonlWriter
    signatures: JsonlWriter
    errors: JsonlWriter | None = None

    def write(self, outcome: Outcome) -> Outcome:
        """Write one outcome; a result that cannot be written becomes an error."""
        if isinstance(outcome, SignedResult):
            try:
                document, stories, signatures = stage_lines(outcome.result, outcome.signatures)
            except orjson.JSONEncodeError as error:
                source = outcome.result.document
                outcome = InputError(source.path, "write", str(error), source.record)
            else:
                self.documents.write(document)
                for line in stories:
                    self.stories.write(line)
                self.signatures.write(signatures)
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
    dedup: DedupOptions | None = None,
    jobs: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
    progress: bool = False,
) -> RunReport:
    """Clean `inputs` into the directory `out` (None: stories to standard output only).

    `dedup` says which copy of a story is kept and which index of earlier runs' stories to
    use. Errors are reported on stderr as they happen, in `errors.jsonl` and counted in the
    report. `resume` goes on from an interrupted run's last checkpoint; without it a
    directory holding output is refused (`cleaner.resume.OutputError`) unless `overwrite`.
    A story index that cannot be used raises `cleaner.index.StoryIndexError`. `progress`
    shows the first stage's progress on stderr (`cleaner.progress`).
    """
    options = options or ReadOptions()
    dedup = dedup or DedupOptions()
    settings = {**asdict(options), "dedup": dedup.settings()}
    if out is None:
        mapping = _Mapping(jobs, Progress(inputs, enabled=progress))
        return _stream(inputs, options, dedup, mapping, RunReport(list(inputs), settings))
    journal, checkpoint = prepare_output(out, _fingerprint(inputs, settings), resume, overwrite)
    report = (
        RunReport.from_state(list(inputs), settings, checkpoint.report, _errors(out, checkpoint))
        if checkpoint
        else RunReport(list(inputs), settings)
    )
    if checkpoint is None or not checkpoint.finished:
        checkpoint = _map_documents(
            inputs,
            out,
            options,
            _Mapping(jobs, Progress(inputs, enabled=progress)),
            report,
            _Checkpoints(journal, checkpoint, checkpoint_seconds),
        )
    if not checkpoint.written:
        _finish_stage_files(out)
        writers = [JsonlWriter(out / STORIES_FILE), JsonlWriter(out / REMOVED_FILE)]
        _dedup_and_write(out, *writers, dedup, journal.run_id, report)
        for writer in writers:
            writer.close()
        checkpoint = replace(checkpoint, report=report.state(), written=True)
    write_json(out / REPORT_FILE, report.as_json())
    journal.compact(checkpoint)
    journal.close()
    remove_stage_files(out)
    return report


def _stream(
    inputs: list[str],
    options: ReadOptions,
    dedup: DedupOptions,
    mapping: _Mapping,
    report: RunReport,
) -> RunReport:
    """A run that writes its stories to standard output (the stage files in a temporary
    directory); removed spans, errors and the report are not written."""
    with tempfile.TemporaryDirectory(prefix="cleaner-") as directory:
        _map_documents(inputs, Path(directory), options, mapping, report, None)
        stories = StreamWriter(sys.stdout.buffer)
        _dedup_and_write(Path(directory), stories, None, dedup, uuid.uuid4().hex, report)
        stories.close()
    return report


@dataclass
class _Mapping:
    """How the first stage runs: in how many processes, and who watches."""

    jobs: int
    progress: Progress


@dataclass
class _Checkpoints:
    """Where and how often the first stage makes its progress durable."""

    journal: Journal
    last: Checkpoint | None
    seconds: float


def _map_documents(
    inputs: list[str],
    directory: Path,
    options: ReadOptions,
    mapping: _Mapping,
    report: RunReport,
    checkpoints: _Checkpoints | None,
) -> Checkpoint:
    """Stage 1: clean and sign every item after the last checkpoint into the stage files of
    `directory`; return the final checkpoint. Without `checkpoints` (streaming) nothing is
    made durable and errors are only printed."""
    (directory / STAGE_DIR).mkdir(exist_ok=True)
    last = checkpoints.last if checkpoints else None
    offsets = last.offsets if last else {}
    names = DATA_FILES if checkpoints else STAGE_FILES
    writers = {name: JsonlWriter(directory / name, offsets.get(name)) for name in names}
    outputs = _StageWriters(*(writers[name] for name in names))
    done = last.items if last else 0
    items = read_all(inputs, options)
    for _ in range(done):
        next(items)
    started = last_saved = time.perf_counter()
    base_seconds = report.seconds

    def save(finished: bool = False) -> Checkpoint:
        report.seconds = base_seconds + time.perf_counter() - started
        for writer in writers.values():
            writer.sync()
        state = Checkpoint(
            done, {n: w.offset for n, w in writers.items()}, report.state(), finished
        )
        if checkpoints is not None:
            checkpoints.journal.write(state)
        return state

    progress = mapping.progress
    for outcome in _outcomes(_counted(items, report, progress), options, mapping.jobs, map_record):
        report.add(outputs.write(outcome))
        if not isinstance(outcome, Skipped):
            progress.done(failed=isinstance(outcome, InputError))
        done += 1
        if checkpoints and time.perf_counter() - last_saved >= checkpoints.seconds:
            save()
            last_saved = time.perf_counter()
    final = save(finished=True)
    report.stage_seconds["map"] = report.seconds
    progress.close()
    for writer in writers.values():
        writer.close()
    return final


def _counted(items: Iterable[Item], report: RunReport, progress: Progress) -> Iterator[Item]:
    """`items`, their bytes counted as they are read."""
    for item in items:
        if isinstance(item, RawRecord):
            size = len(item.content)
            report.bytes_read += size
            progress.read(size)
        yield item


def _dedup_and_write(
    directory: Path,
    stories: JsonlWriter | StreamWriter,
    removed: JsonlWriter | None,
    dedup: DedupOptions,
    run_id: str,
    report: RunReport,
) -> None:
    """Stages 2 and 3: decide which stories are copies from the signatures of `directory`,
    then write the final records of its documents, in input order."""
    started = time.perf_counter()
    table = read_table(directory)
    decisions = deduplicate(table, dedup, run_id)
    deduplicated = time.perf_counter()
    report.stage_seconds["dedup"] = deduplicated - started
    report.dedup = decisions.as_json(len(table))
    del table  # the signatures are not needed by the final write
    report.start_writing()
    first = 0
    for document in read_documents(directory):
        story_records, removed_records = final_records(document, first, decisions)
        first += len(document["stories"])
        for record in story_records:
            stories.write(jsonl_line(record))
        for record in removed_records if removed is not None else ():
            removed.write(jsonl_line(record))
        report.add_written(story_records, removed_records)
    report.stage_seconds["write"] = time.perf_counter() - deduplicated
    report.seconds += time.perf_counter() - started


def _finish_stage_files(out: Path) -> None:
    """Rename the first stage's files into place, if a run was killed before it could."""
    for name in DATA_FILES:
        if partial_path(out / name).exists():
            os.replace(partial_path(out / name), out / name)


def _errors(out: Path, checkpoint: Checkpoint) -> list[InputError]:
    """The errors an interrupted run had written by its checkpoint."""
    size = checkpoint.offsets[ERRORS_FILE]
    path = out / ERRORS_FILE
    with open(partial_path(path) if partial_path(path).exists() else path, "rb") as file:
        lines = file.read(size).splitlines()
    return [InputError(**orjson.loads(line)) for line in lines]


def _fingerprint(inputs: list[str], settings: dict[str, Any]) -> str:
    """What a resumed run must share with the run it finishes."""
    run = {"inputs": inputs, "cwd": os.getcwd(), "options": settings, "cleaner": _versions()}
    return hashlib.sha256(orjson.dumps(run, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _peak_rss() -> dict[str, float]:
    """The largest resident memory of this process, and of the largest worker process."""
    return {
        "main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("cleaner", "trafilatura", "datasketch", "lxml", "fastwarc"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "unknown"
    return versions
