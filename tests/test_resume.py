"""Crash safety: a real `cleaner run` killed with SIGKILL at several points, then started
again with --resume, ends with output byte-identical to an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
OUTPUTS = ("stories.jsonl", "removed.jsonl", "errors.jsonl")
RECORDS = 40


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, and a JSONL of many small stories with a broken line in the middle."""
    root = tmp_path_factory.mktemp("inputs")
    seed = (SEEDS / "003_148615a08d1af17f.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": n, "text": f"Story number {n}.\n\n{seed[n * 97 : n * 97 + 1500]}"})
        for n in range(RECORDS)
    ]
    lines.insert(RECORDS // 2, "{not json")
    (root / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for seed_file in sorted(SEEDS.iterdir()):
        (root / seed_file.name).write_bytes(seed_file.read_bytes())
    return root


def cleaner(inputs: Path, out: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "cleaner.cli", "run", str(inputs), "-o", str(out)]
    command += ["--checkpoint-seconds", "0", *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def checkpoints(out: Path) -> int:
    try:
        return (out / ".journal").read_bytes().count(b"\n") - 1
    except FileNotFoundError:
        return -1


@pytest.fixture(scope="module")
def uninterrupted(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("whole") / "out"
    assert cleaner(inputs, out).wait(timeout=120) == 3  # the broken line
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.parametrize("after", [-1, 5, 25], ids=lambda n: f"after-{n}-checkpoints")
def test_a_killed_run_resumed_gives_byte_identical_output(
    inputs: Path, uninterrupted: dict[str, bytes], tmp_path: Path, after: int
) -> None:
    out = tmp_path / "out"
    run = cleaner(inputs, out)
    deadline = time.monotonic() + 60
    while checkpoints(out) < after + 1 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert not (out / "report.json").exists(), "the run ended before it could be killed"
    assert cleaner(inputs, out, "--resume").wait(timeout=120) == 3
    for name in OUTPUTS:
        assert (out / name).read_bytes() == uninterrupted[name], name
    report = json.loads((out / "report.json").read_text())
    assert report["errors"]["count"] == 1
    assert report["documents"] == RECORDS + 2
