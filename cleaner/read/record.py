"""What readers share: their options, and what they hand on, one raw record of an input or a
note that a record was skipped.

A record is still bytes (or, from JSONL, a string): decoding and parsing happen with the
cleaning, in a worker process under the time budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cleaner.limits import Limits

Kind = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read inputs: the limits, and the field names of JSONL records."""

    limits: Limits = field(default_factory=Limits)
    text_field: str = "text"
    html_field: str = "html"
    url_field: str = "url"
    id_field: str = "id"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One document's worth of an input, before decoding."""

    path: str  # the input file as named, "-" for standard input
    content: bytes | str
    kind: Kind
    record: int | None = None  # WARC byte offset or JSONL line number; None for a whole file
    url: str | None = None
    added: str | None = None  # crawl time (WARC-Date)
    charset: str | None = None  # declared outside the content (HTTP header), or used (JSONL)
    input_id: str | None = None  # the user's id of the record (JSONL --id-field)

    @property
    def source(self) -> str:
        """The record's name in the output: the path, and `#record` inside a container."""
        return self.path if self.record is None else f"{self.path}#{self.record}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A container record that is not a document (an image, a redirect): counted, not cleaned."""

    reason: str
