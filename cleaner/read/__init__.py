"""Read inputs into raw records: plain text, HTML, JSONL and WARC/WET files, each possibly
gzip-, zstd- or bz2-compressed, from files, directories, globs, lists and standard input.

One module per format (`plain`, `jsonl`, `warc`), the way datatrove lays out its readers;
`compression` undoes compression, `inputs` finds the files, `document` turns a raw record
into a Document in the worker that cleans it. A bad input or record is yielded as an
`InputFailure` in its place, and reading goes on.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from functools import partial

import zstandard

from cleaner.failures import InputFailure
from cleaner.read import jsonl, warc
from cleaner.read.compression import compression_name, decompressed, sniff
from cleaner.read.document import build_document, text_document
from cleaner.read.inputs import STDIN, expand_inputs, open_input
from cleaner.read.plain import read_plain
from cleaner.read.record import RawRecord, ReadOptions, Skipped

__all__ = [
    "STDIN",
    "InputFailure",
    "RawRecord",
    "ReadOptions",
    "Skipped",
    "build_document",
    "expand_inputs",
    "read_all",
    "read_input",
    "text_document",
]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SNIFF_BYTES = 512
# What truncated or corrupt compressed data raises, besides OSError (which covers gzip's
# BadGzipFile and FastWARC's parse errors).
READ_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)

Item = RawRecord | Skipped | InputFailure


def read_all(
    names: list[str],
    options: ReadOptions,
    share: Callable[[list[str | InputFailure]], list[str | InputFailure]] | None = None,
) -> Iterator[Item]:
    """Every record of every input named, in order, with failures in their places; with
    `share`, of the inputs it picks from the list of them all (a shard's)."""
    expanded = expand_inputs(names) if share is None else share(list(expand_inputs(names)))
    for name in expanded:
        if isinstance(name, InputFailure):
            yield name
        else:
            yield from read_input(name, options)


def read_input(path: str, options: ReadOptions) -> Iterator[Item]:
    """The records of one input file (`-` for standard input)."""
    try:
        with open_input(path) as raw:
            stream = decompressed(raw, path, options.limits.max_file_bytes)
            head, stream = sniff(stream, SNIFF_BYTES)
            yield from _reader(path, head)(stream, path, options)
    except InputFailure as failure:
        yield failure
    except READ_ERRORS as error:
        yield InputFailure(path, "read", _describe(error))


def _reader(path: str, head: bytes):
    """The reader for a file: WARC by its magic, else by name, else by a look at its start."""
    name = compression_name(path).lower()
    if head.startswith(warc.MAGIC) or name.endswith(warc.SUFFIXES):
        return warc.read_warc
    if name.endswith(jsonl.SUFFIXES) or (path == STDIN and head.lstrip().startswith(b"{")):
        return jsonl.read_jsonl
    if name.endswith(HTML_SUFFIXES) or _looks_like_html(head, path):
        return partial(read_plain, kind="html")
    return partial(read_plain, kind="text")


def _looks_like_html(head: bytes, path: str) -> bool:
    """Only where the name does not say (standard input, no suffix), a page's opening tag."""
    if path != STDIN and "." in path.rsplit("/", 1)[-1]:
        return False
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _describe(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return f"truncated: {error}"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
