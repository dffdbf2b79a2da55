"""How often does a way of finding a page's publication date find the right one?

    python benchmarks/dates.py [DATA]

DATA (default: ../shared/evaldata beside the repository) is read in place. The sets give no
dates, so the pages date themselves: on every page whose date htmldate's quick search finds
(URL, meta tags, JSON-LD, `<time>`, date classes: what the page says of itself), that
metadata is taken out (every <meta>, <script>, <time>, <abbr> and <link>), and each search
is asked again. A page the quick search still dates keeps its date in its text; on the
others, the extensive search (what trafilatura turns on) has only the dates printed on the
page to go by, as on a page without metadata, and its answer is compared with the page's
own. cleaner runs the quick search only (`cleaner/html_metadata.py`).
"""

from __future__ import annotations

import argparse
import copy
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from htmldate import find_date
from lxml import etree
from quality import DEFAULT_DATA, SETS, load_pages
from trafilatura.settings import set_date_params

from cleaner.html import _parse

METADATA = "//meta|//script|//time|//abbr|//link"
# What htmldate makes of a year found alone: its January 1 (cleaner used to drop these).
YEAR_ALONE = "-01-01"


def date_of(tree: etree._Element, extensive: bool) -> str | None:
    try:
        return find_date(tree, **set_date_params(extensive))
    except ValueError:  # htmldate's cleaning of a page with control characters
        return None


def without_metadata(tree: etree._Element) -> etree._Element:
    bare = copy.deepcopy(tree)
    for element in bare.xpath(METADATA):
        element.drop_tree()
    return bare


def outcome(tree: etree._Element) -> str | None:
    """What the extensive search makes of a page dated by its metadata once that is gone."""
    own = date_of(tree, extensive=False)
    if own is None:
        return None
    bare = without_metadata(tree)
    if date_of(bare, extensive=False) is not None:
        return "dated by its text still"
    guess = date_of(bare, extensive=True)
    if guess is None:
        return "extensive: no date"
    if guess == own:
        return "extensive: the same day"
    if guess.endswith(YEAR_ALONE):
        return "extensive: a year alone"
    return "extensive: another date"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    counts: Counter[str] = Counter()
    for set_name in SETS:
        for page in load_pages(args.data, set_name, None):
            tree = _parse(page.path.read_text("utf-8", errors="replace"))
            counts["pages"] += 1
            found = outcome(tree) if tree is not None else None
            counts[found or "undated by its metadata"] += 1
    for name, count in counts.items():
        print(f"{name:32} {count:5}")


if __name__ == "__main__":
    main()
