"""The worker pool of the first stage: results in task order, workers replaced after a number
of tasks (long runs of lxml grow a process), one job in this process."""

from __future__ import annotations

import os

from cleaner.workers import WorkerPool


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
