"""split_blocks: exact offsets, stripped blocks, a gap-free cover, long lines cut at sentences."""

from __future__ import annotations

from itertools import pairwise

import pytest

from cleaner.blocks import LONG_LINE_CHARS, split_blocks
from cleaner.model import Block


def assert_cover(text: str, blocks: list[Block]) -> None:
    """Offsets are exact, blocks stripped and non-empty, spans contiguous to the end."""
    for position, block in enumerate(blocks):
        assert block.index == position
        assert text[block.start : block.end] == block.text
        assert block.text and block.text == block.text.strip()
        assert block.start < block.end <= block.span_end
        assert not text[block.end : block.span_end].strip(), "a span's tail must be blank"
    for block, following in pairwise(blocks):
        assert block.span_end == following.start
    if blocks:
        assert blocks[-1].span_end == len(text)
        assert not text[: blocks[0].start].strip()


def summit_paragraphs(seed_lines) -> list[str]:
    """The summit story's paragraphs from seed 003, dateline to the contributor line."""
    lines = seed_lines("003")
    first = next(i for i, line in enumerate(lines) if line.startswith("TOKYO (AP)"))
    last = next(i for i, line in enumerate(lines) if line.endswith("contributed to this report."))
    paragraphs = [line for line in lines[first:last] if line.endswith((".", '"', "”"))]
    return paragraphs[:12]


@pytest.mark.parametrize("name", ["000", "003"])
def test_seed_blocks_cover_the_text(seed_text, name: str) -> None:
    text = seed_text(name)
    blocks = split_blocks(text)
    assert blocks
    assert_cover(text, blocks)


def test_each_nonblank_line_of_seed_003_is_one_block(seed_text, seed_lines) -> None:
    blocks = split_blocks(seed_text("003"))
    assert [block.text for block in blocks] == seed_lines("003")
    assert all(block.line_start for block in blocks)


def test_blank_and_whitespace_only_lines_are_skipped() -> None:
    text = "  \nSkip to Content  \n\n \t \n\u00a0\u3000\n   More Images\n\n"
    blocks = split_blocks(text)
    assert [block.text for block in blocks] == ["Skip to Content", "More Images"]
    assert blocks[0].start == 3
    assert text[blocks[0].end : blocks[0].span_end] == "  \n\n \t \n\u00a0\u3000\n   "
    assert_cover(text, blocks)


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\r\n\t \r\n", "\u00a0\u2003"])
def test_blank_text_has_no_blocks(text: str) -> None:
    assert split_blocks(text) == []


def test_crlf_text_gives_the_same_blocks_as_lf(seed_text) -> None:
    lf = seed_text("003")
    crlf = lf.replace("\n", "\r\n")
    blocks = split_blocks(crlf)
    assert [block.text for block in blocks] == [block.text for block in split_blocks(lf)]
    assert not any("\r" in block.text for block in blocks)
    assert_cover(crlf, blocks)


def test_lone_carriage_returns_end_lines_too() -> None:
    text = "News\rSouth Korea's president highlights friendly ties\r\rHAVANA (AP) — Cuban."
    blocks = split_blocks(text)
    assert [block.text for block in blocks] == [
        "News",
        "South Korea's president highlights friendly ties",
        "HAVANA (AP) — Cuban.",
    ]
    assert_cover(text, blocks)


def test_flattened_seed_000_is_cut_into_sentences(seed_text) -> None:
    text = seed_text("000")
    blocks = split_blocks(text)
    assert len(blocks) > 10
    assert blocks[0].line_start and not any(block.line_start for block in blocks[1:])
    assert blocks[0].text == (
        "South Korean President Lee Jae-myung arrived in Japan on Saturday for his first formal "
        "summit with Prime Minister Shigeru Ishiba, in a visit aimed at strengthening security "
        "cooperation between the two countries before he meets the US president in Washington "
        "on Monday."
    )
    assert blocks[1].text.startswith("Lee's choice of Japan for his first overseas trip")
    # Every piece is a whole sentence: it ends a sentence and the next starts with a capital.
    assert all(block.text.endswith((".", '"')) for block in blocks)
    assert all(block.text[0].isupper() for block in blocks)
    assert_cover(text, blocks)


def test_long_line_is_not_cut_after_abbreviations(seed_lines) -> None:
    sentences = [
        *summit_paragraphs(seed_lines),
        "Mr. Ishiba met Gen. Kim at No. 10 on Aug. 22 with Dr. Park and St. John.",
        "The U.S. Embassy in Tokyo, run by the U.S. State Department, said nothing.",
    ]
    line = " ".join(sentences)
    assert len(line) > LONG_LINE_CHARS
    blocks = split_blocks(f"Recommended Articles\n{line}\n")
    texts = [block.text for block in blocks]
    assert texts[0] == "Recommended Articles"
    assert "Mr. Ishiba met Gen. Kim at No. 10 on Aug. 22 with Dr. Park and St. John." in texts
    assert "The U.S. Embassy in Tokyo, run by the U.S. State Department, said nothing." in texts
    lee = next(s for s in sentences if s.startswith("Lee's visit to Japan"))
    assert "on Aug. 25 with U.S. President Donald Trump" in lee
    assert lee in texts
    for abbreviation in ("U.S.", "Mr.", "Aug.", "Gen.", "No.", "Dr.", "St."):
        assert not any(text.endswith(abbreviation) for text in texts)
    assert blocks[1].line_start and not any(block.line_start for block in blocks[2:])
    assert_cover(f"Recommended Articles\n{line}\n", blocks)


def test_long_line_is_cut_only_before_a_capital_digit_or_quote() -> None:
    sentence = "The yen rose 1.5 percent. it was a quiet day in markets."
    line = " ".join([sentence] * (LONG_LINE_CHARS // len(sentence) + 1))
    blocks = split_blocks(line)
    assert len(blocks) > 1
    assert {block.text for block in blocks} == {sentence}


def test_long_line_is_cut_after_a_closing_quote(seed_lines) -> None:
    quote = next(line for line in seed_lines("003") if line.startswith("“It is more important"))
    line = " ".join([quote, *summit_paragraphs(seed_lines)])
    assert len(line) > LONG_LINE_CHARS
    blocks = split_blocks(line)
    assert blocks[0].text == quote
    assert blocks[1].text.startswith("TOKYO (AP) — South Korean President")


def test_line_of_exactly_the_limit_stays_whole() -> None:
    sentence = "Ishiba spoke. Lee listened. "
    line = (sentence * (LONG_LINE_CHARS // len(sentence) + 1))[:LONG_LINE_CHARS]
    assert len(line.strip()) == LONG_LINE_CHARS
    assert [block.text for block in split_blocks(line)] == [line.strip()]
    longer = line + "x"
    assert len(split_blocks(longer)) > 1
