"""The metadata cleaner keeps of an HTML page: its title, its canonical URL and its
publication date.

trafilatura's `bare_extraction(with_metadata=True)` also looks for the author (on a copy of
the whole tree), the site name, categories, tags and the license: over a third of the time
of its metadata, for fields cleaner throws away. The three fields cleaner keeps are found
here with trafilatura's own functions, in the order its `extract_metadata` calls them (the
URL found decides where htmldate starts looking for the date).

The date is what htmldate's quick search finds: the URL, the meta tags, JSON-LD, `<time>`
and `<abbr>` elements, elements whose class or id names a date, and a full time stamp in
the text. htmldate's extensive search, which trafilatura turns on, is left off: it guesses
from every date printed on the page (in links to other stories, copyright lines, comments):
on the evaluation pages whose metadata dates them, once that metadata is taken out, it finds
the same day on 34 pages and another day on 73, besides a year alone on 47
(`benchmarks/dates.py`). A date printed above a story's first paragraph still dates that
story (`cleaner.stories`). Leaving it off also spares dateparser, which compiles every
language's patterns on its first string in each process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from htmldate import find_date
from lxml import etree
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.settings import set_date_params

LOGGER = logging.getLogger(__name__)
# htmldate's quick search only (see the module's docstring).
DATE_PARAMETERS = set_date_params(extensive=False)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself; None where it says nothing."""

    title: str | None = None
    url: str | None = None
    date: str | None = None  # YYYY-MM-DD, as htmldate gives it


def page_metadata(tree: etree._Element, url: str | None = None) -> PageMetadata:
    """The page's title, canonical URL (else `url`) and publication date.

    The tree is read, not changed (htmldate prunes a copy of its own).
    """
    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception as error:  # as trafilatura does: its JSON-LD reader has bugs of its own
        LOGGER.warning("error in JSON metadata extraction: %s", error)
    if not found.title:
        found.title = extract_title(tree)
    if not found.url:
        found.url = extract_url(tree, url)
    found.date = _publication_date(tree, found.url)
    found.clean_and_trim()
    return PageMetadata(title=found.title, url=found.url, date=found.date)


def _publication_date(tree: etree._Element, url: str | None) -> str | None:
    try:
        return find_date(tree, **DATE_PARAMETERS, url=url)
    except ValueError:  # htmldate's cleaning of its copy of a page with control characters
        return None
