"""The story index on a Redis server, shared by runs on many machines (redis-py).

`redis://host:port/db` (or `rediss://`, `unix://`), with `?prefix=NAME` to keep several
indexes on one server (default `cleaner`). Keys, for prefix P:

    P:layout        the signatures' LAYOUT (`cleaner.lsh`), set by the first run, checked after
    P:next          the last story number given (INCR)
    P:story:N       story N: its signature (`Signature.to_bytes`), then JSON {run, ref}
    P:band:HHHH     a hash of band buckets: field = the low 48 bits of a band key (6 bytes),
                    value = the numbers of its stories, comma-separated; HHHH = the key's top
                    16 bits in hex, so the buckets are spread over 65,536 hashes

Buckets are grouped into hashes rather than given a key each, because Redis stores a small
hash (up to `hash-max-listpack-entries`, 128 by default: about 150,000 stories here) as one
packed list, about 20 bytes a bucket. A story costs about 2 KB, its signature included;
datasketch's Redis storage, a key for every bucket and no signature, 17 KB
(`python benchmarks/index_memory.py`).

A claim is one Lua script, which Redis runs atomically: it compares every bucket of the story
with what the lookup saw, and only if none changed numbers the story and adds it. This needs
one server (or a primary and its replicas), not a Redis Cluster: a claim touches keys of any
slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import orjson

from cleaner.index import IndexedStory, Lookup, StoryIndexError
from cleaner.lsh import LAYOUT
from cleaner.signature import BYTES, Signature
from cleaner.story_table import StoryRef

try:
    import redis
except ImportError:  # pragma: no cover - depends on the installation
    redis = None

DEFAULT_PREFIX = "cleaner"
PIPELINE_COMMANDS = 10_000  # commands sent in one round trip

# KEYS: the story's bucket hashes. ARGV: its bucket fields, the values the lookup saw ("" for
# none), then the counter key, the story key prefix and the story's record.
CLAIM = """
local n = #KEYS
for i = 1, n do
    if (redis.call('HGET', KEYS[i], ARGV[i]) or '') ~= ARGV[n + i] then
        return 0
    end
end
local number = redis.call('INCR', ARGV[2 * n + 1])
redis.call('SET', ARGV[2 * n + 2] .. number, ARGV[2 * n + 3])
for i = 1, n do
    local members = redis.call('HGET', KEYS[i], ARGV[i])
    redis.call('HSET', KEYS[i], ARGV[i], members and (members .. ',' .. number) or number)
end
return number
"""


class RedisIndex:
    """A story index on the Redis server at `url`."""

    def __init__(self, url: str):
        if redis is None:
            raise StoryIndexError("a Redis index needs redis-py: pip install 'cleaner[redis]'")
        url, self.prefix = _split_prefix(url)
        try:
            self.client = redis.Redis.from_url(url)
            self.client.set(f"{self.prefix}:layout", LAYOUT, nx=True)
            layout = self.client.get(f"{self.prefix}:layout").decode()
        except redis.RedisError as error:
            raise StoryIndexError(f"Redis at {url}: {error}") from error
        if layout != LAYOUT:
            raise StoryIndexError(f"{url} holds signatures made otherwise: {layout}")
        self.claim_script = self.client.register_script(CLAIM)

    def lookup(self, keys: np.ndarray) -> list[Lookup]:
        buckets = [self._bucket(key) for key in keys.ravel().tolist()]
        values = [value or b"" for value in self._pipelined(_hget, buckets)]
        width = keys.shape[1]
        rows = [tuple(values[start : start + width]) for start in range(0, len(values), width)]
        members = [sorted({n for value in row for n in _numbers(value)}) for row in rows]
        stories = self._stories({number for row in members for number in row})
        return [
            Lookup([stories[number] for number in row_members], row)
            for row, row_members in zip(rows, members, strict=True)
        ]

    def claim(
        self, stories: Sequence[IndexedStory], keys: np.ndarray, seen: Sequence[tuple[bytes, ...]]
    ) -> list[bool]:
        def call(pipe, claim: tuple[IndexedStory, list[int], tuple[bytes, ...]]) -> None:
            story, row, expected = claim
            buckets = [self._bucket(key) for key in row]
            about = orjson.dumps({"run": story.run, "ref": story.ref.as_json()})
            self.claim_script(
                keys=[name for name, _ in buckets],
                args=[
                    *(field for _, field in buckets),
                    *expected,
                    f"{self.prefix}:next",
                    f"{self.prefix}:story:",
                    story.signature.to_bytes() + about,
                ],
                client=pipe,
            )

        claims = list(zip(stories, keys.tolist(), seen, strict=True))
        return [bool(number) for number in self._pipelined(call, claims, per_item=keys.shape[1])]

    def close(self) -> None:
        self.client.close()

    def _bucket(self, key: int) -> tuple[str, bytes]:
        """The hash and field of a band key."""
        return f"{self.prefix}:band:{key >> 48:04x}", (key & 0xFFFF_FFFF_FFFF).to_bytes(6, "big")

    def _stories(self, numbers: set[int]) -> dict[int, IndexedStory]:
        ordered = sorted(numbers)
        names = [f"{self.prefix}:story:{number}" for number in ordered]
        records = self._pipelined(_get, names)
        return {number: _indexed(record) for number, record in zip(ordered, records, strict=True)}

    def _pipelined(self, command, items: Sequence, per_item: int = 1) -> list:
        """`command(pipe, item)` for every item, a few thousand commands a round trip."""
        results = []
        step = max(1, PIPELINE_COMMANDS // per_item)
        try:
            for start in range(0, len(items), step):
                pipe = self.client.pipeline(transaction=False)
                for item in items[start : start + step]:
                    command(pipe, item)
                results.extend(pipe.execute())
        except redis.RedisError as error:
            raise StoryIndexError(f"Redis: {error}") from error
        return results


def _split_prefix(url: str) -> tuple[str, str]:
    """The URL without its `prefix` query parameter, and the prefix."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    prefix = next((value for name, value in query if name == "prefix"), DEFAULT_PREFIX)
    rest = urlencode([(name, value) for name, value in query if name != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def _get(pipe, name: str) -> None:
    pipe.get(name)


def _hget(pipe, bucket: tuple[str, bytes]) -> None:
    pipe.hget(*bucket)


def _numbers(value: bytes) -> list[int]:
    return [int(number) for number in value.split(b",")] if value else []


def _indexed(record: bytes) -> IndexedStory:
    about = orjson.loads(record[BYTES:])
    return IndexedStory(
        StoryRef(**about["ref"]), Signature.from_bytes(record[:BYTES]), about["run"]
    )
