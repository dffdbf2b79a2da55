"""JSONL: one JSON object per line, its document in a text or an HTML field.

The field names are options (`--text-field`, `--html-field`, `--url-field`, `--id-field`);
the HTML field is used when a record has both. A record's id is kept as the user gave it
(in `metadata.input_id`). `record` is the line number, from 1. A bad line is reported and
the next one read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from cleaner.decode import clean_text, decode
from cleaner.failures import InputFailure
from cleaner.read.record import RawRecord, ReadOptions

SUFFIXES = (".jsonl", ".ndjson", ".json")
SKIP_CHUNK = 1 << 20


def read_jsonl(
    stream: BinaryIO, path: str, options: ReadOptions
) -> Iterator[RawRecord | InputFailure]:
    cap = options.limits.max_record_bytes
    number = 0
    while line := stream.readline(cap + 1):
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield InputFailure(path, "limit", f"line of more than {cap} bytes", number)
        elif line.strip():
            try:
                yield _record(line, path, number, options)
            except InputFailure as failure:
                yield failure


def _record(line: bytes, path: str, number: int, options: ReadOptions) -> RawRecord:
    value, encoding = _parse(line, path, number)
    if not isinstance(value, dict):
        raise InputFailure(path, "read", "line is not a JSON object", number)
    html, text = value.get(options.html_field), value.get(options.text_field)
    if isinstance(html, str) and html:
        kind, content = "html", html
    elif isinstance(text, str) and text:
        kind, content = "text", text
    else:
        fields = f"{options.html_field!r} or {options.text_field!r}"
        raise InputFailure(path, "read", f"no text in a {fields} field", number)
    return RawRecord(
        path,
        clean_text(content),
        kind,
        record=number,
        url=_string(value.get(options.url_field)),
        charset=encoding,
        input_id=_string(value.get(options.id_field)),
    )


def _parse(line: bytes, path: str, number: int) -> tuple[Any, str]:
    """The JSON value of a line, and the encoding it was read in.

    orjson reads valid UTF-8; a line it refuses (another charset, a lone surrogate escape)
    is decoded like any text and given to the standard library's parser.
    """
    try:
        return orjson.loads(line), "utf-8"
    except orjson.JSONDecodeError:
        pass
    try:
        text, encoding = decode(line, path)
        return json.loads(text), encoding
    except (InputFailure, ValueError, RecursionError) as error:
        raise InputFailure(path, "read", "line is not JSON", number) from error


def _string(value: Any) -> str | None:
    """A field as a string: ids may be numbers; absent and empty fields are None."""
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    return clean_text(value if isinstance(value, str) else json.dumps(value))


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while chunk := stream.readline(SKIP_CHUNK):
        if chunk.endswith(b"\n"):
            return
