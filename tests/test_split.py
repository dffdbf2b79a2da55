"""Story boundaries, through cleaner.clean_text: datelines, end-of-story lines, cohesion."""

from __future__ import annotations

import pytest

import cleaner
from cleaner.model import Kept, Reason

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


# --- Page dumps: the visible text of whole pages, menus and footers included ----------------

HARBOUR_PAGE = """\
Skip to content
Menu
Home
Local
Business
Sport
Weather
Subscribe
Harbour board approves dredging of the old ferry channel
By Maren Holt
Published 14 March
Share
Facebook
Twitter
Email
The harbour board voted on Tuesday to dredge the old ferry channel, ending a decade of \
arguments over silt that has stranded fishing boats at low tide every winter.
Dredgers will remove about forty thousand cubic metres of mud from the channel between the \
breakwater and the fish market, the board's engineer told members before the vote.
Skippers have complained since the last dredging that their trawlers scrape the bottom on \
spring tides, and two boats were holed on the rocks near the lighthouse last year.
The work will cost the port authority close to two million, paid from mooring fees and a \
loan from the regional fisheries fund, and should be finished before the herring season.
Environmental groups asked the board to test the mud for heavy metals first, because the \
channel runs past the old shipyard where boats were painted with toxic coatings.
The engineer said samples would be taken from every section of the channel and that \
contaminated silt would go to a sealed landfill rather than being dumped at sea.
Related Topics
Harbour
Fishing
Local council
More on this story
Trawler holed near lighthouse
12 January
Mooring fees to rise in spring
3 February
Top Stories
Contact us
About us
Privacy policy
Cookies
Terms of use
Copyright 2024 Coast Gazette. All rights reserved.
"""

ORCHESTRA_PAGE = """\
Sign in
Newsletters
Arts
Music
Film
Books
Theatre
Youth orchestra finds a new home in the disused tram depot
The city's youth orchestra will rehearse in the disused tram depot from next autumn, after \
the culture department agreed to lease the building to the players for a symbolic sum.
For twenty years the orchestra has practised in school gymnasiums, carrying timpani, double \
basses and music stands through corridors every Saturday morning before rehearsals began.
Architects plan to keep the iron roof and the tiled walls of the depot, adding wooden panels \
that shape the sound and a gallery where parents can listen to the violin sections.
The conductor said the acoustics of the main hall surprised the musicians at a trial \
rehearsal in January, when the brass section played a fanfare beneath the glass skylights.
Donors have promised most of the money needed for heating and soundproofing, and the \
orchestra will hold a benefit concert of Dvorak symphonies in the depot in June.
Students from the conservatory will teach weekly cello and clarinet classes there too, so \
that children from the surrounding streets can borrow instruments and join the ensemble.
Comments
Most Read
Newsletter sign-up
Follow us
About
Advertise
Privacy
© 2024 City Review
"""


def page_dump(page: str) -> str:
    """A page's visible text as scrapers write it: one line per block, blank lines between."""
    return "\n\n".join(page.splitlines())


def test_the_title_is_the_headline_that_speaks_of_the_story() -> None:
    """The headline-shaped line nearest above the article is a byline: the title is the
    headline above it, whose words the article uses."""
    page = HARBOUR_PAGE.replace("By Maren Holt\n", "Maren Holt Coast Gazette Reporter\n")
    (story,) = cleaner.clean_text(page_dump(page)).stories
    assert story.title == "Harbour board approves dredging of the old ferry channel"


def test_no_title_rather_than_a_prompt() -> None:
    """A story whose only headline-shaped line speaks of something else has no title."""
    page = HARBOUR_PAGE.replace(
        "Harbour board approves dredging of the old ferry channel", "Show More Sharing Options"
    )
    (story,) = cleaner.clean_text(page_dump(page)).stories
    assert story.title is None


def test_two_page_dumps_without_datelines_come_apart(assert_exact_account) -> None:
    """Two whole pages, menus and footers included, glued: the seam between them is the run
    of furniture lines, and the two articles share no subject."""
    text = page_dump(HARBOUR_PAGE) + "\n\n" + page_dump(ORCHESTRA_PAGE)
    result = cleaner.clean_text(text)
    assert [story.title for story in result.stories] == [
        "Harbour board approves dredging of the old ferry channel",
        "Youth orchestra finds a new home in the disused tram depot",
    ]
    harbour, orchestra = result.stories
    assert harbour.text.startswith("The harbour board voted on Tuesday")
    assert harbour.text.endswith("rather than being dumped at sea.")
    assert orchestra.text.startswith("The city's youth orchestra will rehearse")
    assert orchestra.text.endswith("can borrow instruments and join the ensemble.")
    assert_exact_account(result)


@pytest.mark.parametrize("page", [HARBOUR_PAGE, ORCHESTRA_PAGE], ids=["harbour", "orchestra"])
def test_one_page_dump_is_one_story(page: str) -> None:
    result = cleaner.clean_text(page_dump(page))
    assert len(result.stories) == 1


HEADER_MENU = [
    "Home",
    "News",
    "Local",
    "Business",
    "Sport",
    "Weather",
    "Traffic",
    "Obituaries",
    "Opinion",
    "Arts",
    "Events",
    "Jobs",
    "Contact us",
]


def test_a_promotion_above_the_header_menu_is_not_the_story() -> None:
    """A site's promotion printed above a menu of a dozen lines: neither it nor the menu
    between it and the article is the story's."""
    promotion = "Find a business near you and read the news of your street."
    page = "\n".join([promotion, *HEADER_MENU, HARBOUR_PAGE])
    result = cleaner.clean_text(page_dump(page))
    (story,) = result.stories
    assert story.text.startswith("The harbour board voted on Tuesday")
    removed = {span.text.strip(): span.label for span in result.removed}
    assert removed[promotion] is Reason.FRAGMENT
    assert removed["Obituaries"] is Reason.NAVIGATION


def test_a_lede_above_the_header_menu_stays_with_its_story() -> None:
    """A sentence set as far above the article that speaks of its subject is its lede."""
    lede = "The old ferry channel will be dredged to free the stranded fishing boats."
    page = "\n".join([lede, *HEADER_MENU, HARBOUR_PAGE])
    result = cleaner.clean_text(page_dump(page))
    (story,) = result.stories
    assert story.text.startswith(lede)


LEDGER_MENU = "Home\nMarkets\nCompanies\nOpinion\nPodcasts\nSubscribe\n"
LEDGER_FOOTER = """\
About us
Contact
Careers
Terms of use
Privacy
© 2024 The Market Ledger. All rights reserved.
"""
OIL_REPORT = """\
Oil prices slip as traders weigh weaker demand
By Ana Ruiz
Oil prices fell for a third day on Tuesday as traders weighed signs of weaker demand from \
refiners against supply cuts, and the market closed two percent lower for the week.
Traders said the market expects prices to stay under pressure while refiners buy less crude \
and stocks in storage keep rising, with analysts cutting their forecasts for the quarter.
Analysts said prices could fall further if demand from refiners stays weak, although the \
market still expects supply cuts to support prices later in the year, traders said.
Refiners have cut their purchases for the quarter, and storage stocks rose for a fourth week, \
which analysts said weighed on prices and on the mood of traders across the market.
"""
WHEAT_REPORT = """\
Wheat prices climb as traders fear smaller harvest
By Tom Becker
Wheat prices rose for a third day on Tuesday as traders weighed forecasts of a smaller harvest \
against large stocks in storage, and the market closed two percent higher for the week.
Traders said the market expects prices to stay firm while millers buy more grain and stocks \
in storage keep falling, with analysts raising their forecasts for the quarter.
Analysts said prices could rise further if the harvest forecasts stay weak, although the \
market still expects large stocks to limit prices later in the year, traders said.
Millers have raised their purchases for the quarter, and storage stocks fell for a fourth \
week, which analysts said lifted prices and the mood of traders across the market.
"""
REPORTS = [OIL_REPORT, WHEAT_REPORT]


def ledger_page(report: str) -> str:
    """A market report as the site prints it: its menu above, its footer below."""
    return page_dump(LEDGER_MENU + report + LEDGER_FOOTER)


def test_two_pages_of_one_site_come_apart_at_its_footer(assert_exact_account) -> None:
    """Two market reports of one site share most of their words, so cohesion sees no drop
    between them; the site's copyright line inside the footer and header between them is
    where one page ends."""
    result = cleaner.clean_text(ledger_page(OIL_REPORT) + "\n\n" + ledger_page(WHEAT_REPORT))
    assert [story.title for story in result.stories] == [
        "Oil prices slip as traders weigh weaker demand",
        "Wheat prices climb as traders fear smaller harvest",
    ]
    assert result.stories[1].text.startswith("Wheat prices rose for a third day")
    assert_exact_account(result)


@pytest.mark.parametrize("report", REPORTS, ids=["oil", "wheat"])
def test_one_market_report_page_is_one_story(report: str) -> None:
    assert len(cleaner.clean_text(ledger_page(report)).stories) == 1


LONG_ARTICLE = """\
How the river delta is losing its wetlands
By Ines Albrecht
The river delta has lost a fifth of its wetlands in thirty years, according to a survey of \
satellite images published by the delta research institute on Monday.
Farmers drained marshes for rice fields, and dams upstream hold back the sediment that used \
to rebuild the delta's banks after every flood season.
Advertisement
Where the water went
Irrigation canals now carry much of the river's water to rice fields before it reaches the \
delta, so salt water from the sea pushes further inland during the dry season.
Salt has killed reeds along the lower channels of the delta, and fishermen say the shrimp \
that once bred among the reeds have moved to the few marshes that remain.
Advertisement
What the survey found
The institute compared satellite images of the delta taken every five years and mapped the \
marshes, reed beds and mudflats that were drained or flooded by salt water.
The survey found the largest losses along the eastern channels of the delta, where new rice \
fields and shrimp ponds replaced most of the reed beds within a decade.
Photo: Wetland survey team
Can the marshes come back?
Researchers want the dams to release sediment during floods, and some farmers have agreed to \
flood their rice fields in winter so that reeds and birds can return to the delta.
The institute will repeat the satellite survey next year to see whether the flooded fields \
and the released sediment slow the loss of wetlands in the delta.
"""


NEWSLETTER_SIGN_UP = (
    "Sign up for our morning newsletter and receive the most important news from home and "
    "abroad in your inbox before breakfast, free of charge, every weekday. You can cancel the "
    "subscription at any time, and by subscribing you agree that the publisher processes your "
    "personal data according to its privacy principles and the rules for handling them."
)
SITE_MENU = ["Home", "World", "Sport", "Video", "Business", "Climate", "Opinion", "Culture"]
SITE_MENU += ["Magazine", "Women", "Cars", "Jobs", "Housing", "Specials"]
CLUB_LEDE = [
    "A miracle of one season? The small club from the east of the city keeps answering its "
    "doubters, and the football world begins to understand that the elite four will have to "
    "make room for a newcomer with a modest budget, loud fans and a stadium nobody wanted.",
    "Critics called the club's rise a fluke last spring. Now even the most sceptical "
    "columnists in London concede that this club is here to stay, and the bookmakers who "
    "offered long odds on a top finish in August have quietly cut them twice since October, "
    "fearing heavy losses at Christmas.",
]
CLUB_BODY = [
    "Five league wins in a row and a single goal conceded: fourth place in the table, the same "
    "points as last year's champion, and a coach whose tactics the pundits now praise in every "
    "studio after the weekend's emphatic victory away from home.",
    "The team has become excellent in every part of the pitch, one former striker wrote, and "
    "the manager deserves enormous credit for the position he has brought them to, with a "
    "squad assembled for a fraction of what the richest rivals spend on one player.",
    "The midfielder who joined from Prague two winters ago remains an indispensable member of "
    "the starting eleven, even though his recent performances look unremarkable: he does a "
    "huge amount of work away from the spotlight, winning headers at both ends of the pitch.",
    "The manager does not rest him either. In the last five matches, played in only fourteen "
    "days, the midfielder missed just a few minutes, and supporters speculate about fatigue "
    "as the winter transfer window approaches and the fixture list grows ever more crowded.",
]


def test_a_lede_cut_from_its_body_by_a_related_link_stays_with_it() -> None:
    """A short lede, then a related story's headline, then the body, which speaks of other
    things than the lede: with the newsletter sign-up across the header's menus above it,
    the lede would have words enough for a story of its own, but they are not its own."""
    related = ["Related", "Fans walked off the pitch in protest after the derby was abandoned"]
    lines = [NEWSLETTER_SIGN_UP, *SITE_MENU, *CLUB_LEDE, *related, *CLUB_BODY]
    (story,) = cleaner.clean_text(glued(lines)).stories
    assert story.text.startswith(CLUB_LEDE[0])
    assert story.text.endswith(CLUB_BODY[-1])


def test_one_long_article_with_subheadings_is_not_split() -> None:
    """Subheadings and ads between the sections of one article are not a seam."""
    result = cleaner.clean_text(page_dump(LONG_ARTICLE))
    assert len(result.stories) == 1
    (story,) = result.stories
    assert story.text.startswith("The river delta has lost a fifth")
    assert story.text.endswith("slow the loss of wetlands in the delta.")


def test_teaser_list_after_a_story_is_not_a_story() -> None:
    """Teasers (headline, a sentence, a byline and a date each) printed after the story."""
    teasers = [
        "Lighthouse keeper retires after forty years",
        "The last keeper of the north lighthouse handed over the keys to the coastguard "
        "on Friday after four decades of climbing its two hundred steps every night.",
        "By Ola Berg",
        "2 March",
        "Ferry timetable changes for the summer",
        "Ferries to the islands will sail every hour from May, the operator said, adding "
        "two extra crossings on weekends and a night boat during the music festival.",
        "By Kari Lund",
        "28 February",
        "Fish market reopens after repairs",
        "Traders returned to the covered fish market on Saturday after builders replaced "
        "the leaking roof and the cold stores damaged in the winter storms.",
        "By Ola Berg",
        "25 February",
    ]
    text = page_dump(HARBOUR_PAGE) + "\n\n" + "\n\n".join(["Latest news", *teasers])
    result = cleaner.clean_text(text)
    assert len(result.stories) == 1
    assert "Lighthouse keeper" not in result.stories[0].text
    assert "Ferries to the islands" not in result.stories[0].text


AUTHOR_BIO = [
    "Mari Yamaguchi has reported from Tokyo for the news agency since 1998, first on the "
    "city's police and courts, then on Japan's politics and its nuclear industry, and on the "
    "long recovery of the towns on the northeastern coast that the tsunami of 2011 destroyed.",
    "Before she came to Tokyo, Yamaguchi wrote about farming and fisheries for a newspaper in "
    "Sendai, and she still travels to the northeastern coast every spring to visit the fishing "
    "ports and the oyster growers whose harvests she has followed since the tsunami.",
]
SHORT_STORY = [
    "The city council of Nagano voted on Thursday to close two of its mountain ski runs for "
    "good after a third winter with too little snow, and to turn their slopes into trails for "
    "hikers and mountain bikers that will open in the summer.",
    "The council said the trails would cost less to run than the ski lifts, and that the "
    "hotels near the slopes, which lost most of their winter guests, had asked for them.",
]


def test_an_authors_bio_under_the_story_is_not_a_story(summit) -> None:
    """A bio that holds together, a few share buttons below a story several times longer:
    the page's other prose, not a story of its own."""
    share_buttons = ["Share this story", "Facebook", "Twitter", "Email", "About the author"]
    result = cleaner.clean_text(glued(summit, share_buttons, AUTHOR_BIO))
    assert [story.dateline for story in result.stories] == ["TOKYO (AP)"]
    removed = [span for span in result.removed if "Yamaguchi" in span.text]
    assert [span.label for span in removed] == [Reason.FRAGMENT] * len(AUTHOR_BIO)


def test_a_short_story_after_a_page_footer_is_a_story(summit) -> None:
    """As short as a bio, but below the site's footer and copyright line: another page."""
    footer = ["About us", "Contact", "Terms of use", "Privacy", "© 2025 The Associated Press"]
    result = cleaner.clean_text(glued(summit, footer, SHORT_STORY))
    assert [story.text for story in result.stories][1:] == ["\n\n".join(SHORT_STORY)]


SITE_DISCLAIMER = [
    "The information on this website is provided for general guidance only and is not a "
    "substitute for advice from a qualified professional about your own circumstances.",
    "Results described on this website vary from person to person, and the publisher accepts "
    "no liability for decisions that readers make on the basis of the information provided.",
    "Prices, offers and availability shown on this website may change without notice, and "
    "readers should confirm every detail of an offer with the seller before they buy.",
]
ARTICLE_FOOTER = [
    "Related Articles",
    "Weight Loss",
    "Why am I not losing weight?",
    "Weight Loss",
    "Smart food swaps for game day",
    "Share",
    "Facebook",
    "Pinterest",
    "Instagram",
    "Join our newsletter",
    "Facebook",
    "Pinterest",
    "Instagram",
    "Join our newsletter",
]
PAGE_NOTICE = ["© 2025 Example Media LLC. All rights reserved.", "Terms of Use | Privacy Policy"]


def test_a_disclaimer_closing_the_page_is_not_a_story(summit) -> None:
    """The site's disclaimer between a story's related links and the copyright line that
    ends its page: prose that holds together, across a full seam, but much shorter than the
    story and on its page."""
    text = glued(summit, ARTICLE_FOOTER, SITE_DISCLAIMER, PAGE_NOTICE)
    result = cleaner.clean_text(text)
    assert [story.dateline for story in result.stories] == ["TOKYO (AP)"]
    removed = [span for span in result.removed if "this website" in span.text]
    assert [span.label for span in removed] == [Reason.FRAGMENT] * len(SITE_DISCLAIMER)


def test_a_short_story_closing_its_page_after_a_pages_menus_is_a_story(summit) -> None:
    """The same place above a copyright line, but below as many menu lines as one page's
    footer and the next one's header: another page."""
    menus = [f"Section {number}" for number in range(1, 61)]
    result = cleaner.clean_text(glued(summit, menus, SHORT_STORY, PAGE_NOTICE))
    assert [story.text for story in result.stories][1:] == ["\n\n".join(SHORT_STORY)]


def test_a_card_repeating_a_storys_lede_is_not_a_story(summit, assert_exact_account) -> None:
    """A portal's summary card above the article it links to: its headline and the first
    two paragraphs run into one, then the portal's menus, then the article itself. The
    card's prose holds together and is long enough for a story, but every word of it is
    printed again in the article."""
    lede = paragraphs(summit)[:2]
    card = ["Leaders of Japan and South Korea meet", " ".join(lede).removeprefix(TOKYO)]
    menus = [f"Section {number}" for number in range(1, 16)]
    result = cleaner.clean_text(glued(card, menus, summit))
    assert [story.dateline for story in result.stories] == ["TOKYO (AP)"]
    removed = {span.text.strip(): span.label for span in result.removed}
    assert removed[card[1]] is Reason.FRAGMENT
    assert_exact_account(result)


ONE_LINE_TEASERS = [
    "Lighthouse keeper retires after forty years The last keeper of the north lighthouse "
    "handed over the keys to the coastguard on Friday.",
    "Ferry timetable changes for the summer Ferries to the islands will sail every hour from "
    "May, with a night boat during the music festival.",
    "Fish market reopens after repairs Traders returned to the covered market on Saturday "
    "after builders replaced the leaking roof.",
    "School choir wins national contest Forty singers from the grammar school took first "
    "prize in the capital with a programme of folk songs.",
    "Storm closes mountain pass Snow and falling rocks shut the road over the pass for a "
    "third day, and buses to the valley were cancelled.",
]


def test_teasers_printed_one_after_another_are_not_a_story() -> None:
    """One line per teaser, headline and summary run together, nothing between them: a run
    of prose long enough for a story, but every line is about something else, and the
    article next to it is more than twice as long."""
    teasers = ONE_LINE_TEASERS[:3]
    text = page_dump(HARBOUR_PAGE) + "\n\n" + "\n\n".join(["More stories", *teasers])
    result = cleaner.clean_text(text)
    assert len(result.stories) == 1
    assert result.stories[0].text.startswith("The harbour board voted on Tuesday")
    assert "Ferries to the islands" not in result.stories[0].text
    removed = {span.text.strip(): span.label for span in result.removed}
    assert removed[teasers[1]] is Reason.FRAGMENT


COMMENTS = [
    "3 comments",
    "Ola Berg · March 14, 2024 at 9:12 AM",
    "About time the channel was dredged. My trawler has scraped the bottom on every spring "
    "tide since the last time they did it, and the insurers have started asking questions "
    "about the damage to the hull that none of us can answer.",
    "Reply",
    "Kari Lund · March 14, 2024 at 11:40 AM",
    "Who is going to check the mud for the old paint from the shipyard? I would like to see "
    "the results of the samples published before a single dredger starts work near the "
    "breakwater, because my children swim off that beach every summer.",
    "Reply",
    "Per Holm · March 15, 2024 at 7:03 AM",
    "Two million for a channel that silts up again in ten years. The board should have asked "
    "the fishing fleet to share the cost of the work instead of raising the mooring fees for "
    "the pleasure boats that never go near the fish market.",
    "Reply",
]


def test_comments_under_a_story_are_not_its_text() -> None:
    """Posts under a time stamp each, too short to judge on their own, after the article:
    comments, as the line above them says."""
    page = HARBOUR_PAGE.replace("Related Topics", "\n".join([*COMMENTS, "Related Topics"]))
    result = cleaner.clean_text(page_dump(page))
    (story,) = result.stories
    assert story.text.endswith("rather than being dumped at sea.")
    removed = {span.text.strip(): span.label for span in result.removed}
    assert removed[COMMENTS[5]] is Reason.COMMENTS


def test_an_embedded_post_does_not_end_the_story() -> None:
    """One dated post quoted inside an article: the paragraphs after it are the story's."""
    quoted = "\n".join(
        [
            "The vote was welcome news on the quays, where one skipper wrote online:",
            "Finally the channel gets dredged and our boats can land at low tide again.",
            "— Ola Berg (@olaberg) March 14, 2024",
            "Dredgers will remove",
        ]
    )
    page = HARBOUR_PAGE.replace("Dredgers will remove", quoted, 1)
    result = cleaner.clean_text(page_dump(page))
    (story,) = result.stories
    assert story.text.endswith("rather than being dumped at sea.")


def test_teasers_alone_are_still_the_documents_story() -> None:
    """Nothing is dropped as not a story when nothing else in the document is one."""
    result = cleaner.clean_text("\n\n".join(ONE_LINE_TEASERS))
    assert len(result.stories) == 1


def article(headline_tag: str, headline: str, page: str) -> str:
    """One story of a page as an <article>: its headline, then its paragraphs."""
    paragraphs = [line for line in page.splitlines() if len(line.split()) > 12]
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"<article><{headline_tag}>{headline}</{headline_tag}>{body}</article>"


def test_short_story_with_its_own_h1_is_a_story_container() -> None:
    """Infinite scroll: a long story, then a shorter one that brings its own <h1>."""
    short = "\n".join(LONG_ARTICLE.splitlines()[2:4])  # two paragraphs, about 50 words
    short += "\n" + short.replace("a fifth", "much")  # four, over 100 words
    html = (
        "<html><body>"
        + article("h1", "Harbour board approves dredging", HARBOUR_PAGE + ORCHESTRA_PAGE)
        + article("h1", "Delta losing its wetlands", short)
        + "</body></html>"
    )
    result = cleaner.clean_html(html)
    assert len(result.stories) == 2
    assert result.stories[1].text.startswith("The river delta has lost a fifth")


def test_lines_above_a_closing_promotion_are_not_the_story() -> None:
    """ "About the Author" above "Follow ..." closes the page, not the story: the story ends
    with its last paragraph, and cleaning its text again removes nothing."""
    text = (
        page_dump(LONG_ARTICLE)
        + "\n\n"
        + "\n\n".join(
            [
                "About the Author",
                "Ines Albrecht",
                "Follow Ines Albrecht on Twitter for her reports on rivers, farming and the delta.",
            ]
        )
    )
    (story,) = cleaner.clean_text(text).stories
    assert story.text.endswith("slow the loss of wetlands in the delta.")
    assert [again.text for again in cleaner.clean_text(story.text).stories] == [story.text]


def test_a_story_container_holds_its_lead_picture_and_headline() -> None:
    """Infinite scroll: the picture above the second story's headline is that story's, not
    the one above, and the <h1> is its title."""
    second = article("h1", "Delta losing its wetlands", LONG_ARTICLE).replace(
        "<article>",
        "<article><figure><img src='delta.jpg'>"
        "<figcaption>Reed beds in the delta at low tide.</figcaption></figure>",
    )
    html = (
        "<html><body>"
        + article("h1", "Harbour board approves dredging", HARBOUR_PAGE)
        + second
        + "</body></html>"
    )
    first, story = cleaner.clean_html(html).stories
    assert story.title == "Delta losing its wetlands"
    assert story.captions == ["Reed beds in the delta at low tide."]
    assert first.captions == []
    assert story.start == story.document.text.index("Reed beds")


def test_the_headline_the_extractor_cut_off_is_the_title() -> None:
    """An <h1> outside the main content, right above the article, is its title, kept as
    such, rather than the page's og:title."""
    paragraphs = "".join(f"<p>{line}</p>" for line in LONG_ARTICLE.splitlines()[1:])
    html = (
        "<html><head><title>The Valley Times</title>"
        "<meta property='og:title' content='Wetlands survey'></head><body>"
        "<div class='top'><h1>Delta losing its wetlands, survey finds</h1></div>"
        f"<div id='content'><div class='text'>{paragraphs}</div></div></body></html>"
    )
    (story,) = cleaner.clean_html(html).stories
    assert story.title == "Delta losing its wetlands, survey finds"
    assert story.spans[0].label is Kept.TITLE
    assert story.text.startswith("The river delta has lost a fifth")


def test_a_story_container_of_short_lines_is_a_story_of_its_own() -> None:
    """Infinite scroll: a release notes post, a list of short lines with hardly a paragraph,
    above a news story: the list is a story of its own, not the start of the next one."""
    items = [
        f"Added the {name} block to the game"
        for name in (
            "granite",
            "andesite",
            "diorite",
            "slime",
            "iron trapdoor",
            "prismarine",
            "sea lantern",
            "red sandstone",
            "banner",
            "armor stand",
            "coarse dirt",
            "mossy brick",
            "sponge",
            "barrier",
            "command",
            "spectator",
            "guardian",
            "rabbit",
            "mutton",
            "endermite",
            "ocean monument",
            "world border",
            "debug world",
            "skin layer",
            "realms chart",
        )
    ]
    notes = "".join(f"<li>{item}</li>" for item in items)
    html = (
        "<html><body>"
        f"<article><h1>Release notes for the summer update</h1><ul>{notes}</ul></article>"
        + article("h1", "Delta losing its wetlands", LONG_ARTICLE)
        + "</body></html>"
    )
    notes_story, story = cleaner.clean_html(html).stories
    assert "granite" in notes_story.text and "river delta" not in notes_story.text
    assert story.title == "Delta losing its wetlands"
    assert story.text.startswith("The river delta has lost a fifth")


def test_an_article_made_of_other_posts_cards_is_no_story() -> None:
    """A blog post, then an <article> listing the blog's other posts, one card each: the
    cards are no part of any story, whatever the extractor kept of them."""
    cards = "".join(
        f"<article class='card'><p>{teaser}</p><div>Share Save Download</div></article>"
        for teaser in ONE_LINE_TEASERS[:4]
    )
    html = (
        "<html><body>"
        + article("h1", "Delta losing its wetlands", LONG_ARTICLE)
        + f"<article class='more-posts'><h2>More posts</h2>{cards * 3}</article>"
        + "</body></html>"
    )
    result = cleaner.clean_html(html)
    (story,) = result.stories
    assert story.title == "Delta losing its wetlands"
    assert not any(teaser[:30] in story.text for teaser in ONE_LINE_TEASERS)
    removed = {span.text.strip(): span.label for span in result.removed}
    assert removed[ONE_LINE_TEASERS[0]] is Reason.HTML_BOILERPLATE


CHANGELOG_PAGE = """\
Minecraft News
Powered by Tumblr
Minecraft 1.8 - The Bountiful Update
+ Added Granite, Andesite, and Diorite stone blocks, with smooth versions
+ Added Slime Block
+ Added Iron Trapdoor
+ Added Prismarine and Sea Lantern blocks
+ Added the Ocean Monument
+ Added Rabbits, with item drops
+ Added Mutton and Cooked Mutton
+ Villagers will harvest crops and plant new ones
+ Mossy Cobblestone and Mossy Stone Bricks are now craftable
+ Added a spectator game mode (game mode 3)
+ Minecraft Realms now lets you upload your maps
* Difficulty setting is saved per world, and can be locked if wanted
* Enchanting has been redone, now costs lapis lazuli in addition to enchantment levels
* Villager trading has been rebalanced
* Anvil repairing has been rebalanced
* Max render distance has been increased to 32 chunks (512 blocks)
* Buttons can now be placed on the ceiling
NewerOlder
Official links:
Minecraft.net
Minecraft on Facebook
Merchandise
Bug tracker
Account Support
Mojang on Twitter
"""
CHANGELOG_ITEMS = [line for line in CHANGELOG_PAGE.splitlines() if line[:2] in ("+ ", "* ")]


def test_a_changelog_is_the_story_of_its_page() -> None:
    """A page whose article is a list of items, not one of them a sentence of ten words: the
    items, each opening with a marker, are its text, and the change of subject from item to
    item is no boundary."""
    (story,) = cleaner.clean_text(page_dump(CHANGELOG_PAGE)).stories
    assert story.text == "\n\n".join(CHANGELOG_ITEMS)


def test_a_changelog_page_glued_below_a_news_page_is_a_story(assert_exact_account) -> None:
    result = cleaner.clean_text(page_dump(HARBOUR_PAGE) + "\n\n" + page_dump(CHANGELOG_PAGE))
    harbour, changelog = result.stories
    assert harbour.text.endswith("rather than being dumped at sea.")
    assert changelog.text == "\n\n".join(CHANGELOG_ITEMS)
    assert_exact_account(result)


def test_a_short_ranking_in_an_article_stays_in_its_place() -> None:
    """Numbered lines of a word or two, which the article's sentences introduce, are no list
    that is a text of its own."""
    ranking = ["1. Finland", "2. Norway", "3. Australia", "4. Canada", "5. Germany", "6. France"]
    lines = page_dump(HARBOUR_PAGE).split("\n\n")
    at = lines.index(
        "Skippers have complained since the last dredging that their trawlers "
        "scrape the bottom on spring tides, and two boats were holed on the rocks "
        "near the lighthouse last year."
    )
    text = "\n\n".join([*lines[: at + 1], *ranking, *lines[at + 1 :]])
    (story,) = cleaner.clean_text(text).stories
    assert story.text.startswith("The harbour board voted on Tuesday")
    assert "\n\n".join(ranking) in story.text


FEED = [
    "Space freighter breaks up over Siberia",
    "An unmanned cargo ship heading to the orbiting station broke up in the atmosphere over "
    "a remote region of Siberia on Thursday, minutes after its launch from the steppe, the "
    "space agency said, adding that the crew on board the station had enough food, water and "
    "oxygen to wait for the next supply flight, planned for the spring from the same launch "
    "pad.",
    "World",
    "Wire Service",
    "11 Comments",
    "Treasury pick promises tax reform first",
    "The banker chosen to run the Treasury said on Wednesday that cutting corporate taxes "
    "would be his first priority, promising the largest overhaul of the tax code in three "
    "decades and growth of three to four percent a year, while critics in the Senate warned "
    "that the plan would add trillions to the deficit unless spending fell at the same time.",
    "Politics",
    "Wire Service",
    "2,559 Comments",
    "Parole board hears plea for mercy",
    "The state's parole board heard arguments on Thursday for and against mercy for a man "
    "set to die in January for the killing of a child in 1992, his lawyers saying he was "
    "abused as a boy and suffers from brain damage, prosecutors replying that the jury heard "
    "all of it before it recommended death, and the governor will decide in the new year.",
    "U.S.",
    "Wire Service",
    "272 Comments",
]


def test_a_feed_of_teasers_below_a_page_is_not_a_story() -> None:
    """Summaries of a paragraph each, every one under its headline, section and comment
    count: each long enough to be a story's run of prose, but they speak of nothing in
    common, so the feed is no story."""
    text = page_dump(HARBOUR_PAGE) + "\n\n" + "\n\n".join(FEED)
    (story,) = cleaner.clean_text(text).stories
    assert story.title == "Harbour board approves dredging of the old ferry channel"
    assert "cargo ship" not in story.text and "parole board" not in story.text


def test_a_feed_alone_is_still_the_documents_story() -> None:
    (story,) = cleaner.clean_text("\n\n".join(FEED)).stories
    assert "cargo ship" in story.text


COLUMN_MENU = ["Opinion", "Columns", "Ports", "Fishing", "Coast", "Ferries", "Weather"]
COLUMN_MENU += ["Islands", "Tourism", "Jobs", "Schools", "Health", "More from the Gazette"]
DATED_TEASERS = [
    "Ferry operator should stop blaming the weather",
    "Per Holm",
    "Tuesday March 12, 2024",
    "Every winter the ferry operator cancels crossings and blames the storms, yet its own "
    "figures show that most of the cancelled sailings last year were called off for want of "
    "crew, not because of the wind, and the islanders who missed hospital appointments and "
    "exams deserve an apology and a timetable the company can keep with the sailors it has.",
    "Why the lighthouse should become a museum",
    "Kari Lund",
    "Monday March 11, 2024",
    "The old lighthouse could tell the story of the keepers and the wrecks on the reef if the "
    "council gave it a small budget.",
    "The school choir deserves a proper hall",
    "Ola Berg",
    "Monday March 11, 2024",
    "Forty singers who won the national contest still rehearse in a gymnasium with a leaking "
    "roof and a piano nobody has tuned.",
]


def test_the_first_of_a_feed_of_dated_teasers_is_not_a_story() -> None:
    """Below the page's menus, teasers of a headline, an author, a date and a summary each:
    the first summary is long enough for a story and the others are the page's furniture
    below it, but together they are a feed."""
    text = page_dump(HARBOUR_PAGE) + "\n\n" + "\n\n".join([*COLUMN_MENU, *DATED_TEASERS])
    (story,) = cleaner.clean_text(text).stories
    assert story.title == "Harbour board approves dredging of the old ferry channel"
    assert "ferry operator" not in story.text
