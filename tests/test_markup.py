"""Markdown dumps: the markup crawlers print around a page's words (link targets, pictures,
heading marks, bold) is removed as `markup`, the words stay, and the account stays exact."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

import cleaner
from cleaner.account import load_account, rebuild
from cleaner.cli import main
from cleaner.markup import is_markdown, is_markup, markup_ranges
from cleaner.model import Reason


def markdown_page(seed_line) -> str:
    """Seed 003's first story as a crawler that prints pages as Markdown writes it."""
    lede = seed_line("TOKYO (AP)")
    linked = lede.replace("Lee Jae Myung", "[Lee Jae Myung](https://example.com/tag/lee)", 1)
    linked = linked.replace("United States", '[United States](/tag/us "United States")', 1)
    return "\n\n".join(
        [
            "[Skip to Content](#main) [Facebook](https://facebook.com/example)",
            "![Feature Image](https://example.com/img/feature.jpg)",
            "# " + seed_line("South Korea's president highlights"),
            linked,
            "[![Ishiba speaks](https://example.com/1.jpg)](https://example.com/gallery/1)",
            "**" + seed_line("The two agreed") + "**",
            "## Recommended Articles",
            "- [Cuba holds mass funeral](https://example.com/cuba)",
        ]
    )


def test_a_link_keeps_its_words_and_loses_its_target() -> None:
    line = 'President [Lee](https://example.com/tag/lee)\'s visit, [says](/a_(b) "T") Seoul.'
    ranges = markup_ranges(line, 0, len(line))
    shown = "".join(char for i, char in enumerate(line) if not any(a <= i < b for a, b in ranges))
    assert shown == "President Lee's visit, says Seoul."


def test_a_picture_alone_is_markup_and_a_link_is_not() -> None:
    assert is_markup("![Ishiba speaks in Tokyo](https://example.com/1.jpg)")
    assert is_markup("[![Ishiba](a.jpg)](https://example.com/gallery)")
    assert not is_markup("[Cuba holds mass funeral](https://example.com/cuba)")
    assert markup_ranges("![Ishiba](a.jpg)", 0, 16) == []


def test_brackets_in_plain_text_are_not_markdown(seed_line) -> None:
    text = seed_line("TOKYO (AP)") + "\n\nSee [1](note) and [2](note) for the sources."
    assert not is_markdown(text)
    [story] = cleaner.clean_text(text).stories
    assert "[1](note)" in story.text


def test_a_markdown_page_cleans_to_its_words(seed_line, assert_exact_account) -> None:
    result = cleaner.clean_text(markdown_page(seed_line))
    assert_exact_account(result)
    [story] = result.stories
    assert story.title == seed_line("South Korea's president highlights")
    assert story.text == seed_line("TOKYO (AP)") + "\n\n" + seed_line("The two agreed")
    markup = [span.text.strip() for span in result.removed if span.label is Reason.MARKUP]
    assert "](https://example.com/tag/lee)" in markup and "#" in markup and "**" in markup
    assert "![Feature Image](https://example.com/img/feature.jpg)" in markup


def test_a_markdown_dump_rebuilds_exactly_from_the_output(seed_line, tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(markdown_page(seed_line), encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(path), "-o", str(out)]).exit_code == 0
    [story] = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert "](" not in story["text"] and "example.com" not in story["text"]
    assert rebuild(load_account(out)[str(path)]) == path.read_text(encoding="utf-8")
    report = json.loads((out / "report.json").read_text())
    assert report["removed_spans_by_reason"]["markup"] >= 5


def test_cleaning_a_markdown_story_again_changes_nothing(seed_line) -> None:
    [story] = cleaner.clean_text(markdown_page(seed_line)).stories
    again = cleaner.clean_text(story.text)
    assert [s.text for s in again.stories] == [story.text] and again.removed == []


def body_paragraphs(seed_line) -> list[str]:
    return [seed_line(start) for start in ("TOKYO (AP)", "The two agreed", "“I came to Japan")]


def wrapped_markdown_page(seed_line) -> str:
    """A Markdown page hard-wrapped at 78 columns the way html2text wraps one: paragraphs
    wrapped at spaces and after the hyphens of a long URL, list items and a table's rows
    left whole however long, a URL too long for any line left alone on one (behind a
    quote's mark in an embedded post)."""
    paragraphs = body_paragraphs(seed_line)
    long_url = "https://example.com/news/world/asia/" + "-".join(["summit-in-tokyo"] * 5)
    linked = (
        paragraphs[0]
        .replace("Lee Jae Myung", f"[Lee Jae Myung]({long_url})", 1)
        .replace("Shigeru Ishiba", "[Shigeru Ishiba](https://example.com/tag/ishiba)", 1)
    )
    wrapper = textwrap.TextWrapper(78, break_long_words=False, break_on_hyphens=True)
    menu = [
        f"  * [Section {n}](https://example.com/section/{n}?ref=nav-menu-header-link-on-the-front-page)"
        for n in range(8)
    ]
    sections = "World | Politics | Economy | Business | Tech | Markets | Opinion | Life & Arts"
    table = [f"[Home](/) | {sections} | Real Estate", "---|---|---|---|---|---|---|---|---|---"]
    status = "https://twitter.com/example/status/1049648215035924480?ref_src=twsrc%5Etfw"
    post = [f"> August {day},\n> 2025]({status})" for day in (21, 22, 23)]
    return "\n\n".join(
        [
            "\n".join(menu),
            "\n".join(table * 3),
            *post,
            "\n".join(wrapper.wrap(linked)),
            *("\n".join(wrapper.wrap(paragraph)) for paragraph in paragraphs[1:]),
        ]
    )


def test_a_wrapped_markdown_page_keeps_its_paragraphs_whole(seed_line) -> None:
    [story] = cleaner.clean_text(wrapped_markdown_page(seed_line)).stories
    assert story.text == "\n\n".join(body_paragraphs(seed_line))


def quoted(lines: list[str]) -> str:
    """`lines` as html2text prints a block quote: each behind the quote's mark."""
    return "\n".join("> " + line for line in lines)


def test_a_wrapped_block_quote_is_one_paragraph_without_its_marks(
    seed_line, assert_exact_account
) -> None:
    paragraphs = body_paragraphs(seed_line)
    long_url = "https://example.com/news/world/asia/" + "-".join(["summit-in-tokyo"] * 2)
    linked = paragraphs[1].replace("low births", f"[low births]({long_url})", 1)
    wrapper = textwrap.TextWrapper(78, break_long_words=False, break_on_hyphens=True)
    text = "\n\n".join(
        [
            "[Home](/) [News](/news) [Sport](/sport)",
            quoted(wrapper.wrap(paragraphs[0])),
            quoted(wrapper.wrap(linked)),
            quoted(wrapper.wrap(paragraphs[2])),
        ]
    )
    assert "\n> " in text.split("\n\n")[2] and "-\n> " in text  # a target broken in the quote
    result = cleaner.clean_text(text)
    assert_exact_account(result)
    [story] = result.stories
    assert story.text == "\n\n".join(paragraphs)


def test_the_rows_of_a_two_column_table_say_nothing_of_the_width(seed_line) -> None:
    paragraphs = body_paragraphs(seed_line)
    sections = ["Beginners clinic", "Knot tying", "Length to weight chart", "Site map", "Links"]
    rows = [
        f"![icon](https://example.com/img/icon.gif) | [{section}](https://example.com/{n}.htm)"
        for n, section in enumerate(sections * 4)
    ]
    wrapper = textwrap.TextWrapper(78, break_long_words=False, break_on_hyphens=True)
    text = "\n\n".join(
        ["\n".join([*rows[:2], "---|---", *rows[2:]])]
        + ["\n".join(wrapper.wrap(paragraph)) for paragraph in paragraphs]
    )
    [story] = cleaner.clean_text(text).stories
    assert story.text == "\n\n".join(paragraphs)
