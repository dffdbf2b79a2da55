"""The metadata cleaner keeps of an HTML page: its title, its canonical URL and its
publication date.

trafilatura's `bare_extraction(with_metadata=True)` also looks for the author (on a copy of
the whole tree), the site name, categories, tags and the license: over a third of the time
of its metadata, for fields cleaner throws away. The three fields cleaner keeps are found
here with trafilatura's own functions, in the order its `extract_metadata` calls them (the
URL found decides where htmldate starts looking for the date), so they are the values it
would give, but for one: a date that only htmldate's extensive search finds and that falls
on January 1 is the year of a copyright line, a citation or a style sheet's number
("\\2026"), not the day the story was published, and is left out (on the evaluation pages,
111 of the 226 dates only the extensive search finds).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from htmldate import find_date
from lxml import etree
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
from trafilatura.settings import DEFAULT_CONFIG, set_date_params

LOGGER = logging.getLogger(__name__)
# trafilatura's setting of htmldate's extensive search (on): without it the date is missing
# on a third of the evaluation pages.
EXTENSIVE_DATE_SEARCH = DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH")
# What htmldate makes of a year found alone: its January 1.
YEAR_ALONE_SUFFIX = "-01-01"


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself; None where it says nothing."""

    title: str | None = None
    url: str | None = None
    date: str | None = None  # YYYY-MM-DD, as htmldate gives it, never a year alone


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
    """htmldate's date of the page, unless it is a year alone (see the module's docstring)."""
    date = find_date(tree, **_date_parameters(EXTENSIVE_DATE_SEARCH, url))
    if date is None or not date.endswith(YEAR_ALONE_SUFFIX):
        return date
    try:
        confirmed = find_date(tree, **_date_parameters(False, url))
    except ValueError:  # htmldate's cleaning of its copy of a page with control characters
        confirmed = None
    return date if confirmed == date else None


def _date_parameters(extensive: bool, url: str | None) -> dict:
    return {**set_date_params(extensive), "url": url}
