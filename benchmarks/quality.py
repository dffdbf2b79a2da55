"""Quality benchmark: cleaner against main-text extractors on pages with annotated article text.

    python benchmarks/quality.py [DATA] [--sets scrapinghub,readability] [--limit N]
        [--glued N] [--seed S] [--jobs J] [--json PATH] [--check-scorer]

DATA (default: ../shared/evaldata beside the repository) holds one folder per set, each with
`pages/<id>.html` and `truth.jsonl` (`{"id", "body", ...}`); its README.md defines the metric,
implemented in `scoring.py`. The data is read in place, never copied.

1. Extraction: cleaner, trafilatura (default and precision settings) and readability-lxml on
   the same pages: precision, recall, F1, pages whose own F1 is below 0.5, throughput.
2. Glued dumps: 2 or 3 pages glued into one document, as plain text (their visible texts), as
   that text hard-wrapped at 72 columns (as mail and `lynx -dump` print it) and as HTML (their
   bodies, each in an <article>): does cleaner find the stories again?
3. Caption leakage: how much of the pages' caption text each tool puts into its main text.

Pages run in `--jobs` processes; "pages/s" is pages per second of one process (the time of
the tool's own calls), so it does not depend on the number of processes.
"""

from __future__ import annotations

import argparse
import html as html_escaping
import importlib.util
import json
import logging
import os
import random
import re
import subprocess
import tempfile
import textwrap
import time
import traceback
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from itertools import accumulate, combinations
from pathlib import Path

import readability
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from scoring import (
    SHINGLE_SIZE,
    Counts,
    Shingles,
    Summary,
    compare,
    compare_shingles,
    contained,
    harmonic_mean,
    shingles,
)
from scoring import summarize as summarize_counts

import cleaner

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "evaldata"
SETS = ("scrapinghub", "readability", "cleaneval")
GLUE_SETS = ("scrapinghub", "readability")
# Only pages with a real article are glued: a truth body of at least this many words.
MIN_GLUE_WORDS = 100
GLUE_SIZES = (2, 3)
# Two pages whose truth bodies score this F1 against each other or more hold the same story
# (readability's test pages print one lorem ipsum page after page): a document glued from
# them holds one story twice, which is for the dedup stage to find, not the splitter.
SAME_STORY_F1 = 0.5
# Draws of pages per glued document before the plan stops short (a pool of one story).
MAX_DRAWS = 100
SEPARATOR = "\n\n"  # between glued plain texts, and between blocks of a page's visible text
# The width the wrapped form is wrapped at, as mail is; words are never broken (as `fmt` does).
WRAP_WIDTH = 72
DEFAULT_GLUED = 300
DEFAULT_SEED = 1
TRUTH = "truth (annotated body)"  # compared with the tools in the caption table

# Elements that start a new line when readability-lxml's HTML is turned into text.
BLOCK_TAGS = frozenset(
    """
    address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5
    h6 header hr li main nav ol p pre section table td th tr ul
    """.split()
)
# Captions: <figcaption>, or an element whose class contains "caption" (any case; this
# includes "wp-caption-text"); only the outermost of nested ones, none inside invisible
# elements. The class is lowered with translate() as XPath 1.0 has no lower-case().
_CLASS = "translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_IS_CAPTION = f"self::figcaption or contains({_CLASS}, 'caption')"
_INVISIBLE = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
CAPTIONS = etree.XPath(f"//*[{_IS_CAPTION}][not(ancestor::*[{_IS_CAPTION}])][not({_INVISIBLE})]")
VISIBLE_TEXT = etree.XPath(f".//text()[not({_INVISIBLE})]")

# readability-lxml logs each failure with its traceback; the failures are reported here.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)


# --- Tools -----------------------------------------------------------------------------------


def story_text(result: cleaner.DocumentResult) -> str:
    """cleaner's main text: the text of its stories, a blank line between them."""
    return "\n\n".join(story.text for story in result.stories)


def run_cleaner(html: str, source: str) -> str:
    """cleaner on the page: its stories' text."""
    return story_text(cleaner.clean_html(html, source=source))


def run_trafilatura(html: str, source: str) -> str:
    """trafilatura with its default settings."""
    return trafilatura.extract(html) or ""


def run_trafilatura_precision(html: str, source: str) -> str:
    """trafilatura set for precision, comments left out."""
    return trafilatura.extract(html, favor_precision=True, include_comments=False) or ""


def run_readability(html: str, source: str) -> str:
    """readability-lxml's summary, as text."""
    return html_to_text(readability.Document(html).summary())


TOOLS: dict[str, Callable[[str, str], str]] = {
    "cleaner": run_cleaner,
    "trafilatura default": run_trafilatura,
    "trafilatura precision": run_trafilatura_precision,
    "readability-lxml": run_readability,
}


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, with a line break at each block-level element.

    >>> html_to_text("<div>one<p>two</p>three<br>four<!-- x -->five</div>")
    'one\\ntwo\\nthree\\nfourfive'
    """
    if not fragment.strip():
        return ""
    parts = []
    events = ("start", "end", "comment")
    for event, element in etree.iterwalk(lxml_html.fromstring(fragment), events=events):
        if element.tag in BLOCK_TAGS:
            parts.append("\n")
        parts.append((element.text if event == "start" else element.tail) or "")
    lines = (line.strip() for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def parse_html(html: str) -> etree._Element | None:
    """The page's tree, parsed as cleaner parses it; None for an empty or unparsable page."""
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def caption_texts(tree: etree._Element) -> list[str]:
    """The distinct texts of the page's captions, white space collapsed, in page order."""
    texts = (" ".join(" ".join(VISIBLE_TEXT(element)).split()) for element in CAPTIONS(tree))
    return list(dict.fromkeys(text for text in texts if text))


def caption_shingles(tree: etree._Element) -> Shingles:
    """The 4-token shingles of the page's captions (each caption on its own); a caption of
    fewer tokens has none, as its one shorter shingle could not be found in a longer text."""
    found = sum(map(shingles, caption_texts(tree)), Counter())
    return Counter({shingle: n for shingle, n in found.items() if len(shingle) == SHINGLE_SIZE})


def body_html(tree: etree._Element) -> str:
    """The markup inside the page's <body>."""
    body = tree.find("body")
    if body is None:
        return ""
    inner = html_escaping.escape(body.text or "", quote=False)
    return inner + "".join(etree.tostring(child, encoding="unicode") for child in body)


def glued_html(bodies: Iterable[str]) -> str:
    """One page holding each of `bodies` in an <article>, in order."""
    articles = "".join(f"<article>{body}</article>" for body in bodies)
    return f"<html><body>{articles}</body></html>"


# --- Part 1 (and 3): every tool on every page ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One annotated page of a set."""

    set: str
    id: str
    path: Path
    truth: str
    glue: bool  # one of the pages documents are glued from

    @property
    def key(self) -> str:
        return f"{self.set}/{self.id}"


@dataclass(frozen=True, slots=True)
class GluePage:
    """What gluing needs of a page, prepared once."""

    key: str
    truth: str
    visible: str  # the page's visible text, as cleaner reads it
    body: str  # the markup inside its <body>
    alone_f1: float  # F1 of cleaner on `visible` alone, cleaned as plain text
    wrapped_alone_f1: float  # the same, `visible` hard-wrapped (see `wrap_lines`)


@dataclass(slots=True)
class PageRun:
    """Every tool's output on one page, and its scores."""

    page: Page
    predictions: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # tool (or "glue") -> traceback
    counts: dict[str, Counts] = field(default_factory=dict)
    caption_shingles: int = 0
    leaked: dict[str, int] = field(default_factory=dict)  # tool (or TRUTH) -> caption shingles
    glue: GluePage | None = None


def run_page(page: Page) -> PageRun:
    """Run each tool on the page (one that raises predicts nothing) and score it."""
    html = page.path.read_text(encoding="utf-8", errors="replace")
    run = PageRun(page)
    for tool, extract in TOOLS.items():
        start = time.perf_counter()
        try:
            run.predictions[tool] = extract(html, page.id)
        except Exception:
            run.predictions[tool] = ""
            run.errors[tool] = traceback.format_exc()
        run.seconds[tool] = time.perf_counter() - start
    tree = parse_html(html)
    captions = caption_shingles(tree) if tree is not None else Counter()
    run.caption_shingles = sum(captions.values())
    truth = shingles(page.truth)
    run.leaked[TRUTH] = contained(captions, truth)
    for tool, prediction in run.predictions.items():
        predicted = shingles(prediction)
        run.counts[tool] = compare_shingles(truth, predicted)
        run.leaked[tool] = contained(captions, predicted)
    if page.glue and tree is not None:
        try:
            run.glue = prepare_glue(page, html, tree)
        except Exception:
            run.errors["glue"] = traceback.format_exc()
    return run


def prepare_glue(page: Page, html: str, tree: etree._Element) -> GluePage | None:
    """The page ready for gluing, or None when it has no visible text."""
    visible = cleaner.html_document(html).text
    if not visible.strip():
        return None

    def alone_f1(text: str) -> float:
        return compare(page.truth, story_text(cleaner.clean_text(text))).f1

    wrapped = wrap_lines(visible)[0]
    return GluePage(
        page.key, page.truth, visible, body_html(tree), alone_f1(visible), alone_f1(wrapped)
    )


@dataclass(slots=True)
class ToolFigures:
    """One tool on one set."""

    summary: Summary
    errors: int
    empty: int
    pages_per_second: float


def extraction_figures(runs: Sequence[PageRun]) -> dict[str, ToolFigures]:
    """Each tool's figures on a set's pages."""
    figures = {}
    for tool in TOOLS:
        seconds = sum(run.seconds[tool] for run in runs)
        figures[tool] = ToolFigures(
            summary=summarize_counts([run.counts[tool] for run in runs]),
            errors=sum(1 for run in runs if tool in run.errors),
            empty=sum(1 for run in runs if not run.counts[tool].has_prediction),
            pages_per_second=len(runs) / seconds if seconds else 0.0,
        )
    return figures


@dataclass(slots=True)
class LeakFigures:
    """How much caption text one tool (or the truth) has in its main text, on one set."""

    pages: int  # pages with captions
    caption_shingles: int
    leaked_shingles: int
    share: float  # leaked / caption shingles, all pages together
    mean_page_share: float
    pages_leaking: int  # pages with at least one caption shingle in the main text


def leak_figures(runs: Sequence[PageRun]) -> dict[str, LeakFigures]:
    """Caption shingles found in each tool's text, and in the truth for comparison."""
    with_captions = [run for run in runs if run.caption_shingles]
    total = sum(run.caption_shingles for run in with_captions)
    figures = {}
    for name in [*TOOLS, TRUTH]:
        leaked = [run.leaked[name] for run in with_captions]
        shares = [run.leaked[name] / run.caption_shingles for run in with_captions]
        figures[name] = LeakFigures(
            pages=len(with_captions),
            caption_shingles=total,
            leaked_shingles=sum(leaked),
            share=sum(leaked) / total if total else 0.0,
            mean_page_share=_mean(shares),
            pages_leaking=sum(1 for n in leaked if n),
        )
    return figures


def _mean(values: Sequence[float]) -> float:
    """The mean, 0 for no values."""
    return sum(values) / len(values) if values else 0.0


# --- Part 2: glued documents ---------------------------------------------------------------

# Boundaries. The glued text is made of lines (one per paragraph, heading, list item or cell
# of the pages) separated by blank lines. An article line is a line at least half of whose
# shingles are in the truth body of the page it comes from (so it has 4 tokens or more). A
# predicted boundary is where a story other than the first begins (its first kept block); a
# true boundary is where a page's visible text begins. Their distance is the number of
# article lines that start between the two offsets: the article paragraphs cleaner put on the
# wrong side of the boundary. Other lines (navigation, footers, headlines, whether cleaner
# kept them or not) do not count, so a cut anywhere between the last paragraph of one article
# and the first of the next is at distance 0. A predicted boundary is correct when it is
# within one block of a true boundary, that is at distance 0 or 1; each true boundary is
# matched by at most one predicted boundary.
LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Glued:
    """A glued document's plain text and what scoring needs to know about it."""

    text: str
    starts: list[int]  # where each page's visible text begins in `text`
    truths: list[Shingles]  # each page's truth body
    article_lines: list[int]  # where the article lines begin in `text`


@dataclass(slots=True)
class FormOutcome:
    """cleaner on one glued document in one form (plain text or HTML)."""

    pages: int
    stories: int = 0
    # The document text is the glued plain text, so the pages' offsets are known. For HTML it
    # is not when lxml serialises some markup of a body differently (raw text in odd places).
    aligned: bool = True
    true_boundaries: int = 0
    predicted_boundaries: int = 0
    matched_boundaries: int = 0
    story_f1: list[float] = field(default_factory=list)  # per glued page, best story's F1
    error: str | None = None


def glue_plan(truths: Mapping[str, str], count: int, seed: int) -> list[tuple[str, ...]]:
    """`count` documents, each 2 or 3 pages of `truths` (key: truth body) in a random order,
    no two of which hold the same story (see SAME_STORY_F1)."""
    pool = sorted(truths)
    if len(pool) < min(GLUE_SIZES):
        return []
    rng = random.Random(seed)
    bodies = {key: shingles(truths[key]) for key in pool}
    plan: list[tuple[str, ...]] = []
    for _ in range(count * MAX_DRAWS):
        if len(plan) == count:
            break
        keys = tuple(rng.sample(pool, min(rng.choice(GLUE_SIZES), len(pool))))
        if not any(_same_story(bodies[a], bodies[b]) for a, b in combinations(keys, 2)):
            plan.append(keys)
    return plan


def _same_story(one: Shingles, other: Shingles) -> bool:
    return compare_shingles(one, other).f1 >= SAME_STORY_F1


def glue(pages: Sequence[GluePage]) -> Glued:
    """The pages' visible texts glued into one plain text."""
    text = SEPARATOR.join(page.visible for page in pages)
    starts = [0, *accumulate(len(page.visible) + len(SEPARATOR) for page in pages[:-1])]
    truths = [shingles(page.truth) for page in pages]
    article_lines = []
    for line in LINE.finditer(text):
        line_shingles = shingles(line.group())
        truth = truths[bisect_right(starts, line.start()) - 1]
        total = sum(line_shingles.values())
        if total and 2 * contained(line_shingles, truth) >= total:
            article_lines.append(line.start())
    return Glued(text, starts, truths, article_lines)


def wrap_lines(text: str) -> tuple[str, dict[int, int]]:
    """`text` with every line wrapped at WRAP_WIDTH, and where each of its lines begins in
    the wrapped text (by where it begins in `text`)."""
    lines, moved = [], {}
    position = wrapped_position = 0
    for line in text.split("\n"):
        moved[position] = wrapped_position
        wrapped_line = line
        if line.strip():
            wrapped_line = textwrap.fill(
                line, WRAP_WIDTH, break_long_words=False, break_on_hyphens=False
            )
        lines.append(wrapped_line)
        position += len(line) + 1
        wrapped_position += len(wrapped_line) + 1
    return "\n".join(lines), moved


def wrapped(glued: Glued) -> Glued:
    """The glued plain text hard-wrapped: the same pages, boundaries and article lines (a
    wrapped line's first line stands for it), at their places in the wrapped text."""
    text, moved = wrap_lines(glued.text)
    return Glued(
        text, [moved[start] for start in glued.starts], glued.truths,
        [moved[start] for start in glued.article_lines],
    )  # fmt: skip


def evaluate_glued(pages: tuple[GluePage, ...]) -> dict[str, FormOutcome]:
    """Glue the pages in every form, clean each, and score the stories found."""
    glued = glue(pages)
    wrapped_glued = wrapped(glued)
    html = glued_html(page.body for page in pages)
    return {
        "plain text": evaluate_form(lambda: cleaner.clean_text(glued.text), glued),
        "wrapped text": evaluate_form(
            lambda: cleaner.clean_text(wrapped_glued.text), wrapped_glued
        ),
        "HTML": evaluate_form(lambda: cleaner.clean_html(html), glued),
    }


def evaluate_form(clean: Callable[[], cleaner.DocumentResult], glued: Glued) -> FormOutcome:
    """Score one cleaning of a glued document."""
    outcome = FormOutcome(pages=len(glued.truths))
    try:
        result = clean()
    except Exception:
        outcome.error = traceback.format_exc()
        outcome.story_f1 = [0.0] * len(glued.truths)
        return outcome
    stories = [shingles(story.text) for story in result.stories]
    outcome.stories = len(stories)
    outcome.story_f1 = [
        max((compare_shingles(truth, story).f1 for story in stories), default=0.0)
        for truth in glued.truths
    ]
    outcome.aligned = result.document.text == glued.text
    if outcome.aligned:
        predicted = [story.start for story in result.stories[1:]]
        outcome.true_boundaries = len(glued.starts) - 1
        outcome.predicted_boundaries = len(predicted)
        outcome.matched_boundaries = matched_boundaries(
            predicted, glued.starts[1:], glued.article_lines
        )
    return outcome


def line_distance(a: int, b: int, line_starts: list[int]) -> int:
    """The number of lines starting at or after the smaller offset, before the larger.

    >>> line_distance(10, 40, [0, 5, 12, 30, 50]), line_distance(30, 30, [30])
    (2, 0)
    """
    low, high = sorted((a, b))
    return bisect_left(line_starts, high) - bisect_left(line_starts, low)


def matched_boundaries(predicted: list[int], true: list[int], article_lines: list[int]) -> int:
    """How many true boundaries have a predicted boundary within one block (one-to-one)."""
    unused = list(predicted)
    matched = 0
    for boundary in true:
        nearest = min(unused, key=lambda p: line_distance(boundary, p, article_lines), default=None)
        if nearest is not None and line_distance(boundary, nearest, article_lines) <= 1:
            unused.remove(nearest)
            matched += 1
    return matched


@dataclass(slots=True)
class GluedFigures:
    """cleaner on all glued documents of one form."""

    documents: int
    count_exact: float  # share of documents with as many stories as pages
    too_few: float
    too_many: float
    boundary_precision: float
    boundary_recall: float
    boundary_f1: float
    story_f1: float  # mean over glued pages of the best story's F1
    alone_f1: float  # mean F1 of the same pages cleaned alone
    ratio: float  # story_f1 / alone_f1
    errors: int
    unaligned: int  # documents whose boundaries could not be scored


def glued_figures(outcomes: Sequence[FormOutcome], alone_f1: Sequence[float]) -> GluedFigures:
    """Aggregate one form's outcomes; `alone_f1` lists each glued page's F1 when alone."""
    documents = len(outcomes)
    predicted = sum(o.predicted_boundaries for o in outcomes)
    true = sum(o.true_boundaries for o in outcomes)
    matched = sum(o.matched_boundaries for o in outcomes)
    precision = matched / predicted if predicted else 0.0
    recall = matched / true if true else 0.0
    story_f1 = _mean([f1 for o in outcomes for f1 in o.story_f1])
    alone = _mean(alone_f1)
    return GluedFigures(
        documents=documents,
        count_exact=sum(o.stories == o.pages for o in outcomes) / documents,
        too_few=sum(o.stories < o.pages for o in outcomes) / documents,
        too_many=sum(o.stories > o.pages for o in outcomes) / documents,
        boundary_precision=precision,
        boundary_recall=recall,
        boundary_f1=harmonic_mean(precision, recall),
        story_f1=story_f1,
        alone_f1=alone,
        ratio=story_f1 / alone if alone else 0.0,
        errors=sum(1 for o in outcomes if o.error),
        unaligned=sum(1 for o in outcomes if not o.aligned),
    )


# --- Reading the data, checking the scorer -------------------------------------------------


def load_pages(data: Path, set_name: str, limit: int | None) -> list[Page]:
    """The set's pages in id order (the first `limit` of them)."""
    with open(data / set_name / "truth.jsonl", encoding="utf-8") as lines:
        records = sorted((json.loads(line) for line in lines if line.strip()), key=_id)
    pages = []
    for record in records[:limit]:
        truth = record.get("body") or ""
        words = sum(shingles(truth, 1).values())
        pages.append(
            Page(
                set=set_name,
                id=_id(record),
                path=data / set_name / "pages" / f"{_id(record)}.html",
                truth=truth,
                glue=set_name in GLUE_SETS and words >= MIN_GLUE_WORDS,
            )
        )
    return pages


def _id(record: dict) -> str:
    """A truth record's page id."""
    return str(record["id"])


def check_scorer(data: Path, runs: dict[str, list[PageRun]], figures: dict) -> int:
    """Score every tool's predictions with the reference scorer too; fail on any difference.

    Returns the number of (set, tool) pairs compared.
    """
    spec = importlib.util.spec_from_file_location("score_extraction", data / "score_extraction.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    compared = 0
    for set_name, set_runs in runs.items():
        all_truth = reference.load_truth(data / set_name / "truth.jsonl", ["body"])
        truth = {run.page.id: all_truth[run.page.id] for run in set_runs}
        for tool in TOOLS:
            expected = reference.score(
                truth, reference_predictions(reference, set_runs, tool), 4, 0
            )
            ours: Summary = figures[set_name][tool].summary
            pairs = {
                "precision": (ours.precision, expected["precision"]),
                "recall": (ours.recall, expected["recall"]),
                "f1": (ours.f1, expected["f1"]),
                "pages<0.5": (ours.pages_f1_below_half, expected["pages_f1_below_0.5"]),
            }
            differ = {name: pair for name, pair in pairs.items() if pair[0] != pair[1]}
            if differ:
                raise SystemExit(f"scoring.py differs from the reference on {set_name}, {tool}: "
                                 f"{differ}")  # fmt: skip
            compared += 1
    return compared


def reference_predictions(reference, runs: Sequence[PageRun], tool: str) -> dict[str, str]:
    """A tool's predictions read back by the reference scorer from a JSONL file of them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "predictions.jsonl"
        lines = (json.dumps({"id": run.page.id, "text": run.predictions[tool]}) for run in runs)
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return reference.load_pred(path)[0]


# --- Output --------------------------------------------------------------------------------


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [list(header)] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title]
    for number, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(parts).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    """A table cell: floats with 3 decimals."""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def extraction_table(set_name: str, figures: dict[str, ToolFigures]) -> str:
    """Part 1 for one set."""
    pages = next(iter(figures.values())).summary.pages
    header = ("tool", "precision", "recall", "F1", "pages<0.5 F1", "empty", "errors", "pages/s")
    rows = [
        (tool, f.summary.precision, f.summary.recall, f.summary.f1,
         f.summary.pages_f1_below_half, f.empty, f.errors, f"{f.pages_per_second:.1f}")
        for tool, f in figures.items()
    ]  # fmt: skip
    return table(f"Extraction — {set_name} ({pages} pages)", header, rows)


def glued_table(figures: dict[str, GluedFigures], pool: int) -> str:
    """Part 2."""
    header = (
        "form", "docs", "count exact", "too few", "too many", "bound. P", "bound. R",
        "bound. F1", "story F1", "alone F1", "ratio", "errors",
    )  # fmt: skip
    rows = [
        (form, f.documents, f.count_exact, f.too_few, f.too_many, f.boundary_precision,
         f.boundary_recall, f.boundary_f1, f.story_f1, f.alone_f1, f.ratio, f.errors)
        for form, f in figures.items()
    ]  # fmt: skip
    title = f"Glued documents — cleaner (2-3 pages each, from a pool of {pool} pages)"
    return table(title, header, rows)


def leak_table(set_name: str, figures: dict[str, LeakFigures]) -> str:
    """Part 3 for one set."""
    first = next(iter(figures.values()))
    if not first.pages:
        return f"Caption leakage — {set_name}: no pages with captions"
    title = (
        f"Caption leakage — {set_name} ({first.pages} pages with captions, "
        f"{first.caption_shingles} caption shingles; lower is better)"
    )
    header = ("text", "leaked share", "mean page share", "pages leaking")
    rows = [(name, f.share, f.mean_page_share, f.pages_leaking) for name, f in figures.items()]
    return table(title, header, rows)


def failures(runs: Iterable[PageRun], outcomes: Iterable[dict[str, FormOutcome]]) -> str:
    """Each distinct failure (by its last line) with its count and pages; for cleaner's, one
    full traceback too."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for run in runs:
        for tool, trace in run.errors.items():
            key = (tool, trace.strip().splitlines()[-1])
            found.setdefault(key, []).append((run.page.key, trace))
    for document in outcomes:
        for form, outcome in document.items():
            if outcome.error:
                key = (f"cleaner, glued {form}", outcome.error.strip().splitlines()[-1])
                found.setdefault(key, []).append(("glued document", outcome.error))
    parts = []
    for (tool, last), cases in found.items():
        pages = ", ".join(sorted({page for page, _ in cases}))
        parts.append(f"{len(cases)}× {tool}: {last}\n  on {pages}")
        if tool.startswith("cleaner") or tool == "glue":
            parts.append(cases[0][1])
    return "\n".join(parts)


def versions() -> dict[str, str]:
    """Versions of the tools, and the commit of the working tree cleaner ran from."""
    found = {name: version(name) for name in ("cleaner", "trafilatura", "readability-lxml")}
    git = ["git", "-C", str(REPO)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    status = subprocess.run([*git, "status", "--porcelain", "cleaner"], capture_output=True)
    found["cleaner commit"] = commit.stdout.strip() + (" (modified)" if status.stdout else "")
    return found


def _plain(value: object) -> object:
    """`value` with every dataclass in it turned into a dict, for JSON."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return asdict(value)


# --- Main ----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; see the module's docstring."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set")
    parser.add_argument("--glued", type=int, default=DEFAULT_GLUED, help="glued documents")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the gluing")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--json", type=Path, help="also write all figures here")
    parser.add_argument(
        "--check-scorer", action="store_true", help="check scoring.py against the reference"
    )
    return parser.parse_args(argv)


@dataclass(slots=True)
class Results:
    """Everything one benchmark run measured, before aggregation."""

    runs: dict[str, list[PageRun]]  # per set, in page order
    pool: dict[str, GluePage]  # the pages glued documents are made of, by key
    plan: list[tuple[str, ...]]  # each glued document's page keys
    outcomes: list[dict[str, FormOutcome]]  # per glued document, per form
    seconds: dict[str, float]

    @property
    def all_runs(self) -> list[PageRun]:
        return [run for set_runs in self.runs.values() for run in set_runs]


def run_benchmark(pages: Sequence[Page], glued: int, seed: int, jobs: int) -> Results:
    """Run the tools on the pages, then clean the glued documents, in `jobs` processes."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as executor:
        all_runs = list(executor.map(run_page, pages, chunksize=1))
        extraction_done = time.perf_counter()
        pool = {run.glue.key: run.glue for run in all_runs if run.glue}
        plan = glue_plan({key: page.truth for key, page in pool.items()}, glued, seed)
        documents = [tuple(pool[key] for key in keys) for keys in plan]
        outcomes = list(executor.map(evaluate_glued, documents, chunksize=1))
    runs: dict[str, list[PageRun]] = {}
    for run in all_runs:
        runs.setdefault(run.page.set, []).append(run)
    seconds = {
        "extraction": extraction_done - started,
        "glued": time.perf_counter() - extraction_done,
    }
    return Results(runs, pool, plan, outcomes, seconds)


def glued_summary(results: Results) -> dict[str, GluedFigures]:
    """Per form, the figures of the glued documents next to their pages cleaned alone."""
    if not results.outcomes:
        return {}
    html_alone = {run.page.key: run.counts["cleaner"].f1 for run in results.all_runs}
    keys = [key for document in results.plan for key in document]
    alone = {
        "plain text": [results.pool[key].alone_f1 for key in keys],
        "wrapped text": [results.pool[key].wrapped_alone_f1 for key in keys],
        "HTML": [html_alone[key] for key in keys],
    }
    return {
        form: glued_figures([outcome[form] for outcome in results.outcomes], alone[form])
        for form in alone
    }


def print_glued(results: Results, figures: dict[str, GluedFigures]) -> None:
    """Part 2's table and what it needs said about the pool and the scoring."""
    eligible = [run for run in results.all_runs if run.page.glue]
    failed = sum(1 for run in eligible if "glue" in run.errors)
    print(glued_table(figures, len(results.pool)))
    print(
        f"Pool: pages of {', '.join(GLUE_SETS)} with a truth body of {MIN_GLUE_WORDS}+ words; "
        f"{len(eligible) - len(results.pool) - failed} left out for want of visible text, "
        f"{failed} as reading them failed.\n"
        "alone F1: the same pages cleaned one by one (plain text: their visible text with "
        f"clean_text; wrapped text: that text wrapped at {WRAP_WIDTH} columns; HTML: the page "
        "with clean_html)."
    )
    unaligned = ", ".join(f"{f.unaligned} {form}" for form, f in figures.items() if f.unaligned)
    if unaligned:
        print(
            f"Boundaries not scored for {unaligned} documents: their text as cleaner reads it "
            "differs from the glued plain text."
        )
    print()


def json_report(args: argparse.Namespace, results: Results, figures: dict) -> dict:
    """All figures, the per-page and per-document results, and the failures, for JSON."""
    return {
        "data": str(args.data),
        "sets": list(results.runs),
        "limit": args.limit,
        "seed": args.seed,
        "jobs": args.jobs,
        "versions": versions(),
        "seconds": results.seconds,
        **{name: _plain(value) for name, value in figures.items()},
        "glued_documents": [
            {"pages": list(keys), **_plain(outcome)}
            for keys, outcome in zip(results.plan, results.outcomes, strict=True)
        ],
        "pages": {
            run.page.key: {
                "f1": {tool: counts.f1 for tool, counts in run.counts.items()},
                "seconds": run.seconds,
            }
            for run in results.all_runs
        },
        "errors": [
            {"page": run.page.key, "tool": tool, "traceback": trace}
            for run in results.all_runs
            for tool, trace in run.errors.items()
        ],
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark, print its tables, and write them as JSON if asked."""
    args = parse_args(argv)
    set_names = [name.strip() for name in args.sets.split(",") if name.strip()]
    pages = [page for name in set_names for page in load_pages(args.data, name, args.limit)]
    started = time.perf_counter()
    results = run_benchmark(pages, args.glued, args.seed, args.jobs)

    extraction = {name: extraction_figures(runs) for name, runs in results.runs.items()}
    for name, figures in extraction.items():
        print(extraction_table(name, figures), end="\n\n")
    if args.check_scorer:
        compared = check_scorer(args.data, results.runs, extraction)
        print(
            "Scorer check: scoring.py gives exactly the figures of score_extraction.py "
            f"(precision, recall, F1, pages<0.5 F1) for all {compared} set × tool pairs.\n"
        )
    glued = glued_summary(results)
    if glued:
        print_glued(results, glued)
    captions = {name: leak_figures(runs) for name, runs in results.runs.items()}
    for name, figures in captions.items():
        print(leak_table(name, figures), end="\n\n")

    results.seconds["total"] = time.perf_counter() - started
    print(
        f"Time: {results.seconds['total']:.1f} s with {args.jobs} processes: "
        f"{results.seconds['extraction']:.1f} s for {len(pages)} pages × {len(TOOLS)} tools "
        f"(with scoring, captions and glue preparation), {results.seconds['glued']:.1f} s for "
        f"{len(results.plan)} glued documents × {len(glued)} forms."
    )
    failed = failures(results.all_runs, results.outcomes)
    if failed:
        print(f"\nFailures (each counted as an empty prediction):\n{failed}")
    if args.json:
        figures = {"extraction": extraction, "glued": glued, "captions": captions}
        report = json_report(args, results, figures)
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
