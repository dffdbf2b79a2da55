"""The `cleaner` command: a thin layer over the library.

Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 finished but some inputs failed.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import fields
from itertools import chain
from pathlib import Path
from typing import Any

import click

from cleaner.account import (
    AccountError,
    AccountSpan,
    find_story,
    load_account,
    rebuild,
    same_source,
    story_spans,
)
from cleaner.diff import render_source, render_stats, shows_removals
from cleaner.index import StoryIndexError
from cleaner.keeper import KEEPER_RULES
from cleaner.limits import Limits
from cleaner.model import Reason
from cleaner.read import STDIN, ReadOptions
from cleaner.report import RunReport
from cleaner.resume import OutputError
from cleaner.review import write_review
from cleaner.run import CHECKPOINT_SECONDS, default_jobs
from cleaner.run import run as run_pipeline
from cleaner.show import render_story
from cleaner.stages import dedup_stage, map_shard, merge, write_shard
from cleaner.staging import Shard, StageError
from cleaner.story_dedup import DedupOptions

LIMIT_OPTIONS = tuple(field.name for field in fields(Limits))
READ_FIELDS = tuple(field.name for field in fields(ReadOptions) if field.name != "limits")

EXIT_FATAL = 1
EXIT_INPUTS_FAILED = 3
EXIT_CODES = (
    "Exit codes: 0 all done; 1 fatal error; 2 usage error; "
    "3 finished, but some inputs failed (listed in OUT/errors.jsonl)."
)
DEFAULTS = Limits()


@click.group(epilog=EXIT_CODES)
@click.version_option(package_name="cleaner")
def main() -> None:
    """Turn scraped news dumps into clean, deduplicated stories, with an exact account of
    every piece of text removed."""


# How the first stage reads and cleans: `run` and `stage map` take these.
MAP_OPTIONS = [
    click.option("--text-field", default="text", show_default=True, help="JSONL field of text."),
    click.option("--html-field", default="html", show_default=True, help="JSONL field of HTML."),
    click.option("--url-field", default="url", show_default=True, help="JSONL field of the URL."),
    click.option(
        "--id-field", default="id", show_default=True, help="JSONL field kept as metadata.input_id."
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULTS.timeout,
        show_default=True,
        help="Seconds to clean one document; a document that takes longer is abandoned.",
    ),
    click.option(
        "--max-file-bytes",
        type=click.IntRange(min=1),
        default=DEFAULTS.max_file_bytes,
        show_default=True,
        help="Bytes of one input after decompression; the rest of a larger one is an error.",
    ),
    click.option(
        "--max-record-bytes",
        type=click.IntRange(min=1),
        default=DEFAULTS.max_record_bytes,
        show_default=True,
        help="Bytes of one record (a file, a WARC record, a JSONL line) after decompression.",
    ),
    click.option(
        "--max-document-chars",
        type=click.IntRange(min=1),
        default=DEFAULTS.max_document_chars,
        show_default=True,
        help="Characters of text in one document.",
    ),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=default_jobs(),
        show_default="the number of cores",
        help="Worker processes cleaning documents; 1 cleans them in this process (for "
        "debugging). The output is the same whatever their number.",
    ),
]
# Which copies are kept: `run` and `stage dedup` take these.
DEDUP_OPTIONS = [
    click.option(
        "--keep",
        type=click.Choice(sorted(KEEPER_RULES)),
        default="longest",
        show_default=True,
        help="Which copy of a story is kept: the longest text (then the earliest, then the "
        "smallest id), or the earliest published (then the longest, then the smallest id).",
    ),
    click.option(
        "--index",
        metavar="PATH|redis://HOST:PORT/DB",
        help="Remember the stories emitted, and emit only stories no earlier run with this index "
        "emitted: a SQLite file (created if missing), or a Redis server shared by many runs.",
    ),
]


def with_options(options: list[Callable]) -> Callable:
    """A decorator adding `options` to a command, in the order listed."""

    def decorate(command: Callable) -> Callable:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def read_options(settings: dict[str, Any]) -> ReadOptions:
    """The ReadOptions of the MAP_OPTIONS in a command's `settings` (taken out of them)."""
    limits = {name: settings.pop(name) for name in LIMIT_OPTIONS}
    fields_ = {name: settings.pop(name) for name in READ_FIELDS}
    return ReadOptions(Limits(**limits), **fields_)


@main.command(epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    help="Directory for stories.jsonl, removed.jsonl, errors.jsonl and report.json; "
    "'-' streams the stories to standard output (everything else goes to stderr).",
)
@click.option("--resume", is_flag=True, help="Finish the interrupted run in OUT.")
@click.option("--overwrite", is_flag=True, help="Replace the output of an earlier run in OUT.")
@click.option(
    "--checkpoint-seconds",
    type=click.FloatRange(min=0),
    default=CHECKPOINT_SECONDS,
    show_default=True,
    help="How often progress is made durable for --resume (0: after every document).",
)
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Show progress on stderr: a bar on a terminal, a line every 10 s otherwise.",
)
@with_options(MAP_OPTIONS + DEDUP_OPTIONS)
def run(
    inputs: tuple[str, ...],
    out: str,
    resume: bool,
    overwrite: bool,
    jobs: int,
    keep: str,
    index: str | None,
    checkpoint_seconds: float,
    progress: bool,
    **settings: Any,
) -> None:
    """Clean INPUTS into OUT.

    INPUTS are files, directories (read recursively, in sorted order), quoted glob
    patterns, @FILE (a list of inputs, one per line) or - (standard input). Plain text,
    HTML, JSONL, WARC and WET are read, each possibly gzip, zstd or bz2 compressed.
    """
    streaming = out == "-"
    if STDIN in inputs and (resume or inputs.count(STDIN) > 1):
        raise click.UsageError("standard input can be read once, and not resumed")
    if streaming and resume:
        raise click.UsageError("--resume needs an output directory, not -o -")
    options = read_options(settings)
    try:
        report = run_pipeline(
            list(inputs),
            None if streaming else Path(out),
            options,
            dedup=DedupOptions(keep=keep, index=index),
            jobs=jobs,
            resume=resume,
            overwrite=overwrite,
            checkpoint_seconds=checkpoint_seconds,
            progress=progress,
        )
    except OutputError as error:
        raise click.UsageError(str(error)) from error
    except (OSError, StoryIndexError) as error:
        click.echo(f"cleaner: {error}", err=True)
        sys.exit(EXIT_FATAL)
    _print_summary(report, out)
    if report.errors:
        sys.exit(EXIT_INPUTS_FAILED)


def _print_summary(report: RunReport, out: str) -> None:
    duplicates = report.dedup.get("stories", 0) - report.stories
    click.echo(
        f"cleaner: {report.documents} documents, {report.stories} stories "
        f"({duplicates} duplicates dropped), "
        f"{sum(report.removed_characters.values())} characters removed"
        f"{f', {len(report.errors)} inputs failed' if report.errors else ''} -> {out}",
        err=True,
    )


@main.group(epilog=EXIT_CODES)
def stage() -> None:
    """Run one stage of a run over one shard, for an engine that spreads a run over many
    machines sharing OUT: `map` each shard (--rank R --world-size W), then `dedup` once,
    then `write` each shard, then `merge` once. OUT then holds what `cleaner run` writes."""


SHARD_OPTIONS = [
    click.option("--rank", type=click.IntRange(min=0), default=0, show_default=True),
    click.option("--world-size", type=click.IntRange(min=1), default=1, show_default=True),
]
OUT_DIRECTORY = click.Path(file_okay=False, path_type=Path)


@stage.command("map", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", type=OUT_DIRECTORY, required=True, help="The run's directory.")
@with_options(SHARD_OPTIONS + MAP_OPTIONS)
def stage_map(
    inputs: tuple[str, ...], out: Path, rank: int, world_size: int, jobs: int, **settings: Any
) -> None:
    """Stage 1 of shard RANK: clean and sign its share of INPUTS (the same INPUTS for every
    shard)."""
    shard = _shard(rank, world_size)
    report = _or_fatal(lambda: map_shard(list(inputs), out, shard, read_options(settings), jobs))
    click.echo(f"cleaner: shard {shard.directory}: {report.documents} documents", err=True)
    if report.errors:
        sys.exit(EXIT_INPUTS_FAILED)


@stage.command("dedup")
@click.argument("out", type=OUT_DIRECTORY)
@with_options(DEDUP_OPTIONS)
def stage_dedup(out: Path, keep: str, index: str | None) -> None:
    """Stage 2, once every shard is mapped: which stories are copies of which."""
    options = DedupOptions(keep=keep, index=index)
    decisions, _ = _or_fatal(lambda: dedup_stage(out, options, uuid.uuid4().hex))
    click.echo(f"cleaner: {len(decisions.dropped)} duplicate stories", err=True)


@stage.command("write")
@click.argument("out", type=OUT_DIRECTORY)
@with_options(SHARD_OPTIONS)
def stage_write(out: Path, rank: int, world_size: int) -> None:
    """Stage 3 of shard RANK: its stories and removed spans, with the dedup's decisions."""
    report = _or_fatal(lambda: write_shard(out, _shard(rank, world_size)))
    click.echo(f"cleaner: shard {rank}: {report.stories} stories", err=True)


@stage.command("merge", epilog=EXIT_CODES)
@click.argument("out", type=OUT_DIRECTORY)
def stage_merge(out: Path) -> None:
    """Once every shard is written: OUT/stories.jsonl, removed.jsonl, errors.jsonl and
    report.json, as `cleaner run` writes them."""
    report = _or_fatal(lambda: merge(out))
    _print_summary(report, str(out))
    if report.errors:
        sys.exit(EXIT_INPUTS_FAILED)


def _shard(rank: int, world_size: int) -> Shard:
    try:
        return Shard(rank, world_size)
    except ValueError as error:
        raise click.UsageError(str(error)) from error


def _or_fatal(step: Callable[[], Any]) -> Any:
    """The result of `step`; a missing stage file, an unusable index or an I/O error end the
    command with exit code 1."""
    try:
        return step()
    except (OSError, StageError, StoryIndexError) as error:
        click.echo(f"cleaner: {error}", err=True)
        sys.exit(EXIT_FATAL)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--source", help="Only this input (as named in the run).")
@click.option(
    "--reason",
    "reasons",
    multiple=True,
    type=click.Choice(sorted(map(str, Reason))),
    help="Only removed spans of this reason (repeatable); sources with none are left out.",
)
@click.option("--story", help="Only the place of this story (an id or a unique id prefix).")
@click.option("--stats", is_flag=True, help="Print spans and characters removed by reason.")
@click.option(
    "--html",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the whole run as one self-contained HTML page to review in a browser.",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Print the source text rebuilt from the account alone (needs --source).",
)
@click.option("--color/--no-color", default=None, help="Colour (default: when on a terminal).")
def diff(
    out: Path,
    source: str | None,
    reasons: tuple[str, ...],
    story: str | None,
    stats: bool,
    html: Path | None,
    rebuild: bool,
    color: bool | None,
) -> None:
    """Show what a run in OUT removed, and why, source by source (paged on a terminal)."""
    if html is not None:
        if source or reasons or story or stats or rebuild:
            raise click.UsageError("--html covers the whole run (filter in the page)")
        write_review(out, html)
        click.echo(f"cleaner: review of {out} -> {html}", err=True)
        return
    if rebuild and (reasons or story or stats):
        raise click.UsageError("--rebuild prints a whole source: no --reason, --story or --stats")
    account = _selected_account(out, source, story)
    if rebuild:
        _print_rebuilt(account, source)
        return
    if stats:
        for line in render_stats(chain.from_iterable(account.values()), reasons):
            click.echo(line)
        return
    color = sys.stdout.isatty() if color is None else color
    lines = (
        line
        for name, spans in account.items()
        if not reasons or shows_removals(spans, reasons)
        for line in render_source(name, spans, color, reasons)
    )
    if sys.stdout.isatty():
        click.echo_via_pager((line + "\n" for line in lines), color=color)
    else:
        for line in lines:
            click.echo(line, color=color)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("story_id", metavar="ID")
def show(out: Path, story_id: str) -> None:
    """Print the story ID (or unique id prefix) of the run in OUT as a person reads it."""
    for line in render_story(_find_story(out, story_id)):
        click.echo(line)


def _selected_account(
    out: Path, source: str | None, story_id: str | None
) -> dict[str, list[AccountSpan]]:
    """The account of the run in `out`, narrowed to one source and/or one story's place."""
    account = load_account(out)
    if source is not None:
        account = {name: spans for name, spans in account.items() if same_source(name, source)}
        if not account:
            raise click.UsageError(f"no source {source!r} in {out}")
    if story_id is not None:
        story = _find_story(out, story_id)
        if story["source"] not in account:
            raise click.UsageError(f"story {story['id']} is not from {source!r}")
        account = {story["source"]: story_spans(account, story)}
    return account


def _find_story(out: Path, story_id: str) -> dict:
    try:
        return find_story(out, story_id)
    except AccountError as error:
        raise click.UsageError(str(error)) from error


def _print_rebuilt(account: dict, source: str | None) -> None:
    if source is None:
        raise click.UsageError("--rebuild needs --source")
    for name, spans in account.items():
        try:
            sys.stdout.write(rebuild(spans))
        except AccountError as error:
            raise click.ClickException(f"{name}: {error}") from error
    sys.stdout.flush()


if __name__ == "__main__":
    main()
