"""Speed of the per-document cleaning of plain text, in MB of UTF-8 per second of one core.

    python benchmarks/cleaning_speed.py [DATA] [--repeat N]

Two inputs, read in place from DATA (default: ../shared/evaldata beside the repository):
the visible texts of the scrapinghub pages (each page's text as a plain-text dump, cleaned
with `cleaner.clean_text`), and one long document of all the scrapinghub truth bodies joined
by blank lines (glued stories: a cost that grows faster than the text shows here). Each is
timed N times (default 3) in CPU time of this process, and the best run counts, as other
processes on the machine slow some runs down. Run it pinned to one core (`taskset -c 1`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import cleaner
from cleaner.html import html_document

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"


def page_texts(data: Path) -> list[str]:
    pages = sorted((data / "scrapinghub" / "pages").glob("*.html"))
    return [html_document(page.read_text("utf-8", errors="replace")).text for page in pages]


def joined_bodies(data: Path) -> str:
    lines = (data / "scrapinghub" / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    return "\n\n".join(json.loads(line)["body"] for line in lines)


def best_seconds(work: Callable[[], object], repeat: int) -> float:
    """The least CPU time of `repeat` runs of `work`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts, long_text = page_texts(args.data), joined_bodies(args.data)
    for name, work, inputs in (
        (f"{len(texts)} page texts", lambda: [cleaner.clean_text(text) for text in texts], texts),
        ("joined truth bodies", lambda: cleaner.clean_text(long_text), [long_text]),
    ):
        megabytes = sum(len(text.encode()) for text in inputs) / 1e6
        seconds = best_seconds(work, args.repeat)
        print(f"{name:>22}: {megabytes:.2f} MB in {seconds:.2f} s = {megabytes / seconds:.2f} MB/s")


if __name__ == "__main__":
    main()
