"""Fuzzing the readers and the text cleaning for a bounded time: no input may crash them.

Hypothesis always runs (a fixed number of examples); atheris, where it is installed, runs
libFuzzer's mutations over the same target for a few seconds in a subprocess (without
coverage instrumentation: instrumenting trafilatura and lxml at import takes minutes).
Each prints how many inputs it tried.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.decode import decode
from cleaner.failures import InputFailure
from cleaner.limits import Limits
from cleaner.read import RawRecord, ReadOptions, build_document, read_input

OPTIONS = ReadOptions(Limits(max_record_bytes=1 << 16, max_file_bytes=1 << 20))
PREFIXES = [b"", b"WARC/1.0\r\n", b'{"text": "', b"<html><body>", b"\xef\xbb\xbf"]
tried = {"readers": 0}


def read_everything(data: bytes, name: str, tmp: Path) -> None:
    """What a run does with a file: read each record, decode it and build its document."""
    path = tmp / name
    path.write_bytes(data)
    for item in read_input(str(path), OPTIONS):
        if isinstance(item, RawRecord):
            with contextlib.suppress(InputFailure):
                build_document(item, max_chars=1 << 16)


inputs = st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=2000)).map(b"".join)
packings = st.sampled_from([lambda b: b, gzip.compress, zstandard.ZstdCompressor().compress])
names = st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.warc", "a"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, pack=packings, name=names, cut=st.integers(min_value=0, max_value=64))
def test_readers_never_crash(tmp_path_factory, data: bytes, pack, name: str, cut: int) -> None:
    packed = pack(data)
    read_everything(packed[: len(packed) - cut], name, tmp_path_factory.mktemp("fuzz"))
    tried["readers"] += 1


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=3000), declared=st.none() | st.text(max_size=20))
def test_decoding_never_crashes(raw: bytes, declared: str | None) -> None:
    try:
        text, encoding = decode(raw, "x", declared, html=True)
    except InputFailure:
        return
    assert "\x00" not in text and encoding
    text.encode("utf-8")  # no lone surrogates left


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=1500))
def test_cleaning_any_text_never_crashes_and_accounts_for_it(text: str) -> None:
    result = cleaner.clean_text(text)
    assert sum(span.end - span.start for span in result.spans()) == len(text)


def test_fuzzing_tried_inputs(capsys) -> None:
    with capsys.disabled():
        print(f"\nhypothesis: {tried['readers']} inputs through the readers")


ATHERIS_TARGET = textwrap.dedent(
    """
    import sys, tempfile, time
    from pathlib import Path
    import atheris
    from cleaner.read import RawRecord, ReadOptions, build_document, read_input
    from cleaner.failures import InputFailure
    from cleaner.limits import Limits
    OPTIONS = ReadOptions(Limits(max_record_bytes=1 << 16, max_file_bytes=1 << 20))
    DIRECTORY = Path(tempfile.mkdtemp())
    NAMES = ["a.txt", "a.html", "a.jsonl", "a.warc", "a.gz"]
    def target(data):
        path = DIRECTORY / NAMES[data[0] % len(NAMES)] if data else DIRECTORY / "a"
        path.write_bytes(data[1:])
        for item in read_input(str(path), OPTIONS):
            if isinstance(item, RawRecord):
                try:
                    build_document(item, max_chars=1 << 16)
                except InputFailure:
                    pass
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
    """
)


def test_atheris_finds_no_crash_in_the_readers(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    script = tmp_path / "fuzz_readers.py"
    script.write_text(ATHERIS_TARGET)
    done = subprocess.run(
        [sys.executable, str(script), "-max_total_time=6", "-max_len=4096", "-rss_limit_mb=2048"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    runs = re.search(r"Done (\d+) runs", done.stderr)
    assert runs, done.stderr[-3000:]
    print(f"\natheris: {runs.group(1)} inputs through the readers")
