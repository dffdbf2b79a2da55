"""The `cleaner` command: a thin layer over the library.

Exit codes: 0 all done, 1 fatal error, 2 usage error, 3 finished but some inputs failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cleaner.account import AccountError, load_account, rebuild, same_source
from cleaner.diff import render_source
from cleaner.run import run as run_pipeline

EXIT_INPUTS_FAILED = 3


@click.group(
    epilog="Exit codes: 0 all done, 1 fatal error, 2 usage error, "
    "3 finished but some inputs failed."
)
@click.version_option(package_name="cleaner")
def main() -> None:
    """Turn scraped news dumps into clean, deduplicated stories, with an exact account of
    every piece of text removed."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for stories.jsonl, removed.jsonl and report.json.",
)
def run(inputs: tuple[str, ...], out: Path) -> None:
    """Clean INPUTS (files or directories of .txt and .html files) into OUT."""
    report = run_pipeline(list(inputs), out)
    click.echo(
        f"cleaner: {report.documents} documents, {report.stories} stories, "
        f"{sum(report.removed_characters.values())} characters removed"
        f"{f', {len(report.errors)} inputs failed' if report.errors else ''} -> {out}",
        err=True,
    )
    if report.errors:
        sys.exit(EXIT_INPUTS_FAILED)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--source", help="Only this input (as named in the run).")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Print the source text rebuilt from the account alone (needs --source).",
)
@click.option("--color/--no-color", default=None, help="Colour (default: when on a terminal).")
def diff(out: Path, source: str | None, rebuild: bool, color: bool | None) -> None:
    """Show what a run in OUT removed, and why, source by source."""
    account = load_account(out)
    if source is not None:
        account = {name: spans for name, spans in account.items() if same_source(name, source)}
        if not account:
            raise click.UsageError(f"no source {source!r} in {out}")
    if rebuild:
        _print_rebuilt(account, source)
        return
    color = sys.stdout.isatty() if color is None else color
    for name, spans in account.items():
        for line in render_source(name, spans, color):
            click.echo(line, color=color)


def _print_rebuilt(account: dict, source: str | None) -> None:
    if source is None:
        raise click.UsageError("--rebuild needs --source")
    for name, spans in account.items():
        try:
            sys.stdout.write(rebuild(spans))
        except AccountError as error:
            raise click.ClickException(f"{name}: {error}") from error
    sys.stdout.flush()
