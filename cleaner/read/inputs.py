"""The inputs of a run, as the user names them: files, directories (walked recursively in
sorted order, hidden entries left out), quoted globs, `@list.txt` (one input per line) and
`-` for standard input. A file named twice is read once.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import BinaryIO

from cleaner.failures import InputFailure

STDIN = "-"
GLOB_CHARACTERS = frozenset("*?[")


def expand_inputs(names: list[str]) -> Iterator[str | InputFailure]:
    """Every file `names` stands for, in order; a name that stands for nothing is yielded as
    an `InputFailure` in its place."""
    seen: set[str] = set()
    for item in _expand(names):
        if isinstance(item, str):
            key = item if item == STDIN else os.path.normpath(os.path.abspath(item))
            if key in seen:
                continue
            seen.add(key)
        yield item


def open_input(name: str) -> AbstractContextManager[BinaryIO]:
    """The input's bytes; standard input for `-`."""
    if name == STDIN:
        return nullcontext(sys.stdin.buffer)
    return open(name, "rb")


def _expand(names: list[str]) -> Iterator[str | InputFailure]:
    for name in names:
        path = Path(name)
        if name == STDIN or path.is_file():
            yield name
        elif path.is_dir():
            yield from _walk(path)
        elif name.startswith("@"):
            yield from _list_file(name[1:])
        elif GLOB_CHARACTERS & set(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                yield InputFailure(name, "read", "no file matches this pattern")
            yield from _expand(matches)
        else:
            yield InputFailure(name, "read", "no such file or directory")


def _walk(directory: Path) -> Iterator[str]:
    for child in sorted(p for p in directory.rglob("*") if p.is_file()):
        if not any(part.startswith(".") for part in child.relative_to(directory).parts):
            yield str(child)


def _list_file(name: str) -> Iterator[str | InputFailure]:
    """The inputs listed in the file `name`, one per line; blank lines and `#` comments are
    passed over. Relative names are taken from the current directory, as the shell would."""
    try:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        yield InputFailure(f"@{name}", "read", f"cannot read the list: {error}")
        return
    listed = [line.strip() for line in lines]
    yield from _expand([line for line in listed if line and not line.startswith("#")])
