"""The worker pool of the first stage: results in task order, workers replaced after a number
of tasks (long runs of lxml grow a process), one job in this process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from cleaner.workers import Abandoned, WorkerPool


def process_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def test_workers_are_replaced_after_their_share_of_tasks_and_results_keep_their_order() -> None:
    with WorkerPool(process_and_square, jobs=2, timeout=30, tasks_per_worker=2) as pool:
        results = [result for _, result in pool.map(range(12))]
    assert [square for _, square in results] == [n * n for n in range(12)]
    processes = {pid for pid, _ in results}
    assert os.getpid() not in processes
    assert len(processes) >= 6  # 12 tasks, at most 2 a worker


def test_one_job_runs_in_this_process() -> None:
    with WorkerPool(process_and_square, jobs=1, timeout=30) as pool:
        results = [result for _, result in pool.map(range(3))]
    assert results == [(os.getpid(), 0), (os.getpid(), 1), (os.getpid(), 4)]


POOL_THEN_WAIT = """
import sys, time
from cleaner.workers import Abandoned, WorkerPool
with WorkerPool(abs, jobs=2, timeout=30) as pool:
    print(*(worker.process.pid for worker in pool.workers), flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="/proc and prctl are Linux's")
def test_workers_end_when_the_main_process_is_killed() -> None:
    main = subprocess.Popen([sys.executable, "-c", POOL_THEN_WAIT], stdout=subprocess.PIPE)
    workers = [int(pid) for pid in main.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    main.kill()
    main.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class SlowToDelete:
    """An object whose deletion takes half a second: an alarm that fires then is ignored."""

    def __del__(self) -> None:
        busy_for(0.5)


def busy_for(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def delete_slowly_then_work(seconds: float) -> str:
    SlowToDelete()  # deleted at once, and the time is up while its __del__ runs
    busy_for(seconds)
    return "done"


def test_a_task_over_its_budget_in_this_process_is_abandoned_even_if_the_first_alarm_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python ignores an exception raised inside `__del__`: the alarm that finds the task
    there must not be the only one. Python hands the ignored exception to
    `sys.unraisablehook`, which here drops it: pytest's own hook takes long enough to
    import what it reports with that the next alarm can find the task inside it, and pytest
    then fails the test for an exception a run only prints."""
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)
    with WorkerPool(delete_slowly_then_work, jobs=1, timeout=0.2) as pool:
        [(_, result)] = list(pool.map([5.0]))
    assert isinstance(result, Abandoned)
