"""A plain-text or HTML file: the whole file is one record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from cleaner.failures import InputFailure
from cleaner.read.record import Kind, RawRecord, ReadOptions


def read_plain(
    stream: BinaryIO, path: str, options: ReadOptions, kind: Kind
) -> Iterator[RawRecord]:
    content = read_record_bytes(stream, options.limits.max_record_bytes, path)
    if not content:
        raise InputFailure(path, "read", "empty input")
    yield RawRecord(path, content, kind)


def read_record_bytes(
    stream: BinaryIO, cap: int, path: str, record: int | None = None, size: int = -1
) -> bytes:
    """At most `cap` bytes of `stream` (all of it, or `size`); over the cap is a failure."""
    if size > cap:
        raise InputFailure(path, "limit", f"record of {size} bytes, over {cap}", record)
    content = stream.read(cap + 1)
    if len(content) > cap:
        raise InputFailure(path, "limit", f"record of more than {cap} bytes", record)
    return content
