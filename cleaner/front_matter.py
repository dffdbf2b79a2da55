"""The header a converter writes above a page it turned into text: what the page is, not
what it says.

Tools that fetch pages as Markdown for search and RAG pipelines print the page's title, URL
and date above its text, in one of two shapes:

    Title: Harbour board approves dredging plan        ---
    URL Source: https://news.example.com/dredging      title: "Harbour board approves ..."
    Published Time: 2024-03-05T10:00:00Z               url: https://news.example.com/...
    Markdown Content:                                  date: 2024-03-05
                                                       ---

`Key: value` lines from the top of the dump down to a key without a value that announces the
content ("Markdown Content:"), or YAML front matter: `key: value` lines between two `---`
lines that open the dump. The header is no story text: its lines are removed as `markup`, and
its title, URL and date become the document's, as an HTML page's metadata does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.times import parse_timestamp

# "Title: ...", "URL Source: ...", "published_time: ...": a key of at most four words.
FIELD = re.compile(r"(?P<key>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,3}):(?:[ \t]+(?P<value>.*))?")
# The key without a value that ends a header of `Key: value` lines: "Markdown Content:".
CONTENT_KEY = re.compile(r"\w+ content", re.IGNORECASE)
# The fence of YAML front matter, and a line of a YAML list or a wrapped value inside it.
FENCE = "---"
CONTINUED = re.compile(r"[ \t]+\S")
# The header is looked for in the dump's first lines only.
MAX_HEADER_LINES = 30
# Keys, lowercased without blanks, dashes and underscores, that name the fields kept.
TITLE_KEYS = frozenset(("title", "headline"))
URL_KEYS = frozenset(("url", "urlsource", "source", "sourceurl", "canonical", "canonicalurl"))
URL = re.compile(r"https?://\S+$")
ANY = re.compile(r".+")
DATE_KEYS = frozenset(
    ("date", "published", "publishedtime", "publishedat", "datepublished", "publicationdate")
)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A dump's header: where it ends in the text, and the fields it gives."""

    end: int  # the header is text[:end], the line end after its last line included
    title: str | None = None
    url: str | None = None
    created: str | None = None


def front_matter(text: str) -> FrontMatter | None:
    """The header at the top of `text` (see the module's docstring), or None."""
    lines = text[: _prefix_end(text)].splitlines(keepends=True)
    if lines and lines[0].strip() == FENCE:
        return _yaml_header(lines)
    return _field_header(lines)


def _prefix_end(text: str) -> int:
    """Where the first MAX_HEADER_LINES lines of `text` end."""
    end = 0
    for _ in range(MAX_HEADER_LINES):
        end = text.find("\n", end) + 1
        if end == 0:
            return len(text)
    return end


def _field_header(lines: list[str]) -> FrontMatter | None:
    fields: dict[str, str] = {}
    end = 0
    for line in lines:
        end += len(line)
        if not line.strip():
            continue
        match = FIELD.fullmatch(line.strip())
        if match is None:
            return None
        if CONTENT_KEY.fullmatch(match["key"]) and match["value"] is None:
            return _header(end, fields)
        fields.setdefault(_key(match["key"]), (match["value"] or "").strip())
    return None


def _yaml_header(lines: list[str]) -> FrontMatter | None:
    fields: dict[str, str] = {}
    end = len(lines[0])
    for line in lines[1:]:
        end += len(line)
        if line.strip() == FENCE:
            return _header(end, fields)
        if not line.strip() or CONTINUED.match(line):
            continue
        match = FIELD.fullmatch(line.strip())
        if match is None:
            return None
        fields.setdefault(_key(match["key"]), (match["value"] or "").strip().strip("\"'"))
    return None


def _key(key: str) -> str:
    return re.sub(r"[\s_-]", "", key.lower())


def _header(end: int, fields: dict[str, str]) -> FrontMatter | None:
    """The header ending at `end`, if it gives a title, a URL or a date: lines of `Key:
    value` that give none of them are the dump's own text (headlines between rules)."""
    header = FrontMatter(
        end=end,
        title=_first(fields, TITLE_KEYS),
        url=_first(fields, URL_KEYS, URL),
        created=parse_timestamp(_first(fields, DATE_KEYS) or ""),
    )
    return header if header.title or header.url or header.created else None


def _first(
    fields: dict[str, str], keys: frozenset[str], shape: re.Pattern[str] = ANY
) -> str | None:
    """The first value of one of `keys` that has `shape` ("source: Reuters" is no URL)."""
    return next(
        (value for key, value in fields.items() if key in keys and shape.match(value)), None
    )
