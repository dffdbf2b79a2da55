"""Shared fixtures: the seed documents, their lines, and the account check every stage's tests
use.

Helpers are handed out as fixtures (test modules are imported with `--import-mode=importlib`,
so they cannot import this file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner.model import DocumentResult

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def read_seed(name: str) -> str:
    """The text of the seed whose file name starts with `name` ("003"), exactly as stored."""
    (path,) = SEEDS_DIR.glob(f"{name}_*.txt")
    return path.read_bytes().decode("utf-8")


def nonblank_lines(text: str) -> list[str]:
    """The stripped non-blank lines of `text`, in order, repeats included."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_account(result: DocumentResult) -> None:
    """The spans of `result` cover its document's text exactly once, each with its own text."""
    text = result.document.text
    position = 0
    for span in result.spans():
        assert span.start == position, f"gap or overlap at {position}: {span}"
        assert span.end > span.start, f"empty span {span}"
        assert span.text == text[span.start : span.end], f"span text differs: {span}"
        position = span.end
    assert position == len(text)


@pytest.fixture(scope="session")
def seed_text() -> Callable[[str], str]:
    """`seed_text("003")`: the seed's text."""
    return read_seed


@pytest.fixture(scope="session")
def seed_lines() -> Callable[[str], list[str]]:
    """`seed_lines("003")`: the seed's non-blank lines, stripped."""
    return lambda name: nonblank_lines(read_seed(name))


@pytest.fixture(scope="session")
def seed_line() -> Callable[[str], str]:
    """`seed_line("TOKYO (AP)")`: the first line of seed 003 that starts with the prefix."""

    def first_line(prefix: str, name: str = "003") -> str:
        lines = [line for line in nonblank_lines(read_seed(name)) if line.startswith(prefix)]
        assert lines, f"no line of seed {name} starts with {prefix!r}"
        return lines[0]

    return first_line


@pytest.fixture(scope="session")
def assert_exact_account() -> Callable[[DocumentResult], None]:
    """`assert_exact_account(result)`: every character of the document in exactly one span."""
    return check_account
