"""Progress of the first stage on stderr: a line now and then, with rates and, when the size
of the inputs is known, how far along."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cleaner import progress as progress_module
from cleaner.progress import Progress


def test_a_log_gets_whole_lines_with_counts_rates_and_the_share_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module, "LOG_SECONDS", 0.0)
    (tmp_path / "a.txt").write_bytes(b"x" * 1000)
    stream = io.StringIO()
    progress = Progress([str(tmp_path)], stream)
    progress.read(250)
    progress.done(failed=False)
    progress.read(250)
    progress.done(failed=True)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in stream.getvalue()
    assert lines[0].startswith("cleaner: 1 documents, ") and "25%" in lines[0]
    assert lines[-1].startswith("cleaner: 2 documents (1 failed), ") and "50%" in lines[-1]
    assert "docs/s" in lines[-1] and "MB/s" in lines[-1] and "left" in lines[-1]


def test_no_share_is_claimed_for_inputs_of_unknown_size() -> None:
    stream = io.StringIO()
    progress = Progress(["-"], stream)
    progress.read(10)
    progress.done(failed=False)
    progress.close()
    assert "%" not in stream.getvalue() and "left" not in stream.getvalue()


def test_no_progress_writes_nothing(tmp_path: Path) -> None:
    stream = io.StringIO()
    progress = Progress([str(tmp_path)], stream, enabled=False)
    progress.done(failed=False)
    progress.close()
    assert stream.getvalue() == ""
