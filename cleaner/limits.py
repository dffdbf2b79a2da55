"""Limits that keep one bad input from taking a run down: time per document, bytes per file
and per record after decompression (gzip bombs), and characters per document.

The time budget is enforced by `cleaner.workers` from outside the process that cleans; the
byte caps by `CappedStream`, which stops reading as soon as a cap is passed, so a bomb never
reaches memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from cleaner.failures import InputFailure

MIB = 1 << 20
GIB = 1 << 30


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one input; each over-limit input is reported and skipped."""

    timeout: float = 60.0  # seconds to clean one document
    max_file_bytes: int = 16 * GIB  # bytes of one input file after decompression
    max_record_bytes: int = 50 * MIB  # bytes of one record (a file, a WARC record, a line)
    max_document_chars: int = 1_000_000  # characters of text to clean in one document


class CappedStream(io.RawIOBase):
    """A read-only stream that raises `InputFailure` once more than `cap` bytes were read."""

    def __init__(self, stream: BinaryIO, cap: int, path: str):
        super().__init__()
        self.stream = stream
        self.cap = cap
        self.path = path
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.stream.read(len(buffer))
        self.position += len(data)
        if self.position > self.cap:
            raise InputFailure(
                self.path, "limit", f"more than {self.cap} bytes after decompression"
            )
        buffer[: len(data)] = data
        return len(data)
