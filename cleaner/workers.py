"""Run a function over tasks in worker processes, results in task order, each task under a
time budget enforced from outside: a worker that overruns is killed and replaced, and a
worker that dies (a crash in C code, the kernel's OOM killer) is replaced the same way. The
task is then reported as `Abandoned` and the others go on.

On Linux workers are forked from the parent, which has imported the cleaning code already,
so a replacement starts in milliseconds. A forked child would flush standard output's
buffer a second time when it exits, so the standard streams are flushed before each fork;
the output files are never flushed by a worker (it leaves through `os._exit`). Elsewhere
workers are spawned.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

START_METHOD = "fork" if sys.platform == "linux" else "spawn"


@dataclass(frozen=True, slots=True)
class Abandoned:
    """A task whose worker overran the time budget or died."""

    reason: str


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context: Any, function: Callable[[Any], Any]):
        self.connection, child = context.Pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.process = context.Process(target=_serve, args=(child, function), daemon=True)
        self.process.start()
        child.close()
        self.connection.recv()  # ready: the time budget must not count the start-up
        self.task: int | None = None  # index of the task it is working on
        self.deadline = 0.0

    def start(self, index: int, task: Any, timeout: float) -> None:
        self.task = index
        self.deadline = time.monotonic() + timeout
        self.connection.send(task)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _serve(connection: Connection, function: Callable[[Any], Any]) -> None:
    """The worker's loop: a task in, its result out, until the pipe closes."""
    connection.send(None)
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        connection.send(function(task))


class WorkerPool(Generic[Task, Result]):
    """`jobs` worker processes applying `function`, each task within `timeout` seconds.

    Use as a context manager; `map` yields each task with its result (or `Abandoned`), in
    order.
    """

    def __init__(self, function: Callable[[Task], Result], jobs: int, timeout: float):
        self.function = function
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.context = multiprocessing.get_context(START_METHOD)
        self.workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool[Task, Result]:
        self.workers = [_Worker(self.context, self.function) for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Result | Abandoned]]:
        """Tasks and results in the order of `tasks`; at most `2 * jobs` tasks read ahead."""
        pending = iter(enumerate(tasks))
        started: dict[int, Task] = {}
        done: dict[int, Result | Abandoned] = {}
        submitted = next_out = 0
        exhausted = False
        while True:
            for worker in self.workers:
                if worker.task is None and not exhausted and submitted - next_out < 2 * self.jobs:
                    item = next(pending, None)
                    if item is None:
                        exhausted = True
                    else:
                        started[item[0]] = item[1]
                        worker.start(item[0], item[1], self.timeout)
                        submitted += 1
            if next_out == submitted and exhausted:
                return
            self._collect(done)
            while next_out in done:
                yield started.pop(next_out), done.pop(next_out)
                next_out += 1

    def _collect(self, done: dict[int, Result | Abandoned]) -> None:
        """Wait for a result or the first deadline; replace workers that overran or died."""
        busy = [worker for worker in self.workers if worker.task is not None]
        if not busy:
            return
        wait_for = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
        ready = wait([worker.connection for worker in busy], timeout=wait_for)
        now = time.monotonic()
        for worker in busy:
            assert worker.task is not None
            if worker.connection in ready:
                try:
                    done[worker.task] = worker.connection.recv()
                    worker.task = None
                    continue
                except (EOFError, OSError):
                    worker.process.join()
                    reason = f"the worker process died (exit code {worker.process.exitcode})"
            elif now >= worker.deadline:
                reason = f"took more than {self.timeout:g} s"
            else:
                continue
            done[worker.task] = Abandoned(reason)
            self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.function)
