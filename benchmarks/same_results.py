"""Does a change of cleaner leave its results as they were? Dump what one checkout decides
over a fixed corpus, then compare two dumps.

    PYTHONPATH=OLD_CHECKOUT python benchmarks/same_results.py dump old.json [DATA]
    python benchmarks/same_results.py dump new.json [DATA]
    python benchmarks/same_results.py compare old.json new.json

The corpus, read in place from DATA (default: ../shared/evaldata beside the repository):
every page of every set, cleaned as HTML (`cleaner.clean_html`) and its visible text as a
plain-text dump (`cleaner.clean_text`); the repository's seeds; and each set's truth bodies
joined into one long document (by blank lines, and by single line ends). A dump holds, per
document, its stories (text, title, dateline, created, captions, credits and kept spans) and
its removed spans (start, end, label, the span repeated); `compare` names every document
whose record differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import cleaner
from cleaner.html import html_document
from cleaner.model import DocumentResult, Span

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def spans(items: list[Span]) -> list[list[Any]]:
    return [[span.start, span.end, str(span.label), span.duplicate_of] for span in items]


def record(result: DocumentResult) -> dict[str, Any]:
    """What cleaner decided about one document, as JSON."""
    stories = [
        [s.text, s.title, s.dateline, s.created, s.captions, s.credits, spans(s.spans)]
        for s in result.stories
    ]
    return {"stories": stories, "removed": spans(result.removed)}


def dump(data: Path) -> dict[str, Any]:
    records: dict[str, Any] = {}
    for page in sorted(data.glob("*/pages/*.html")):
        html = page.read_text("utf-8", errors="replace")
        records[f"text:{page}"] = record(cleaner.clean_text(html_document(html).text))
        records[f"html:{page}"] = record(cleaner.clean_html(html))
    for seed in sorted(SEEDS.iterdir()):
        records[f"seed:{seed.name}"] = record(cleaner.clean_text(seed.read_text("utf-8")))
    for truth in sorted(data.glob("*/truth.jsonl")):
        bodies = [json.loads(line)["body"] for line in truth.read_text("utf-8").splitlines()]
        for name, separator in (("blank lines", "\n\n"), ("line ends", "\n")):
            text = separator.join(bodies)
            records[f"joined by {name}:{truth}"] = record(cleaner.clean_text(text))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    comparing = commands.add_parser("compare")
    comparing.add_argument("old", type=Path)
    comparing.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        print(f"cleaner from {Path(cleaner.__file__).parent}", file=sys.stderr)
        args.out.write_text(json.dumps(dump(args.data)), encoding="utf-8")
        return
    old, new = (json.loads(path.read_text("utf-8")) for path in (args.old, args.new))
    differing = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    print(f"{len(differing)} of {len(old.keys() | new.keys())} documents differ")
    for key in differing:
        print(f"  {key}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
