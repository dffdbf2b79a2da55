"""The review page of `cleaner diff --html`, opened in a real browser (headless Chromium driven
by Playwright): its numbers are the report's, every removed span of the seeds is shown with
its reason, the reason filters, keys and links work, hostile text stays text, and a run of
hundreds of documents loads in under 2 seconds.

Skipped when the system has no /usr/bin/chromium (`.ci/run` installs Debian's).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from inputs import plain_news_page
from playwright.sync_api import Browser, Page, sync_playwright

from cleaner.cli import EXIT_INPUTS_FAILED, main

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
GENERATED_PAGES = 400  # every tenth a copy of the page before it
HOSTILE = (
    "</script><script>window.pwned = 1</script> <!-- <img src=x onerror='window.pwned = 2'>"
    " &amp; \u2028 done"
)
LOAD_SECONDS = 2.0


def run_and_review(out: Path, *inputs: Path, exit_code: int = 0) -> Path:
    runner = CliRunner()
    result = runner.invoke(main, ["run", *map(str, inputs), "-o", str(out)])
    assert result.exit_code == exit_code, result.output
    page = out.parent / f"{out.name}.html"
    result = runner.invoke(main, ["diff", str(out), "--html", str(page)])
    assert result.exit_code == 0, result.output
    return page


def records(out: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (out / name).read_bytes().splitlines()]


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("seeds") / "out"
    return out, run_and_review(out, SEEDS)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    inputs = tmp_path_factory.mktemp("pages")
    for number in range(GENERATED_PAGES):
        story = number - 1 if number % 10 == 9 else number
        (inputs / f"page{number:04d}.txt").write_text(plain_news_page(number, story), "utf-8")
    hostile = plain_news_page(GENERATED_PAGES, GENERATED_PAGES).replace("News", HOSTILE, 1)
    (inputs / "hostile.txt").write_text(hostile, "utf-8")
    (inputs / "empty.txt").write_bytes(b"")  # an input that fails
    out = inputs.parent / "out"
    return out, run_and_review(out, inputs, exit_code=EXIT_INPUTS_FAILED)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"request {request.url}"))
    yield page
    page.close()
    assert [error for error in errors if not error.startswith("request file://")] == []


def load(page: Page, html: Path) -> float:
    """Open the review page; the seconds until it is built and ready."""
    started = time.perf_counter()
    page.goto(html.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    return time.perf_counter() - started


def shown_numbers(page: Page) -> dict[str, int]:
    return page.eval_on_selector_all(
        "[data-stat]",
        """nodes => Object.fromEntries(
            nodes.map(n => [n.dataset.stat, +n.textContent.replace(/,/g, '')]))""",
    )


def open_every_document(page: Page) -> Iterator[str]:
    """Open the documents one after another with the j key; yield each one's source."""
    for _ in range(page.locator("#doclist li").count()):
        page.keyboard.press("j")
        yield page.inner_text("#document h2")


def shown_removed_spans(page: Page) -> list[dict]:
    return page.eval_on_selector_all(
        "#document .removed",
        """nodes => nodes.map(n => ({start: +n.dataset.start, reason: n.dataset.reason,
            text: n.querySelector('del').textContent, tag: n.querySelector('.tag').textContent,
            visible: n.checkVisibility()}))""",
    )


def expected_numbers(out: Path) -> dict[str, int]:
    numbers = report(out)
    dedup = numbers["dedup"]
    return {
        "documents": numbers["documents"],
        "stories": numbers["stories"],
        "characters": numbers["characters"]["total"],
        "kept": numbers["characters"]["kept"],
        "removed": numbers["characters"]["removed"],
        "duplicates": dedup["duplicates"] + dedup["duplicates_of_earlier_runs"],
        "errors": numbers["errors"]["count"],
    }


def test_summary_shows_the_report(page: Page, seeds: tuple[Path, Path]) -> None:
    out, html = seeds
    load(page, html)
    assert shown_numbers(page) == expected_numbers(out)
    bars = page.eval_on_selector_all(
        "#bars tr",
        """rows => rows.map(
            r => [r.dataset.reason, +r.querySelector('[data-characters]').dataset.characters])""",
    )
    assert dict(bars) == report(out)["characters"]["removed_by_reason"]
    assert [count for _, count in bars] == sorted((count for _, count in bars), reverse=True)


def test_every_removed_span_of_the_seeds_is_shown_with_its_reason(
    page: Page, seeds: tuple[Path, Path]
) -> None:
    out, html = seeds
    load(page, html)
    shown = []
    for source in open_every_document(page):
        shown += [
            (source, span["start"], span["reason"], span["text"])
            for span in shown_removed_spans(page)
        ]
        assert all(
            span["visible"] and span["tag"].startswith(span["reason"])
            for span in shown_removed_spans(page)
        )
    expected = [
        (record["source"], record["start"], record["reason"], record["text"].rstrip())
        for record in records(out, "removed.jsonl")
    ]
    assert sorted(shown) == sorted(expected)
    assert len(shown) == 34


def test_screenshot_of_the_seeds_report(page: Page, seeds: tuple[Path, Path]) -> None:
    _, html = seeds
    page.set_viewport_size({"width": 1400, "height": 1700})  # down to the first captions
    load(page, html)
    page.keyboard.press("j")
    page.keyboard.press("n")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "seeds-report.png"
    page.screenshot(path=screenshot)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {screenshot}")


def test_a_reason_filter_hides_the_other_reasons(page: Page, seeds: tuple[Path, Path]) -> None:
    out, html = seeds
    load(page, html)
    page.keyboard.press("j")  # the seed with most removed: 003
    page.click("#no-reasons")
    page.check("#bars input[value=caption-duplicate]")
    spans = shown_removed_spans(page)
    visible = {span["reason"] for span in spans if span["visible"]}
    assert visible == {"caption-duplicate"}
    assert (
        sum(span["visible"] for span in spans)
        == report(out)["removed_spans_by_reason"]["caption-duplicate"]
    )
    assert len(spans) == 34
    caption_characters = report(out)["characters"]["removed_by_reason"]["caption-duplicate"]
    assert page.inner_text("#doclist li:first-child .amount").startswith(
        f"{caption_characters:,} of"
    )
    page.uncheck("#bars input[value=caption-duplicate]")
    assert not any(span["visible"] for span in shown_removed_spans(page))
    page.click("#all-reasons")
    assert all(span["visible"] for span in shown_removed_spans(page))


def test_keys_move_between_documents_and_removed_spans(
    page: Page, seeds: tuple[Path, Path]
) -> None:
    _, html = seeds
    load(page, html)
    for key, source in (("j", "003"), ("j", "000"), ("j", "000"), ("k", "003")):
        page.keyboard.press(key)
        assert Path(page.inner_text("#document h2")).name.startswith(source)
    for key, number in (("n", 1), ("n", 2), ("n", 3), ("p", 2)):
        page.keyboard.press(key)
        assert page.locator("#document .removed.current").count() == 1
        assert f"removed span {number} of 34" in page.inner_text("#position")
    assert page.get_attribute("#document .removed.current", "data-reason") == "template"


def test_a_repeat_links_to_what_it_repeats(page: Page, seeds: tuple[Path, Path]) -> None:
    _, html = seeds
    load(page, html)
    page.keyboard.press("j")
    page.click("#document .removed[data-reason=title-repeat] a.tag >> nth=0")
    page.wait_for_selector("#document .kept.title.flash")
    assert page.get_attribute("#document .flash", "data-start") == "40"


def test_a_story_duplicate_links_to_the_kept_story(page: Page, large: tuple[Path, Path]) -> None:
    out, html = large
    copy = next(
        record for record in records(out, "removed.jsonl") if record["reason"] == "story-duplicate"
    )
    load(page, html)
    page.select_option("#sort", "source")
    page.click(f"#doclist button:has-text('{Path(copy['source']).name}')")
    page.click("#document .removed[data-reason=story-duplicate] a.tag")
    kept = copy["duplicate_of"]
    page.wait_for_selector(f"#story-{kept['id']}.flash")
    assert page.inner_text("#document h2") == kept["source"]
    assert Path(copy["source"]).name in page.inner_text(f"#story-{kept['id']} .story-head")


def test_a_large_run_loads_fast_and_renders_a_document_only_when_opened(
    page: Page, large: tuple[Path, Path]
) -> None:
    out, html = large
    seconds = load(page, html)
    print(f"{GENERATED_PAGES + 1} documents: page ready in {seconds:.2f} s")
    assert seconds < LOAD_SECONDS
    assert shown_numbers(page) == expected_numbers(out)
    (error,) = records(out, "errors.jsonl")
    assert page.inner_text("#errors h2") == "Errors (1)"
    assert page.inner_text("#errors tr:nth-child(2)").split("\t") == [
        error["path"],
        "",
        error["stage"],
        error["reason"],
    ]
    assert page.locator("#doclist li").count() == 50
    assert page.inner_text("#page") == f"page 1 of 9 · {GENERATED_PAGES + 1} documents"
    assert page.locator("#document .removed, #document .kept").count() == 0
    page.click("#next-page")
    assert page.inner_text("#page").startswith("page 2 of 9")
    page.keyboard.press("j")
    assert page.locator("#document .removed").count() > 0


def test_hostile_text_is_shown_as_text(page: Page, large: tuple[Path, Path]) -> None:
    _, html = large
    assert "</script><script>window.pwned" not in html.read_text("utf-8")
    load(page, html)
    page.select_option("#sort", "source")
    page.click("#doclist button:has-text('hostile.txt')")
    assert page.evaluate("window.pwned") is None
    texts = [span["text"] for span in shown_removed_spans(page)] + page.eval_on_selector_all(
        "#document .kept", "nodes => nodes.map(n => n.textContent)"
    )
    assert any(HOSTILE in text for text in texts)
    assert page.locator("#document img, #document script").count() == 0
