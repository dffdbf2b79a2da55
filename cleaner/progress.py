"""Progress of a run's first stage on stderr: on a terminal one line redrawn in place, a
bar when the size of the inputs is known; otherwise (a log, a pipeline) one line every
`LOG_SECONDS`. Both say documents done, documents/s, MB/s and, when the inputs' size on disk
is known and not exceeded (compressed inputs grow when read), how far along and the time
left.

    cleaner: 1,204 documents (3 failed), 38.1 docs/s, 2.41 MB/s [#####.....] 52%, 0:00:29 left
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from cleaner.read import STDIN
from cleaner.read.inputs import expand_inputs

LOG_SECONDS = 10.0  # between two lines when stderr is not a terminal
REDRAW_SECONDS = 0.2  # between two redraws on a terminal
BAR_WIDTH = 20


class Progress:
    """Counts what the first stage read and did, and shows it now and then."""

    def __init__(self, inputs: list[str], stream: TextIO | None = None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.terminal = self.stream.isatty()
        self.total_bytes = _size_on_disk(inputs) if enabled else 0
        self.documents = self.failed = self.bytes_read = 0
        self.started = self.shown = time.perf_counter()

    def read(self, size: int) -> None:
        """A record of `size` bytes was read."""
        self.bytes_read += size

    def done(self, failed: bool) -> None:
        """A document was cleaned (or failed)."""
        self.documents += 1
        self.failed += failed
        now = time.perf_counter()
        if self.enabled and now - self.shown >= (REDRAW_SECONDS if self.terminal else LOG_SECONDS):
            self.shown = now
            self._show(now)

    def close(self) -> None:
        """The last figures, on a line of their own."""
        if self.enabled and (self.terminal or self.documents):
            self._show(time.perf_counter())
            if self.terminal:
                self.stream.write("\n")
                self.stream.flush()

    def line(self, now: float) -> str:
        seconds = max(now - self.started, 1e-9)
        failed = f" ({self.failed:,} failed)" if self.failed else ""
        rate = f"{self.documents / seconds:.1f} docs/s, {self.bytes_read / seconds / 1e6:.2f} MB/s"
        return f"cleaner: {self.documents:,} documents{failed}, {rate}{self._how_far(seconds)}"

    def _how_far(self, seconds: float) -> str:
        if not self.total_bytes or self.bytes_read > self.total_bytes:
            return ""
        share = self.bytes_read / self.total_bytes
        left = seconds * (1 - share) / share if share else 0.0
        filled = round(share * BAR_WIDTH)
        bar = f" [{'#' * filled}{'.' * (BAR_WIDTH - filled)}]" if self.terminal else ""
        return f"{bar} {share:.0%}, {_clock(left)} left"

    def _show(self, now: float) -> None:
        if self.terminal:
            self.stream.write("\r\x1b[K" + self.line(now))
        else:
            self.stream.write(self.line(now) + "\n")
        self.stream.flush()


def _size_on_disk(inputs: list[str]) -> int:
    """Bytes of the files the inputs name, as the run will read them; 0 if unknown (standard
    input, or a name that stands for nothing)."""
    total = 0
    for name in expand_inputs(inputs):
        if not isinstance(name, str) or name == STDIN:
            return 0
        try:
            total += os.path.getsize(name)
        except OSError:
            return 0
    return total


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
