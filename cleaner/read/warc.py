"""WARC and WET files, through FastWARC (see benchmarks/warc_readers.py for why FastWARC).

Documents are the `response` records with an HTML (or plain-text) payload and a 2xx status,
`resource` records of HTML or text, and the `conversion` records of WET files (text). Other
responses (images, redirects, errors) are counted as skipped. `record` is the record's byte
offset in the decompressed WARC; `added` is its WARC-Date.

FastWARC, like warcio, passes over a file cut short in silence, so a record whose payload is
shorter than its Content-Length ends the file with an error.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from cleaner.failures import InputFailure
from cleaner.read.compression import decompressed
from cleaner.read.plain import read_record_bytes
from cleaner.read.record import Kind, RawRecord, ReadOptions, Skipped

MAGIC = b"WARC/"
SUFFIXES = (".warc", ".wet", ".arc")
DOCUMENT_RECORDS = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
ENCODED_PAYLOAD = ("gzip", "x-gzip", "zstd", "bzip2")


def read_warc(
    stream: BinaryIO, path: str, options: ReadOptions
) -> Iterator[RawRecord | Skipped | InputFailure]:
    records = ArchiveIterator(
        _Counted(stream), record_types=DOCUMENT_RECORDS, parse_http=True, stream_detect=False
    )
    while (record := _next_record(records, path)) is not None:
        try:
            yield _document(record, path, options)
        except InputFailure as failure:
            yield failure
            if failure.stage == "read":
                return


def _next_record(records: ArchiveIterator, path: str) -> WarcRecord | None:
    """The next record; FastWARC's Rust panics (a BaseException) become a read failure."""
    try:
        return next(records, None)
    except (Exception, KeyboardInterrupt, SystemExit):
        raise  # OSError and the like are reported by the caller
    except BaseException as error:
        raise InputFailure(path, "read", f"FastWARC failed: {error}") from error


class _Counted:
    """The `read` and `tell` FastWARC asks of a stream, over one that cannot seek."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position


def _document(record: WarcRecord, path: str, options: ReadOptions) -> RawRecord | Skipped:
    offset = record.stream_pos
    if "Content-Length" not in record.headers:
        raise InputFailure(path, "read", "WARC record cut short in its headers", offset)
    kind = _kind(record)
    if isinstance(kind, Skipped):
        return kind
    cap = options.limits.max_record_bytes
    payload = read_record_bytes(record.reader, cap, path, offset, record.content_length)
    if len(payload) < record.content_length:
        reason = f"WARC record cut short: {len(payload)} of {record.content_length} bytes"
        raise InputFailure(path, "read", reason, offset)
    if record.is_http and record.http_headers.get("Content-Encoding") in ENCODED_PAYLOAD:
        payload = decompressed(io.BytesIO(payload), path, cap).read()
    if not payload.strip():
        raise InputFailure(path, "read", "empty record", offset)
    return RawRecord(
        path,
        payload,
        kind,
        record=offset,
        url=record.headers.get("WARC-Target-URI"),
        added=record.headers.get("WARC-Date"),
        charset=record.http_charset if record.is_http else None,
    )


def _kind(record: WarcRecord) -> Kind | Skipped:
    """What the record's payload is, or why it is not a document."""
    if record.record_type == WarcRecordType.conversion:
        return "text"
    if record.is_http:
        status = record.http_headers.status_code
        if not 200 <= status < 300:
            return Skipped(f"http-status-{status // 100}xx")
        content_type = record.http_content_type or ""
    else:
        content_type = (record.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if content_type in HTML_TYPES:
        return "html"
    if content_type in TEXT_TYPES:
        return "text"
    return Skipped("not-html-or-text")
