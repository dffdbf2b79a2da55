"""Speed benchmark: cleaner against what its users would otherwise run, on the same inputs,
on this machine, in one run.

    python benchmarks/speed.py [DATA] [--jobs N] [--scale 10000,100000,1000000]
        [--sections html,text,seeds,dedup] [--big-gb G] [--json PATH]

DATA (default: ../shared/evaldata beside the repository) holds one folder per set with
`pages/*.html` and `truth.jsonl`; it is read in place, never copied into the repository.

- html: the pages of every set. cleaner `run -j 1` and `-j N`; trafilatura's own `extract()`
  in one process; trafilatura's command line with `--parallel N`; and the script a user
  writes by hand: trafilatura `extract()`, then a datasketch `MinHash` fed token by token with
  `update()` and a `MinHashLSH(threshold=0.8)` over the texts.
- text: the visible text of the same pages, one plain-text file each (plain-text dumps);
  cleaner `-j 1` and `-j N`. Then a 50 MB JSONL dump made of those texts as for `--big-gb`
  (each copy with 30% of its words replaced), large enough that starting Python and
  importing cleaner's dependencies (1.5 s) does not dominate: cleaner `-j 1` and `-j N`.
- seeds: cleaner `-j 1` on `seeds/`.
- dedup: the dedup stage alone over 10k, 100k and 1M story signatures (`--scale`), made by
  signing stories recombined from real paragraphs (a lede of two sentences drawn at random,
  their words shuffled, then 3-7 paragraphs drawn at random; one story in ten an edited copy
  of an earlier one): seconds and peak RSS. Stories that share a paragraph become candidate
  pairs, and as the paragraphs are the same few thousand, such pairs grow as the square of
  the stories: the series shows how the stage bears that.
- big (with `--big-gb G`): a JSONL dump of G GB (the page texts repeated, 30% of each
  copy's words replaced, so that copies are distinct stories) through `cleaner run -j N`,
  for its peak RSS.

Every tool runs as its own process; peak RSS is the largest sum of the resident memory of
that process and its children, sampled every 50 ms from /proc (Linux). MB/s counts the bytes
of the inputs as read, per second of wall time; CPU s is the user and system time of the
process and its children, which other work on a shared machine changes less (MB/CPU s with
`-j 1` is the speed on one core).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "evaldata"
SEEDS = REPO / "seeds"
SETS = ("scrapinghub", "readability", "cleaneval")
DEFAULT_SCALE = (10_000, 100_000, 1_000_000)
SAMPLE_SECONDS = 0.05
COPY_SHARE = 0.1  # generated stories that are edited copies of an earlier one
EDIT_SHARE = 0.03  # of a copy's words replaced
REPLACED_SHARE = 0.3  # of the words of a page's copy in the big dump
TEXT_DUMP_GB = 0.05  # the plain-text JSONL dump of the text section
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True, slots=True)
class Measure:
    """One tool's run over one input."""

    tool: str
    inputs: str
    documents: int
    megabytes: float
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0  # user + system, of the process and its children

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.megabytes / self.seconds if self.seconds else 0.0

    @property
    def mb_per_cpu_second(self) -> float:
        return self.megabytes / self.cpu_seconds if self.cpu_seconds else 0.0


# --- Running a process and watching its memory ------------------------------------------------


def run_measured(command: Sequence[str], **popen: object) -> tuple[float, float, float]:
    """Run `command` to its end: (seconds, peak RSS in MB of it and its children, CPU
    seconds of it and its children)."""
    cpu_before = _children_cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(command, **popen)  # type: ignore[call-overload]
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(SAMPLE_SECONDS):
            peak = max(peak, tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if code != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited with {code}")
    return seconds, peak / 2**20, _children_cpu_seconds() - cpu_before


def _children_cpu_seconds() -> float:
    """User and system time of this process's children that have ended (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_rss(pid: int) -> int:
    """Bytes resident in process `pid` and all its descendants now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/statm") as statm:
                rss[int(entry)] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, ()))
    return total


def python(*arguments: str) -> list[str]:
    return [sys.executable, *arguments]


def cleaner_command(inputs: Sequence[str], out: Path, jobs: int) -> list[str]:
    """`cleaner run` as a command. `-P` keeps the working directory off the module path, so
    that `PYTHONPATH=CHECKOUT python benchmarks/speed.py` measures that checkout, not the
    one the benchmark happens to be run from."""
    cli = ["-P", "-m", "cleaner.cli", "run", *inputs, "-o", str(out), "-j", str(jobs)]
    return python(*cli, "--overwrite", "--no-progress")


# --- Inputs -----------------------------------------------------------------------------------


def html_pages(data: Path) -> list[Path]:
    return [page for name in SETS for page in sorted((data / name / "pages").glob("*.html"))]


def write_visible_texts(pages: Sequence[Path], directory: Path) -> list[Path]:
    """The visible text of each page, as cleaner reads it, one plain-text file each."""
    from cleaner.html import html_document

    paths = []
    for number, page in enumerate(pages):
        text = html_document(page.read_text(encoding="utf-8", errors="replace")).text
        path = directory / f"{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def megabytes(paths: Sequence[Path]) -> float:
    return sum(path.stat().st_size for path in paths) / 1e6


# --- Tools ------------------------------------------------------------------------------------

TRAFILATURA_EXTRACT = """
import sys, trafilatura
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as page:
        trafilatura.extract(page.read())
"""

# What a user writes by hand: extract, then MinHash token by token, then LSH.
HANDWRITTEN = """
import sys, trafilatura
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.8, num_perm=128)
for number, path in enumerate(sys.argv[1:]):
    with open(path, encoding="utf-8", errors="replace") as page:
        text = trafilatura.extract(page.read()) or ""
    words = text.split()
    sketch = MinHash(num_perm=128)
    for shingle in zip(words, words[1:], words[2:], words[3:], words[4:]):
        sketch.update(" ".join(shingle).encode("utf-8"))
    if not lsh.query(sketch):
        lsh.insert(str(number), sketch)
"""


def measure_html(data: Path, jobs: int, work: Path) -> list[Measure]:
    pages = html_pages(data)
    size = megabytes(pages)
    paths = [str(page) for page in pages]
    inputs = [str(data / name / "pages") for name in SETS]
    runs = {
        "cleaner -j 1": cleaner_command(inputs, work / "out-1", 1),
        f"cleaner -j {jobs}": cleaner_command(inputs, work / f"out-{jobs}", jobs),
        "trafilatura extract()": python("-c", TRAFILATURA_EXTRACT, *paths),
        f"trafilatura CLI --parallel {jobs}": [
            shutil.which("trafilatura") or "trafilatura",
            "--input-dir",
            str(_linked_pages(pages, work / "pages")),
            "--output-dir",
            str(work / "trafilatura-out"),
            "--parallel",
            str(jobs),
        ],
        "trafilatura + datasketch script": python("-c", HANDWRITTEN, *paths),
    }
    return [
        Measure(tool, "HTML pages", len(pages), size, *run_measured(command, **_quiet()))
        for tool, command in runs.items()
    ]


def _linked_pages(pages: Sequence[Path], directory: Path) -> Path:
    """One folder of (symbolic links to) every page, for trafilatura's --input-dir."""
    directory.mkdir(exist_ok=True)
    for number, page in enumerate(pages):
        (directory / f"{number:05d}.html").symlink_to(page.resolve())
    return directory


def _quiet() -> dict[str, object]:
    return {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def measure_text(data: Path, jobs: int, work: Path) -> list[Measure]:
    directory = work / "texts"
    directory.mkdir()
    texts = write_visible_texts(html_pages(data), directory)
    dump = work / "texts.jsonl"
    documents = write_big_dump(texts, TEXT_DUMP_GB, dump)
    inputs = [
        ("plain-text dumps", directory, len(texts), megabytes(texts)),
        (f"{TEXT_DUMP_GB * 1000:g} MB text JSONL", dump, documents, megabytes([dump])),
    ]
    return [
        Measure(
            f"cleaner -j {n}",
            name,
            count,
            size,
            *run_measured(cleaner_command([str(path)], work / f"text-out-{n}", n), **_quiet()),
        )
        for name, path, count, size in inputs
        for n in sorted({1, jobs})
    ]


def measure_seeds(work: Path) -> list[Measure]:
    seeds = sorted(SEEDS.glob("*"))
    command = cleaner_command([str(SEEDS)], work / "seeds-out", 1)
    return [Measure("cleaner -j 1", "seeds", len(seeds), megabytes(seeds), *run_measured(command))]


# --- The dedup stage over generated signatures -------------------------------------------------


@dataclass(frozen=True, slots=True)
class DedupMeasure:
    stories: int
    seconds: float
    peak_rss_mb: float
    kept: int
    duplicates: int
    candidate_pairs: int

    @property
    def bytes_per_story(self) -> float:
        return self.peak_rss_mb * 2**20 / self.stories


DEDUP_STAGE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from cleaner.staging import read_table
from cleaner.story_dedup import DedupOptions, deduplicate
table = read_table(Path(sys.argv[1]))
decisions = deduplicate(table, DedupOptions())
figures = decisions.as_json(len(table))
figures["seconds"] = time.perf_counter() - started
figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def material(data: Path) -> tuple[list[str], list[str]]:
    """The sentences and the paragraphs of every truth body, for generated stories."""
    paragraphs: list[str] = []
    for name in SETS:
        with open(data / name / "truth.jsonl", encoding="utf-8") as lines:
            for line in lines:
                body = json.loads(line).get("body") or ""
                paragraphs += [p.strip() for p in body.splitlines() if len(p.split()) >= 15]
    sentences = [s for p in paragraphs for s in SENTENCE.split(p) if len(s.split()) >= 8]
    return sentences, paragraphs


def generated_stories(
    count: int, sentences: list[str], paragraphs: list[str], seed: int
) -> Iterator[str]:
    """`count` stories: a lede of two random sentences, their words shuffled (so that no two
    stories open alike, as distinct news stories do not), and 3-7 random paragraphs; one in
    ten an earlier story with some of its words replaced."""
    rng = random.Random(seed)
    recent: list[str] = []
    for _ in range(count):
        if recent and rng.random() < COPY_SHARE:
            words = rng.choice(recent).split(" ")
            for _ in range(max(1, int(len(words) * EDIT_SHARE))):
                words[rng.randrange(len(words))] = rng.choice(words)
            story = " ".join(words)
        else:
            lede_words = " ".join(rng.sample(sentences, 2)).split()
            lede = " ".join(rng.sample(lede_words, len(lede_words)))
            story = "\n\n".join([lede, *rng.sample(paragraphs, rng.randint(3, 7))])
        recent = [*recent[-999:], story]
        yield story


def _sign(story: str) -> bytes:
    from cleaner.signature import sign

    return sign(story).to_bytes()


def write_stage(directory: Path, stories: Iterator[str], jobs: int) -> None:
    """The stage files the first stage of a run would write for `stories`, each story a
    document of its own."""
    from cleaner.staging import Shard

    files = Shard().files
    (directory / files.signatures).parent.mkdir(parents=True)
    batch: list[str] = []
    with (
        open(directory / files.stories, "w", encoding="utf-8") as lines,
        open(directory / files.signatures, "wb") as rows,
        Pool(jobs) as pool,
    ):
        number = 0
        for story in stories:
            batch.append(story)
            if len(batch) == 10_000:
                number = _write_batch(batch, number, lines, rows, pool)
                batch = []
        _write_batch(batch, number, lines, rows, pool)


def _write_batch(batch: list[str], number: int, lines, rows, pool) -> int:
    for story, signature in zip(batch, pool.map(_sign, batch, chunksize=256), strict=True):
        source = f"generated/{number // 1000:05d}/{number:07d}.txt"
        record = {
            "id": hashlib.sha256(story.encode()).hexdigest()[:32],
            "source": source,
            "path": source,
            "start": 0,
            "end": len(story),
            "length": len(story),
        }
        lines.write(json.dumps(record) + "\n")
        rows.write(signature)
        number += 1
    return number


def measure_dedup(
    data: Path, scale: Sequence[int], jobs: int, work: Path, cache: Path | None
) -> list[DedupMeasure]:
    """The dedup stage over each number of stories in `scale`; the signed stories are kept
    in `cache` (if given) for the next run."""
    sentences, paragraphs = material(data)
    measures = []
    for count in scale:
        directory = (cache or work) / f"dedup-{count}"
        if not directory.exists():
            partial = directory.with_name(directory.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            write_stage(partial, generated_stories(count, sentences, paragraphs, count), jobs)
            partial.rename(directory)
        output = subprocess.run(
            python("-c", DEDUP_STAGE, str(directory)), check=True, capture_output=True, text=True
        )
        figures = json.loads(output.stdout)
        measures.append(
            DedupMeasure(
                count,
                figures["seconds"],
                figures["peak_rss_mb"],
                figures["kept"],
                figures["duplicates"],
                figures["candidate_pairs"],
            )
        )
    return measures


# --- A big input ------------------------------------------------------------------------------


def write_big_dump(texts: Sequence[Path], gigabytes: float, path: Path) -> int:
    """A JSONL dump of about `gigabytes` GB: the page texts over and over, each copy with
    REPLACED_SHARE of its words replaced by words of the pages, so that no two copies are
    near-duplicates. Returns the number of documents (one per line)."""
    rng = random.Random(1)
    contents = [text.read_text(encoding="utf-8") for text in texts]
    vocabulary = sorted({word for content in contents for word in content.split(" ")})
    written = documents = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < gigabytes * 1e9:
            words = rng.choice(contents).split(" ")
            count = int(len(words) * REPLACED_SHARE)
            for place, word in zip(
                rng.sample(range(len(words)), count), rng.choices(vocabulary, k=count), strict=True
            ):
                words[place] = word
            line = json.dumps({"id": str(documents), "text": " ".join(words)}) + "\n"
            out.write(line)
            written += len(line)
            documents += 1
    return documents


def measure_big(data: Path, gigabytes: float, jobs: int, work: Path) -> list[Measure]:
    directory = work / "big-texts"
    directory.mkdir()
    texts = write_visible_texts(html_pages(data), directory)
    dump = work / "big.jsonl"
    documents = write_big_dump(texts, gigabytes, dump)
    command = cleaner_command([str(dump)], work / "big-out", jobs)
    return [
        Measure(
            f"cleaner -j {jobs}",
            f"{gigabytes:g} GB JSONL",
            documents,
            megabytes([dump]),
            *run_measured(command, **_quiet()),
        )
    ]


# --- Report -----------------------------------------------------------------------------------


def measures_table(measures: Sequence[Measure]) -> str:
    header = ("input", "tool", "docs", "MB", "seconds", "docs/s", "MB/s", "CPU s", "MB/CPU s")
    rows = [(*header, "peak RSS MB")]
    rows += [
        (
            m.inputs,
            m.tool,
            str(m.documents),
            f"{m.megabytes:.1f}",
            f"{m.seconds:.1f}",
            f"{m.docs_per_second:.1f}",
            f"{m.mb_per_second:.2f}",
            f"{m.cpu_seconds:.1f}",
            f"{m.mb_per_cpu_second:.2f}",
            f"{m.peak_rss_mb:.0f}",
        )
        for m in measures
    ]
    return _aligned(rows)


def dedup_table(measures: Sequence[DedupMeasure]) -> str:
    rows = [("stories", "seconds", "peak RSS MB", "bytes/story", "kept", "copies", "candidates")]
    rows += [
        (
            f"{m.stories:,}",
            f"{m.seconds:.1f}",
            f"{m.peak_rss_mb:.0f}",
            f"{m.bytes_per_story:.0f}",
            f"{m.kept:,}",
            f"{m.duplicates:,}",
            f"{m.candidate_pairs:,}",
        )
        for m in measures
    ]
    return _aligned(rows)


def _aligned(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def ratios(measures: Sequence[Measure], jobs: int) -> list[str]:
    """The figures the speed targets are stated in."""
    by = {(m.inputs, m.tool): m for m in measures}
    lines = []
    one, many = by.get(("HTML pages", "cleaner -j 1")), by.get(("HTML pages", f"cleaner -j {jobs}"))
    extract = by.get(("HTML pages", "trafilatura extract()"))
    script = by.get(("HTML pages", "trafilatura + datasketch script"))
    if one and extract:
        lines.append(
            f"HTML: cleaner -j 1 takes {one.seconds / extract.seconds:.2f}x trafilatura extract()"
        )
    if one and script:
        lines.append(
            f"HTML: cleaner -j 1 takes {one.seconds / script.seconds:.2f}x the hand-written script"
        )
    if one and many and jobs > 1:
        lines.append(f"HTML: -j {jobs} is {one.seconds / many.seconds:.2f}x faster than -j 1")
    text = by.get((f"{TEXT_DUMP_GB * 1000:g} MB text JSONL", "cleaner -j 1"))
    if text:
        lines.append(f"plain text: {text.mb_per_cpu_second:.2f} MB per CPU second on one core")
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--scale",
        default=",".join(map(str, DEFAULT_SCALE)),
        help="story counts of the dedup series, comma-separated",
    )
    parser.add_argument("--sections", default="html,text,seeds,dedup")
    parser.add_argument("--big-gb", type=float, help="also run a plain-text dump of this size")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--cache", type=Path, help="keep the generated signatures here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sections = set(args.sections.split(","))
    measures: list[Measure] = []
    dedup: list[DedupMeasure] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as temporary:
        work = Path(temporary)
        if "html" in sections:
            measures += measure_html(args.data, args.jobs, work)
        if "text" in sections:
            measures += measure_text(args.data, args.jobs, work)
        if "seeds" in sections:
            measures += measure_seeds(work)
        if args.big_gb:
            measures += measure_big(args.data, args.big_gb, args.jobs, work)
        if "dedup" in sections:
            scale = [int(count) for count in args.scale.split(",")]
            dedup = measure_dedup(args.data, scale, args.jobs, work, args.cache)
    print(f"Machine: {os.cpu_count()} cores; --jobs {args.jobs}\n")
    if measures:
        print(measures_table(measures), "\n")
        print("\n".join(ratios(measures, args.jobs)), "\n")
    if dedup:
        print("Dedup stage over generated signatures\n" + dedup_table(dedup))
    if args.json:
        figures = {
            "measures": [asdict(m) for m in measures],
            "dedup": [asdict(m) for m in dedup],
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
