"""Reviewing a run in the terminal: `cleaner diff` (every removed span with its reason, the
--source, --reason and --story filters, --stats) and `cleaner show`, on the seeds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_003 = SEEDS / "003_148615a08d1af17f.txt"
# A removed line: "- TEXT [REASON]" or "- TEXT [REASON of PLACE]".
REMOVED_LINE = re.compile(r"^- (?P<text>.*) \[(?P<reason>[a-z-]+)(?: of [^\]]+)?\]$")
STATS_ROW = re.compile(
    r"^(?P<name>[a-z-]+) +(?P<spans>\d*) +(?P<characters>\d+) +(?P<share>[\d.]+)%$"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "out"
    result = CliRunner().invoke(main, ["run", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def records(out: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (out / name).read_bytes().splitlines()]


def cli(*args: str | Path, exit_code: int = 0) -> str:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert result.exit_code == exit_code, result.output
    return result.output


def removed_lines(output: str) -> Counter[tuple[str, str]]:
    """(text, reason) of every removed line of a diff."""
    matches = (REMOVED_LINE.match(line) for line in output.splitlines())
    return Counter((match["text"], match["reason"]) for match in matches if match)


def expected_lines(removed: list[dict]) -> Counter[tuple[str, str]]:
    """(text, reason) of every non-blank line of the removed records."""
    return Counter(
        (line, record["reason"])
        for record in removed
        for line in record["text"].rstrip().splitlines()
        if line.strip()
    )


def test_diff_shows_every_removed_line_of_the_seeds_once_with_its_reason(out: Path) -> None:
    removed = records(out, "removed.jsonl")
    assert removed_lines(cli("diff", out)) == expected_lines(removed)
    assert len(removed) == 34


def test_piped_diff_of_one_source_is_plain_text(out: Path) -> None:
    piped = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "diff", str(out), "--source", str(SEED_003)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "\x1b[" not in piped
    lines = piped.splitlines()
    assert lines[0] == f"=== {SEED_003}"
    assert "- Skip to Content Facebook Feature Image [navigation]" in lines
    assert sum(line.startswith("@@ story ") for line in lines) == 2
    coloured = cli("diff", out, "--source", SEED_003, "--color")
    assert "\x1b[31m- Skip to Content" in coloured


def test_reason_filter_shows_only_those_removed_spans_and_skips_other_sources(out: Path) -> None:
    removed = records(out, "removed.jsonl")
    reasons = ("title-repeat", "timestamp")
    output = cli("diff", out, *(f"--reason={reason}" for reason in reasons))
    wanted = [record for record in removed if record["reason"] in reasons]
    assert removed_lines(output) == expected_lines(wanted)
    assert {reason for _, reason in removed_lines(output)} == set(reasons)
    assert "000_cbe68db5e1665070" not in output  # it has no removed span at all
    assert "  TOKYO (AP) — South Korean President" in output  # kept text stays, as context
    cli("diff", out, "--reason", "no-such-reason", exit_code=2)


def test_story_filter_shows_only_that_story_s_place(out: Path) -> None:
    havana = next(
        story for story in records(out, "stories.jsonl") if story["text"].startswith("HAVANA")
    )
    output = cli("diff", out, "--story", havana["id"][:6])
    lines = output.splitlines()
    assert [line for line in lines if line.startswith("@@ ")] == [
        f"@@ story {havana['id'][:12]} @@"
    ]
    assert "  HAVANA (AP) — Cuban soldiers" in output
    assert "TOKYO (AP)" not in output
    start, end = havana["metadata"]["start"], havana["metadata"]["end"]
    inside = [
        record
        for record in records(out, "removed.jsonl")
        if record["source"] == havana["source"] and start <= record["start"] < end
    ]
    assert removed_lines(output) == expected_lines(inside)


def test_story_must_be_named_by_a_unique_id_prefix(out: Path) -> None:
    assert "names 3 stories" in cli("diff", out, "--story", "", exit_code=2)
    assert "no story 'ffffffffff'" in cli("show", out, "ffffffffff", exit_code=2)


def test_stats_equal_the_report(out: Path) -> None:
    report = json.loads((out / "report.json").read_text("utf-8"))
    rows = {
        match["name"]: match
        for match in map(STATS_ROW.match, cli("diff", out, "--stats").splitlines()[1:])
        if match
    }
    characters = report["characters"]
    by_reason = {name: int(row["characters"]) for name, row in rows.items()}
    spans = {name: int(row["spans"]) for name, row in rows.items() if row["spans"]}
    totals = ("removed", "kept", "total")
    assert {name: by_reason[name] for name in rows if name not in totals} == (
        characters["removed_by_reason"]
    )
    assert {name: spans[name] for name in spans if name not in totals} == (
        report["removed_spans_by_reason"]
    )
    assert [by_reason[name] for name in totals] == [
        characters["removed"],
        characters["kept"],
        characters["total"],
    ]
    assert spans["removed"] == sum(report["removed_spans_by_reason"].values())
    share = characters["removed_by_reason"]["caption-duplicate"] / characters["total"]
    assert float(rows["caption-duplicate"]["share"]) == round(100 * share, 2)


def test_stats_of_one_reason(out: Path) -> None:
    lines = cli("diff", out, "--stats", "--reason", "caption-duplicate").splitlines()
    names = [match["name"] for match in map(STATS_ROW.match, lines) if match]
    assert names == ["caption-duplicate", "removed", "kept", "total"]


def test_show_prints_a_story_as_a_person_reads_it(out: Path) -> None:
    story = next(
        story for story in records(out, "stories.jsonl") if story["text"].startswith("TOKYO")
    )
    metadata = story["metadata"]
    output = cli("show", out, story["id"][:8])
    lines = output.splitlines()
    assert lines[0] == metadata["title"]
    assert lines[2] == f"{story['created']} · {metadata['dateline']}"
    assert story["text"] in output
    captions = lines.index("Captions:")
    assert lines[captions + 1 : captions + 1 + len(metadata["captions"])] == [
        f"  - {caption}" for caption in metadata["captions"]
    ]
    assert f"  - {metadata['credits'][0]}" in lines[lines.index("Credits:") + 1 :]
    assert f"  source  {story['source']} {metadata['start']}–{metadata['end']}" in lines
    assert "  copies  0" in lines


def test_html_and_rebuild_take_no_filters(out: Path, tmp_path: Path) -> None:
    cli("diff", out, "--html", tmp_path / "r.html", "--source", SEED_003, exit_code=2)
    cli("diff", out, "--rebuild", "--source", SEED_003, "--reason", "timestamp", exit_code=2)
