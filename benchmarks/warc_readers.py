"""Measure fastwarc and warcio on what cleaner needs from a WARC reader: speed on a gzipped
WARC of HTML responses, and what each does with a truncated or corrupted file.

    python benchmarks/warc_readers.py [--records 3000]

Robustness is scored as: how many whole records each returns before the damage, and whether
the damage is reported (an exception the caller can turn into an error entry) or passed over
in silence (records lost with nobody told).
"""

from __future__ import annotations

import argparse
import io
import random
import time
from collections.abc import Callable

from fastwarc.warc import ArchiveIterator as FastIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = "the council said on monday that rain flooded roads in the old town again".split()


def page(rng: random.Random) -> bytes:
    paragraphs = "".join(
        "<p>" + " ".join(rng.choices(WORDS, k=80)) + ".</p>" for _ in range(rng.randint(5, 40))
    )
    return f"<html><body><article>{paragraphs}</article></body></html>".encode()


def build_warc(records: int, gzip: bool) -> bytes:
    rng = random.Random(4)
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for index in range(records):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://example.com/{index}",
            "response",
            payload=io.BytesIO(page(rng)),
            http_headers=headers,
        )
        writer.write_record(record)
    return buffer.getvalue()


def read_fastwarc(data: bytes) -> int:
    count = 0
    for record in FastIterator(io.BytesIO(data), record_types=WarcRecordType.response):
        record.reader.read()
        count += 1
    return count


def read_warcio(data: bytes) -> int:
    count = 0
    for record in WarcioIterator(io.BytesIO(data)):
        if record.rec_type == "response":
            record.content_stream().read()
            count += 1
    return count


READERS: dict[str, Callable[[bytes], int]] = {"fastwarc": read_fastwarc, "warcio": read_warcio}


def timed(reader: Callable[[bytes], int], data: bytes) -> tuple[float, int]:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        count = reader(data)
        best = min(best, time.perf_counter() - started)
    return best, count


def outcome(reader: Callable[[bytes], int], data: bytes) -> str:
    try:
        return f"{reader(data)} records, no error"
    except Exception as error:  # the point is to see what each library raises
        return f"raised {type(error).__name__}: {str(error)[:60]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=3000)
    records = parser.parse_args().records
    gzipped, plain = build_warc(records, gzip=True), build_warc(records, gzip=False)
    print(f"{records} HTML responses: {len(plain) / 1e6:.1f} MB, {len(gzipped) / 1e6:.1f} MB gz")
    for name, reader in READERS.items():
        for label, data in (("warc.gz", gzipped), ("warc", plain)):
            seconds, count = timed(reader, data)
            print(f"{name:9} {label:8} {seconds * 1000:7.1f} ms  {count / seconds:9.0f} records/s")
    damaged = {
        "gz cut at 50%": gzipped[: len(gzipped) // 2],
        "warc cut at 50%": plain[: len(plain) // 2],
        "gz with garbage at 50%": gzipped[: len(gzipped) // 2]
        + bytes(1000)
        + gzipped[len(gzipped) // 2 :],
        "not a WARC": bytes(range(256)) * 100,
    }
    print(f"damaged ({records // 2} of {records} records lie before the damage):")
    for label, data in damaged.items():
        for name, reader in READERS.items():
            print(f"  {label:24} {name:9} {outcome(reader, data)}")


if __name__ == "__main__":
    main()
