"""Transparent decompression: gzip, zstd and bz2, told apart by their magic bytes rather than
by the file name, so a `.gz` that is not gzip and a pipe of zstd both read right.

Truncated data raises `EOFError` at its end in every format (zstandard's own stream reader
would stop in silence, so zstd frames are fed by hand), and the decompressed bytes pass a
`CappedStream`, so a bomb stops at the cap.
"""

from __future__ import annotations

import bz2
import gzip
import io
from typing import BinaryIO

import zstandard

from cleaner.limits import CappedStream

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BZIP2_MAGIC = b"BZh"
MAGIC_BYTES = 4
CHUNK = 1 << 16
ZSTD_FEED = 1024
SUFFIXES = (".gz", ".gzip", ".zst", ".zstd", ".bz2")


def decompressed(stream: BinaryIO, path: str, max_bytes: int) -> io.BufferedReader:
    """The decompressed content of `stream` (as it is when not compressed), capped."""
    head, stream = sniff(stream, MAGIC_BYTES)
    inner: BinaryIO
    if head.startswith(GZIP_MAGIC):
        inner = gzip.GzipFile(fileobj=stream, mode="rb")
    elif head.startswith(ZSTD_MAGIC):
        inner = ZstdStream(stream)
    elif head.startswith(BZIP2_MAGIC):
        inner = bz2.BZ2File(stream)
    else:
        inner = stream
    return io.BufferedReader(CappedStream(inner, max_bytes, path), buffer_size=CHUNK)


def compression_name(path: str) -> str:
    """`path` without its compression suffix: `a.warc.gz` -> `a.warc`."""
    for suffix in SUFFIXES:
        if path.lower().endswith(suffix):
            return path[: -len(suffix)]
    return path


def sniff(stream: BinaryIO, size: int) -> tuple[bytes, io.BufferedReader]:
    """The first `size` bytes of `stream` (fewer at its end), and a stream that still starts
    with them. Works on pipes, which cannot seek back."""
    head = b""
    while len(head) < size:
        data = stream.read(size - len(head))
        if not data:
            break
        head += data
    return head, io.BufferedReader(_Replay(head, stream), buffer_size=CHUNK)


class _Replay(io.RawIOBase):
    """`head`, then the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO):
        super().__init__()
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self.head:
            data, self.head = self.head[: len(buffer)], self.head[len(buffer) :]
        else:
            data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class ZstdStream(io.RawIOBase):
    """Decompressed zstd frames, one after another; raises `EOFError` on an unfinished frame.

    Compressed bytes are fed a little at a time: zstd has no cap on the output of one call,
    and 1 KiB of a bomb makes at most a few tens of MiB.
    """

    def __init__(self, stream: BinaryIO):
        super().__init__()
        self.stream = stream
        self.decompressor = zstandard.ZstdDecompressor().decompressobj()
        self.in_frame = False
        self.pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self.pending:
            compressed = self.stream.read(ZSTD_FEED)
            if not compressed:
                if self.in_frame:
                    raise EOFError("zstd data ended before the end of its frame")
                return 0
            self.pending = memoryview(self._decompress(compressed))
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def _decompress(self, compressed: bytes) -> bytes:
        output = []
        while compressed:
            self.in_frame = True
            output.append(self.decompressor.decompress(compressed))
            if not self.decompressor.eof:
                break
            self.in_frame = False
            compressed = self.decompressor.unused_data
            self.decompressor = zstandard.ZstdDecompressor().decompressobj()
        return b"".join(output)
