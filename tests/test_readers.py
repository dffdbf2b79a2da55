"""Real inputs end to end through the CLI: WARC and WET files written with FastWARC,
JSONL with the user's field names, gzip and zstd, globs, lists, standard input and output."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from inputs import WARC_DATE, article, conversion, gzip_file, response, write_warc, zstd_file

from cleaner.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_000 = SEEDS / "000_cbe68db5e1665070.txt"


def run_cli(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def stories_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
def test_warc_responses_become_stories_with_url_offset_and_crawl_time(
    tmp_path: Path, gzipped: bool
) -> None:
    warc = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    offsets = write_warc(
        warc,
        [
            response("https://example.com/rain", article("Rain floods the old town").encode()),
            response("https://example.com/logo.png", b"\x89PNG...", "image/png"),
            response("https://example.com/fire", article("Fire closes the harbour").encode()),
        ],
        gzipped=gzipped,
    )
    out = tmp_path / "out"
    result = run_cli("run", str(warc), "-o", str(out))
    assert result.exit_code == 0, result.output
    rain, fire = stories_of(out)
    assert rain["metadata"]["title"] == "Rain floods the old town"
    assert rain["metadata"]["url"] == "https://example.com/rain"
    assert fire["metadata"]["url"] == "https://example.com/fire"
    assert rain["added"] == fire["added"] == WARC_DATE
    assert rain["metadata"]["path"] == str(warc)
    assert rain["metadata"]["encoding"] == "utf-8"
    if not gzipped:  # offsets into the decompressed WARC: the same as the file's here
        assert [rain["metadata"]["record"], fire["metadata"]["record"]] == [
            offsets[0],
            offsets[2],
        ]
    assert rain["source"] == f"{warc}#{rain['metadata']['record']}"
    report = json.loads((out / "report.json").read_text())
    assert report["skipped_records"] == {"not-html-or-text": 1}


def test_wet_conversion_records_are_read_as_text(tmp_path: Path) -> None:
    wet = tmp_path / "crawl.warc.wet.gz"
    text = SEED_000.read_text(encoding="utf-8")
    write_warc(wet, [conversion("https://example.com/news", text)], gzipped=True)
    out = tmp_path / "out"
    assert run_cli("run", str(wet), "-o", str(out)).exit_code == 0
    (story,) = stories_of(out)
    assert story["metadata"]["url"] == "https://example.com/news"
    assert story["text"] in text


def test_jsonl_fields_are_configurable_and_user_ids_kept(tmp_path: Path) -> None:
    lines = [
        {"doc": "a-17", "body": SEED_000.read_text(encoding="utf-8"), "link": "https://x.org/1"},
        {"doc": 18, "page": article("Fire closes the harbour")},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    path = zstd_file(tmp_path / "export.jsonl.zst", data)
    out = tmp_path / "out"
    args = ["--text-field", "body", "--html-field", "page", "--url-field", "link"]
    result = run_cli("run", str(path), "-o", str(out), *args, "--id-field", "doc")
    assert result.exit_code == 0, result.output
    first, second = stories_of(out)
    assert first["metadata"]["input_id"] == "a-17" and first["metadata"]["record"] == 1
    assert first["metadata"]["url"] == "https://x.org/1"
    assert second["metadata"]["input_id"] == "18" and second["metadata"]["record"] == 2
    assert second["metadata"]["title"] == "Fire closes the harbour"
    assert first["id"] != "a-17"  # the story id stays the hash of its text


def test_compressed_files_read_like_the_plain_file(tmp_path: Path) -> None:
    raw = SEED_000.read_bytes()
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    (plain / "story.txt").parent.mkdir()
    (plain / "story.txt").write_bytes(raw)
    packed.mkdir()
    gzip_file(packed / "story.txt.gz", raw)
    zstd_file(packed / "other.bin", raw)  # told by its magic bytes, not its name
    assert run_cli("run", str(plain), "-o", str(tmp_path / "a")).exit_code == 0
    assert run_cli("run", str(packed), "-o", str(tmp_path / "b")).exit_code == 0
    (expected,) = stories_of(tmp_path / "a")
    (story,) = stories_of(tmp_path / "b")  # two copies of one story, kept once
    assert story["text"] == expected["text"]
    copies = [copy["path"] for copy in story["metadata"]["duplicates"]]
    assert sorted([story["metadata"]["path"], *copies]) == [
        str(packed / "other.bin"),
        str(packed / "story.txt.gz"),
    ]


def test_globs_and_list_files_name_inputs(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "skip.log"):
        (tmp_path / name).write_bytes(SEED_000.read_bytes())
    listing = tmp_path / "list.txt"
    listing.write_text(f"# inputs\n{tmp_path / 'skip.log'}\n\n{tmp_path / 'a.txt'}\n")
    out = tmp_path / "out"
    result = run_cli("run", str(tmp_path / "*.txt"), f"@{listing}", "-o", str(out))
    assert result.exit_code == 0, result.output
    (story,) = stories_of(out)  # three copies of one story, kept once
    paths = [story["metadata"]["path"], *(copy["path"] for copy in story["metadata"]["duplicates"])]
    # a.txt, b.txt from the glob, then skip.log from the list; a.txt is not read twice
    assert paths == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "skip.log")]


def test_stdin_to_stdout_streams_stories_and_keeps_stdout_clean(tmp_path: Path) -> None:
    html = gzip.compress(article("Rain floods the old town").encode())
    done = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "run", "-", "-o", "-"],
        input=html,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (story,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert story["metadata"]["title"] == "Rain floods the old town"
    assert story["metadata"]["path"] == "-"
    assert b"1 documents" in done.stderr


def test_stdin_jsonl_is_recognised(tmp_path: Path) -> None:
    line = json.dumps({"id": "x1", "text": SEED_000.read_text(encoding="utf-8")}) + "\n"
    out = tmp_path / "out"
    assert run_cli("run", "-", "-o", str(out), stdin=line.encode()).exit_code == 0
    assert stories_of(out)[0]["metadata"]["input_id"] == "x1"


def test_a_directory_holding_other_files_takes_the_output_and_keeps_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("the user's own file")
    assert run_cli("run", str(SEED_000), "-o", str(out)).exit_code == 0
    assert (out / "notes.txt").read_text() == "the user's own file"
    assert len(stories_of(out)) == 1


def test_non_empty_output_is_refused_without_resume_or_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", str(SEED_000), "-o", str(out)).exit_code == 0
    refused = run_cli("run", str(SEED_000), "-o", str(out))
    assert refused.exit_code == 2 and "--overwrite" in refused.output
    assert run_cli("run", str(SEED_000), "-o", str(out), "--overwrite").exit_code == 0
    resumed = run_cli("run", str(SEED_000), "-o", str(out), "--resume")
    assert resumed.exit_code == 0  # a finished run: nothing left to do
    other = run_cli("run", str(SEEDS), "-o", str(out), "--resume")
    assert other.exit_code == 2 and "other inputs or options" in other.output
