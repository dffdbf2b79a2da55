"""The seeds, end to end through the CLI, as a user runs them: what issue 2 promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SUMMIT_TITLE = (
    "South Korea's president highlights friendly ties in Japan before key summit with Trump"
)
JUNK = (
    "Skip to Content",
    "Feature Image",
    "Last Updated At",
    "More Images",
    "Recommended Articles",
    "(AP Photo",
    "via AP)",
)


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["run", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def stories(seeds_out: Path) -> list[dict]:
    lines = (seeds_out / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def story_starting(stories: list[dict], prefix: str) -> dict:
    matches = [story for story in stories if story["text"].startswith(prefix)]
    assert len(matches) == 1, [story["text"][:40] for story in stories]
    return matches[0]


def test_exactly_three_stories(stories: list[dict]) -> None:
    assert len(stories) == 3


def test_summit_story_is_whole_and_alone(stories: list[dict]) -> None:
    summit = story_starting(stories, "TOKYO (AP) —")
    assert summit["metadata"]["title"] == SUMMIT_TITLE
    assert summit["metadata"]["dateline"] == "TOKYO (AP)"
    assert summit["created"] == "2025-08-24T00:28:00"
    assert "Lee's visit to Japan may help him prepare" in summit["text"]
    assert summit["text"].endswith("removal by former Prime Minister Shinzo Abe.")
    assert "Havana" not in summit["text"] and "Cuba" not in summit["text"]
    assert SUMMIT_TITLE not in summit["text"]


def test_havana_story_holds_nothing_of_the_summit(stories: list[dict]) -> None:
    havana = story_starting(stories, "HAVANA (AP) —")
    assert "Ishiba" not in havana["text"] and "Tokyo" not in havana["text"]
    assert havana["text"].endswith("under the guise of humanitarian aid.”")
    assert "title" not in havana["metadata"]


def test_seed_000_is_one_whole_story(stories: list[dict]) -> None:
    source = (SEEDS / "000_cbe68db5e1665070.txt").read_text(encoding="utf-8")
    story = story_starting(stories, "South Korean President Lee Jae-myung arrived")
    assert story["text"] == source.strip()


def test_no_junk_and_no_repeated_paragraph(stories: list[dict]) -> None:
    paragraphs = [p for story in stories for p in story["text"].split("\n\n")]
    assert len(paragraphs) == len(set(paragraphs))
    for story in stories:
        for junk in JUNK:
            assert junk not in story["text"]


def test_credits_are_metadata_not_text(stories: list[dict]) -> None:
    summit = story_starting(stories, "TOKYO (AP) —")
    havana = story_starting(stories, "HAVANA (AP) —")
    assert summit["metadata"]["credits"] == [
        "Associated Press writer Kim Tong-hyung in Seoul, South Korea, contributed to this report."
    ]
    assert havana["metadata"]["credits"] == ["Coto contributed from San Juan, Puerto Rico."]
    assert "contributed" not in summit["text"] + havana["text"]


def test_captions_once_each_and_near_variants_merged(stories: list[dict]) -> None:
    summit = story_starting(stories, "TOKYO (AP) —")
    havana = story_starting(stories, "HAVANA (AP) —")
    for story in (summit, havana):
        captions = story["metadata"]["captions"]
        assert captions and len(captions) == len(set(captions))
    assert len(summit["metadata"]["captions"]) <= 6
    assert havana["metadata"]["captions"][0].startswith("Workers fly the Cuban flag")


def test_record_shape(stories: list[dict]) -> None:
    for story in stories:
        assert set(story) <= {"id", "text", "source", "created", "added", "metadata"}
        assert {"id", "text", "source", "metadata"} <= set(story)
        assert None not in story.values()
        metadata = story["metadata"]
        assert metadata["sha256"] and metadata["path"] == story["source"]
        assert 0 <= metadata["start"] < metadata["end"]


def test_removed_spans_name_their_reasons(seeds_out: Path) -> None:
    lines = (seeds_out / "removed.jsonl").read_text(encoding="utf-8").splitlines()
    removed = [json.loads(line) for line in lines]
    reasons = {record["reason"] for record in removed}
    assert {"navigation", "title-repeat", "timestamp", "caption-duplicate"} <= reasons
    assert {"gallery-chrome", "related-links"} <= reasons
    for record in removed:
        if record["reason"] == "caption-duplicate":
            assert record["duplicate_of"]["end"] > record["duplicate_of"]["start"]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_rebuild_reproduces_each_seed_byte_for_byte(seeds_out: Path, seed: str) -> None:
    source = SEEDS / seed
    result = CliRunner().invoke(
        main, ["diff", str(seeds_out), "--source", str(source), "--rebuild"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == source.read_bytes()


def test_report_counts_match_the_files(seeds_out: Path, stories: list[dict]) -> None:
    report = json.loads((seeds_out / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 2 and report["stories"] == len(stories) == 3
    characters = report["characters"]
    assert characters["kept"] + characters["removed"] == characters["total"]
    total = sum(len(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt"))
    assert characters["total"] == total
