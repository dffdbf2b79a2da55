"""Builders of real input files for the tests: WARC and WET through FastWARC's writer,
compressed files, pages. Shared by the reader, broken-input and resume tests."""

from __future__ import annotations

import gzip
import io
import random
import uuid
from pathlib import Path

import zstandard
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType

WARC_DATE = "2025-08-23T10:00:00Z"


# Words the paragraphs of a test article are drawn from, so that two titles give two different
# stories rather than near-duplicates that cleaner would rightly keep once.
WORDS = """
    river harbour council bridge market school ferry tower garden station museum stadium
    library factory airport tunnel castle village orchard quarry beach forest canal mill
    bakery clinic theatre farm depot chapel
""".split()


def article(title: str, sentences: int = 4) -> str:
    """An HTML news page: navigation, a headline, paragraphs, a footer."""
    words = random.Random(title)
    body = "".join(
        f"<p>{title} was the talk of the town on day {n}, officials said, as crews worked "
        f"near the {', '.join(words.sample(WORDS, 8))}.</p>"
        for n in range(1, sentences + 1)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav>Home | World | Sport</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2025 The Daily Example</footer></body></html>"
    )


def response(url: str, html: bytes, content_type: str = "text/html; charset=utf-8") -> WarcRecord:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode()
    return _record(WarcRecordType.response, url, http + html, "application/http; msgtype=response")


def conversion(url: str, text: str) -> WarcRecord:
    return _record(WarcRecordType.conversion, url, text.encode(), "text/plain")


def write_warc(path: Path, records: list[WarcRecord], gzipped: bool = False) -> list[int]:
    """Write `records` to `path` (one gzip member each when `gzipped`); their offsets."""
    offsets = []
    with path.open("wb") as file:
        for record in records:
            offsets.append(file.tell())
            if gzipped:
                member = io.BytesIO()
                writer = GzipWriter(member)
                record.write(writer)
                writer.close()
                file.write(member.getvalue())
            else:
                record.write(file)
    return offsets


def gzip_file(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path


def zstd_file(path: Path, data: bytes) -> Path:
    path.write_bytes(zstandard.ZstdCompressor().compress(data))
    return path


def _record(kind: WarcRecordType, url: str, content: bytes, content_type: str) -> WarcRecord:
    record = WarcRecord()
    record.init_headers(
        record_type=kind, record_urn=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}".encode()
    )
    record.headers["WARC-Date"] = WARC_DATE
    record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = content_type
    record.set_bytes_content(content)
    return record


def plain_news_page(page: int, story: int) -> str:
    """A scraped plain-text news page: navigation, the headline printed twice, a timestamp,
    six paragraphs of story number `story`, related links and a newsletter box. Two pages of
    one story are the same story with their own chrome (a syndicated copy)."""
    words = random.Random(story)
    title = f"Crews rebuild the {words.choice(WORDS)} of town {story} after the storm"
    paragraphs = [
        f"Workers near the {' and the '.join(words.sample(WORDS, 3))} said on day {day} that "
        f"repairs to the {words.choice(WORDS)} in town {story} would take "
        f"{words.randint(2, 40)} weeks, while residents of the {words.choice(WORDS)} waited."
        for day in range(1, 7)
    ]
    chrome = random.Random(page)
    blocks = [
        "Skip to Content",
        "Home | World | Sport | Business",
        title,
        "News",
        title,
        "2025-08-24 00:28 Last Updated At:00:30",
        *paragraphs,
        "Recommended Articles",
        f"Read more: {chrome.choice(WORDS)} news",
        "Sign up for our newsletter",
    ]
    return "\n\n".join(blocks) + "\n"
