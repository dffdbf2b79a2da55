"""The main-text extraction metric of scrapinghub's article-extraction-benchmark.

- tokens are the runs of the regex `\\w+` (Unicode, case-sensitive);
- shingles are the runs of 4 consecutive tokens, compared as multisets per page (a text of
  fewer than 4 tokens has one shorter shingle, an empty text none);
- per page tp = Σ min(c_true, c_pred), fp = Σ max(0, c_pred − c_true),
  fn = Σ max(0, c_true − c_pred); precision = tp/(tp+fp), recall = tp/(tp+fn), both 1.0
  when fp = fn = 0;
- precision is averaged over the pages with a non-empty prediction, recall over the pages
  with a non-empty truth, and F1 is the harmonic mean of the two averages.

It gives the same numbers as `score_extraction.py` of the evaluation data (`quality.py
--check-scorer` verifies that).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4

Shingles = Counter[tuple[str, ...]]


def shingles(text: str, size: int = SHINGLE_SIZE) -> Shingles:
    """The multiset of `size`-token shingles of `text`.

    >>> sorted(shingles("a b c d e", 4).items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("too short"), shingles("")
    (Counter({('too', 'short'): 1}), Counter())
    """
    tokens = TOKEN.findall(text)
    if len(tokens) < size:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True, slots=True)
class Counts:
    """Shingle counts of one page: true positives, false positives, false negatives.

    tp, fp and fn are divided by tp + fp + fn, as the reference scorer does, so that the
    floating-point results agree with it to the last bit.
    """

    tp: float
    fp: float
    fn: float

    @property
    def has_prediction(self) -> bool:
        return self.tp + self.fp > 0

    @property
    def has_truth(self) -> bool:
        return self.tp + self.fn > 0

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.has_prediction else 0.0

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.has_truth else 0.0

    @property
    def f1(self) -> float:
        """The page's own F1: harmonic mean of its precision and recall."""
        return harmonic_mean(self.precision, self.recall)


def compare_shingles(truth: Shingles, prediction: Shingles) -> Counts:
    """The counts of a page from the shingles of its truth and of a prediction."""
    tp = sum((truth & prediction).values())
    fp = sum((prediction - truth).values())
    fn = sum((truth - prediction).values())
    total = tp + fp + fn
    return Counts(tp / total, fp / total, fn / total) if total else Counts(0.0, 0.0, 0.0)


def compare(truth: str, prediction: str) -> Counts:
    """The counts of a page from its true text and a predicted text.

    >>> counts = compare("one two three four five", "one two three four")
    >>> counts.precision, counts.recall
    (1.0, 0.5)
    """
    return compare_shingles(shingles(truth), shingles(prediction))


def harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures of one tool on one set of pages."""

    pages: int
    precision: float
    recall: float
    f1: float
    pages_f1_below_half: int


def summarize(counts: Sequence[Counts]) -> Summary:
    """Average precision and recall over the pages where each is defined; F1 of the two."""
    precision = _mean(c.precision for c in counts if c.has_prediction)
    recall = _mean(c.recall for c in counts if c.has_truth)
    return Summary(
        pages=len(counts),
        precision=precision,
        recall=recall,
        f1=harmonic_mean(precision, recall),
        pages_f1_below_half=sum(1 for c in counts if c.f1 < 0.5),
    )


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0


def contained(part: Shingles, whole: Shingles) -> int:
    """How many of the shingles of `part` also occur in `whole` (as multisets).

    >>> contained(shingles("a b c d e"), shingles("x a b c d y"))
    1
    """
    return sum((part & whole).values())
