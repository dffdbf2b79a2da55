"""Give every block one label from its own shape: body, title candidate, caption, credit, or
a removal reason.

The signals are general ones (line shape, sentence punctuation, date density, the shape of a
photo credit or a dateline) plus short tables of page-chrome phrases. Each pattern below names
what it catches with an example from real text. Decisions that need the neighbours (which
headline is the title, which short line is a subheading) are made later, per story, in
`cleaner.stories`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from cleaner.markup import is_markup
from cleaner.model import Block, Kept, Reason

# --- Sentences and headlines ---------------------------------------------------------------

# A sentence ends in . ! ? or an ellipsis (or their CJK forms), possibly closed by a quote
# or bracket: "... on Monday.", "... he said.”", "... (and more).".
SENTENCE_MARKS = ".!?…;:。！？：；"
SENTENCE_CLOSERS = "\"'”’)]」』）"
# Chinese and Japanese write no spaces between words: two characters count as one word.
CJK_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A block of at least this many words is prose even without final punctuation.
PROSE_WORDS = 25
# A headline has this many words: "South Korea's president highlights friendly ties ...".
HEADLINE_WORDS = (4, 30)
# A line with at least this share of capitalised words is in title case.
TITLE_CASE_SHARE = 0.7
# A line with more commas than this per word, and no sentence end, is a list of keywords.
KEYWORD_LIST_COMMAS = 0.2
# A line ending in a colon with this many words introduces what follows.
PROSE_WITH_COLON_WORDS = 6
# A line of at most TEMPLATE_WORDS words printed TEMPLATE_REPEATS times is page template.
TEMPLATE_WORDS = 5
TEMPLATE_REPEATS = 3
# An item of a list that is the text itself: a line that opens with a list marker (a bullet,
# "+", "*", "-", or a number: "1.", "2)", "1a") and holds MIN_LIST_ITEM_WORDS words or more,
# in a run of MIN_LIST_ITEMS such lines. A page whose article is a changelog ("+ Added Slime
# Block", "* Villager trading has been rebalanced") or a calendar ("1a etapa: 10 de março –
# Interlagos") has no prose, and a menu's links carry no typed markers. The words keep out a
# ranking that an article's sentences introduce ("1. Finland", "2. Norway"), a part of the
# article either way. On the 293 page texts of the glued benchmark cleaned alone, two pages
# are found so (F1 0.05 -> 0.95 and 0.00 -> 0.44) and no other changes.
LIST_MARKER = re.compile(r"(?:[-+*•·▪◦‣]|\d{1,3}(?:[.)]|[a-zºª]{1,2}\b))\s+\S")
MIN_LIST_ITEM_WORDS = 4
MIN_LIST_ITEMS = 5
# A menu printed on one line: "About | Advertising | Contact | Corrections | Help": at least
# MENU_ITEMS items between separators, of at most MENU_ITEM_WORDS words on average.
MENU_SEPARATOR = re.compile(r"\s+[|•·]\s+")
MENU_SEPARATOR_MARKS = "|•·"  # one of which every separator holds
MENU_ITEMS = 4
MENU_ITEM_WORDS = 4
# A short fragment: "News", "More Images", "Relationship with Washington".
FRAGMENT_WORDS = 3

# --- Story structure -----------------------------------------------------------------------

# A dateline opens a wire story: "TOKYO (AP) —", "SEOUL, Aug 23 (Reuters) -",
# "BEIJING, Nov. 24 (Xinhua) --", "WASHINGTON —", "(CNN) —".
DATELINE = re.compile(
    r"^(?P<dateline>"
    r"(?:[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+){0,3}"  # the city, in capitals
    r"(?:,\s*[A-Z][\w.]*(?:\s+[\w.]+){0,3})?"  # ", Aug 23" or ", Calif."
    r"(?:\s*\([^()]{1,40}\))?"  # "(AP)"
    r"|\([A-Z][A-Za-z ]{1,20}\))"  # or only "(CNN)"
    r")\s*(?:—|–|--|-)\s+(?=\S)"
)
# The end of a story: "Associated Press writer Kim Tong-hyung in Seoul, South Korea,
# contributed to this report.", "Coto contributed from San Juan, Puerto Rico.",
# "(Reporting by Jane Doe; Editing by John Roe)".
END_OF_STORY = re.compile(
    r"\bcontributed\s+(?:reporting\s+)?(?:to this (?:report|story|article)|from)\b"
    r"|^\(?(?:additional\s+)?(?:reporting|writing|editing)\s+by\b",
    re.IGNORECASE,
)
# What the casefolded text holds wherever END_OF_STORY matches: "contr" of "contributed" (the
# "i" after it may be a dotted or dotless Turkish i, which IGNORECASE matches and casefolding
# keeps apart), or, after at most one "(", a start of "additional", "reporting", "writing" or
# "editing". Two string tests that rule out nearly every line before END_OF_STORY's search.
END_OF_STORY_WORD = "contr"
END_OF_STORY_STARTS = ("add", "rep", "wr", "ed")
# A byline: "By Jane Doe", "By Jane Doe and John Roe, Associated Press".
BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]*(?:[\s,]+(?:and\s+)?[A-Z][\w.'’-]*){0,6}$")

# A closing call to action: "Follow @BGRDeals on Twitter ...", "Email Tariq Malik at ...",
# "If you enjoyed this article, ... Join NRPLUS.", "Have a tip? ... may be reached at ...",
# "Get Motor Cycle Monthly delivered through your letterbox every month.", "Read more: ...".
PROMOTION = re.compile(
    r"^(?:follow|sign up|subscribe|join|get (?:the|our|access|\w+ delivered)|listen|watch|"
    r"download|click|tap|email|e-mail|contact|reach|like us|read (?:more|the full|next)|"
    r"more (?:on|from|at|about)|related|also (?:on|read)|see also|have a tip|"
    r"if you (?:enjoyed|liked|value)|support (?:our|us)|become a (?:member|subscriber)|"
    r"this (?:copy|article|content) is for)\b"
    r"|\S+@\S+\.\w+|(?:^|\s)@\w{3,}",
    re.IGNORECASE,
)
# A link to another story set inside this one: "Read more: Alibaba poised to launch ...",
# "Related: From Big Bang to Present ...", "Also on rt.com Journalists & politicians ...".
TEASER = re.compile(
    r"^(?:related|read (?:more|also|next)|see also|also (?:read|on \S+)|more|recommended|"
    r"watch|listen|previously)\s*(?::|»|›|>|\||—|–|-)\s*\S",
    re.IGNORECASE,
)
# A line longer than this is an article's paragraph, whatever its first words.
MAX_PROMOTION_WORDS = 80

# What a site tells its readers about itself, in the same words on every site: its
# copyright ("© 2019 CNBC LLC. All Rights Reserved.", "Copyright (C) 2012-2014 ...", the
# sign and a year after the site's name: "Royal Road® © 2024"), its
# cookies ("This website uses cookies. ...") and what using it means ("By continuing to use
# our website, you agree to ..."). Longer blocks are an article's, whatever their words.
SITE_NOTICE = re.compile(
    r"^(?:©|ⓒ|copyright\b|\(c\)\s*\d{4})|[©ⓒ]\s*\d{4}\b|\ball rights reserved\b"
    r"|\b(?:we|our (?:site|website)|this (?:site|website))(?: also)? uses? cookies\b"
    r"|\bby (?:using|continuing|clicking|registering|signing up|submitting|browsing|choosing)"
    r"\b.{0,80}\byou(?:'re| are| have read and)? (?:agree|accept|consent|acknowledge)",
    re.IGNORECASE,
)
MAX_SITE_NOTICE_WORDS = 100
# A longer block is a notice when it holds one notice per this many words, several times
# over: the data providers' copyrights under a page of stock quotes ("... Morningstar, Inc.
# All Rights Reserved. Factset: ... All rights reserved. Chicago Mercantile: ...").
WORDS_PER_NOTICE = 60
MIN_NOTICES_IN_LONG_BLOCK = 3
# What the casefolded text holds wherever SITE_NOTICE matches: one of SITE_NOTICE_MARKS, or
# both SITE_NOTICE_CONSENT words. (No "i" in them: it may be a dotted or dotless Turkish i,
# which IGNORECASE matches and casefolding keeps apart.)
SITE_NOTICE_MARKS = ("©", "ⓒ", "copyr", "(c)", "ghts reserved", "cook")
SITE_NOTICE_CONSENT = ("by ", "you")

# --- Captions ------------------------------------------------------------------------------

# A photo credit closing a caption: "(Kim Kyung-Hoon/Pool Photo via AP)",
# "(AP Photo/Ramon Espinosa)", "(Photo: Reuters)", "Photo: Jane Doe/Getty Images".
PHOTO_CREDIT = re.compile(
    r"\((?:[^()]*\b(?:photo|photograph|picture|image|via)\b[^()]*|[^()\s]+/[^()]+)\)\s*$"
    r"|\b(?:photo|photograph|image|picture)\s*(?:credit)?\s*:\s*\S.{0,60}$",
    re.IGNORECASE,
)

# Only a text ending in ")", or holding a ":" and (casefolded) one of these words, can have a
# photo credit: checked first, as a search for PHOTO_CREDIT tries every position of the text.
# ("image" and "picture" are looked for without their "i", which may be a dotted or dotless
# Turkish i that IGNORECASE matches and casefolding keeps apart.)
PHOTO_CREDIT_CLOSING = ")"
PHOTO_CREDIT_COLON = ":"
PHOTO_CREDIT_WORDS = ("photo", "mage", "ctur")

# --- Dates ---------------------------------------------------------------------------------

MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Tokens a time stamp is made of: "2025-08-24", "00:28", "Aug. 23, 2025", "3 hours ago".
# Every alternative holds a digit or "day" (`_may_hold_date`): keep it so when adding one.
DATE_TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+{MONTHS}(?:\s+\d{{4}})?"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b"
    r"|\b\d+\s+(?:minute|hour|day|week|month)s?\s+ago\b",
    re.IGNORECASE,
)
# DATE_TOKEN without IGNORECASE (its letters are all lowercase), for ASCII text lowercased,
# where it finds what DATE_TOKEN finds in the text, in a third less time: IGNORECASE makes
# the month names tried at every letter.
DATE_TOKEN_LOWERCASE = re.compile(DATE_TOKEN.pattern)
# What every DATE_TOKEN holds, a digit or (casefolded) "day": cheap tests that rule out most
# lines before DATE_TOKEN's search.
DIGIT = re.compile(r"\d")
DATE_HINT_WORD = "day"
# Words that go with a time stamp: "Last Updated At:", "Published on", "GMT".
DATE_WORDS = re.compile(
    r"\b(?:last|updated?|published|posted|modified|at|on|am|pm|gmt|utc|edt|est|pdt|pst|"
    r"bst|cet|kst|jst|hkt|et|pt|by|and|min|minutes?)\b|[\W_]+",
    re.IGNORECASE,
)

# --- Page chrome, by reason ----------------------------------------------------------------

# Texts whose chrome reason and label a worker remembers: the same menu and share lines recur
# on a page (a fifth of the lines of the scrapinghub pages are printed twice or more on their
# page) and on every page of a site, and the stories stage asks again about lines labelled.
CHROME_CACHE = LABEL_CACHE = 1 << 14
# Texts whose word count a worker remembers: labels, template lines and the story split all
# count the words of the same blocks.
WORDS_CACHE = 1 << 14


@dataclass(frozen=True, slots=True)
class Chrome:
    """A kind of page chrome: the reason it is removed and the phrases that make it up."""

    reason: Reason
    pattern: re.Pattern[str]
    # A word the casefolded text holds wherever `pattern` matches, for a pattern searched
    # at every position: testing for it first rules out most lines at once.
    hint: str | None = None
    # The phrases `pattern` is made of, for a kind of chrome that is a block made only of
    # phrases (see `_phrase_chrome`).
    phrases: tuple[str, ...] = ()


def _phrase_chrome(reason: Reason, *phrases: str) -> Chrome:
    """The chrome of `reason` that is a block made only of `phrases` (see `_phrases`)."""
    return Chrome(reason, _phrases(*phrases), phrases=phrases)


def _phrases(*alternatives: str) -> re.Pattern[str]:
    """A pattern matching a block made only of these phrases (and separators).

    Each run of separators can be matched one way only: were it matched both after a phrase
    and before the next one, a line of twenty menu words and one other word would be tried
    in a million ways (seconds) before it failed."""
    words = "|".join(alternatives)
    return re.compile(rf"^[\W_]*(?:\b(?:{words})\b[\W_]*)+$", re.IGNORECASE)


CHROME = (
    # "Recommended Articles", "Related Stories", "Most Read", "You may also like", "Read more"
    _phrase_chrome(
        Reason.RELATED_LINKS,
        r"recommended(?: for you| articles?| stories| reading)?",
        r"related(?: articles?| stories| posts?| content| coverage| news| topics)?",
        r"(?:most|more) (?:read|popular|viewed|shared|stories|articles|news)(?: now)?",
        r"you (?:may|might) (?:also )?like",
        r"read (?:more|next|also)",
        r"trending(?: now)?",
        r"top stories",
        r"what to read next",
        r"more from \w+(?: \w+)?",
    ),
    # "Facebook Twitter Email", "Share this article", "Copy link"
    _phrase_chrome(
        Reason.SHARE_BUTTONS,
        r"share(?: this)?(?: article| story| on)?",
        r"facebook",
        r"twitter",
        r"x",
        r"whatsapp",
        r"linkedin",
        r"pinterest",
        r"reddit",
        r"email",
        r"e-mail",
        r"print",
        r"copy(?: link)?",
        r"tweet",
        r"messenger",
        r"telegram",
        r"flipboard",
    ),
    # "More Images", "1 of 12", "View gallery", "Enlarge this image", "Feature Image"
    _phrase_chrome(
        Reason.GALLERY_CHROME,
        r"(?:more|view|see|show)(?: all)? (?:images|photos|pictures|gallery|slideshow)",
        r"\d+ of \d+",
        r"\d+ (?:photos|images)",
        r"enlarge(?: this)? image",
        r"feature image",
        r"(?:photo|image) gallery",
        r"(?:next|previous|prev) (?:image|photo|slide)",
        r"expand",
        r"close",
        r"toggle caption",
        r"hide caption",
    ),
    # "Sign up for our newsletter", "Subscribe", "Get our best stories in your inbox"
    Chrome(
        Reason.NEWSLETTER,
        re.compile(
            r"^(?:sign up|subscribe)\b.{0,80}$|^get (?:the|our) .{0,40}(?:in|to) your inbox",
            re.IGNORECASE,
        ),
    ),
    # "Our weekly newsletter", "Newsletter"
    Chrome(
        Reason.NEWSLETTER,
        re.compile(r"\bnewsletter\b.{0,60}$", re.IGNORECASE),
        hint="newsletter",
    ),
    # "Advertisement", "Sponsored content", "Story continues below advertisement"
    _phrase_chrome(
        Reason.ADVERTISEMENT,
        r"advertisement",
        r"advertising",
        r"ad",
        r"sponsored(?: content)?",
        r"paid content",
        r"story continues below(?: advertisement)?",
        r"article continues below(?: advertisement)?",
        r"scroll to continue(?: with content)?",
    ),
    # "Leave a comment", "23 Comments", "There are 13 comments", "2 responses"
    _phrase_chrome(
        Reason.COMMENTS,
        r"(?:leave|post|add|show|view|hide|load)(?: a| all| more)? comments?",
        r"(?:there (?:are|is) )?\d+ (?:comments?|responses?|replies)",
        r"comments?",
        r"join the (?:discussion|conversation)",
    ),
    # "Skip to Content", "Menu", "Home", "Search", "Sign in"
    _phrase_chrome(
        Reason.NAVIGATION,
        r"skip to (?:main )?(?:content|navigation)",
        r"menu",
        r"home",
        r"search",
        r"sign in",
        r"log ?in",
        r"register",
        r"back to top",
        r"main menu",
        r"close menu",
        r"open menu",
        r"facebook",
        r"feature image",
    ),
)
# The first phrase of a block made only of phrases, of any kind's: a block that does not open
# with one is no such chrome, found in one match instead of one search per kind.
CHROME_PHRASE_START = re.compile(
    r"^[\W_]*\b(?:" + "|".join(phrase for chrome in CHROME for phrase in chrome.phrases) + r")\b",
    re.IGNORECASE,
)
# Without IGNORECASE (the phrases' letters are all lowercase), for ASCII text lowered: as
# DATE_TOKEN_LOWERCASE, the same matches in half the time.
CHROME_PHRASE_START_LOWERCASE = re.compile(CHROME_PHRASE_START.pattern)


def label_blocks(blocks: list[Block]) -> None:
    """Set each block's label from its own text; `Kept.TITLE` marks a headline candidate."""
    for block in blocks:
        block.label = label_of(block)


def mark_template_lines(blocks: list[Block]) -> None:
    """Short lines printed TEMPLATE_REPEATS times or more are the page's template (a share
    bar under every item, "Read more" after every teaser), whatever their words.

    For text dumps only: in an HTML page's main content such lines are as often the page's
    own structure (the "Meal 1", "Meal 2" headings of a meal plan).
    """
    short = [
        block
        for block in blocks
        if block.label in (Kept.TITLE, Reason.NAVIGATION, Reason.BOILERPLATE)
        and count_words(block.text) <= TEMPLATE_WORDS
    ]
    counts = Counter(block.text.casefold() for block in short)
    for block in short:
        if counts[block.text.casefold()] >= TEMPLATE_REPEATS:
            block.label = Reason.TEMPLATE


def mark_list_items(blocks: list[Block]) -> None:
    """The items of a list that is the text (see LIST_MARKER) are body, whatever their shape
    ("+ Added Banners" reads as a menu's link, "Calendário da Stock Car 2018" as a headline).

    For text dumps only: an HTML page's lists are its elements, not lines with markers.
    """
    shaped = (Kept.TITLE, Reason.NAVIGATION, Reason.BOILERPLATE)  # labels given by shape alone
    for block in blocks:
        if block.label in shaped and is_list_item(blocks, block):
            block.label = Kept.BODY


def is_list_item(blocks: list[Block], block: Block) -> bool:
    """Whether `block` is an item of a list that is the text itself (see LIST_MARKER): one of
    MIN_LIST_ITEMS lines or more in a row that open with a list marker."""
    if not _is_marked_line(block):
        return False
    run = 1
    for step in (-1, 1):
        index = block.index + step
        while 0 <= index < len(blocks) and run < MIN_LIST_ITEMS:
            if not _is_marked_line(blocks[index]):
                break
            run += 1
            index += step
    return run >= MIN_LIST_ITEMS


def _is_marked_line(block: Block) -> bool:
    """A whole line of a text dump that opens with a list marker and has the words of an
    item of a list that is the text (see LIST_MARKER)."""
    return (
        block.html is None
        and block.line_start
        and LIST_MARKER.match(block.text) is not None
        and count_words(block.text) >= MIN_LIST_ITEM_WORDS
    )


def label_of(block: Block) -> Kept | Reason:
    """The label of one block judged alone."""
    return _label_of_line(block.text, block.line_start)


@lru_cache(maxsize=LABEL_CACHE)
def _label_of_line(text: str, line_start: bool) -> Kept | Reason:
    """The label of `text`, a whole line or (not `line_start`) a sentence cut out of one."""
    if is_markup(text):
        return Reason.MARKUP
    if is_site_notice(text):
        return Reason.SITE_NOTICE
    if not line_start:
        # A sentence cut out of a flattened line is prose unless it is a known phrase.
        return chrome_reason(text) or Kept.BODY
    if has_photo_credit(text) and not is_dateline(text):
        return Kept.CAPTION
    if is_credit(text):
        return Kept.CREDIT
    if is_timestamp(text):
        return Reason.TIMESTAMP
    reason = chrome_reason(text)
    if reason is not None:
        return reason
    if is_menu(text):
        return Reason.NAVIGATION
    if is_prose(text):
        return Kept.BODY
    if is_headline(text):
        return Kept.TITLE
    return Reason.NAVIGATION if count_words(text) <= FRAGMENT_WORDS else Reason.BOILERPLATE


def is_menu(text: str) -> bool:
    """A menu printed on one line (see MENU_SEPARATOR)."""
    marks = sum(map(text.count, MENU_SEPARATOR_MARKS))
    if marks < MENU_ITEMS - 1:  # too few separators: found without splitting
        return False
    items = MENU_SEPARATOR.split(text)
    return len(items) >= MENU_ITEMS and count_words(text) <= MENU_ITEM_WORDS * len(items)


def is_site_notice(text: str) -> bool:
    """`text` is a site's notice to its readers (see SITE_NOTICE)."""
    folded = text.casefold()
    if not any(map(folded.__contains__, SITE_NOTICE_MARKS)) and not all(
        map(folded.__contains__, SITE_NOTICE_CONSENT)
    ):
        return False
    words = count_words(text)
    if words <= MAX_SITE_NOTICE_WORDS:
        return SITE_NOTICE.search(text) is not None
    notices = len(SITE_NOTICE.findall(text))
    return notices >= MIN_NOTICES_IN_LONG_BLOCK and words <= WORDS_PER_NOTICE * notices


def has_photo_credit(text: str) -> bool:
    """A photo credit closes `text` (see PHOTO_CREDIT)."""
    if not text.rstrip().endswith(PHOTO_CREDIT_CLOSING) and not (
        PHOTO_CREDIT_COLON in text and any(word in text.casefold() for word in PHOTO_CREDIT_WORDS)
    ):
        return False
    return PHOTO_CREDIT.search(text) is not None


@lru_cache(maxsize=CHROME_CACHE)
def chrome_reason(text: str) -> Reason | None:
    """The chrome reason whose phrases make up all of `text`, if any."""
    if TEASER.match(text) and count_words(text) <= MAX_PROMOTION_WORDS:
        return Reason.RELATED_LINKS
    if len(text) > 120:
        return None
    folded = text.casefold()
    if text.isascii():  # then `folded` is `text` lowered
        opens_with_phrase = CHROME_PHRASE_START_LOWERCASE.match(folded) is not None
    else:
        opens_with_phrase = CHROME_PHRASE_START.match(text) is not None
    for chrome in CHROME:
        if chrome.phrases and not opens_with_phrase:
            continue
        if chrome.hint is not None and chrome.hint not in folded:
            continue
        if chrome.pattern.search(text):
            return chrome.reason
    return None


@lru_cache(maxsize=WORDS_CACHE)
def count_words(text: str) -> int:
    """Words in `text`, counting two Chinese or Japanese characters as one word."""
    if text.isascii():
        return len(text.split())
    cjk = len(CJK_CHARACTER.findall(text))
    if not cjk:
        return len(text.split())
    return len(CJK_CHARACTER.sub(" ", text).split()) + (cjk + 1) // 2


def is_prose(text: str) -> bool:
    """A sentence or more: ends like a sentence, or is long enough to be prose anyway.

    A line ending in a colon is prose only when it is a sentence introducing what follows
    ("Here are some of the highlights:"), not a label ("Filed to:").
    """
    words = count_words(text)
    if words >= PROSE_WORDS:
        return not _is_keyword_list(text, words)
    if words < 2 or not ends_like_sentence(text):
        return False
    return words >= PROSE_WITH_COLON_WORDS or not text.rstrip("\"'”’)]").endswith((":", "："))


def _is_keyword_list(text: str, words: int) -> bool:
    """ "stock car brasil, stock car cascavel, stock car 2018, ...", "Latest News Applications
    OS Channel Programs Cloud ...": a list of keywords or names, not a sentence."""
    if ends_like_sentence(text):
        return False
    return text.count(",") > KEYWORD_LIST_COMMAS * words or is_title_case(text)


def ends_like_sentence(text: str) -> bool:
    """`text` ends in one of SENTENCE_MARKS, then perhaps SENTENCE_CLOSERS (and a line end).

    Read from the end: a pattern anchored at the end is still tried at every position.
    """
    core = text.removesuffix("\n").rstrip(SENTENCE_CLOSERS)
    return bool(core) and core[-1] in SENTENCE_MARKS


def is_long_sentence(text: str) -> bool:
    """Prose closed by a full stop, of PROSE_WORDS words or more: longer than headlines,
    even those of two sentences ("Home Depot Stock Is Falling After Its Earnings Release.
    Why You Shouldn't Worry."), whatever element holds it (a site that sets its first
    paragraph in an <h2>)."""
    return text.rstrip(SENTENCE_CLOSERS).endswith(".") and count_words(text) >= PROSE_WORDS


def is_headline(text: str) -> bool:
    """Shaped like a headline: a few words, starting with a capital, no sentence end."""
    words = count_words(text)
    low, high = HEADLINE_WORDS
    return low <= words <= high and text[0].isupper() and not text.endswith(".")


def is_promotion(text: str) -> bool:
    """A call to follow, subscribe, buy, write in or read more (see PROMOTION)."""
    return count_words(text) <= MAX_PROMOTION_WORDS and PROMOTION.search(text) is not None


def is_title_case(text: str) -> bool:
    """Most words capitalised: a name, a label or a Headline In Title Case."""
    words = [word for word in text.split() if word[0].isalpha()]
    capitalised = sum(word[0].isupper() for word in words)
    return bool(words) and capitalised >= TITLE_CASE_SHARE * len(words)


def is_dateline(text: str) -> bool:
    return DATELINE.match(text) is not None


def dateline_of(text: str) -> str | None:
    """The dateline opening `text`: "TOKYO (AP)" for "TOKYO (AP) — South Korean ..."."""
    match = DATELINE.match(text)
    return match.group("dateline").strip() if match else None


def is_credit(text: str) -> bool:
    """A byline or a contributor line."""
    return is_end_of_story(text) or BYLINE.match(text) is not None


@lru_cache(maxsize=CHROME_CACHE)
def is_end_of_story(text: str) -> bool:
    """ "... contributed to this report.", "(Reporting by Jane Doe)" (see END_OF_STORY)."""
    if len(text) >= 300:
        return False
    folded = text.casefold()
    if END_OF_STORY_WORD not in folded and not folded.removeprefix("(").startswith(
        END_OF_STORY_STARTS
    ):
        return False
    return END_OF_STORY.search(text) is not None


def is_timestamp(text: str) -> bool:
    """A line that is all dates, times and the words that go with them."""
    if len(text) > 80 or not holds_date(text):
        return False
    rest = DATE_WORDS.sub("", DATE_TOKEN.sub("", text))
    return len(rest) <= 2


def holds_date(text: str) -> bool:
    """`text` holds a date or a time (see DATE_TOKEN)."""
    if not _may_hold_date(text):
        return False
    if text.isascii():
        return DATE_TOKEN_LOWERCASE.search(text.lower()) is not None
    return DATE_TOKEN.search(text) is not None


def _may_hold_date(text: str) -> bool:
    """Whether `text` holds what every DATE_TOKEN holds."""
    return DIGIT.search(text) is not None or DATE_HINT_WORD in text.casefold()
