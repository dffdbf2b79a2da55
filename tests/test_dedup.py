"""mark_repeats: repeated and slightly varied captions merge, different photos stay apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from datasketch import MinHash

from cleaner.blocks import split_blocks
from cleaner.dedup import NUM_PERM, SKETCH_BIGRAMS, _sketches, mark_repeats
from cleaner.label import label_blocks
from cleaner.minhash import shingle_hashes, token_hashes
from cleaner.model import Block, Kept, Reason

ISHIBA_SPEAKS = "Japan's Prime Minister Shigeru Ishiba speaks at joint press announcement with"
LEE_SPEAKS = "South Korean President Lee Jae Myung speaks at joint press announcement with"
ARRIVE_LEFT_JAPAN = "South Korean President Lee Jae Myung, left, and his wife"
ARRIVE_CENTER = "South Korean President Lee Jae Myung, center left, and his wife"


def repeats_of(lines: list[str]) -> list[Block]:
    """Blocks of `lines` (one paragraph each), labelled and with repeats marked."""
    blocks = split_blocks("\n\n".join(lines))
    assert len(blocks) == len(lines)
    label_blocks(blocks)
    mark_repeats(blocks)
    return blocks


def labels(blocks: list[Block]) -> list[tuple[Kept | Reason, int | None]]:
    return [(block.label, block.duplicate_of) for block in blocks]


@pytest.fixture(scope="module")
def captions(seed_line):
    """The seed's four summit captions, by the photo they describe."""
    return {
        "ishiba": seed_line(ISHIBA_SPEAKS),
        "lee": seed_line(LEE_SPEAKS),
        "left": seed_line(ARRIVE_LEFT_JAPAN),
        "center": seed_line(ARRIVE_CENTER),
    }


def test_exact_repeated_caption_points_at_the_first(captions, seed_line) -> None:
    paragraph = seed_line("The two agreed to cooperate")
    caption = captions["ishiba"]
    blocks = repeats_of([caption, paragraph, caption, caption])
    assert labels(blocks) == [
        (Kept.CAPTION, None),
        (Kept.BODY, None),
        (Reason.CAPTION_DUPLICATE, 0),
        (Reason.CAPTION_DUPLICATE, 0),
    ]


def test_near_variant_captions_merge(captions) -> None:
    left, center = captions["left"], captions["center"]
    assert ", left," in left and "Tokyo, Japan, Saturday" in left
    assert ", center left," in center and "Tokyo, Saturday" in center
    assert labels(repeats_of([left, center])) == [
        (Kept.CAPTION, None),
        (Reason.CAPTION_DUPLICATE, 0),
    ]
    assert labels(repeats_of([center, left])) == [
        (Kept.CAPTION, None),
        (Reason.CAPTION_DUPLICATE, 0),
    ]


def test_captions_with_swapped_names_stay_apart(captions) -> None:
    ishiba, lee = captions["ishiba"], captions["lee"]
    assert sorted(ishiba.split()) == sorted(lee.split()) and ishiba != lee  # same words
    assert labels(repeats_of([ishiba, lee])) == [(Kept.CAPTION, None), (Kept.CAPTION, None)]
    assert labels(repeats_of([ishiba, lee, ishiba, lee])) == [
        (Kept.CAPTION, None),
        (Kept.CAPTION, None),
        (Reason.CAPTION_DUPLICATE, 0),
        (Reason.CAPTION_DUPLICATE, 1),
    ]


def test_repeated_body_paragraph(seed_line) -> None:
    first = seed_line("TOKYO (AP) —")
    second = seed_line("The two agreed to cooperate")
    assert labels(repeats_of([first, second, first])) == [
        (Kept.BODY, None),
        (Kept.BODY, None),
        (Reason.PARAGRAPH_DUPLICATE, 0),
    ]


def test_a_paragraph_is_not_a_repeat_of_a_caption_with_the_same_words(seed_line) -> None:
    caption = seed_line("Workers fly the Cuban flag")
    paragraph = caption.removesuffix(" (AP Photo/Ramon Espinosa)")
    assert labels(repeats_of([caption, paragraph])) == [(Kept.CAPTION, None), (Kept.BODY, None)]


def test_headline_repeat_ignores_case_and_punctuation(seed_line) -> None:
    headline = seed_line("South Korea's president highlights")
    shouted = headline.upper().replace("'", "’")
    blocks = repeats_of([headline, "News", shouted, seed_line("TOKYO (AP)")])
    assert labels(blocks)[0] == (Kept.TITLE, None)
    assert labels(blocks)[2] == (Reason.TITLE_REPEAT, 0)


def test_short_captions_must_match_exactly() -> None:
    first = "Lee meets Ishiba. (AP Photo/Eugene Hoshiko)"
    variant = "Lee greets Ishiba. (AP Photo/Eugene Hoshiko)"
    assert labels(repeats_of([first, variant])) == [(Kept.CAPTION, None), (Kept.CAPTION, None)]
    assert labels(repeats_of([first, first.lower()])) == [
        (Kept.CAPTION, None),
        (Reason.CAPTION_DUPLICATE, 0),
    ]


def test_seed_003_keeps_one_copy_of_each_photo(seed_text) -> None:
    blocks = split_blocks(seed_text("003"))
    label_blocks(blocks)
    mark_repeats(blocks)
    kept = [block.text for block in blocks if block.label is Kept.CAPTION]
    assert [caption.split(",")[0].split(" speaks")[0] for caption in kept] == [
        "Japan's Prime Minister Shigeru Ishiba",
        "South Korean President Lee Jae Myung",
        "South Korean President Lee Jae Myung",
        "South Korean President Lee Jae Myung",
        "Workers fly the Cuban flag at half-staff at the Anti-Imperialist Tribune near the U.S. "
        "Embassy in Havana",
    ]
    duplicates = [block for block in blocks if block.label is Reason.CAPTION_DUPLICATE]
    assert len(duplicates) == 30 - len(kept)
    for duplicate in duplicates:
        original = blocks[duplicate.duplicate_of]
        assert original.label is Kept.CAPTION and original.index < duplicate.index
    # the Havana gallery caption repeats its own first copy, not a summit caption
    assert blocks[duplicates[-1].duplicate_of].text.startswith("Workers fly the Cuban flag")


def seed_labels(text: str) -> list[tuple[str, int | None]]:
    blocks = split_blocks(text)
    label_blocks(blocks)
    mark_repeats(blocks)
    return [(str(block.label), block.duplicate_of) for block in blocks]


def test_same_labels_every_time(seed_text) -> None:
    text = seed_text("003")
    assert seed_labels(text) == seed_labels(text)


def test_same_labels_whatever_the_hash_seed(seed_text) -> None:
    """Python's string hashing is randomised per process; no label may depend on it."""
    script = (
        "import json, sys\n"
        "from cleaner.blocks import split_blocks\n"
        "from cleaner.dedup import mark_repeats\n"
        "from cleaner.label import label_blocks\n"
        "blocks = split_blocks(sys.stdin.read())\n"
        "label_blocks(blocks)\n"
        "mark_repeats(blocks)\n"
        "print(json.dumps([[str(b.label), b.duplicate_of] for b in blocks]))\n"
    )
    text = seed_text("003")
    outputs = []
    for hash_seed in ("1", "2", "12345"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        completed = subprocess.run(
            [sys.executable, "-c", script],
            input=text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=environment,
            check=True,
        )
        outputs.append(json.loads(completed.stdout))
    expected = [list(pair) for pair in seed_labels(text)]
    assert outputs == [expected] * 3


def test_block_sketches_are_datasketch_minhashes(seed_text) -> None:
    """The numpy sketches are datasketch's MinHash (seed 1, affine32) of the hashes of each
    list's word bigrams (hashed list by list here), also when a document is sketched in
    several slices of many lists."""
    blocks = [tuple(block.text.lower().split()) for block in split_blocks(seed_text("003"))]
    token_lists = [tokens for tokens in blocks if len(tokens) >= 2] * 40
    sketches = _sketches(token_lists)
    assert sum(len(tokens) - 1 for tokens in token_lists) > 2 * SKETCH_BIGRAMS
    for tokens, sketch in zip(token_lists, sketches, strict=True):
        expected = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=int)
        expected.update_batch(shingle_hashes(token_hashes(tokens), 2).tolist())
        assert sketch.tolist() == expected.hashvalues.tolist()
