"""Story boundaries, through cleaner.clean_text: datelines, end-of-story lines, cohesion."""

from __future__ import annotations

import pytest

import cleaner
from cleaner.model import Reason

TOKYO = "TOKYO (AP) — "
HAVANA = "HAVANA (AP) — "


def section(lines: list[str], first_prefix: str, end_prefix: str) -> list[str]:
    """Lines from the one starting with `first_prefix` up to (not including) `end_prefix`."""
    first = next(i for i, line in enumerate(lines) if line.startswith(first_prefix))
    end = next(i for i, line in enumerate(lines[first:], first) if line.startswith(end_prefix))
    return lines[first:end]


@pytest.fixture(scope="module")
def summit(seed_lines) -> list[str]:
    """The summit story of seed 003: paragraphs and captions, credit line last."""
    lines = section(seed_lines("003"), TOKYO, "Associated Press writer")
    credit = next(line for line in seed_lines("003") if line.startswith("Associated Press"))
    return [line for line in lines if line != "More Images"] + [credit]


@pytest.fixture(scope="module")
def havana(seed_lines) -> list[str]:
    """The Havana story's paragraphs, up to its contributor line."""
    return section(seed_lines("003"), HAVANA, "Coto contributed")


def paragraphs(lines: list[str]) -> list[str]:
    """Only the body paragraphs: no captions, no credit line."""
    return [line for line in lines if not line.endswith("AP)") and "contributed" not in line]


def glued(*parts: list[str]) -> str:
    return "\n\n".join(line for part in parts for line in part)


def test_seed_003_gives_the_tokyo_and_havana_stories(seed_text, assert_exact_account) -> None:
    result = cleaner.clean_text(seed_text("003"))
    assert [story.dateline for story in result.stories] == ["TOKYO (AP)", "HAVANA (AP)"]
    tokyo, havana = result.stories
    assert tokyo.text.startswith("TOKYO (AP) — South Korean President Lee Jae Myung")
    assert tokyo.text.endswith("removal by former Prime Minister Shinzo Abe.")
    assert havana.text.startswith("HAVANA (AP) — Cuban soldiers wearing white gloves")
    assert havana.text.endswith("under the guise of humanitarian aid.”")
    assert "Cuba" not in tokyo.text and "Ishiba" not in havana.text
    assert tokyo.credits == [
        "Associated Press writer Kim Tong-hyung in Seoul, South Korea, contributed to this report."
    ]
    assert havana.credits == ["Coto contributed from San Juan, Puerto Rico."]
    assert tokyo.end <= havana.start
    assert_exact_account(result)


def test_seed_000_alone_is_one_story(seed_text, assert_exact_account) -> None:
    text = seed_text("000")
    result = cleaner.clean_text(text)
    assert len(result.stories) == 1
    (story,) = result.stories
    assert story.text == text.strip()
    assert result.removed == []
    assert_exact_account(result)


@pytest.mark.parametrize("with_junk", [True, False], ids=["captions-and-credit", "bodies-only"])
def test_glued_stories_without_datelines_or_headlines_come_apart(
    summit, havana, with_junk: bool, assert_exact_account
) -> None:
    first = [line.removeprefix(TOKYO) for line in summit]
    second = [line.removeprefix(HAVANA) for line in havana]
    if not with_junk:
        first = paragraphs(first)
    text = glued(first, second)
    assert TOKYO not in text and HAVANA not in text
    result = cleaner.clean_text(text)
    assert len(result.stories) == 2
    one, two = result.stories
    assert one.text.startswith("South Korean President Lee Jae Myung, in his first summit")
    assert one.text.endswith("removal by former Prime Minister Shinzo Abe.")
    assert two.text.startswith("Cuban soldiers wearing white gloves marched out of a plane")
    assert two.text.endswith("under the guise of humanitarian aid.”")
    assert one.dateline is None and two.dateline is None
    assert_exact_account(result)


def test_two_flattened_stories_on_one_line_come_apart(summit, havana) -> None:
    """The summit and Havana bodies, each flattened to one line, glued on a single line."""
    line = " ".join(line.removeprefix(TOKYO) for line in paragraphs(summit))
    line += " " + " ".join(line.removeprefix(HAVANA) for line in havana)
    result = cleaner.clean_text(line)
    assert [story.text[:30] for story in result.stories] == [
        "South Korean President Lee Jae",
        "Cuban soldiers wearing white g",
    ]


def test_dateline_inside_a_flattened_line_starts_a_story(seed_text, havana) -> None:
    text = seed_text("000").strip() + " " + " ".join(havana)
    result = cleaner.clean_text(text)
    assert [story.text[:30] for story in result.stories] == [
        "South Korean President Lee Jae",
        "HAVANA (AP) — Cuban soldiers w",
    ]


def test_dateline_on_its_own_line_after_a_flattened_story(seed_text, havana) -> None:
    text = seed_text("000").strip() + "\n\n" + glued(havana)
    result = cleaner.clean_text(text)
    assert [story.dateline for story in result.stories] == [None, "HAVANA (AP)"]


@pytest.mark.parametrize("story", ["summit", "havana"])
def test_a_single_story_is_not_split(request, story: str, assert_exact_account) -> None:
    lines = request.getfixturevalue(story)
    for text in (glued(lines), glued(paragraphs(lines))):
        result = cleaner.clean_text(text)
        assert len(result.stories) == 1
        assert result.stories[0].text.startswith((TOKYO, HAVANA))
        assert_exact_account(result)


def test_single_story_without_its_dateline_is_not_split(summit) -> None:
    text = glued([line.removeprefix(TOKYO) for line in paragraphs(summit)])
    result = cleaner.clean_text(text)
    assert len(result.stories) == 1


def test_dateline_alone_splits_two_short_stories() -> None:
    text = (
        "TOKYO (AP) — Japan's cabinet approved a record defence budget on Friday, raising "
        "spending on missiles, ships and cyber units for a third year.\n"
        "HAVANA (AP) — Cuban officials opened the sugar harvest on Monday, promising growers "
        "better prices and new tractors after years of falling output."
    )
    result = cleaner.clean_text(text)
    assert [story.dateline for story in result.stories] == ["TOKYO (AP)", "HAVANA (AP)"]


def test_the_same_story_twice_is_one_story_and_a_duplicate(havana) -> None:
    text = glued(havana, havana)
    result = cleaner.clean_text(text)
    assert len(result.stories) == 1
    duplicates = [span for span in result.removed if span.label is Reason.PARAGRAPH_DUPLICATE]
    assert len(duplicates) == len(havana)
    assert result.stories[0].text == "\n\n".join(havana)


def test_headline_of_the_second_story_goes_with_it(summit, havana) -> None:
    headline = "Cuba honours officers killed in Venezuela raid with a mass funeral"
    text = glued(paragraphs(summit), [headline], havana)
    result = cleaner.clean_text(text)
    assert [story.title for story in result.stories] == [None, headline]
    assert result.stories[1].start == text.index(headline)
