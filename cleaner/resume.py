"""Crash-safe runs: a journal of checkpoints, so that a run killed at any point (kill -9, or
a crash of the machine) and started again with `--resume` ends with the same output an
uninterrupted run writes: no story lost, none twice.

A run has three stages (see `cleaner.run`); the first, the per-document map, is the long
one and is checkpointed. Its input is a deterministic sequence of items (records, skipped
records, failed inputs), each written as zero or more lines of the stage files. A checkpoint
says how many items are written and how many bytes each partial stage file held then; the
files are fsynced before the checkpoint is appended to the journal and fsynced in turn. On
resume the partial files are cut back to the last checkpoint's sizes, the items it covers are
read again but not cleaned, and the run goes on appending. A torn last journal line is passed
over; a checkpoint that claims more bytes than a file holds (data lost in a machine crash)
gives way to an earlier one. The last two stages (dedup and the final write) read only the
stage files, so a resume after the first stage simply does them again.

The journal's first line names the run (inputs and options, and a random id that a story
index records with the stories the run claims, so that a resumed run recognises its own).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from cleaner.staging import STAGE_DIR, Shard
from cleaner.write import ERRORS_FILE, REMOVED_FILE, REPORT_FILE, STORIES_FILE, partial_path

JOURNAL_FILE = ".journal"
# The files the first stage of a run on one machine (one shard) appends to, checkpointed.
DATA_FILES = (*Shard().files, ERRORS_FILE)
OUTPUT_FILES = (STORIES_FILE, REMOVED_FILE, ERRORS_FILE, REPORT_FILE)


class OutputError(Exception):
    """The output directory cannot be used as asked: it holds a run's output, or nothing to
    resume."""


@dataclass(slots=True)
class Checkpoint:
    """How far a run got: items written, bytes of each data file, the report's counts;
    whether the first stage is `finished`, and whether the output is `written`."""

    items: int
    offsets: dict[str, int]
    report: dict[str, Any]
    finished: bool = False
    written: bool = False


class Journal:
    """The append-only file of checkpoints in the output directory."""

    def __init__(self, out: Path, fingerprint: str, run_id: str):
        self.path = out / JOURNAL_FILE
        self.fingerprint = fingerprint
        self.run_id = run_id
        self.file = self.path.open("ab")

    @classmethod
    def create(cls, out: Path, fingerprint: str) -> Journal:
        """A new journal, its first line naming the run's inputs and options."""
        run_id = uuid.uuid4().hex
        _write_synced(out / JOURNAL_FILE, _line(_header(fingerprint, run_id)))
        return cls(out, fingerprint, run_id)

    def write(self, checkpoint: Checkpoint) -> None:
        self.file.write(_line(asdict(checkpoint)))
        self.file.flush()
        os.fsync(self.file.fileno())

    def compact(self, checkpoint: Checkpoint) -> None:
        """Keep only the last checkpoint, once the run is finished."""
        self.file.close()
        header = _header(self.fingerprint, self.run_id)
        _write_synced(self.path, _line(header) + _line(asdict(checkpoint)))
        self.file = self.path.open("ab")

    def close(self) -> None:
        self.file.close()


def prepare_output(
    out: Path, fingerprint: str, resume: bool, overwrite: bool
) -> tuple[Journal, Checkpoint | None]:
    """The journal to write to and the checkpoint to go on from (None: from the start).

    Raises `OutputError` for a directory holding the output of a run when neither `resume`
    nor `overwrite` is asked, and for a resume of a different run. Other files in the
    directory are no output of cleaner's: they are left as they are.
    """
    out.mkdir(parents=True, exist_ok=True)
    journal = out / JOURNAL_FILE
    if resume and journal.exists():
        found = _last_checkpoint(out, fingerprint)
        if found is not None:
            run_id, checkpoint = found
            return Journal(out, fingerprint, run_id), checkpoint
        _remove_output(out)
    elif _holds_output(out):
        if resume:
            raise OutputError(f"{out} holds no interrupted run to resume")
        if not overwrite:
            raise OutputError(
                f"{out} holds the output of a run: --resume finishes an interrupted run "
                "there, --overwrite replaces its output"
            )
        _remove_output(out)
    return Journal.create(out, fingerprint), None


def data_file_size(out: Path, name: str) -> int:
    """Bytes of a data file: its partial file while the run goes on, else the final one."""
    for path in (partial_path(out / name), out / name):
        if path.exists():
            return path.stat().st_size
    return 0


def _last_checkpoint(out: Path, fingerprint: str) -> tuple[str, Checkpoint] | None:
    """The run's id and its last checkpoint that the files on disk hold, if any."""
    lines = (out / JOURNAL_FILE).read_bytes().split(b"\n")
    entries = []
    for line in lines:
        try:
            entries.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            break  # a line torn by the kill, and the end of what was written
    if not entries:
        return None
    if entries[0].get("fingerprint") != fingerprint:
        raise OutputError(
            f"{out} holds a run of other inputs or options: --overwrite to start again"
        )
    sizes = {name: data_file_size(out, name) for name in DATA_FILES}
    for entry in reversed(entries[1:]):
        checkpoint = Checkpoint(**entry)
        if checkpoint.written or all(
            sizes[name] >= size for name, size in checkpoint.offsets.items()
        ):
            return entries[0].get("run") or uuid.uuid4().hex, checkpoint
    return None


def remove_stage_files(out: Path) -> None:
    """Remove the files the stages handed each other, once the output is written."""
    shutil.rmtree(out / STAGE_DIR, ignore_errors=True)


def _holds_output(out: Path) -> bool:
    """Whether `out` holds any file a run writes (whole, partial, or its stage files)."""
    names = (*OUTPUT_FILES, JOURNAL_FILE)
    written = (path for name in names for path in (out / name, partial_path(out / name)))
    return (out / STAGE_DIR).exists() or any(path.exists() for path in written)


def _remove_output(out: Path) -> None:
    """Remove what a run writes, and nothing else the directory holds."""
    for name in (*OUTPUT_FILES, JOURNAL_FILE):
        for path in (out / name, partial_path(out / name)):
            path.unlink(missing_ok=True)
    remove_stage_files(out)


def _header(fingerprint: str, run_id: str) -> dict[str, str]:
    return {"fingerprint": fingerprint, "run": run_id}


def _line(value: Any) -> bytes:
    return orjson.dumps(value) + b"\n"


def _write_synced(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically and durably."""
    partial = partial_path(path)
    with partial.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)
