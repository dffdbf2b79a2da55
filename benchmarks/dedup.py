"""Story dedup benchmark: syndicated copies of real article bodies, mixed with distinct stories
(some on the same topic), cleaned and deduplicated by `cleaner run`; pair precision and recall
and cluster ARI for cleaner, next to exact-hash dedup and datasketch MinHashLSH(threshold=0.8)
on the same stories.

    python benchmarks/dedup.py [DATA] [--seed S] [--jobs J] [--limit N] [--json PATH]

DATA (default: ../shared/evaldata beside the repository) holds one folder per set with a
`truth.jsonl` of article bodies (`{"id", "body", "title"?}`, one paragraph per line); the
bodies are read in place, never copied. Of the bodies long enough to be a news story (and
that cleaner reads as one story: pages of several blog posts test splitting, not dedup), some
are *anchors* and the rest *fillers*:

- each anchor is published once on a site (its own chrome, headline, byline, time stamp,
  share buttons, related links, footer; plain text or HTML) and copied by 0-4 other sites:
  other chrome, another headline, a dateline added or removed, the text cut to 40-90%
  ("Read more…"), 1-5% of the words edited, the last paragraphs reordered, each by chance;
- distinct stories on the same topic: a filler that repeats one background paragraph of an
  anchor (a follow-up), and a filler that opens with an anchor's lede (a story on the same
  event told from there on differently); seeds 000 and 003 (one summit in different words).

Every document is one JSONL record. The truth: an anchor and its copies are one cluster,
every other document is its own. A document's story is the longest story cleaner finds in it
(none: a cluster of one). The baselines get the same stories (`cleaner.clean`, the per-document
stage of the run): exact-hash groups identical texts, MinHashLSH(threshold=0.8, 128
permutations, cleaner's shingles) groups every candidate pair it returns, unverified, by
union-find, as it is commonly used.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from math import comb
from pathlib import Path

from datasketch import MinHash, MinHashLSH

import cleaner
from cleaner.signature import SHINGLE, TOKEN

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "evaldata"
SEEDS = REPO / "seeds"
DEFAULT_SEED = 1
MIN_WORDS = 120  # a body shorter than this is not a news story
MIN_PARAGRAPHS = 3
MAX_SHARED = 0.2  # of its word 5-grams a body may share with an earlier one
FILLER_SHARE = 0.25  # bodies kept aside as the material of distinct stories
COPIES = (0, 1, 1, 2, 2, 3, 4)  # copies of an anchor, drawn uniformly
# Each copy's changes, with their chances; boilerplate and headline always change.
CHANCES = {"dateline": 0.5, "truncated": 0.4, "edited": 0.6, "reordered": 0.3}
TRUNCATION = (0.4, 0.9)
EDITS = (0.01, 0.05)
SAME_TOPIC_SHARE = 0.15  # anchors that get a follow-up and a shared-lede story
DATELINES = (
    "WASHINGTON (AP) — ",
    "LONDON (Reuters) - ",
    "NEW YORK, March 3 (Reuters) - ",
    "PARIS (AFP) — ",
    "SYDNEY — ",
)


# --- Sites: the chrome around a story ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    nav: str
    share: str
    related: str
    footer: tuple[str, ...]
    headline_suffix: str


SITES = (
    Site(
        "The Daily Ledger",
        "Home | World | Business | Sport | Opinion | Subscribe",
        "Share on Facebook Twitter Email",
        "Recommended Articles",
        ("© 2025 The Daily Ledger. All rights reserved.", "Privacy Policy | Terms of Use"),
        "",
    ),
    Site(
        "Metro Wire",
        "Skip to Content\nNews\nLocal\nNational\nSign in",
        "Facebook\nTwitter\nWhatsApp\nCopy link",
        "Most read",
        ("Metro Wire Media Group", "Contact us | Advertise | Careers"),
        " | Metro Wire",
    ),
    Site(
        "Coastal Times",
        "Menu  Search  Newsletters  Log in",
        "Share this article",
        "More from Coastal Times",
        ("Sign up for our newsletter", "Copyright 2025 Coastal Times Inc."),
        " - Coastal Times",
    ),
    Site(
        "Valley Herald",
        "Valley Herald\nTop Stories\nPolitics\nWeather",
        "Email  Print  Tweet",
        "You may also like",
        ("Advertisement", "© Valley Herald 2025", "Terms | Privacy | Cookies"),
        "",
    ),
    Site(
        "Global Post Online",
        "GLOBAL POST | World | Markets | Tech | Video",
        "Share: Facebook | X | LinkedIn",
        "Related stories",
        ("Global Post Online is not responsible for external sites.",),
        " — Global Post Online",
    ),
)


# --- The corpus -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article:
    """A body of the evaluation data: its headline and paragraphs."""

    key: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(slots=True)
class Version:
    """One document's story: its paragraphs, headline, dateline, and how it was made."""

    title: str
    paragraphs: list[str]
    dateline: str = ""
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Document:
    """A document of the benchmark: its text or page, and the truth."""

    cluster: str  # documents of one cluster tell one story
    kind: str  # original, copy, follow-up, shared-lede, seed
    changes: tuple[str, ...]
    text: str | None = None
    html: str | None = None


def load_articles(data: Path) -> list[Article]:
    """Bodies of every set under `data` long enough to be a news story and read by cleaner as
    one story, each once: a body sharing a fifth of its word 5-grams with an earlier one is
    left out (test pages of one set reuse one "Lorem ipsum" text in many variants)."""
    articles: list[Article] = []
    kept_shingles: dict[tuple[str, ...], int] = {}
    for truth in sorted(data.glob("*/truth.jsonl")):
        for line in truth.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            paragraphs = tuple(p.strip() for p in row["body"].splitlines() if p.strip())
            words = "\n".join(paragraphs).lower().split()
            if len(words) < MIN_WORDS or len(paragraphs) < MIN_PARAGRAPHS:
                continue
            shingles = {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
            shared = Counter(kept_shingles[s] for s in shingles if s in kept_shingles)
            if shared and shared.most_common(1)[0][1] >= MAX_SHARED * len(shingles):
                continue
            if len(cleaner.clean_text("\n\n".join(paragraphs)).stories) != 1:
                continue  # a blog page of several posts: splitting, not dedup, is tested there
            kept_shingles.update(dict.fromkeys(shingles, len(articles)))
            title = row.get("title") or " ".join(paragraphs[0].split()[:9]).rstrip(",.;:")
            articles.append(Article(f"{truth.parent.name}/{row['id']}", title, paragraphs))
    return articles


def build_corpus(articles: list[Article], rng: random.Random) -> list[Document]:
    """Originals, copies and distinct stories, shuffled."""
    articles = articles[:]
    rng.shuffle(articles)
    fillers = articles[: int(len(articles) * FILLER_SHARE)]
    anchors = articles[len(fillers) :]
    vocabulary = sorted({word for a in articles for p in a.paragraphs for word in p.split()})
    documents = []
    for anchor in anchors:
        original = Version(anchor.title, list(anchor.paragraphs))
        if rng.random() < 0.5:
            original.dateline = rng.choice(DATELINES)
        sites = rng.sample(SITES, k=len(SITES))
        documents.append(_document(anchor.key, "original", original, sites[0], rng))
        for site in sites[1 : 1 + rng.choice(COPIES)]:
            version = _syndicated(original, rng, vocabulary)
            documents.append(_document(anchor.key, "copy", version, site, rng))
    same_topic = rng.sample(anchors, k=min(int(len(anchors) * SAME_TOPIC_SHARE), len(fillers) // 2))
    for number, anchor in enumerate(same_topic):
        for kind, version in _same_topic(anchor, fillers[2 * number : 2 * number + 2], rng):
            documents.append(
                _document(f"{kind}:{anchor.key}", kind, version, rng.choice(SITES), rng)
            )
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        documents.append(Document(f"seed:{seed.name}", "seed", (), text=text))
    rng.shuffle(documents)
    return documents


def _syndicated(original: Version, rng: random.Random, vocabulary: list[str]) -> Version:
    """Another site's copy of `original`, each change made by chance."""
    version = Version(_other_headline(original.title, rng), original.paragraphs[:])
    version.changes.append("boilerplate+headline")
    version.dateline = original.dateline
    if rng.random() < CHANCES["dateline"]:
        version.dateline = "" if original.dateline else rng.choice(DATELINES)
        version.changes.append("dateline")
    if rng.random() < CHANCES["edited"]:
        version.paragraphs = _edited(version.paragraphs, rng.uniform(*EDITS), rng, vocabulary)
        version.changes.append("edited")
    if rng.random() < CHANCES["reordered"] and len(version.paragraphs) >= 4:
        tail = version.paragraphs[-3:]
        rng.shuffle(tail)
        version.paragraphs[-3:] = tail
        version.changes.append("reordered")
    if rng.random() < CHANCES["truncated"]:
        version.paragraphs = _truncated(version.paragraphs, rng.uniform(*TRUNCATION))
        version.changes.append("truncated")
    return version


def _same_topic(
    anchor: Article, fillers: list[Article], rng: random.Random
) -> Iterable[tuple[str, Version]]:
    """Two distinct stories about the anchor's event: a follow-up that repeats a background
    paragraph of it, and a story that opens with its lede and goes on differently."""
    background = min(anchor.paragraphs[1:], key=len)
    follow_up = list(fillers[0].paragraphs)
    follow_up.insert(rng.randint(1, len(follow_up) - 1), background)
    yield "follow-up", Version(fillers[0].title, follow_up)
    yield "shared-lede", Version(anchor.title, [anchor.paragraphs[0], *fillers[1].paragraphs])


def _other_headline(title: str, rng: random.Random) -> str:
    words = title.split()
    choice = rng.randrange(3)
    if choice == 0:
        return "UPDATE 2-" + title
    if choice == 1 and len(words) > 5:
        return " ".join(words[: max(4, len(words) * 2 // 3)]).title()
    return title.upper() if len(words) < 12 else " ".join(reversed(words[:6])).capitalize()


def _edited(
    paragraphs: list[str], rate: float, rng: random.Random, vocabulary: list[str]
) -> list[str]:
    """`rate` of the words replaced, dropped or doubled."""
    edited = []
    for paragraph in paragraphs:
        words = []
        for word in paragraph.split():
            if rng.random() >= rate:
                words.append(word)
                continue
            operation = rng.randrange(3)
            if operation == 0:
                words.append(rng.choice(vocabulary))
            elif operation == 2:
                words.extend([word, rng.choice(vocabulary)])
        edited.append(" ".join(words) or paragraph)
    return edited


def _truncated(paragraphs: list[str], share: float) -> list[str]:
    """The first `share` of the words, cut mid-paragraph with an ellipsis."""
    budget = int(sum(len(p.split()) for p in paragraphs) * share)
    kept = []
    for paragraph in paragraphs:
        words = paragraph.split()
        if len(words) >= budget:
            kept.append(" ".join(words[:budget]) + "…")
            break
        kept.append(paragraph)
        budget -= len(words)
    return kept


def _document(
    cluster: str, kind: str, version: Version, site: Site, rng: random.Random
) -> Document:
    headline = version.title + site.headline_suffix
    paragraphs = version.paragraphs[:]
    paragraphs[0] = version.dateline + paragraphs[0]
    byline = f"By {rng.choice(['Ana Ruiz', 'Tom Becker', 'Staff', 'Mei Lin'])}"
    stamp = (
        f"Published {rng.randint(1, 28)} March 2025, {rng.randint(1, 12)}:{rng.randint(10, 59)} PM"
    )
    related = [
        f"{rng.choice(['Why', 'How', 'What'])} {w} {rng.choice(['matters', 'changed', 'next'])}"
        for w in ("markets", "voters", "the city")
    ]
    read_more = [f"Read more at {site.name}"] if "truncated" in version.changes else []
    changes = tuple(version.changes)
    if rng.random() < 0.5:
        lines = [site.nav, headline, byline, stamp, site.share, *paragraphs, *read_more]
        lines += [site.related, *related, *site.footer]
        return Document(cluster, kind, changes, text="\n\n".join(lines) + "\n")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs + read_more)
    nav = "".join(f"<a href='#'>{html.escape(item)}</a> " for item in site.nav.split("\n"))
    links = "".join(f"<li><a href='#'>{html.escape(item)}</a></li>" for item in related)
    page = (
        f"<html><head><title>{html.escape(headline)}</title></head><body>"
        f"<nav>{nav}</nav><article><h1>{html.escape(headline)}</h1>"
        f"<p class='byline'>{byline}</p><time>{stamp}</time>"
        f"<div class='share'>{html.escape(site.share)}</div>{body}</article>"
        f"<aside><h3>{html.escape(site.related)}</h3><ul>{links}</ul></aside>"
        f"<footer>{'<br>'.join(html.escape(line) for line in site.footer)}</footer>"
        "</body></html>"
    )
    return Document(cluster, kind, changes, html=page)


# --- The tools --------------------------------------------------------------------------------


def write_inputs(documents: Sequence[Document], path: Path) -> None:
    """One JSONL record per document, line n+1 for document n."""
    with path.open("w", encoding="utf-8") as file:
        for number, document in enumerate(documents):
            field_name = "text" if document.text is not None else "html"
            value = document.text if document.text is not None else document.html
            file.write(json.dumps({"id": number, field_name: value}) + "\n")


def cleaner_clusters(out: Path, count: int) -> list[str]:
    """Each document's cluster in a run's output: the id of the story kept for its longest
    story (its own id when it was kept, `duplicate_of` when it was dropped)."""
    found: dict[int, tuple[int, str]] = {}

    def offer(record: int, length: int, cluster: str) -> None:
        if record - 1 not in found or length > found[record - 1][0]:
            found[record - 1] = (length, cluster)

    for story in _jsonl(out / "stories.jsonl"):
        metadata = story["metadata"]
        offer(metadata["record"], metadata["end"] - metadata["start"], story["id"])
    for span in _jsonl(out / "removed.jsonl"):
        if span["reason"] == "story-duplicate":
            record = int(span["source"].rsplit("#", 1)[1])
            offer(record, span["end"] - span["start"], span["duplicate_of"]["id"])
    return [found[n][1] if n in found else f"none:{n}" for n in range(count)]


def story_texts(inputs: Path, count: int, jobs: int) -> list[str | None]:
    """Each document's longest story as cleaner's per-document stage finds it."""
    texts: list[str | None] = [None] * count
    for result in cleaner.clean([str(inputs)], jobs=jobs):
        if isinstance(result, cleaner.DocumentResult) and result.stories:
            longest = max(result.stories, key=lambda story: story.end - story.start)
            texts[result.document.record - 1] = longest.text
    return texts


def exact_clusters(texts: Sequence[str | None]) -> list[str]:
    """Documents whose stories are the same text, character for character."""
    return [
        hashlib.sha256(text.encode()).hexdigest() if text is not None else f"none:{n}"
        for n, text in enumerate(texts)
    ]


def minhash_lsh_clusters(texts: Sequence[str | None]) -> list[str]:
    """datasketch MinHashLSH(threshold=0.8): every candidate it returns is merged."""
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    parent = list(range(len(texts)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for n, text in enumerate(texts):
        if text is None:
            continue
        sketch = MinHash(num_perm=128, seed=1, scheme="affine32")
        tokens = [token.lower() for token in TOKEN.findall(text)]
        shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - 2))}
        sketch.update_batch(sorted(shingle.encode() for shingle in shingles))
        for other in lsh.query(sketch):
            parent[root(other)] = root(n)
        lsh.insert(n, sketch)
    return [str(root(n)) for n in range(len(texts))]


# --- Scores -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    ari: float
    clusters: int


def score(truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Pair precision and recall (over pairs of documents put in one cluster) and the
    adjusted Rand index, all from the contingency table of the two clusterings.

    >>> score(["a", "a", "b", "c"], ["x", "x", "y", "y"])
    Scores(precision=0.5, recall=1.0, ari=0.5714285714285714, clusters=2)
    """
    together = sum(comb(n, 2) for n in Counter(zip(truth, predicted, strict=True)).values())
    truth_pairs = sum(comb(n, 2) for n in Counter(truth).values())
    predicted_pairs = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = truth_pairs * predicted_pairs / comb(len(truth), 2)
    best = (truth_pairs + predicted_pairs) / 2
    ari = (together - expected) / (best - expected) if best != expected else 1.0
    return Scores(
        precision=together / predicted_pairs if predicted_pairs else 1.0,
        recall=together / truth_pairs if truth_pairs else 1.0,
        ari=ari,
        clusters=len(set(predicted)),
    )


def misses(documents: Sequence[Document], predicted: Sequence[str]) -> dict[str, str]:
    """Copies found (put with their original) by change, and distinct stories merged."""
    originals = {
        document.cluster: predicted[n]
        for n, document in enumerate(documents)
        if document.kind == "original"
    }
    found: Counter = Counter()
    total: Counter = Counter()
    for n, document in enumerate(documents):
        if document.kind != "copy":
            continue
        for change in document.changes:
            total[change] += 1
            found[change] += predicted[n] == originals[document.cluster]
    sizes = Counter(predicted)
    merged: Counter = Counter()
    distinct: Counter = Counter()
    for n, document in enumerate(documents):
        if document.kind in ("follow-up", "shared-lede", "seed"):
            distinct[document.kind] += 1
            merged[document.kind] += sizes[predicted[n]] > 1
    report = {f"copies found, {c}": f"{found[c]}/{total[c]}" for c in sorted(total)}
    report |= {f"distinct merged, {k}": f"{merged[k]}/{distinct[k]}" for k in sorted(distinct)}
    return report


def _jsonl(path: Path) -> Iterable[dict]:
    with path.open("rb") as file:
        for line in file:
            yield json.loads(line)


# --- Main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="use only this many bodies")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    articles = load_articles(args.data)[: args.limit]
    documents = build_corpus(articles, random.Random(args.seed))
    truth = [document.cluster for document in documents]
    kinds = Counter(document.kind for document in documents)
    print(
        f"{len(articles)} bodies -> {len(documents)} documents "
        f"({', '.join(f'{n} {kind}' for kind, n in sorted(kinds.items()))}), "
        f"{len(set(truth))} distinct stories",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory() as temporary:
        inputs = Path(temporary) / "documents.jsonl"
        write_inputs(documents, inputs)
        started = time.perf_counter()
        cleaner.run([str(inputs)], Path(temporary) / "out", jobs=args.jobs)
        seconds = time.perf_counter() - started
        predictions = {"cleaner": cleaner_clusters(Path(temporary) / "out", len(documents))}
        texts = story_texts(inputs, len(documents), args.jobs)
    predictions["exact hash"] = exact_clusters(texts)
    predictions["MinHashLSH(threshold=0.8)"] = minhash_lsh_clusters(texts)
    figures = {name: score(truth, predicted) for name, predicted in predictions.items()}
    print(f"{'':28} {'precision':>9} {'recall':>7} {'ARI':>6} {'clusters':>8}")
    for name, scores in figures.items():
        print(
            f"{name:28} {scores.precision:9.4f} {scores.recall:7.4f} {scores.ari:6.4f} "
            f"{scores.clusters:8d}"
        )
    print(f"{'truth':28} {'':9} {'':7} {'':6} {len(set(truth)):8d}")
    print(f"cleaner run: {seconds:.1f} s for {len(documents)} documents, --jobs {args.jobs}")
    for name, value in misses(documents, predictions["cleaner"]).items():
        print(f"  {name}: {value}")
    if args.json:
        args.json.write_text(
            json.dumps({name: asdict(scores) for name, scores in figures.items()}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
