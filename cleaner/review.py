"""A run's output as one self-contained HTML page, to review every decision in a browser.

The page (`review.html`, package data: inline CSS and JavaScript, nothing fetched) embeds the
account as JSON in a `<script type="application/json">` element and builds everything from it
in the browser: a summary from `report.json` and `errors.jsonl`, a paginated list of
documents, and the text of one document at a time, built only when it is opened, so a run of
thousands of documents loads at once.

The embedded data, per document: `source`, `path` and `url` (from its stories, when it has
one), `characters`, `removed` (characters by reason), `stories` (`id`, `title`, `created`,
`dateline`, `start`, `end`, `copies`) and `spans`, each `[start, end, label, removed, text]`
plus, for a repeat, what it repeats (its `duplicate_of`). Every `duplicate_of` and copy gets
`doc`, the index of the document it points into (null when that source is not in this run,
as with a story an earlier run emitted).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from cleaner.account import AccountSpan, load_account
from cleaner.model import Reason
from cleaner.write import ERRORS_FILE, REPORT_FILE, read_jsonl

TEMPLATE = "review.html"
PLACEHOLDER = re.compile(r"\{\{(title|data)\}\}")
# Written as \u escapes inside the embedded JSON: "</script>" or "<!--" in a scraped page's
# text must not end or change the script element that holds it.
SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def write_review(out: Path, path: Path) -> None:
    """Write the review page of the run in `out` to `path`."""
    path.write_text(render_review(review_data(out)), encoding="utf-8")


def render_review(data: dict[str, Any]) -> str:
    """The page, with `data` (as `review_data` makes it) embedded."""
    template = resources.files("cleaner").joinpath(TEMPLATE).read_text(encoding="utf-8")
    values = {"title": html.escape(data["title"]), "data": embed_json(data)}
    return PLACEHOLDER.sub(lambda match: values[match[1]], template)


def embed_json(value: Any) -> str:
    r"""`value` as JSON that can stand inside a `<script>` element as it is.

    >>> embed_json({"text": "</script><b>&"})
    '{"text":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    return orjson.dumps(value).decode("utf-8").translate(SCRIPT_UNSAFE)


def review_data(out: Path) -> dict[str, Any]:
    """What the page shows of the run in `out`: its report, errors and every document."""
    account = load_account(out)
    names = sorted(account)
    index = {name: number for number, name in enumerate(names)}
    errors = out / ERRORS_FILE
    return {
        "title": str(out),
        "reasons": [str(reason) for reason in Reason],
        "report": orjson.loads((out / REPORT_FILE).read_bytes()),
        "errors": list(read_jsonl(errors)) if errors.exists() else [],
        "documents": [_document(name, account[name], index) for name in names],
    }


def _document(source: str, spans: list[AccountSpan], index: dict[str, int]) -> dict[str, Any]:
    stories = list({id(span.story): span.story for span in spans if span.story}.values())
    removed: Counter[str] = Counter()
    for span in spans:
        if span.removed:
            removed[span.label] += span.end - span.start
    document: dict[str, Any] = {"source": source}
    if stories:
        document["path"] = stories[0]["metadata"]["path"]
        if "url" in stories[0]["metadata"]:
            document["url"] = stories[0]["metadata"]["url"]
    document["characters"] = sum(span.end - span.start for span in spans)
    document["removed"] = dict(removed)
    document["stories"] = [_story(story, index) for story in stories]
    document["spans"] = [_span(span, index) for span in spans]
    return document


def _story(story: dict[str, Any], index: dict[str, int]) -> dict[str, Any]:
    metadata = story["metadata"]
    return {
        "id": story["id"],
        "title": metadata.get("title"),
        "created": story.get("created"),
        "dateline": metadata.get("dateline"),
        "start": metadata["start"],
        "end": metadata["end"],
        "copies": [_pointing(copy, index) for copy in metadata.get("duplicates", [])],
    }


def _span(span: AccountSpan, index: dict[str, int]) -> list[Any]:
    entry: list[Any] = [span.start, span.end, span.label, int(span.removed), span.text]
    if span.duplicate_of:
        entry.append(_pointing(span.duplicate_of, index))
    return entry


def _pointing(place: dict[str, Any], index: dict[str, int]) -> dict[str, Any]:
    """A place in a source (`duplicate_of`, a copy) with the index of its document."""
    return {**place, "doc": index.get(place["source"])}
