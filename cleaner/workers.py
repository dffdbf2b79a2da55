"""Run a function over tasks in worker processes, results in task order, each task under a
time budget enforced from outside: a worker that overruns is killed and replaced, and a
worker that dies (a crash in C code, the kernel's OOM killer) is replaced the same way. The
task is then reported as `Abandoned` and the others go on. A worker is also replaced after
`TASKS_PER_WORKER` tasks, as long runs of lxml and trafilatura grow a process's memory.

With one job the tasks run in this process instead (`cleaner run -j 1`: for debuggers and
profilers), the time budget an interval timer whose signal interrupts the task between two
Python instructions; a task stuck inside one call into C code is only abandoned when it
returns. Worker processes are the safe choice for untrusted input.

On Linux workers are forked from the parent, which has imported the cleaning code already,
so a replacement starts in milliseconds. A forked child would flush standard output's
buffer a second time when it exits, so the standard streams are flushed before each fork;
the output files are never flushed by a worker (it leaves through `os._exit`). Elsewhere
workers are spawned.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

START_METHOD = "fork" if sys.platform == "linux" else "spawn"
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends
# Tasks started a job ahead of the first whose result is not out yet: results leave in task
# order, so a slow document holds the others' results back; with room for 8 a job the other
# workers go on meanwhile (2 left them idle: -j 2 was 1.67x -j 1 on the evaluation pages).
READ_AHEAD = 8
# Tasks a worker process does before it is replaced by a fresh one.
TASKS_PER_WORKER = 1000
# Seconds between two tries at ending a task run in this process that overran (see `_overrun`).
OVERRUN_RETRY = 0.01


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
        self.process = context.Process(
            target=_serve, args=(child, function, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.connection.recv()  # ready: the time budget must not count the start-up
        self.task: int | None = None  # index of the task it is working on
        self.deadline = 0.0
        self.tasks_done = 0

    def start(self, index: int, task: Any, timeout: float) -> None:
        self.task = index
        self.deadline = time.monotonic() + timeout
        self.connection.send(task)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _serve(connection: Connection, function: Callable[[Any], Any], parent: int) -> None:
    """The worker's loop: a task in, its result out, until the pipe closes."""
    _die_with_parent(parent)
    connection.send(None)
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        connection.send(function(task))


class _Overrun(BaseException):
    """Raised inside a task run in this process when its time is up. Not an `Exception`, so
    that the task's own error handling does not take it for a failure of its input."""


class WorkerPool(Generic[Task, Result]):
    """`jobs` worker processes applying `function`, each task within `timeout` seconds (one
    job: in this process, see the module docstring).

    Use as a context manager; `map` yields each task with its result (or `Abandoned`), in
    order.
    """

    def __init__(
        self,
        function: Callable[[Task], Result],
        jobs: int,
        timeout: float,
        tasks_per_worker: int = TASKS_PER_WORKER,
    ):
        self.function = function
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.tasks_per_worker = tasks_per_worker
        self.context = multiprocessing.get_context(START_METHOD)
        self.workers: list[_Worker] = []

    @property
    def in_process(self) -> bool:
        """One job, and a timer signal to enforce the budget with (main thread, POSIX)."""
        on_main_thread = threading.current_thread() is threading.main_thread()
        return self.jobs == 1 and hasattr(signal, "setitimer") and on_main_thread

    def __enter__(self) -> WorkerPool[Task, Result]:
        if not self.in_process:
            self.workers = [_Worker(self.context, self.function) for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Result | Abandoned]]:
        """Tasks and results in the order of `tasks`; at most READ_AHEAD tasks a job read
        ahead of the first whose result is not yet out."""
        if self.in_process:
            return self._map_here(tasks)
        return self._map_in_workers(tasks)

    def _map_here(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Result | Abandoned]]:
        previous = signal.signal(signal.SIGALRM, _overrun)
        try:
            for task in tasks:
                yield task, self._run_here(task)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _run_here(self, task: Task) -> Result | Abandoned:
        try:
            signal.setitimer(signal.ITIMER_REAL, self.timeout)
            try:
                return self.function(task)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _Overrun:
            return Abandoned(f"took more than {self.timeout:g} s")

    def _map_in_workers(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Result | Abandoned]]:
        pending = iter(enumerate(tasks))
        started: dict[int, Task] = {}
        done: dict[int, Result | Abandoned] = {}
        submitted = next_out = 0
        exhausted = False
        while True:
            for worker in self.workers:
                room = submitted - next_out < READ_AHEAD * self.jobs
                if worker.task is None and not exhausted and room:
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
                    worker.tasks_done += 1
                    if worker.tasks_done >= self.tasks_per_worker:
                        self._replace(worker)
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


def _overrun(signum: int, frame: object) -> None:
    """End the task running in this process. Python ignores an exception raised where the
    signal found it inside a `__del__` or a callback (a garbage collection in the middle of
    dateparser compiling its patterns), so the timer is set again first: it fires every
    OVERRUN_RETRY seconds until the task has stopped and `_run_here` has disarmed it."""
    signal.setitimer(signal.ITIMER_REAL, OVERRUN_RETRY)
    raise _Overrun


def _die_with_parent(parent: int) -> None:
    """End this worker when the run's main process ends, even by SIGKILL: a forked worker
    holds the pipes of the workers forked before it, so their closing cannot tell it (Linux;
    elsewhere workers end when their pipe closes)."""
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the main process ended before prctl
        os._exit(1)
