"""Memory per story of the story index: the embedded SQLite file, cleaner's Redis layout, and
datasketch's Redis storage (MinHashLSH with storage_config type "redis") for the same bands.

    python benchmarks/index_memory.py [--stories N ...] [--redis URL] [--no-datasketch]

Stories are random signatures: what matters is that distinct stories have distinct band
keys, as random ones do. Redis memory is `used_memory` of INFO memory before and after,
on a server that nothing else writes to while it runs. datasketch's layout keeps only the
bands (a key per bucket, a set of story keys), no signature, so a run could not verify a
candidate against it; cleaner's keeps the signature (772 bytes) too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from pathlib import Path

import numpy as np
import redis
from datasketch import LeanMinHash, MinHash, MinHashLSH

from cleaner.index import IndexedStory
from cleaner.index.embedded import EmbeddedIndex
from cleaner.index.redis import RedisIndex
from cleaner.lsh import FULL, band_keys
from cleaner.signature import LEDE_PERM, NUM_PERM, SCHEME, Signature
from cleaner.story_table import StoryRef

BATCH = 2_000  # stories claimed at once, as a run claims its keepers


def random_stories(count: int, seed: int = 1) -> list[IndexedStory]:
    generator = np.random.default_rng(seed)
    full = generator.integers(0, 2**32, size=(count, NUM_PERM), dtype=np.uint32)
    lede = generator.integers(0, 2**32, size=(count, LEDE_PERM), dtype=np.uint32)
    return [
        IndexedStory(
            StoryRef(uuid.UUID(int=n).hex, f"crawl/2025/part-{n // 1000:05d}.warc.gz#{n}", 0, 5000),
            Signature(400, full[n], lede[n]),
            run=uuid.UUID(int=seed).hex,
        )
        for n in range(count)
    ]


def fill(index, stories: list[IndexedStory]) -> None:
    for start in range(0, len(stories), BATCH):
        batch = stories[start : start + BATCH]
        keys = band_keys([story.signature for story in batch])
        seen = [lookup.seen for lookup in index.lookup(keys)]
        assert all(index.claim(batch, keys, seen))


def embedded_bytes(stories: list[IndexedStory]) -> float:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "stories.index"
        index = EmbeddedIndex(str(path))
        fill(index, stories)
        index.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        index.close()
        return path.stat().st_size / len(stories)


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def cleaner_redis_bytes(url: str, stories: list[IndexedStory]) -> float:
    client = redis.Redis.from_url(url)
    prefix = f"memory-{uuid.uuid4().hex}"
    before = used_memory(client)
    index = RedisIndex(f"{url}?prefix={prefix}")
    fill(index, stories)
    after = used_memory(client)
    index.close()
    _delete(client, f"{prefix}:*")
    return (after - before) / len(stories)


def datasketch_redis_bytes(url: str, stories: list[IndexedStory]) -> float:
    client = redis.Redis.from_url(url)
    basename = f"memory-{uuid.uuid4().hex}".encode()
    connection = client.connection_pool.connection_kwargs
    config = {
        "type": "redis",
        "basename": basename,
        "redis": {"host": connection["host"], "port": connection["port"], "db": connection["db"]},
    }
    before = used_memory(client)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(FULL.bands, FULL.rows), storage_config=config)
    with lsh.insertion_session(buffer_size=BATCH) as session:
        for story in stories:
            sketch = MinHash(num_perm=NUM_PERM, hashvalues=story.signature.full, scheme=SCHEME)
            session.insert(story.ref.id, LeanMinHash(sketch), check_duplication=False)
    after = used_memory(client)
    _delete(client, basename.decode() + "*")
    return (after - before) / len(stories)


def _delete(client: redis.Redis, pattern: str) -> None:
    for key in client.scan_iter(pattern, count=1000):
        client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, nargs="+", default=[10_000])
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6390/0"))
    parser.add_argument(
        "--no-datasketch",
        dest="datasketch",
        action="store_false",
        help="leave datasketch's Redis storage out (it inserts about 150 stories a second)",
    )
    args = parser.parse_args()
    print(f"{'stories':>8} {'SQLite file':>12} {'cleaner Redis':>14} {'datasketch Redis':>17}")
    print(f"{'':>8} {'(53 bands)':>12} {'(53 bands)':>14} {'(32 bands, no sig.)':>17}")
    for count in args.stories:
        stories = random_stories(count)
        embedded = embedded_bytes(stories)
        ours = cleaner_redis_bytes(args.redis, stories)
        theirs = datasketch_redis_bytes(args.redis, stories) if args.datasketch else float("nan")
        print(f"{count:8d} {embedded:10.0f} B {ours:12.0f} B {theirs:15.0f} B", flush=True)


if __name__ == "__main__":
    main()
