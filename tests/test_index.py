"""The persistent story index, embedded (SQLite) and on a real Redis server: a later run emits
only the stories no earlier run emitted, concurrent runs never emit one story twice, and a
run killed after claiming its stories resumes to the same output.

The Redis tests use the server at REDIS_URL (default redis://127.0.0.1:6390/0, which
`.ci/run` starts), each under a key prefix of its own, and are skipped, saying so, when no
server answers there.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from inputs import article

from cleaner.cli import EXIT_FATAL, main
from cleaner.index import IndexedStory, open_index
from cleaner.lsh import band_keys
from cleaner.signature import sign
from cleaner.story_table import StoryRef

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_000 = SEEDS / "000_cbe68db5e1665070.txt"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6390/0")


def redis_unreachable() -> str | None:
    """Why the Redis tests cannot run, or None."""
    try:
        import redis
    except ImportError:
        return "redis-py is not installed (pip install -e '.[test]')"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"no Redis server answers at REDIS_URL={REDIS_URL} ({error}); .ci/run starts one"
    return None


@pytest.fixture(params=["embedded", "redis"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty index: a SQLite file, or a key prefix of its own on the Redis server."""
    if request.param == "embedded":
        yield str(tmp_path / "stories.index")
        return
    reason = redis_unreachable()
    if reason:
        pytest.skip(reason)
    import redis

    prefix = f"cleaner-test-{uuid.uuid4().hex}"
    yield f"{REDIS_URL}{'&' if '?' in REDIS_URL else '?'}prefix={prefix}"
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*", count=1000):
        client.delete(key)


def run(out: Path, *args: str | Path) -> tuple[list[dict], list[dict], dict]:
    result = CliRunner().invoke(main, ["run", *map(str, args), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return read(out)


def read(out: Path) -> tuple[list[dict], list[dict], dict]:
    def lines(name: str) -> list[dict]:
        return [json.loads(line) for line in (out / name).read_text("utf-8").splitlines()]

    copies = [r for r in lines("removed.jsonl") if r["reason"] == "story-duplicate"]
    return lines("stories.jsonl"), copies, json.loads((out / "report.json").read_text())


def test_a_second_run_with_the_same_index_emits_no_story(tmp_path: Path, index: str) -> None:
    first, _, _ = run(tmp_path / "first", SEEDS, "--index", index)
    assert len(first) == 3
    second, copies, report = run(tmp_path / "second", SEEDS, "--index", index)
    assert second == []
    assert sorted(copy["duplicate_of"]["id"] for copy in copies) == sorted(s["id"] for s in first)
    assert all(copy["similarity"] == 1.0 for copy in copies)
    assert report["dedup"]["duplicates_of_earlier_runs"] == 3 and report["stories"] == 0
    for source in SEEDS.glob("*.txt"):
        rebuilt = CliRunner().invoke(
            main, ["diff", str(tmp_path / "second"), "--source", str(source), "--rebuild"]
        )
        assert rebuilt.stdout_bytes == source.read_bytes()


def test_a_later_run_emits_only_the_stories_it_has_not_seen(tmp_path: Path, index: str) -> None:
    (earlier,), _, _ = run(tmp_path / "first", SEED_000, "--index", index)
    later, copies, _ = run(tmp_path / "second", SEEDS, "--index", index)
    assert [story["text"][:12] for story in later] == ["TOKYO (AP) —", "HAVANA (AP) "]
    (copy,) = copies
    assert copy["duplicate_of"]["id"] == earlier["id"]
    assert copy["duplicate_of"]["source"] == str(SEED_000)


def test_an_index_of_other_signatures_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.index"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("INSERT INTO meta VALUES ('layout', 'legacy-seed1-shingle5')")
    result = CliRunner().invoke(
        main, ["run", str(SEED_000), "-o", str(tmp_path / "out"), "--index", str(path)]
    )
    assert result.exit_code == EXIT_FATAL
    assert "holds signatures made otherwise: legacy-seed1-shingle5" in result.stderr


def test_of_two_claims_made_on_one_lookup_only_the_first_succeeds(index: str) -> None:
    signature = sign(SEED_000.read_text(encoding="utf-8"))
    keys = band_keys([signature])
    first, second = open_index(index), open_index(index)
    try:
        (seen,) = first.lookup(keys)
        assert seen.stories == []
        story = IndexedStory(StoryRef("a1", "a.txt", 0, 10), signature, run="run-a")
        other = IndexedStory(StoryRef("a1", "b.txt", 0, 10), signature, run="run-b")
        assert first.claim([story], keys, [seen.seen]) == [True]
        assert second.claim([other], keys, [seen.seen]) == [False]
        (again,) = second.lookup(keys)
        assert [found.ref for found in again.stories] == [story.ref]
    finally:
        first.close()
        second.close()


@pytest.fixture
def many_stories() -> bytes:
    """A JSONL export: the seeds twice and thirty short news pages."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    records = [{"text": text} for text in texts * 2]
    records += [{"html": article(f"Story number {n}")} for n in range(30)]
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def test_concurrent_runs_sharing_an_index_emit_each_story_once(
    tmp_path: Path, index: str, many_stories: bytes
) -> None:
    """Three runs read the export from their standard input, cleaning as it comes; closing
    the three inputs at once starts their dedup stages at once."""
    alone = CliRunner().invoke(main, ["run", "-", "-o", "-"], input=many_stories)
    expected = {json.loads(line)["id"] for line in alone.stdout.splitlines()}
    outs = [tmp_path / f"run-{n}" for n in range(3)]
    command = [sys.executable, "-m", "cleaner.cli", "run", "-", "--index", index, "-o"]
    runs = [
        subprocess.Popen([*command, str(out)], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        for out in outs
    ]
    for process in runs:
        process.stdin.write(many_stories)
        process.stdin.flush()
    for process in runs:
        process.stdin.close()
    for process in runs:
        assert process.wait(timeout=300) == 0, process.stderr.read()
    emitted = Counter(story["id"] for out in outs for story in read(out)[0])
    assert set(emitted) == expected
    assert set(emitted.values()) == {1}


def test_a_run_killed_after_claiming_its_stories_resumes_to_the_same_output(
    tmp_path: Path, index: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, _, _ = run(tmp_path / "reference", SEEDS)
    out = tmp_path / "out"

    def killed(*args: object) -> None:
        raise RuntimeError("killed")  # as if killed once the index holds the run's stories

    with monkeypatch.context() as patch:
        patch.setattr(sys.modules["cleaner.stages"], "final_records", killed)
        interrupted = CliRunner().invoke(
            main, ["run", str(SEEDS), "-o", str(out), "--index", index]
        )
    assert interrupted.exit_code != 0 and not (out / "stories.jsonl").exists()
    resumed, copies, _ = run(out, SEEDS, "--index", index, "--resume")
    assert resumed == expected and copies == []
    later, _, _ = run(tmp_path / "later", SEEDS, "--index", index)
    assert later == []


def test_a_run_that_loses_the_race_for_its_stories_drops_them_as_the_winners_copies(
    tmp_path: Path, index: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run B starts and finishes between run A's lookup and A's claims: A's claims fail,
    A looks again and finds B's stories."""
    story_dedup = sys.modules["cleaner.story_dedup"]
    real_open = story_dedup.open_index

    class RacedIndex:
        def __init__(self, location: str) -> None:
            self.index, self.raced = real_open(location), False

        def lookup(self, keys):
            found = self.index.lookup(keys)
            if not self.raced:
                self.raced = True
                with monkeypatch.context() as unpatched:
                    unpatched.setattr(story_dedup, "open_index", real_open)
                    run(tmp_path / "b", SEEDS, "--index", index)
            return found

        def claim(self, *args):
            return self.index.claim(*args)

        def close(self) -> None:
            self.index.close()

    monkeypatch.setattr(story_dedup, "open_index", RacedIndex)
    a_stories, a_copies, _ = run(tmp_path / "a", SEEDS, "--index", index)
    b_stories, b_copies, _ = read(tmp_path / "b")
    assert a_stories == [] and b_copies == [] and len(b_stories) == 3
    assert sorted(c["duplicate_of"]["id"] for c in a_copies) == sorted(s["id"] for s in b_stories)


def _open_at(moment: float, path: str) -> None:
    while time.time() < moment:  # a spin, not a sleep: all openers start within microseconds
        pass
    open_index(path).close()


def test_runs_opening_a_new_embedded_index_at_one_moment_all_get_it(tmp_path: Path) -> None:
    """Switching a new file to WAL does not wait on a busy file: each opener must retry."""
    context = multiprocessing.get_context("fork")
    for trial in range(40):
        path, moment = str(tmp_path / f"{trial}.index"), time.time() + 0.05
        openers = [context.Process(target=_open_at, args=(moment, path)) for _ in range(6)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(timeout=60)
        assert [opener.exitcode for opener in openers] == [0] * 6, f"trial {trial}"
