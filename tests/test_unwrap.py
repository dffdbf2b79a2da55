"""Hard-wrapped plain text: the lines of a wrapped paragraph make one block, and a dump
cleans the same wrapped or not; a dump that is not wrapped keeps a block per line."""

from __future__ import annotations

import textwrap

import pytest

import cleaner
from cleaner.blocks import split_blocks
from cleaner.model import Kept


def wrapped(text: str, width: int, newline: str = "\n") -> str:
    """`text` with every line wrapped at `width`, as mail or `lynx -dump` prints it."""
    lines = text.split("\n")
    return newline.join(textwrap.fill(line, width) if line.strip() else line for line in lines)


def outcome(text: str) -> list[tuple]:
    return [
        (story.text, story.title, story.dateline, story.captions, story.credits)
        for story in cleaner.clean_text(text).stories
    ]


@pytest.mark.parametrize(("width", "newline"), [(72, "\n"), (79, "\n"), (60, "\r\n")])
def test_a_wrapped_seed_cleans_as_the_seed_does(seed_text, width: int, newline: str) -> None:
    text = seed_text("003")
    assert outcome(wrapped(text, width, newline)) == outcome(text)


def test_a_wrapped_paragraph_is_one_block_of_its_lines_joined(seed_lines) -> None:
    paragraph = next(line for line in seed_lines("003") if line.startswith("TOKYO (AP)"))
    text = "Menu\n\n" + textwrap.fill(paragraph, 72) + "\n\nNews"
    blocks = split_blocks(text)
    assert [block.text for block in blocks] == ["Menu", paragraph, "News"]
    lines = len(textwrap.wrap(paragraph, 72))
    assert text[blocks[1].start : blocks[1].end].count("\n") == lines - 1


def test_its_lines_are_kept_spans_that_rebuild_the_source(seed_lines, assert_exact_account) -> None:
    lines = seed_lines("003")
    paragraphs = [line for line in lines if len(line.split()) > 30 and line.endswith(".")][:3]
    text = "\n\n".join(textwrap.fill(paragraph, 66) for paragraph in paragraphs)
    result = cleaner.clean_text(text)
    assert_exact_account(result)
    [story] = result.stories
    assert story.text == "\n\n".join(paragraphs)
    assert len(story.spans) == sum(len(textwrap.wrap(p, 66)) for p in paragraphs)
    assert all(span.label is Kept.BODY for span in story.spans)


def test_paragraphs_with_no_blank_line_between_stay_apart_at_a_short_last_line() -> None:
    first = "The council met on Monday to discuss the budget for the coming year. " * 3 + "Ok."
    second = "Residents asked for more money for parks and fewer cuts to the libraries. " * 3
    text = textwrap.fill(first, 70) + "\n" + textwrap.fill(second.strip(), 70)
    assert len(textwrap.wrap(first, 70)[-1]) < 40
    assert [block.text for block in split_blocks(text)] == [first, second.strip()]


def test_an_indented_first_line_opens_a_paragraph_whatever_the_line_above() -> None:
    first = "The council met on Monday to discuss the budget for the coming year. " * 3
    second = "Residents asked for more money for parks and fewer cuts to the libraries. " * 3
    paragraphs = [textwrap.fill(p.strip(), 70, initial_indent="    ") for p in (first, second)]
    # Each paragraph's last line made full: only the indentation tells where one ends.
    full = [p.rsplit("\n", 1)[0] + "\n" + p.split("\n")[1] for p in paragraphs]
    blocks = split_blocks("\n".join(full))
    assert len(blocks) == 2 and blocks[1].text.startswith("Residents asked")


def test_a_word_broken_at_its_hyphen_is_joined_whole(seed_lines) -> None:
    paragraph = next(line for line in seed_lines("003") if "stiff-legged" in line)
    width = next(w for w in range(40, 100) if "stiff-\nlegged" in textwrap.fill(paragraph, w))
    [block] = split_blocks(textwrap.fill(paragraph, width))
    assert "stiff-legged" in block.text and "stiff- legged" not in block.text


def test_a_dateline_opens_a_block_where_the_line_above_is_full(seed_lines) -> None:
    lines = seed_lines("003")
    first = next(i for i, line in enumerate(lines) if line.startswith("TOKYO (AP)"))
    story = " ".join(line for line in lines[first:] if len(line.split()) > 30)
    lines = textwrap.wrap(story, 72)
    # A line so full that "HAVANA" would not have fitted on it: the next line continues it
    # but for the dateline.
    full = next(i for i, line in enumerate(lines) if i >= 3 and len(line) + len(" HAVANA") > 72)
    news = "HAVANA (AP) — Cuban officials opened the sugar harvest on Monday."
    above = "\n".join(lines[: full + 1])
    assert len(split_blocks(above + "\n" + news.replace("HAVANA", "Havana"))) == 1
    assert [block.text[:11] for block in split_blocks(above + "\n" + news)] == [
        "TOKYO (AP) ",
        "HAVANA (AP)",
    ]


def test_a_dump_of_unwrapped_lines_keeps_a_block_per_line(seed_lines) -> None:
    # Seed 003's lines one under the other, without its blank lines: menus, headlines and
    # paragraphs of every length, none wrapped.
    text = "\n".join(seed_lines("003"))
    assert not any("\n" in text[block.start : block.end] for block in split_blocks(text))


def test_a_list_of_short_lines_is_never_joined() -> None:
    items = ["+ Added Slime Block", "+ Added Iron Trapdoor", "+ Added Red Sandstone"] * 5
    assert [block.text for block in split_blocks("\n".join(items))] == items


# Paragraphs of a Chinese page, one line each: words are not set apart by spaces, so no
# width cuts a line, however long.
CHINESE = [
    "翱翔于距地球数千公里的太空中，进入广袤漆黑的未知领域，是一项艰苦卓绝的工作。这让人感到巨大压力和极度恐慌。"
    "那么，为什么不能让宇航员来一杯鸡尾酒来放松一下？",
    "在英国求学6年后，李博灏希望能够学有所用，为国家发展过程中遇到的难题寻求解决办法。因此随着课题研究的深入，"
    "他更加关注国家和社会目前所面临的挑战，比如中等收入陷阱、供给侧改革、创意创新产业的发展等议题。",
    "还有一些学子表示，出国前对两会不太了解，出国后反而对两会热点多了些思考。在澳大利亚墨尔本留学的马素湘说："
    "想不关注都难啊！刷微博看新闻到处都是两会的消息。",
]


def test_a_wrapped_page_glued_to_a_chinese_one_is_still_unwrapped(seed_lines) -> None:
    paragraphs = [line for line in seed_lines("003") if len(line.split()) > 30][:3]
    text = "\n\n".join([*CHINESE, *(textwrap.fill(p, 72) for p in paragraphs)])
    assert [block.text for block in split_blocks(text)] == [*CHINESE, *paragraphs]


def test_lines_of_chinese_are_never_joined() -> None:
    assert [block.text for block in split_blocks("\n".join(CHINESE * 3))] == CHINESE * 3


def test_unwrap_off_keeps_every_line(seed_text) -> None:
    text = wrapped(seed_text("003"), 72)
    assert any("\n" in text[block.start : block.end] for block in split_blocks(text))
    blocks = split_blocks(text, text_dump=False)
    assert not any("\n" in text[block.start : block.end] for block in blocks)
