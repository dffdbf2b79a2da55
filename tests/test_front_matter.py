"""The header a converter writes above a page it turned into text (a reader service's
`Title:`/`URL Source:` lines, YAML front matter): removed as `markup`, its title, URL and date
made the story's, the account exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleaner
from cleaner.account import load_account, rebuild
from cleaner.cli import main
from cleaner.front_matter import front_matter
from cleaner.model import Reason

HEADLINE = "Harbour board approves dredging plan"
URL = "https://news.example.com/2024/03/harbour-dredging"
READER_HEADER = (
    f"Title: {HEADLINE}\n\nURL Source: {URL}\n\n"
    "Published Time: 2024-03-05T10:00:00Z\n\nMarkdown Content:\n"
)
YAML_HEADER = (
    f'---\ntitle: "{HEADLINE}"\nurl: {URL}\ndate: 2024-03-05\ntags:\n  - port\n  - city\n---\n\n'
)


def dump(header: str, seed_line) -> str:
    """Paragraphs of seed 003's first story under `header`, as a converter of pages to text
    writes them."""
    body = [seed_line("TOKYO (AP)"), seed_line("The two agreed")]
    return header + "\n\n".join(body) + "\n"


@pytest.mark.parametrize(
    ("header", "created"),
    [(READER_HEADER, "2024-03-05T10:00:00"), (YAML_HEADER, "2024-03-05")],
)
def test_a_converters_header_gives_the_story_its_fields(
    header: str, created: str, seed_line, assert_exact_account
) -> None:
    text = dump(header, seed_line)
    result = cleaner.clean_text(text)
    assert_exact_account(result)
    [story] = result.stories
    assert (story.title, story.created, story.document.url) == (HEADLINE, created, URL)
    assert URL not in story.text and "Title" not in story.text
    header_spans = [span for span in result.removed if span.end <= len(header.rstrip())]
    assert header_spans and all(span.label is Reason.MARKUP for span in header_spans)


@pytest.mark.parametrize(
    "text",
    [
        # Lines of "Key: value" that give no title, URL or date: the dump's own headlines.
        "---\nBreaking: the board votes tonight\n---\nThe harbour board meets at six.\n",
        # A reader-service header needs the line that announces the content.
        f"Title: {HEADLINE}\nThe harbour board voted on Tuesday to deepen the channel.\n",
        # A URL key whose value is no URL.
        "---\nsource: Reuters\n---\nThe harbour board voted on Tuesday.\n",
    ],
)
def test_text_that_only_looks_like_a_header_is_the_dumps_own(text: str) -> None:
    assert front_matter(text) is None


def test_the_inputs_own_url_comes_before_the_headers(seed_line, tmp_path: Path) -> None:
    """A JSONL record's `url` is where the crawler found the page: it is kept over the URL the
    converter printed, and the record still rebuilds exactly."""
    text = dump(READER_HEADER, seed_line)
    path = tmp_path / "dump.jsonl"
    record = {"text": text, "url": "https://crawl.example.org/page"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(path), "-o", str(out)]).exit_code == 0
    [story] = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert story["metadata"]["url"] == "https://crawl.example.org/page"
    assert story["metadata"]["title"] == HEADLINE
    [account] = load_account(out).values()
    assert rebuild(account) == text
