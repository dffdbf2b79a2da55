"""Find the inputs and read each into Documents: plain text and HTML files, in sorted order.

A file that cannot be read raises `InputFailure` naming the stage and the reason; the run
reports it and goes on with the other inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from cleaner.html import html_document
from cleaner.model import Document

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# The share of NUL and other control bytes above which a file is binary, not text.
MAX_CONTROL_SHARE = 0.05
CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


class InputFailure(Exception):
    """An input that cannot be read: `stage` says where it failed, the message why."""

    def __init__(self, path: str, stage: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.stage = stage
        self.reason = reason


def expand_inputs(inputs: list[str]) -> Iterator[str | InputFailure]:
    """Every file named by `inputs`, directories walked recursively in sorted order.

    A name that does not exist is yielded as an `InputFailure`, in its place.
    """
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield str(child)
        elif path.is_file():
            yield name
        else:
            yield InputFailure(name, "read", "no such file or directory")


def read_documents(path: str) -> list[Document]:
    """The documents in the file at `path`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputFailure(path, "read", error.strerror or str(error)) from error
    text = decode(raw, path)
    sha256 = hashlib.sha256(raw).hexdigest()
    if path.lower().endswith(HTML_SUFFIXES):
        return [html_document(text, source=path, path=path, sha256=sha256)]
    return [text_document(text, source=path, path=path, sha256=sha256)]


def text_document(
    text: str, source: str = "<text>", path: str | None = None, sha256: str | None = None
) -> Document:
    """A plain-text document; its text is the account's text as it is."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Document(source=source, text=text, sha256=digest, path=path or source)


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of `raw` (a byte-order mark dropped), else the detected charset's."""
    sample = raw[:65536]
    if sample and sum(sample.count(byte) for byte in CONTROL_BYTES) > MAX_CONTROL_SHARE * len(
        sample
    ):
        raise InputFailure(path, "decode", "binary data, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputFailure(path, "decode", "not UTF-8 and no charset detected")
    return str(best)
