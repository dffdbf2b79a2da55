"""Properties of cleaning over generated documents: the account is exact, the output is
deterministic, and cleaning a story again changes nothing.

Documents are built the way scraped dumps look: real paragraphs and sentences from the seeds,
page chrome, time stamps, photo captions, credits and headlines, shuffled and glued with the
separators scrapers leave (blank lines, CRLF, a single space when a page is flattened, stray
tabs), mixed with arbitrary unicode text, sometimes hard-wrapped at one width or written in
Markdown (links, pictures, headings, bold words) as crawlers that print pages as Markdown
write them; and some documents are arbitrary text outright.
"""

from __future__ import annotations

import re
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.account import load_account, rebuild
from cleaner.cli import main
from cleaner.model import DocumentResult, Kept, Reason, Story
from cleaner.run import run
from cleaner.write import REMOVED_FILE, STORIES_FILE

SEPARATORS = ("\n", "\n\n", " ", "\r\n", "\t\n  \n", "\r\n\r\n")
JUNK = (
    "Skip to Content",
    "Skip to Content Facebook Feature Image",
    "News",
    "Recommended Articles",
    "More Images",
    "Facebook Twitter Email",
    "Advertisement",
    "Sign up for our newsletter",
    "1 of 12",
    "2025-08-24 00:28 Last Updated At:00:30",
    "Published Aug. 23, 2025 10:30 p.m.",
    "Posted 3 hours ago",
)
HEADLINES = (
    "South Korea's president highlights friendly ties in Japan before key summit with Trump",
    "Cuba holds mass funeral for officers killed in Venezuela raid",
    "Relationship with Washington",
)
PHOTOGRAPHERS = (
    "AP Photo/Ramon Espinosa",
    "Kim Kyung-Hoon/Pool Photo via AP",
    "AP Photo/Eugene Hoshiko",
    "Kyodo News via AP",
)
DATELINES = ("TOKYO (AP) — ", "HAVANA (AP) — ", "SEOUL, Aug 23 (Reuters) - ", "(CNN) — ")
CREDITS = ("Coto contributed from San Juan, Puerto Rico.", "By Jane Doe and John Roe")
# Sentences of seed 000 end at ". " before a capital (good enough to make a pool from).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

# Generated documents are checked many times in memory, and through files a few times. The
# idempotence property gets more examples: its counterexamples need a long flattened line.
IN_MEMORY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
THROUGH_FILES = settings(IN_MEMORY, max_examples=30)


def segments(seed_lines, seed_text) -> st.SearchStrategy[str]:
    """One piece of a document: a paragraph, a sentence, chrome, a caption, a headline..."""
    lines = seed_lines("003")
    sentences = SENTENCE_END.split(seed_text("000").strip())
    paragraphs = [line for line in lines if len(line.split()) >= 12]
    words = sorted({word for line in lines for word in line.split()})
    captions = st.builds(
        "{} ({})".format, st.sampled_from(sentences), st.sampled_from(PHOTOGRAPHERS)
    )
    datelined = st.builds(
        str.__add__, st.sampled_from(DATELINES), st.sampled_from(paragraphs + sentences)
    )
    headline_like = st.lists(st.sampled_from(words), min_size=2, max_size=12).map(
        lambda chosen: " ".join(chosen)[:1].upper() + " ".join(chosen)[1:]
    )
    return st.one_of(
        st.sampled_from(lines),
        st.sampled_from(sentences),
        st.sampled_from(JUNK),
        st.sampled_from(HEADLINES + CREDITS),
        captions,
        datelined,
        headline_like,
        st.text(max_size=60),
        st.sampled_from([seed_text("000"), seed_text("003")]),
    )


@st.composite
def glued(draw, pieces: st.SearchStrategy[str]) -> str:
    """Pieces joined by random separators; a flattened page joins all of them with a space."""
    chosen = draw(st.lists(pieces, max_size=24))
    flat = draw(st.booleans())
    parts = [draw(st.sampled_from(("", *SEPARATORS)))]
    for piece in chosen:
        parts.append(piece)
        parts.append(" " if flat else draw(st.sampled_from(SEPARATORS)))
    if chosen and draw(st.booleans()):
        parts.pop()
    return "".join(parts)


def flattened(seed_text) -> st.SearchStrategy[str]:
    """A page flattened to one long line: the lede sentences of seed 000, some of them printed
    twice, with headlines, photo credits and chrome between them; sometimes the lede also
    stands on a line of its own above."""
    sentences = SENTENCE_END.split(seed_text("000").strip())
    extras = (*HEADLINES, *JUNK, "Advertisement.", "Read more.", f"({PHOTOGRAPHERS[0]})")
    pieces = st.lists(
        st.one_of(st.sampled_from(sentences[:6]), st.sampled_from(extras)), min_size=4, max_size=16
    )
    above = st.sampled_from(["", sentences[0] + "\n", sentences[0] + "\r\n\r\n"])
    return st.builds(lambda first, chosen: first + " ".join(chosen), above, pieces)


@st.composite
def hard_wrapped(draw, documents: st.SearchStrategy[str]) -> str:
    """A document as mail, `lynx -dump` or a wire feed prints it: every line wrapped at one
    width, with the line breaks of the document (or CRLF ones)."""
    text = draw(documents)
    width = draw(st.integers(min_value=30, max_value=110))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    lines = text.replace("\r\n", "\n").split("\n")
    return newline.join(textwrap.fill(line, width) if line.strip() else line for line in lines)


@st.composite
def in_markdown(draw, piece: str) -> str:
    """`piece` as a page printed as Markdown shows it: a run of its words linked or in bold,
    a picture before it, or as a heading."""
    words = piece.split(" ")
    first = draw(st.integers(min_value=0, max_value=len(words)))
    last = draw(st.integers(min_value=first, max_value=len(words)))
    run = " ".join(words[first:last])
    marked = draw(
        st.sampled_from(
            (
                f"[{run}](https://example.com/{first}-{last})",
                f'[{run}](/story/{last} "Title")',
                f"**{run}**",
                f"![{run}](https://example.com/{first}.jpg)",
                f"[![{run}](a.jpg)](https://example.com/gallery)",
            )
        )
    )
    prefix = draw(st.sampled_from(("", "## ", "# ", "- ")))
    return prefix + " ".join([*words[:first], marked, *words[last:]])


def markdown(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Dumps whose pieces are written in Markdown, with links enough for cleaner to read it
    as Markdown."""
    links = st.lists(pieces.flatmap(in_markdown), min_size=3, max_size=8)
    return st.builds(
        lambda linked, rest: "\n\n".join(linked + rest),
        links,
        st.lists(pieces, max_size=8),
    )


@st.composite
def under_a_header(draw, documents: st.SearchStrategy[str]) -> str:
    """Dumps under the header a converter prints above a page (`cleaner.front_matter`): a
    reader service's lines of fields, or YAML front matter; a field may be empty."""
    title = draw(st.sampled_from(("", *HEADLINES)))
    url = draw(st.sampled_from(("", "https://news.example.com/2024/03/harbour")))
    date = draw(st.sampled_from(("", "2024-03-05T10:00:00Z", "March 5, 2024")))
    if draw(st.booleans()):
        fields = f"Title: {title}\n\nURL Source: {url}\n\nPublished Time: {date}\n\n"
        header = fields + "Markdown Content:\n"
    else:
        header = f"---\ntitle: {title}\nurl: {url}\ndate: {date}\n---\n\n"
    return header + draw(documents)


class Named:
    """A strategy with a short name, so that a failing example's report stays readable (a
    strategy's own repr lists every seed line it samples from)."""

    def __init__(self, name: str, strategy: st.SearchStrategy[str]):
        self.name = name
        self.strategy = strategy

    def __repr__(self) -> str:
        return self.name


@pytest.fixture(scope="module")
def documents(seed_lines, seed_text) -> Named:
    """Realistic dumps, hard-wrapped or not, in Markdown (under a converter's header or not),
    flattened pages, or arbitrary text."""
    pieces = segments(seed_lines, seed_text)
    dumps = glued(pieces)
    strategy = st.one_of(
        dumps,
        hard_wrapped(dumps),
        markdown(pieces),
        under_a_header(markdown(pieces)),
        flattened(seed_text),
        st.text(),
    )
    return Named("documents", strategy)


@pytest.fixture(scope="module")
def file_documents(documents) -> Named:
    """Documents as a text file holds them. Left out: an empty file, and control bytes (a
    file of mostly control bytes is binary, NULs are dropped); those are reported as input
    errors rather than cleaned."""
    control = re.compile(r"[\x00-\x08\x0e-\x1f]")
    strategy = documents.strategy.filter(lambda text: text and not control.search(text))
    return Named("file_documents", strategy)


def outcome(result: DocumentResult) -> tuple:
    """Everything cleaner decided about a document, as plain comparable values."""

    def story(story: Story) -> tuple:
        return (
            story.text,
            story.title,
            story.dateline,
            story.created,
            story.captions,
            story.credits,
            story.spans,
        )

    return [story(s) for s in result.stories], result.removed


def write_input(directory: Path, text: str) -> Path:
    """`text` as a UTF-8 file, with no newline translation."""
    path = directory / "input.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


# --- a. the account covers every character exactly once --------------------------------


@IN_MEMORY
@given(data=st.data())
def test_account_covers_every_character_once(documents, data, assert_exact_account) -> None:
    text = data.draw(documents.strategy, label="document")
    result = cleaner.clean_text(text)
    assert result.document.text == text
    assert_exact_account(result)
    assert all(isinstance(span.label, Reason) for span in result.removed)
    for story in result.stories:
        assert story.spans and all(isinstance(span.label, Kept) for span in story.spans)
        assert story.text and story.text == story.text.strip()


@THROUGH_FILES
@given(data=st.data())
def test_output_files_rebuild_the_input_exactly(file_documents, data) -> None:
    text = data.draw(file_documents.strategy, label="document")
    with tempfile.TemporaryDirectory() as directory:
        path = write_input(Path(directory), text)
        report = run([str(path)], Path(directory) / "out")
        assert report.errors == []
        account = load_account(Path(directory) / "out")
        assert rebuild(account.get(str(path), [])).encode("utf-8") == path.read_bytes()


def test_output_files_rebuild_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write_input(tmp_path, "\ufeffSkip to Content\r\n\r\nIt rained in Oslo today.\n")
    run([str(path)], tmp_path / "out")
    rebuilt = rebuild(load_account(tmp_path / "out")[str(path)])
    assert rebuilt.encode("utf-8") == path.read_bytes()


# --- b. deterministic ---------------------------------------------------------------------


@IN_MEMORY
@given(data=st.data())
def test_cleaning_twice_gives_the_same_result(documents, data) -> None:
    text = data.draw(documents.strategy, label="document")
    assert outcome(cleaner.clean_text(text)) == outcome(cleaner.clean_text(text))


@THROUGH_FILES
@given(data=st.data())
def test_two_cli_runs_write_byte_identical_output(file_documents, data) -> None:
    texts = data.draw(st.lists(file_documents.strategy, min_size=1, max_size=3), label="documents")
    with tempfile.TemporaryDirectory() as directory:
        inputs = Path(directory) / "in"
        inputs.mkdir()
        for number, text in enumerate(texts):
            (inputs / f"{number}.txt").write_bytes(text.encode("utf-8"))
        outputs = [Path(directory) / "first", Path(directory) / "second"]
        for out in outputs:
            result = CliRunner().invoke(main, ["run", str(inputs), "-o", str(out)])
            assert result.exit_code == 0, result.output
        for name in (STORIES_FILE, REMOVED_FILE):
            assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes()


# --- c. idempotent ------------------------------------------------------------------------

# Minimal documents whose stories once changed when cleaned again. All came from one cause: a
# sentence cut out of a long (flattened) line was labelled with the lenient mid-line rule,
# but once its neighbours on that line were removed the story text held it on a short line,
# and cleaning that text judged it as a whole line. pipeline._judge_cut_lines_whole now
# judges the line as the story will hold it.
ONCE_NOT_IDEMPOTENT = (
    # A removed "Advertisement." between two kept sentences of one line.
    "advertisement-between-sentences",
    # A headline sentence left alone in a flattened line whose other sentences repeat line 1.
    "headline-left-alone",
    # A photo credit cut off as a sentence, on a line left short by removed repeats.
    "credit-ends-a-short-line",
    # A dateline sentence at the end of a flattened line (a photo caption with its dateline):
    # it begins a story of its own, so it is judged as a line of its own.
    "dateline-sentence-ends-a-flattened-line",
    # The sentences of one hard-wrapped paragraph were joined by a blank line in the story
    # where a line break stood between them: the last one, a time stamp, stood alone there.
    "wrapped-paragraph-cut-into-sentences",
)


def not_idempotent_document(name: str, seed_text, seed_line) -> str:
    lede = seed_line("South Korean President Lee Jae-myung arrived", "000").split(" Lee's")[0]
    if name == "advertisement-between-sentences":
        advert = "Advertisement. Lee and Ishiba will meet again in Seoul next year"
        return seed_text("000").strip() + " " + advert
    if name == "headline-left-alone":
        headline = seed_line("South Korea's president highlights")
        return lede + "\n" + " ".join([lede] * 4 + [headline])
    if name == "dateline-sentence-ends-a-flattened-line":
        caption = seed_line("South Korean President Lee Jae Myung, left, meets")
        return seed_text("000").strip() + " TOKYO (AP) — " + caption
    if name == "wrapped-paragraph-cut-into-sentences":
        sentences = SENTENCE_END.split(seed_text("000").strip())[:8]
        flattened = " ".join(["Skip to Content Facebook Feature Image"] * 9 + sentences)
        return textwrap.fill(flattened + " 2025-08-24 00:28 Last Updated At:00:30", 62)
    visit = seed_line("Lee's visit to Japan")
    return " ".join([lede] * 4 + [visit, "(AP Photo/Ramon Espinosa)"])


def assert_cleaning_again_changes_nothing(text: str) -> None:
    for story in cleaner.clean_text(text).stories:
        again = cleaner.clean_text(story.text)
        assert [s.text for s in again.stories] == [story.text]
        assert again.removed == []


@pytest.mark.parametrize("name", ONCE_NOT_IDEMPOTENT)
def test_cleaning_a_story_again_changes_nothing_known_cases(name, seed_text, seed_line) -> None:
    assert_cleaning_again_changes_nothing(not_idempotent_document(name, seed_text, seed_line))


@pytest.mark.parametrize(
    "name", ["000", "003"], ids=["seed-000-flattened", "seed-003-two-stories-and-gallery"]
)
def test_cleaning_a_seed_story_again_changes_nothing(name, seed_text) -> None:
    assert_cleaning_again_changes_nothing(seed_text(name))


def test_a_cut_line_left_short_is_judged_for_repeats_as_one_line() -> None:
    """A document the property test below drew (seed 003 in Markdown, its long line printed
    again with characters dropped): of the copy's sentences two passed as no repeat one by
    one, and the story joined them into one short line, which cleaned again is not cut into
    sentences and was a repeat of the first line. What is left of a cut line is judged for
    repeats as the line it will be (`cleaner.pipeline._judge_short_cut_lines_for_repeats`)."""
    text = (Path(__file__).parent / "data" / "cut_line_repeat.md").read_text(encoding="utf-8")
    assert_cleaning_again_changes_nothing(text)


@settings(IN_MEMORY, max_examples=300)
@given(data=st.data())
def test_cleaning_a_story_again_changes_nothing(documents, data) -> None:
    assert_cleaning_again_changes_nothing(data.draw(documents.strategy, label="document"))
