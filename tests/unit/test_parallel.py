"""experiments.parallel.map_in_order: task order and progress whatever the number of processes."""

import math

from experiments.parallel import map_in_order


def test_results_come_back_in_task_order_on_one_or_two_processes():
    tasks = [9.0, 1.0, 16.0, 4.0, 0.0]
    done_serial, done_parallel = [], []
    serial = map_in_order(math.sqrt, tasks, jobs=1, on_done=done_serial.append)
    parallel = map_in_order(math.sqrt, tasks, jobs=2, on_done=done_parallel.append)
    assert serial == parallel == [3.0, 1.0, 4.0, 2.0, 0.0]
    assert done_serial == done_parallel == [1, 2, 3, 4, 5]   # progress counts every finished task once
