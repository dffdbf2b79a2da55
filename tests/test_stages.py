"""The stages of a run shard by shard, as an engine spreading a run over machines runs them
(`cleaner stage map|dedup|write|merge`): the same output bytes as `cleaner run`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import EXIT_FATAL, EXIT_INPUTS_FAILED, main
from cleaner.staging import Shard

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
OUTPUT_FILES = ("stories.jsonl", "removed.jsonl", "errors.jsonl")


def cleaner(*arguments: str) -> int:
    result = CliRunner().invoke(main, list(arguments))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The seeds, a copy of each in another folder (so that stories of one shard are copies
    of another's), and an input that fails."""
    root = tmp_path_factory.mktemp("inputs")
    shutil.copytree(SEEDS, root / "a-seeds")
    shutil.copytree(SEEDS, root / "b-copies")
    (root / "c-broken.html").write_bytes(b"\x00\x01\x02 not a page \xff\xfe" * 50)
    return [str(root / "a-seeds"), str(root / "b-copies"), str(root / "c-broken.html")]


def run_in_shards(inputs: list[str], out: Path, world_size: int) -> int:
    for rank in range(world_size):
        shard = ["--rank", str(rank), "--world-size", str(world_size)]
        cleaner("stage", "map", *inputs, "-o", str(out), *shard, "-j", "1")
    assert cleaner("stage", "dedup", str(out)) == 0
    for rank in range(world_size):
        assert (
            cleaner(
                "stage", "write", str(out), "--rank", str(rank), "--world-size", str(world_size)
            )
            == 0
        )
    return cleaner("stage", "merge", str(out))


@pytest.mark.parametrize("world_size", [1, 2, 3])
def test_shards_give_the_bytes_of_one_run(
    inputs: list[str], tmp_path: Path, world_size: int
) -> None:
    assert (
        cleaner("run", *inputs, "-o", str(tmp_path / "run"), "--no-progress") == EXIT_INPUTS_FAILED
    )
    assert run_in_shards(inputs, tmp_path / "shards", world_size) == EXIT_INPUTS_FAILED
    for name in OUTPUT_FILES:
        assert (tmp_path / "shards" / name).read_bytes() == (tmp_path / "run" / name).read_bytes()
    one, sharded = (
        json.loads((tmp_path / d / "report.json").read_text()) for d in ("run", "shards")
    )
    for figures in (one, sharded):
        del figures["timings"]
    assert sharded == one
    assert one["dedup"]["duplicates"] == 3  # the copies of the seeds' stories
    assert not (tmp_path / "shards" / ".stage").exists()


def test_a_missing_shard_stops_the_dedup_with_a_clear_error(
    inputs: list[str], tmp_path: Path
) -> None:
    cleaner("stage", "map", *inputs, "-o", str(tmp_path), "--rank", "1", "--world-size", "2")
    result = CliRunner().invoke(main, ["stage", "dedup", str(tmp_path)])
    assert result.exit_code == EXIT_FATAL
    assert "does not hold the first stage of every shard" in result.output


def test_a_rank_outside_the_world_is_a_usage_error(tmp_path: Path) -> None:
    assert (
        cleaner("stage", "map", str(SEEDS), "-o", str(tmp_path), "--rank", "2", "--world-size", "2")
        == 2
    )


def test_shards_hold_the_inputs_in_order_whatever_their_number() -> None:
    files = [f"{n:03d}.txt" for n in range(10)]
    for world_size in (1, 3, 4, 10, 11):
        parts = [Shard(rank, world_size).take(files) for rank in range(world_size)]
        assert [name for part in parts for name in part] == files
