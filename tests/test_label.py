"""label_of and its helpers on real lines of seed 003, datelines, and time stamps."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.label import (
    CHROME,
    DATE_TOKEN,
    DATE_WORDS,
    END_OF_STORY,
    MAX_PROMOTION_WORDS,
    MAX_SITE_NOTICE_WORDS,
    MENU_ITEM_WORDS,
    MENU_ITEMS,
    MENU_SEPARATOR,
    MIN_NOTICES_IN_LONG_BLOCK,
    PHOTO_CREDIT,
    SITE_NOTICE,
    TEASER,
    WORDS_PER_NOTICE,
    chrome_reason,
    count_words,
    dateline_of,
    ends_like_sentence,
    has_photo_credit,
    holds_date,
    is_credit,
    is_dateline,
    is_end_of_story,
    is_headline,
    is_menu,
    is_prose,
    is_site_notice,
    is_timestamp,
    label_of,
)
from cleaner.model import Block, Kept, Reason
from cleaner.times import parse_timestamp

HEADLINE = "South Korea's president highlights friendly ties in Japan before key summit with Trump"


def block(text: str, line_start: bool = True) -> Block:
    return Block(
        index=0, start=0, end=len(text), span_end=len(text), text=text, line_start=line_start
    )


def label(text: str, line_start: bool = True) -> Kept | Reason:
    return label_of(block(text, line_start))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Skip to Content Facebook Feature Image", Reason.NAVIGATION),
        ("News", Reason.NAVIGATION),
        ("2025-08-24 00:28 Last Updated At:00:30", Reason.TIMESTAMP),
        ("Recommended Articles", Reason.RELATED_LINKS),
        ("More Images", Reason.GALLERY_CHROME),
        (HEADLINE, Kept.TITLE),
    ],
)
def test_seed_003_page_lines(seed_lines, line: str, expected: Kept | Reason) -> None:
    assert line in seed_lines("003")
    assert label(line) == expected


@pytest.mark.parametrize(
    "prefix",
    [
        "Japan's Prime Minister Shigeru Ishiba speaks at joint press announcement",
        "South Korean President Lee Jae Myung, left, meets",
        "South Korean President Lee Jae Myung, center left, and his wife",
        "Workers fly the Cuban flag at half-staff",
    ],
)
def test_seed_003_photo_captions(seed_line, prefix: str) -> None:
    caption = seed_line(prefix)
    assert caption.endswith(("via AP)", "(AP Photo/Ramon Espinosa)"))
    assert label(caption) == Kept.CAPTION


@pytest.mark.parametrize(
    "prefix", ["Associated Press writer Kim Tong-hyung", "Coto contributed from San Juan"]
)
def test_seed_003_contributor_lines_are_credits_and_end_stories(seed_line, prefix: str) -> None:
    credit = seed_line(prefix)
    assert label(credit) == Kept.CREDIT
    assert is_credit(credit) and is_end_of_story(credit)


@pytest.mark.parametrize(
    "prefix",
    [
        "TOKYO (AP) — South Korean President",
        "HAVANA (AP) — Cuban soldiers",
        "The two agreed to cooperate",
        "Lee's visit to Japan may help him prepare",
        "“It is more important than ever",
        "Cuban Interior Minister Lázaro Alberto Álvarez Casa said",
        "The announcement riled Cuban Foreign Minister",
    ],
)
def test_seed_003_paragraphs_are_body(seed_line, prefix: str) -> None:
    paragraph = seed_line(prefix)
    assert label(paragraph) == Kept.BODY
    assert is_prose(paragraph)


def test_the_headline_is_a_title_candidate_not_prose() -> None:
    assert is_headline(HEADLINE) and not is_prose(HEADLINE)
    assert label(HEADLINE + ".") == Kept.BODY


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Facebook Twitter Email", Reason.SHARE_BUTTONS),
        ("Share this article", Reason.SHARE_BUTTONS),
        ("1 of 12", Reason.GALLERY_CHROME),
        ("Advertisement", Reason.ADVERTISEMENT),
        ("Story continues below advertisement", Reason.ADVERTISEMENT),
        ("Sign up for our newsletter", Reason.NEWSLETTER),
        ("Leave a comment", Reason.COMMENTS),
        ("23 Comments", Reason.COMMENTS),
        ("There are 13 comments", Reason.COMMENTS),
        ("2 responses", Reason.COMMENTS),
        ("Read more", Reason.RELATED_LINKS),
        ("You may also like", Reason.RELATED_LINKS),
        ("Back to top", Reason.NAVIGATION),
        ("By Jane Doe and John Roe", Kept.CREDIT),
        ("(Reporting by Jane Doe; Editing by John Roe)", Kept.CREDIT),
        ("Published Aug. 23, 2025 10:30 p.m.", Reason.TIMESTAMP),
        ("Posted 3 hours ago", Reason.TIMESTAMP),
        ("Saturday, August 23, 2025", Reason.TIMESTAMP),
        ("Relationship with Washington", Reason.NAVIGATION),
        ("Filed to:", Reason.NAVIGATION),
        ("About | Advertising | Contact | Corrections | Help | Privacy", Reason.NAVIGATION),
        ("News • Sport • Weather • Business • Local news", Reason.NAVIGATION),
        ("Here are some of the highlights:", Kept.BODY),
        ("© 2025 The Associated Press", Reason.SITE_NOTICE),
        ("all rights reserved by the publisher", Reason.SITE_NOTICE),
        ("Royal Road® © 2024", Reason.SITE_NOTICE),
        ("The Daily Bugle ⓒ 2019 Bugle Media", Reason.SITE_NOTICE),
        ("The band's logo, © by its designer, was sold at auction for a record price.", Kept.BODY),
        ("Copyright (C) 2012-2014 Jane Doe. Content licensed under CC-BY.", Reason.SITE_NOTICE),
        (
            "This website uses cookies. By continuing to use our website without changing "
            "the settings, you are agreeing to our use of cookies.",
            Reason.SITE_NOTICE,
        ),
        ("Regulators said the app uses cookies to follow its users across sites.", Kept.BODY),
    ],
)
def test_common_page_chrome(line: str, expected: Kept | Reason) -> None:
    assert label(line) == expected


def test_a_long_paragraph_about_copyright_is_an_articles() -> None:
    paragraph = (
        "Copyright law gives the author of a work the sole right to copy it, and the court "
        "heard for three days how the studio had used the photographs without asking. "
    ) * 4
    assert label(paragraph.strip()) == Kept.BODY


MENU_ON_ONE_LINE = (
    "Latest News Applications OS Channel Programs Cloud Components & Peripherals Data Center "
    "Internet of Things Managed Services Mobility Networking Running Your Business Security "
    "Storage Virtualization"
)


def test_a_long_line_of_capitalised_words_without_a_sentence_end_is_not_prose() -> None:
    assert not is_prose(MENU_ON_ONE_LINE)
    assert label(MENU_ON_ONE_LINE) != Kept.BODY
    # The same words closed as a sentence, or in a sentence's case, are prose.
    assert label(MENU_ON_ONE_LINE + ".") == Kept.BODY
    assert label(MENU_ON_ONE_LINE[0] + MENU_ON_ONE_LINE[1:].lower()) == Kept.BODY


def test_chrome_phrase_inside_a_sentence_is_not_chrome(seed_line) -> None:
    sentence = seed_line("Thousands of Cubans lined a street")
    assert chrome_reason(sentence) is None
    assert chrome_reason("Read more about the summit in Tokyo on Saturday.") is None
    assert label("Read more about the summit between Lee and Ishiba in Tokyo on Saturday.") == (
        Kept.BODY
    )


def test_a_line_of_many_menu_words_and_one_other_is_judged_at_once() -> None:
    """However long a run of a kind's phrases, a line that other words end is soon found to
    be no chrome of that kind (its separators are matched one way only)."""
    line = "Home " * 23 + "News"
    assert len(line) <= 120  # longer lines are never chrome
    start = time.process_time()
    assert chrome_reason.__wrapped__(line) is None
    assert chrome_reason.__wrapped__(line.removesuffix("News")) is Reason.NAVIGATION
    assert time.process_time() - start < 1


def test_sentence_cut_from_a_flattened_line_is_body_unless_chrome(seed_text) -> None:
    fragment = "Relationship with Washington Tokyo and Seoul, both key US allies in Asia"
    assert fragment in seed_text("000")
    assert label(fragment, line_start=False) == Kept.BODY
    assert label("Recommended Articles", line_start=False) == Reason.RELATED_LINKS
    assert label(HEADLINE, line_start=False) == Kept.BODY


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("TOKYO (AP) — South Korean President Lee Jae Myung, in his first summit", "TOKYO (AP)"),
        ("HAVANA (AP) — Cuban soldiers wearing white gloves", "HAVANA (AP)"),
        ("SEOUL, Aug 23 (Reuters) - South Korea's president arrived", "SEOUL, Aug 23 (Reuters)"),
        ("BEIJING, Nov. 24 (Xinhua) -- China said", "BEIJING, Nov. 24 (Xinhua)"),
        ("(CNN) — Lee Jae Myung met Shigeru Ishiba", "(CNN)"),
        ("WASHINGTON — The White House said", "WASHINGTON"),
        ("SAN JUAN, Puerto Rico (AP) — Coto reported", "SAN JUAN, Puerto Rico (AP)"),
    ],
)
def test_dateline_of(text: str, dateline: str) -> None:
    assert dateline_of(text) == dateline
    assert is_dateline(text)


@pytest.mark.parametrize(
    "text",
    [
        "The two agreed to cooperate in areas that include clean energy.",
        "Ishiba - who met Trump in Washington in February - settled a deal.",
        "Lee — who met Ishiba on the sidelines of the Group of Seven summit in June — said",
        "Nearby, thousands of Cubans lined one of the Havana’s most iconic streets.",
        "TOKYO (AP)",
        "Tokyo (AP) — lower-case city names are not datelines",
        "US - China talks resumed on Monday.",
        "",
    ],
)
def test_not_a_dateline(text: str) -> None:
    assert dateline_of(text) is None
    assert not is_dateline(text)


def test_dateline_paragraph_ending_in_a_photo_credit_is_not_a_caption(seed_line) -> None:
    text = seed_line("HAVANA (AP) —") + " (AP Photo/Ramon Espinosa)"
    assert label(text) == Kept.BODY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-08-24 00:28 Last Updated At:00:30", "2025-08-24T00:28:00"),
        ("2025-08-24T00:28:05", "2025-08-24T00:28:05"),
        ("2025-08-24", "2025-08-24"),
        ("Published Aug. 23, 2025 10:30 p.m.", "2025-08-23T22:30:00"),
        ("August 23, 2025 10:30 a.m.", "2025-08-23T10:30:00"),
        ("Aug. 23 2025 12:05 a.m.", "2025-08-23T00:05:00"),
        ("Aug. 23, 2025 12:30 p.m.", "2025-08-23T12:30:00"),
        ("Sept. 3, 2025", "2025-09-03"),
        ("Updated 23 August 2025", "2025-08-23"),
        ("Monday, Jan. 5, 2026", "2026-01-05"),
    ],
)
def test_parse_timestamp(text: str, expected: str) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "no date here", "2025-02-30", "Foo 23, 2025", "Posted 3 hours ago", "00:30"],
)
def test_parse_timestamp_without_a_full_valid_date(text: str) -> None:
    assert parse_timestamp(text) is None


def test_timestamp_needs_all_dates(seed_line) -> None:
    assert is_timestamp("2025-08-24 00:28 Last Updated At:00:30")
    caption = seed_line("South Korean President Lee Jae Myung, left, meets")
    assert not is_timestamp(caption)
    assert not is_timestamp("Saturday’s summit was on Aug. 23, 2025.")


def test_count_words_counts_cjk_characters_in_pairs() -> None:
    assert count_words("Recommended Articles") == 2
    assert count_words("日本と韓国") == 3
    assert count_words("Lee 日本 visit") == 3


# Words the patterns look for, and characters that IGNORECASE matches with an ASCII letter
# ("ſ" with "s", "ı" and "İ" with "i", the Kelvin sign with "k") or that casefold to several.
PIECES = [
    "contributed", "CONTRİBUTED", "contrıbuted", " to this report", " from", "(", "Reporting",
    "additional ", "writing", "Editing", " by ", "newsletter", "NEWSLETTER", "newſletter",
    "day", "DAY", "Monday", "3", "12:30", "Aug. 23", " ", "ß", "ﬀ", "İ", "K", "x",
    "Photo:", "PHOTOGRAPH : x", "ımage", "pıcture", ":", ")", "(AP Photo/Jane Doe)", "\n",
    ".", "…", "”", "’", "word", "said",
    "©", "ⓒ", "Copyright", "COPYRİGHT", "(C) 2019", "All Rights Reserved", "rıghts reserved",
    "We use cookies", "this website uses COOKİES", "By continuing", "By usıng this site",
    " you agree", " you are agreeing", " YOU ACCEPT",
    "Home", "NEWS", "_", "Share this", "1 of 12", "Facebook", " | ", " • ", "·", "Aug", "2025",
]  # fmt: skip
# The shape of a sentence end, as a pattern.
SENTENCE_END = re.compile(r"[.!?…;:。！？：；][\"'”’)\]」』）]*$")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_quick_tests_before_a_pattern_change_no_label(text: str) -> None:
    """The string tests that rule lines out before a pattern's search never rule out a line
    the pattern matches: the labels are the patterns' alone."""
    assert is_end_of_story.__wrapped__(text) == (
        len(text) < 300 and END_OF_STORY.search(text) is not None
    )
    reason = next((c.reason for c in CHROME if c.pattern.search(text)), None)
    teaser = TEASER.match(text) and count_words(text) <= MAX_PROMOTION_WORDS
    expected = Reason.RELATED_LINKS if teaser else None if len(text) > 120 else reason
    assert chrome_reason.__wrapped__(text) == expected
    assert has_photo_credit(text) == (PHOTO_CREDIT.search(text) is not None)
    notices, words = len(SITE_NOTICE.findall(text)), count_words(text)
    assert is_site_notice(text) == (
        notices > 0
        if words <= MAX_SITE_NOTICE_WORDS
        else notices >= MIN_NOTICES_IN_LONG_BLOCK and words <= WORDS_PER_NOTICE * notices
    )
    assert ends_like_sentence(text) == (SENTENCE_END.search(text) is not None)
    assert holds_date(text) == (DATE_TOKEN.search(text) is not None)
    items = len(MENU_SEPARATOR.split(text))
    assert is_menu(text) == (items >= MENU_ITEMS and count_words(text) <= MENU_ITEM_WORDS * items)
    date_like = len(text) <= 80 and DATE_TOKEN.search(text) is not None
    assert is_timestamp(text) == (
        date_like and len(DATE_WORDS.sub("", DATE_TOKEN.sub("", text))) <= 2
    )


# The data providers' notices under a page of market data: one block, three copyrights.
PROVIDERS_NOTICE = (
    "Most stock quote data provided by the exchange. Market indices are shown in real time, "
    "except for the main index, which is delayed by two minutes. All times are ET. "
    "Disclaimer. Quotes: © 2016 Quotes Inc. All Rights Reserved. Research: Research Systems "
    "Inc. 2016. All rights reserved. Futures: Certain market data is the property of the "
    "futures exchange and its licensors. All rights reserved. Funds: Fund data provided by "
    "the fund house, and the index data is provided under licence by the index provider, "
    "whose trademarks are used with permission. Mutual fund and exchange-traded fund data "
    "is provided by the fund house; the figures are delayed and may not be complete, and "
    "neither the site nor its providers accept any liability for decisions made on them."
)
# An article's paragraph that quotes a notice once.
QUOTING_PARAGRAPH = (
    "The label printed the words all rights reserved on every sleeve, but the band had "
    "never signed the contract, its lawyer said on Tuesday. The dispute began when the "
    "band's first album was reissued without its members being told, and it has since "
    "grown into a fight over the royalties of four records, two tours and a film that the "
    "label made of the last concert in Leeds. The lawyer said the band would ask the court "
    "in London to rule on the contract before the end of the year, and that the members "
    "had kept every letter the label sent them since the reissue was announced in the spring."
)


@pytest.mark.parametrize(("text", "notice"), [(PROVIDERS_NOTICE, True), (QUOTING_PARAGRAPH, False)])
def test_a_long_block_is_a_notice_when_it_is_notices_over_and_over(text, notice) -> None:
    assert count_words(text) > MAX_SITE_NOTICE_WORDS
    assert is_site_notice(text) is notice
