"""A raw record made into a Document: decoded, parsed (HTML), and held to the size limit.

This runs in a worker process, under the per-document time budget, since decoding and HTML
parsing are where a hostile page spends its time.
"""

from __future__ import annotations

import hashlib

from cleaner.decode import decode
from cleaner.failures import InputFailure
from cleaner.front_matter import FrontMatter, front_matter
from cleaner.html import html_document
from cleaner.model import Document
from cleaner.read.record import RawRecord


def build_document(record: RawRecord, max_chars: int) -> Document:
    """The Document of `record`; raises `InputFailure` for a record that is not one."""
    if isinstance(record.content, str):
        text, encoding = record.content, record.charset or "utf-8"
        digest = hashlib.sha256(record.content.encode("utf-8")).hexdigest()
    else:
        text, encoding = _decode(record)
        digest = hashlib.sha256(record.content).hexdigest()
    if record.kind == "html":
        document = html_document(text, source=record.source, path=record.path, sha256=digest)
        if not document.text.strip():
            raise InputFailure(record.path, "html", "no visible text", record.record)
    else:
        document = text_document(text, source=record.source, path=record.path, sha256=digest)
    if len(document.text) > max_chars:
        reason = f"document of {len(document.text)} characters, over {max_chars}"
        raise InputFailure(record.path, "limit", reason, record.record)
    document.url = record.url or document.url
    document.record = record.record
    document.added = record.added
    document.encoding = encoding
    document.input_id = record.input_id
    return document


def text_document(
    text: str, source: str = "<text>", path: str | None = None, sha256: str | None = None
) -> Document:
    """A plain-text document; its text is the account's text as it is, and the header a
    converter wrote above it gives its title, URL and date (`cleaner.front_matter`)."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    header = front_matter(text) or FrontMatter(end=0)
    return Document(
        source=source,
        text=text,
        sha256=digest,
        path=path or source,
        url=header.url,
        created=header.created,
        title=header.title,
        header_end=header.end,
    )


def _decode(record: RawRecord) -> tuple[str, str]:
    try:
        return decode(record.content, record.path, record.charset, html=record.kind == "html")
    except InputFailure as failure:
        failure.record = record.record
        raise
