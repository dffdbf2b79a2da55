"""cleaner.clean_html on small hand-written pages: main content kept, chrome removed, captions
set apart, and the account covering the page's visible text."""

from __future__ import annotations

from html import escape

import pytest

import cleaner
from cleaner.html import (
    _extraction,
    _main_flags,
    _needs_fallbacks,
    _parse,
    _with_densest_prose,
    _words,
    html_document,
)
from cleaner.model import Kept, Reason

HEADLINE = "South Korea's president highlights friendly ties in Japan before key summit with Trump"
NAV = ("Home", "World", "Asia Pacific", "Sports", "Sign in")
FOOTER = ("Copyright 2025 Example News Corporation. All rights reserved.", "Privacy Policy")
RELATED = (
    "Recommended Articles",
    "Cuba holds mass funeral for officers killed in Venezuela raid",
    "Hurricane Melissa relief flights land in Havana",
)
# Reasons that say "this is page chrome", as opposed to a repeat or leftover blank space.
PAGE_CHROME = frozenset(Reason) - {
    Reason.WHITESPACE,
    Reason.NO_STORY,
    Reason.CAPTION_DUPLICATE,
    Reason.PARAGRAPH_DUPLICATE,
    Reason.TITLE_REPEAT,
}
CAPTION_PREFIX = "South Korean President Lee Jae Myung, left, meets"


@pytest.fixture(scope="module")
def paragraphs(seed_lines) -> list[str]:
    """The first eight paragraphs of the summit story in seed 003."""
    lines = seed_lines("003")
    first = next(i for i, line in enumerate(lines) if line.startswith("TOKYO (AP)"))
    body = [line for line in lines[first:] if line.endswith((".", "”", '"'))]
    return body[:8]


@pytest.fixture(scope="module")
def caption(seed_line) -> str:
    return seed_line(CAPTION_PREFIX)


def tags(tag: str, texts) -> str:
    return "".join(f"<{tag}>{escape(text)}</{tag}>" for text in texts)


def article_page(paragraphs: list[str], caption: str, figure: str = "figcaption") -> str:
    links = "".join(f'<li><a href="/{i}">{escape(name)}</a></li>' for i, name in enumerate(NAV))
    related = "".join(f'<li><a href="/r{i}">{escape(t)}</a></li>' for i, t in enumerate(RELATED))
    figure_html = (
        f'<figure><img src="lee.jpg" alt=""><figcaption>{escape(caption)}</figcaption></figure>'
        if figure == "figcaption"
        else f'<div class="image"><img src="lee.jpg"><div class="caption">{escape(caption)}'
        "</div></div>"
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(HEADLINE)} | Example News</title>
<script>var tracking = "Skip to Content";</script><style>p {{ color: black; }}</style></head>
<body>
<header><nav><ul>{links}</ul></nav></header>
<main><article>
<h1>{escape(HEADLINE)}</h1>
{tags("p", paragraphs[:2])}
{figure_html}
{tags("p", paragraphs[2:])}
</article>
<aside><ul>{related}</ul></aside>
</main>
<footer>{tags("p", FOOTER)}</footer>
</body></html>"""


@pytest.fixture(scope="module")
def result(paragraphs, caption):
    return cleaner.clean_html(article_page(paragraphs, caption), source="page.html")


def test_one_story_with_every_paragraph(result, paragraphs) -> None:
    assert len(result.stories) == 1
    (story,) = result.stories
    assert story.text == "\n\n".join(paragraphs)
    assert story.dateline == "TOKYO (AP)"
    assert story.title == HEADLINE


def test_navigation_and_footer_are_removed_with_a_reason(result) -> None:
    removed = {span.text.strip(): span.label for span in result.removed}
    for text in (*NAV, *FOOTER):
        assert text in removed, text
        assert removed[text] in PAGE_CHROME, (text, removed[text])
    story_text = result.stories[0].text
    for text in (*NAV, *FOOTER, *RELATED):
        assert text not in story_text


def test_related_links_are_not_kept(result) -> None:
    kept = {span.text.strip() for story in result.stories for span in story.spans}
    for text in RELATED:
        assert text not in kept


def test_figcaption_is_a_caption_not_text(result, caption) -> None:
    (story,) = result.stories
    assert story.captions == [caption]
    assert caption not in story.text
    assert [span.label for span in story.spans].count(Kept.CAPTION) == 1


def test_caption_class_is_a_caption_too(paragraphs, caption) -> None:
    page = article_page(paragraphs, caption, figure="caption-class")
    (story,) = cleaner.clean_html(page).stories
    assert story.captions == [caption]
    assert caption not in story.text


def test_scripts_and_styles_are_not_visible_text(result) -> None:
    assert "tracking" not in result.document.text
    assert "color: black" not in result.document.text
    assert "Example News</title>" not in result.document.text


def test_account_covers_the_visible_text(result, assert_exact_account) -> None:
    assert_exact_account(result)
    assert result.document.text.startswith("Home\n\nWorld")


def test_broken_html_is_still_accounted_for(paragraphs, assert_exact_account) -> None:
    page = f"<div>Home | World<p>{escape(paragraphs[0])}<p><b>{escape(paragraphs[1])}</div></i>"
    result = cleaner.clean_html(page)
    assert_exact_account(result)
    assert [story.text for story in result.stories] == ["\n\n".join(paragraphs[:2])]


def test_page_with_no_main_content_falls_back_to_text_rules(assert_exact_account) -> None:
    result = cleaner.clean_html("<p>Skip to Content</p><p>It rained in Oslo today.</p>")
    assert [story.text for story in result.stories] == ["It rained in Oslo today."]
    assert [(span.label, span.text) for span in result.removed] == [
        (Reason.NAVIGATION, "Skip to Content\n\n")
    ]
    assert_exact_account(result)


@pytest.mark.parametrize(
    "page",
    [
        "",
        "   \n\t ",
        "<html></html>",
        "<html><body>  \n </body></html>",
        "<!-- nothing -->",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<script>document.write('x')</script>",
    ],
)
def test_empty_page_gives_no_story(page: str, assert_exact_account) -> None:
    result = cleaner.clean_html(page)
    assert result.stories == []
    assert not result.document.text.strip()
    assert all(span.label is Reason.WHITESPACE for span in result.removed)
    assert_exact_account(result)


def fast_extraction(page: str):
    return _extraction(_parse(page), fast=True)


def test_fast_text_holding_the_page_prose_is_trusted(paragraphs, caption) -> None:
    extracted = fast_extraction(article_page(paragraphs, caption))
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    assert not _needs_fallbacks(extracted, prose_words=words)
    # The same text on a page holding three times that prose elsewhere is not.
    assert _needs_fallbacks(extracted, prose_words=3 * words)


def test_fast_text_of_tables_or_too_short_calls_for_the_fallbacks(paragraphs) -> None:
    rows = "".join(f"<tr><td>{escape(p)}</td><td>{i}</td></tr>" for i, p in enumerate(paragraphs))
    tables = fast_extraction(f"<html><body><table>{rows}</table></body></html>")
    short = fast_extraction(
        f"<html><body><article><p>{escape(paragraphs[0][:120])}</p></article></body></html>"
    )
    assert _needs_fallbacks(tables, prose_words=0)
    assert _needs_fallbacks(short, prose_words=0)


def dated_page(paragraphs: list[str], head: str = "", dateline: str = "") -> str:
    return (
        f"<html><head>{head}</head><body><article><h1>{escape(HEADLINE)}</h1>{dateline}"
        f"{tags('p', paragraphs)}</article>"
        "<footer><p>Copyright 2004 Example News Corporation</p></footer></body></html>"
    )


def test_a_year_alone_is_no_publication_date(paragraphs) -> None:
    """The footer's copyright year does not date the page."""
    assert html_document(dated_page(paragraphs)).created is None


def test_a_date_in_links_to_other_stories_is_no_publication_date(paragraphs) -> None:
    """A page that says nothing of its own date is left undated, not dated by the dates of
    the other stories it links to (which a search of every date printed on it would take)."""
    related = "".join(
        f'<li><a href="/news/{day}">Harbour news of March {day}, 2019</a></li>' for day in (3, 4)
    )
    page = dated_page(paragraphs).replace("<footer>", f"<aside><ul>{related}</ul></aside><footer>")
    assert html_document(page).created is None


@pytest.mark.parametrize(
    ("head", "dateline"),
    [
        ('<meta property="article:published_time" content="2004-01-01T10:00:00Z">', ""),
        ("", '<p class="date">January 1, 2004</p>'),
    ],
)
def test_a_page_dated_january_1_keeps_its_date(paragraphs, head: str, dateline: str) -> None:
    assert html_document(dated_page(paragraphs, head, dateline)).created == "2004-01-01"


@pytest.mark.parametrize(
    "headline",
    [HEADLINE, "Home Depot Stock Is Falling After Its Earnings Release. Why You Shouldn't Worry."],
)
def test_a_first_paragraph_set_in_a_heading_is_body(paragraphs, headline: str) -> None:
    """A site that prints its first paragraph in an <h2> still has it in the story; a
    headline of two sentences is still the title."""
    first, rest = paragraphs[0], paragraphs[1:]
    page = (
        f"<html><body><article><h1>{escape(headline)}</h1><h2>{escape(first)}</h2>"
        f"{tags('p', rest)}</article></body></html>"
    )
    (story,) = cleaner.clean_html(page).stories
    assert story.title == headline
    assert story.text.startswith(first)


def test_words_broken_by_soft_hyphens_are_found_in_the_main_text(paragraphs) -> None:
    """trafilatura drops the characters that print nothing: a block holding soft hyphens or
    zero-width spaces is still found in its text."""
    extracted = "\n".join(paragraphs)
    hyphenated = paragraphs[3].replace("a", "a\xad").replace(" ", "\u200b ")
    words = [_words(hyphenated)]
    assert _main_flags([hyphenated], words, extracted) == [True]
    assert _main_flags([hyphenated], words, extracted.replace(paragraphs[3], "")) == [False]


@pytest.mark.parametrize(
    ("between", "continued"),
    [
        ("Advertisement", True),
        ("Story continues", True),
        ("More from our reporters in Asia", False),
    ],
)
def test_an_article_cut_in_two_by_an_ad_slot_is_main_all_along(
    paragraphs, between: str, continued: bool
) -> None:
    """The extractor took the paragraphs above the ad slot: those below it, with no more
    than a short line between, are the same article's; below a longer line, they may be
    anything (teasers, an author's bio)."""
    texts = [*paragraphs[:3], between, *paragraphs[3:6]]
    prose = [len(text.split()) if text in paragraphs else 0 for text in texts]
    main = [True, True, True, False, False, False, False]
    assert _with_densest_prose(main, texts, prose) == [True] * 3 + [continued] * 4
