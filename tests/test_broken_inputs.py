"""A corpus of broken inputs, made at test time, through `cleaner run`: every good input is
cleaned, every bad one is named with its reason in errors.jsonl, and the exit code is 3."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from inputs import article, response, write_warc

from cleaner.cli import EXIT_INPUTS_FAILED, main

GOOD_TEXT = (
    Path(__file__).resolve().parent.parent / "seeds" / "000_cbe68db5e1665070.txt"
).read_bytes()
NEWS = "Heavy rain flooded the old town on Monday, officials said, and roads stayed closed."
# Other stories, so that the small inputs are not copies of each other.
SNOW = "Snow closed the mountain pass on Tuesday, and drivers waited for hours at the border."
FIRE = "Fire crews saved the harbour warehouse late on Sunday after a blaze of six hours."


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Good and bad inputs side by side; each bad file's name says what is wrong with it."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "good.txt").write_bytes(GOOD_TEXT)
    (root / "good.html").write_text(article("Rain floods the old town"), encoding="utf-8")
    packed = gzip.compress(GOOD_TEXT * 20)
    (root / "truncated.txt.gz").write_bytes(packed[: len(packed) // 2])
    warc = root / "truncated.warc"
    write_warc(
        warc,
        [response(f"https://example.com/{n}", article(f"Story {n}").encode()) for n in range(3)],
    )
    (root / "truncated.warc").write_bytes(warc.read_bytes()[:-300])
    (root / "binary.html").write_bytes(bytes(range(256)) * 40)
    (root / "empty.txt").write_bytes(b"")
    write_warc(root / "zero-byte-record.warc", [response("https://example.com/empty", b"")])
    page = f"<html><head><meta charset='utf-8'></head><body><p>Café crème. {NEWS}</p></body>"
    (root / "wrong-charset.html").write_bytes(page.encode("cp1252"))
    (root / "invalid-utf8.txt").write_bytes(b"Caf\xe9 au lait \xff\xfe. " + SNOW.encode())
    (root / "huge-line.txt").write_bytes(b"word " * 10_000_000)  # 50 MB, no line break
    (root / "bomb.txt.gz").write_bytes(gzip.compress(bytes(200 << 20)))  # 200 MiB of NULs
    (root / "deeply-nested.html").write_text(
        "<html><body>" + "<div>" * 5000 + f"<p>{FIRE}</p>" + "</div>" * 5000 + "</body></html>"
    )
    (root / "no-body.html").write_text("<html><head><title>Nothing here</title></head></html>")
    return root


@pytest.fixture(scope="module")
def result(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out")
    run = CliRunner().invoke(main, ["run", str(corpus), "-o", str(out), "--overwrite"])
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    stories = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    return run, {Path(error["path"]).name: error for error in errors}, stories


def test_the_run_finishes_with_exit_code_3(result) -> None:
    run, _, _ = result
    assert run.exit_code == EXIT_INPUTS_FAILED, run.output


@pytest.mark.parametrize(
    ("name", "stage", "reason"),
    [
        ("truncated.txt.gz", "read", "truncated"),
        ("truncated.warc", "read", "cut short"),
        ("binary.html", "decode", "binary data"),
        ("empty.txt", "read", "empty input"),
        ("zero-byte-record.warc", "read", "empty record"),
        ("huge-line.txt", "limit", "over 1000000"),
        ("bomb.txt.gz", "limit", "record of more than"),
        ("no-body.html", "html", "no visible text"),
    ],
)
def test_each_bad_input_is_named_with_its_stage_and_reason(result, name, stage, reason) -> None:
    run, errors, _ = result
    assert errors[name]["stage"] == stage
    assert reason in errors[name]["reason"]
    assert f"{name}" in run.stderr


def test_good_inputs_and_records_before_the_damage_are_cleaned(result) -> None:
    _, errors, stories = result
    by_name = {Path(story["metadata"]["path"]).name for story in stories}
    assert {"good.txt", "good.html"} <= by_name
    assert "truncated.warc" in by_name  # the records before the cut
    assert not by_name & (set(errors) - {"truncated.warc"})


def test_wrong_or_missing_charsets_fall_back_instead_of_failing(result) -> None:
    _, errors, stories = result
    assert "wrong-charset.html" not in errors and "invalid-utf8.txt" not in errors
    texts = {Path(story["metadata"]["path"]).name: story for story in stories}
    assert "Café crème" in texts["wrong-charset.html"]["text"]
    assert texts["wrong-charset.html"]["metadata"]["encoding"] == "cp1252"
    assert texts["invalid-utf8.txt"]["text"].startswith("Caf")


def test_deeply_nested_html_is_cleaned_or_reported_never_fatal(result) -> None:
    _, errors, stories = result
    paths = {Path(story["metadata"]["path"]).name for story in stories}
    assert ("deeply-nested.html" in paths) != ("deeply-nested.html" in errors)


@pytest.mark.parametrize("jobs", ["1", "2"])  # in this process, in worker processes
def test_a_page_over_the_time_budget_is_abandoned_and_the_run_goes_on(
    tmp_path: Path, jobs: str
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    page = inputs / "slow.html"
    page.write_text(article("Rain floods the old town", sentences=3000))
    (inputs / "good.txt").write_bytes(GOOD_TEXT)
    out = tmp_path / "out"
    arguments = ["run", str(inputs), "-o", str(out), "--timeout", "0.2", "-j", jobs]
    run = CliRunner().invoke(main, arguments)
    assert run.exit_code == EXIT_INPUTS_FAILED
    (error,) = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert error == {"path": str(page), "stage": "clean", "reason": "took more than 0.2 s"}
    stories = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert {story["metadata"]["path"] for story in stories} == {str(inputs / "good.txt")}
