"""The three stages of a run, each a function over one shard of it (`Shard`: part `rank` of
`world_size`), handing each other files (`cleaner.staging`), so that an engine can run the
shards of a stage on many machines the way `cleaner run` runs them on one:

1. `map_shard`: read the shard's inputs, clean each document (in worker processes, each
   under the time budget) and sign its stories; stage the documents' records, the stories'
   signatures and the errors. Streamed: one document at a time is in memory.
2. `dedup_stage`: over the signatures of every shard (about 0.9 KB a story, never their
   texts), decide which stories are copies of which (`cleaner.story_dedup`); stage the
   decisions.
3. `write_shard`: the shard's final records, with the decisions (`cleaner.provenance`).

`merge` then puts the shards' output together as one run's `OUT/stories.jsonl`,
`removed.jsonl`, `errors.jsonl` and `report.json`: the same bytes as `cleaner run` writes,
whatever the number of shards. `cleaner stage map|dedup|write|merge` runs each from the
command line; `cleaner.run` runs them one after the other on one machine, with checkpoints
to resume from.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from cleaner.failures import InputFailure
from cleaner.model import DocumentResult, InputError
from cleaner.pipeline import clean_document
from cleaner.progress import Progress
from cleaner.provenance import final_records
from cleaner.read import Item, RawRecord, ReadOptions, Skipped, build_document, read_all
from cleaner.report import RunReport
from cleaner.resume import Checkpoint, Journal
from cleaner.signature import sign
from cleaner.staging import (
    DECISIONS_FILE,
    DEDUP_REPORT_FILE,
    STAGE_DIR,
    Shard,
    first_story,
    read_documents,
    read_table,
    shard_output_files,
    shard_report_file,
    shards,
    stage_lines,
)
from cleaner.story_dedup import Decisions, DedupOptions, deduplicate
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
    read_jsonl,
    write_json,
)

Task = tuple[RawRecord | InputError | Skipped, int]


@dataclass(slots=True)
class StagedDocument:
    """The first stage's output for one cleaned document: its lines of the stage files
    (`cleaner.staging.stage_lines`), made in the worker so that only bytes travel back."""

    document: bytes
    stories: list[bytes]
    signatures: bytes
    characters: int  # of the document's text


Outcome = StagedDocument | InputError | Skipped


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
    stories, make its lines of the stage files. A document whose text cannot be written
    becomes an `InputError`."""
    outcome = clean_record(task)
    if not isinstance(outcome, DocumentResult):
        return outcome
    signatures = [sign(story.text, story.dateline) for story in outcome.stories]
    source = outcome.document
    try:
        lines = stage_lines(outcome, signatures)
    except orjson.JSONEncodeError as error:
        return InputError(source.path, "write", str(error), source.record)
    return StagedDocument(*lines, characters=len(source.text))


def outcomes(
    items: Iterable[RawRecord | Skipped | InputFailure],
    options: ReadOptions,
    jobs: int,
    worker: Callable[[Task], Any],
) -> Iterator[Any]:
    """`worker`'s outcome of each item, in order, from worker processes."""
    pool = WorkerPool(worker, jobs, options.limits.timeout)
    tasks = (
        (
            item.as_error() if isinstance(item, InputFailure) else item,
            options.limits.max_document_chars,
        )
        for item in items
    )
    with pool:
        for task, result in pool.map(tasks):
            if isinstance(result, Abandoned):
                record = task[0]
                assert isinstance(record, RawRecord)
                yield InputError(record.path, "clean", result.reason, record.record)
            else:
                yield result


@dataclass
class _StageWriters:
    """Where the first stage's outcomes go: the stage files, and the errors (unless
    streaming)."""

    documents: JsonlWriter
    stories: JsonlWriter
    signatures: JsonlWriter
    errors: JsonlWriter | None = None

    def write(self, outcome: Outcome) -> Outcome:
        """Write one outcome."""
        if isinstance(outcome, StagedDocument):
            self.documents.write(outcome.document)
            for line in outcome.stories:
                self.stories.write(line)
            self.signatures.write(outcome.signatures)
        elif isinstance(outcome, InputError):
            where = (
                f"{outcome.path}#{outcome.record}" if outcome.record is not None else outcome.path
            )
            print(f"cleaner: {where}: {outcome.reason}", file=sys.stderr)
            if self.errors is not None:
                self.errors.write(jsonl_line(error_record(outcome)))
        return outcome


@dataclass
class MapOptions:
    """How the first stage runs: in how many processes, and who watches."""

    jobs: int
    progress: Progress


@dataclass
class Checkpoints:
    """Where and how often the first stage makes its progress durable."""

    journal: Journal
    last: Checkpoint | None
    seconds: float


def map_shard(
    inputs: list[str],
    out: Path,
    shard: Shard,
    options: ReadOptions | None = None,
    jobs: int = 1,
) -> RunReport:
    """Stage 1 for one shard of a run spread over machines: clean and sign its share of
    `inputs` into its stage files in `out` (shared by all shards), its errors and counts
    beside them."""
    options = options or ReadOptions()
    report = RunReport(list(inputs), asdict(options))
    mapping = MapOptions(jobs, Progress(inputs, enabled=False))
    errors = shard_output_files(shard)[2]
    stage_documents(inputs, out, options, mapping, report, shard, errors=errors)
    about = {"inputs": report.inputs, "options": report.options}
    write_json(out / shard_report_file(shard), {**about, **report.state()})
    return report


def stage_documents(
    inputs: list[str],
    directory: Path,
    options: ReadOptions,
    mapping: MapOptions,
    report: RunReport,
    shard: Shard,
    checkpoints: Checkpoints | None = None,
    errors: str | None = None,
) -> Checkpoint:
    """Stage 1 of `shard`: clean and sign every item after the last checkpoint into the
    stage files of `directory`, the errors into `errors` (a file name in `directory`; None:
    only printed); return the final checkpoint. Without `checkpoints` nothing is made
    durable."""
    (directory / shard.directory).mkdir(parents=True, exist_ok=True)
    last = checkpoints.last if checkpoints else None
    offsets = last.offsets if last else {}
    names = [*shard.files, *([errors] if errors else [])]
    writers = {name: JsonlWriter(directory / name, offsets.get(name)) for name in names}
    outputs = _StageWriters(*(writers[name] for name in names))
    done = last.items if last else 0
    items = read_all(inputs, options, shard.take)
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
    for outcome in outcomes(_counted(items, report, progress), options, mapping.jobs, map_record):
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


def dedup_stage(out: Path, dedup: DedupOptions, run_id: str) -> tuple[Decisions, dict[str, Any]]:
    """Stage 2, once for all shards: the decisions on every story staged in `out`, also
    staged for `write_shard`, and the counts of the report's `dedup` (with the stage's
    `seconds`)."""
    started = time.perf_counter()
    table = read_table(out)
    decisions = deduplicate(table, dedup, run_id)
    writer = JsonlWriter(out / DECISIONS_FILE)
    for record in decisions.records():
        writer.write(jsonl_line(record))
    writer.close()
    figures = {**decisions.as_json(len(table)), "seconds": time.perf_counter() - started}
    write_json(out / DEDUP_REPORT_FILE, {"settings": dedup.settings(), "figures": figures})
    return decisions, figures


def write_shard(out: Path, shard: Shard) -> RunReport:
    """Stage 3 for one shard: its final records, with the staged decisions, beside its
    stage files (`merge` puts them together)."""
    decisions = Decisions.from_records(read_jsonl(out / DECISIONS_FILE))
    report = RunReport([])
    writers = [JsonlWriter(out / name) for name in shard_output_files(shard)[:2]]
    write_records(out, shard, decisions, *writers, report)
    for writer in writers:
        writer.close()
    state = orjson.loads((out / shard_report_file(shard)).read_bytes())
    state["stage_seconds"]["write"] = report.stage_seconds["write"]
    write_json(out / shard_report_file(shard), {**state, **_written_counts(report)})
    return report


def write_records(
    directory: Path,
    shard: Shard,
    decisions: Decisions,
    stories: JsonlWriter | StreamWriter,
    removed: JsonlWriter | None,
    report: RunReport,
) -> None:
    """Stage 3: the final records of the documents of `shard`, in input order."""
    started = time.perf_counter()
    report.start_writing()
    number = first_story(directory, shard)
    for document in read_documents(directory, shard):
        story_records, removed_records = final_records(document, number, decisions)
        number += len(document["stories"])
        for record in story_records:
            stories.write(jsonl_line(record))
        for record in removed_records if removed is not None else ():
            removed.write(jsonl_line(record))
        report.add_written(story_records, removed_records)
    report.stage_seconds["write"] = time.perf_counter() - started


def merge(out: Path) -> RunReport:
    """The output of a run whose stages ran shard by shard: every shard's final records,
    errors and counts, in rank order, as `OUT/stories.jsonl`, `removed.jsonl`,
    `errors.jsonl` and `report.json`; the stage files are removed."""
    staged = shards(out)
    for number, name in enumerate((STORIES_FILE, REMOVED_FILE, ERRORS_FILE)):
        writer = JsonlWriter(out / name)
        for shard in staged:
            with (out / shard_output_files(shard)[number]).open("rb") as part:
                while chunk := part.read(1 << 20):
                    writer.write(chunk)
        writer.close()
    errors = [InputError(**record) for record in read_jsonl(out / ERRORS_FILE)]
    states = [orjson.loads((out / shard_report_file(shard)).read_bytes()) for shard in staged]
    about = [{name: state.pop(name) for name in ("inputs", "options")} for state in states]
    inputs, options = about[0]["inputs"], about[0]["options"]  # every shard's are the same
    dedup = orjson.loads((out / DEDUP_REPORT_FILE).read_bytes())
    settings = {**options, "dedup": dedup["settings"]}
    report = RunReport.merged(inputs, settings, states, errors)
    report.stage_seconds["dedup"] = dedup["figures"].pop("seconds")
    report.seconds += report.stage_seconds["dedup"]
    report.dedup = dedup["figures"]
    write_json(out / REPORT_FILE, report.as_json())
    shutil.rmtree(out / STAGE_DIR)
    return report


def _written_counts(report: RunReport) -> dict[str, Any]:
    state = report.state()
    return {name: state[name] for name in RunReport.WRITTEN}
