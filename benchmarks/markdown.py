"""Markdown dumps: how well cleaner finds the article in a page that a crawler printed as
Markdown, against the same page's visible text as a plain-text dump.

    python benchmarks/markdown.py [DATA] [--sets scrapinghub,readability] [--jobs J]

Each page of the evaluation sets (read in place from DATA, default ../shared/evaldata beside
the repository) is turned into Markdown by html2text, as pipelines that keep pages as
Markdown do: once unwrapped (`body_width=0`), once hard-wrapped at html2text's default of 78
columns (its list items left whole, long URLs broken at their hyphens). Each form is cleaned
with `cleaner.clean_text` and its stories scored against the truth with the metric of
`scoring.py`, beside the page's visible text cleaned as a plain-text dump (what cleaner
reads of the page without the markup). html2text (GPL-3.0) is a benchmark dependency only
(the `bench` extra, see the README); cleaner does not import it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import html2text
from quality import DEFAULT_DATA, SETS, Page, load_pages
from scoring import Counts, compare, summarize

import cleaner
from cleaner.html import html_document

WRAP_WIDTH = 78  # html2text's default


def markdown(html: str, width: int) -> str:
    """The page as html2text prints it, wrapped at `width` columns (0: not wrapped)."""
    converter = html2text.HTML2Text()
    converter.body_width = width
    return converter.handle(html)


# The forms of a page that are cleaned, and how each is made from its HTML.
FORMS = {
    "plain text": lambda html: html_document(html).text,
    "Markdown": lambda html: markdown(html, 0),
    f"Markdown wrapped at {WRAP_WIDTH}": lambda html: markdown(html, WRAP_WIDTH),
}


def score_page(page: Page) -> dict[str, Counts]:
    """Each form of the page cleaned and scored; a form the converter fails on is left out."""
    html = page.path.read_bytes().decode("utf-8", "replace")
    scores = {}
    for name, make in FORMS.items():
        try:
            text = make(html)
        except Exception:  # html2text raises on some broken pages: no Markdown to clean
            continue
        stories = cleaner.clean_text(text, source=page.key).stories
        scores[name] = compare(page.truth, "\n\n".join(story.text for story in stories))
    return scores


def table(set_name: str, pages: int, scores: Sequence[dict[str, Counts]]) -> str:
    lines = [f"{set_name} ({pages} pages)", f"{'form':28} {'pages':>5}  precision  recall     F1"]
    for name in FORMS:
        counts = [page[name] for page in scores if name in page]
        summary = summarize(counts)
        lines.append(
            f"{name:28} {len(counts):5}  {summary.precision:9.3f}  {summary.recall:6.3f}  "
            f"{summary.f1:5.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    args = parser.parse_args(argv)
    with ProcessPoolExecutor(args.jobs) as pool:
        for set_name in filter(None, args.sets.split(",")):
            pages = load_pages(args.data, set_name, None)
            scores = list(pool.map(score_page, pages, chunksize=4))
            print(table(set_name, len(pages), scores), "\n")


if __name__ == "__main__":
    main()
