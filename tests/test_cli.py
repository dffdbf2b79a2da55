"""The command line: bad inputs reported and skipped, diffs readable, output reproducible."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cleaner.cli import EXIT_INPUTS_FAILED, main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_003 = SEEDS / "003_148615a08d1af17f.txt"


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_bad_inputs_are_reported_by_name_and_the_rest_is_cleaned(tmp_path: Path) -> None:
    binary = tmp_path / "photo.html"
    binary.write_bytes(bytes(range(256)) * 20)
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    result = run_cli("run", str(binary), str(SEED_003), str(missing), "-o", str(out))
    assert result.exit_code == EXIT_INPUTS_FAILED
    assert f"{binary}: binary data" in result.stderr
    assert f"{missing}: no such file" in result.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(error["path"], error["stage"]) for error in errors] == [
        (str(binary), "decode"),
        (str(missing), "read"),
    ]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["errors"] == {"count": 2, "by_stage": {"decode": 1, "read": 1}}
    assert report["documents"] == 1 and report["stories"] == 2


def test_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("run", str(SEEDS), "-o", str(first)).exit_code == 0
    assert run_cli("run", str(SEEDS), "-o", str(second)).exit_code == 0
    for name in ("stories.jsonl", "removed.jsonl"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_directories_are_walked_in_sorted_order(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    (inputs / "b").mkdir(parents=True)
    shutil.copy(SEED_003, inputs / "b" / "first.txt")
    shutil.copy(SEEDS / "000_cbe68db5e1665070.txt", inputs / "a.txt")
    out = tmp_path / "out"
    assert run_cli("run", str(inputs), "-o", str(out)).exit_code == 0
    sources = [
        json.loads(line)["source"]
        for line in (out / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sources == [str(inputs / "a.txt")] + [str(inputs / "b" / "first.txt")] * 2


def test_piped_diff_marks_every_removed_span_with_its_reason(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("run", str(SEED_003), "-o", str(out))
    result = run_cli("diff", str(out), "--source", str(SEED_003))
    assert result.exit_code == 0
    assert "\x1b[" not in result.output
    removed = [json.loads(line) for line in (out / "removed.jsonl").read_text("utf-8").splitlines()]
    lines = result.output.splitlines()
    for record in removed:
        first_line = record["text"].strip().splitlines()[0]
        assert any(line.startswith(f"- {first_line} [{record['reason']}") for line in lines), (
            first_line
        )
    assert sum(line.startswith("@@ story ") for line in lines) == 2
    assert "  TOKYO (AP) — South Korean President" in result.output


def test_rebuild_needs_a_known_source(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("run", str(SEED_003), "-o", str(out))
    assert run_cli("diff", str(out), "--rebuild").exit_code == 2
    assert run_cli("diff", str(out), "--source", "nowhere.txt").exit_code == 2


def test_html_input_is_cleaned_and_rebuilt(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><nav>Home | World | Sport</nav><article><h1>Rain floods the old town"
        "</h1><p>Heavy rain flooded the old town on Monday, closing shops and roads for "
        "most of the day while crews pumped water from cellars.</p><p>Officials said the "
        "river rose faster than at any time in the past twenty years.</p></article>"
        "<footer>Copyright 2025 The Daily Example. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_cli("run", str(page), "-o", str(out)).exit_code == 0
    (story,) = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert story["metadata"]["title"] == "Rain floods the old town"
    assert story["text"].startswith("Heavy rain flooded the old town on Monday")
    assert "Copyright" not in story["text"] and "Sport" not in story["text"]
    rebuilt = run_cli("diff", str(out), "--source", str(page), "--rebuild").output
    assert rebuilt.startswith("Home | World | Sport\n\nRain floods the old town")
