"""A whole run on one machine: the three stages of `cleaner.stages` one after the other, over
one shard holding every input:

1. the per-document map: read every input, clean each document under the time budget and
   sign its stories; stage the documents' records, the signatures and the errors, with
   checkpoints to resume from (`cleaner.resume`);
2. the global dedup, over the signatures only (`cleaner.story_dedup`);
3. the final write: `stories.jsonl` and `removed.jsonl` with the dedup's decisions
   (`cleaner.provenance`), and `report.json`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import orjson

from cleaner.model import DocumentResult, InputError
from cleaner.progress import Progress
from cleaner.read import ReadOptions, Skipped, read_all
from cleaner.report import RunReport, versions
from cleaner.resume import (
    DATA_FILES,
    Checkpoint,
    prepare_output,
    remove_stage_files,
)
from cleaner.stages import (
    Checkpoints,
    MapOptions,
    clean_record,
    dedup_stage,
    outcomes,
    stage_documents,
    write_records,
)
from cleaner.staging import Shard
from cleaner.story_dedup import DedupOptions
from cleaner.write import (
    ERRORS_FILE,
    REMOVED_FILE,
    REPORT_FILE,
    STORIES_FILE,
    JsonlWriter,
    StreamWriter,
    partial_path,
    write_json,
)

# How often progress is made durable for --resume, at most.
CHECKPOINT_SECONDS = 1.0
# A run on one machine is one shard.
WHOLE = Shard()


def clean(
    inputs: list[str], options: ReadOptions | None = None, jobs: int = 1
) -> Iterator[DocumentResult | InputError]:
    """Clean every document of `inputs` (files, directories, globs, `@lists`, `-`), in order.

    Yields one `DocumentResult` per document, or an `InputError` for an input or record that
    could not be read or cleaned; an error never stops the others.
    """
    options = options or ReadOptions()
    for outcome in outcomes(read_all(inputs, options), options, jobs, clean_record):
        if not isinstance(outcome, Skipped):
            yield outcome


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
    settings = run_settings(options, dedup)
    mapping = MapOptions(jobs, Progress(inputs, enabled=progress))
    if out is None:
        return _stream(inputs, options, dedup, mapping, RunReport(list(inputs), settings))
    journal, checkpoint = prepare_output(out, _fingerprint(inputs, settings), resume, overwrite)
    report = (
        RunReport.from_state(list(inputs), settings, checkpoint.report, _errors(out, checkpoint))
        if checkpoint
        else RunReport(list(inputs), settings)
    )
    if checkpoint is None or not checkpoint.finished:
        checkpoints = Checkpoints(journal, checkpoint, checkpoint_seconds)
        checkpoint = stage_documents(
            inputs, out, options, mapping, report, WHOLE, checkpoints, errors=ERRORS_FILE
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


def run_settings(options: ReadOptions, dedup: DedupOptions) -> dict[str, Any]:
    """The options of a run, as its report shows them."""
    return {**asdict(options), "dedup": dedup.settings()}


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _stream(
    inputs: list[str],
    options: ReadOptions,
    dedup: DedupOptions,
    mapping: MapOptions,
    report: RunReport,
) -> RunReport:
    """A run that writes its stories to standard output (the stage files in a temporary
    directory); removed spans, errors and the report are not written."""
    with tempfile.TemporaryDirectory(prefix="cleaner-") as directory:
        stage_documents(inputs, Path(directory), options, mapping, report, WHOLE)
        stories = StreamWriter(sys.stdout.buffer)
        _dedup_and_write(Path(directory), stories, None, dedup, uuid.uuid4().hex, report)
        stories.close()
    return report


def _dedup_and_write(
    directory: Path,
    stories: JsonlWriter | StreamWriter,
    removed: JsonlWriter | None,
    dedup: DedupOptions,
    run_id: str,
    report: RunReport,
) -> None:
    """Stages 2 and 3."""
    decisions, figures = dedup_stage(directory, dedup, run_id)
    report.stage_seconds["dedup"] = figures.pop("seconds")
    report.dedup = figures
    write_records(directory, WHOLE, decisions, stories, removed, report)
    report.seconds += report.stage_seconds["dedup"] + report.stage_seconds["write"]


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
    run = {"inputs": inputs, "cwd": os.getcwd(), "options": settings, "cleaner": versions()}
    return hashlib.sha256(orjson.dumps(run, option=orjson.OPT_SORT_KEYS)).hexdigest()
