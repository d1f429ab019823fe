"""Timing helpers: many short samples, reported as percentiles in microseconds."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Stats:
    """Percentiles of one measured operation, in microseconds."""

    samples: int
    p50_us: float
    p99_us: float
    mean_us: float
    #: CPU time of this thread per call: close to wall time on an idle core, and much less
    #: disturbed than wall time when other processes share the machine.
    cpu_p50_us: float
    cpu_p99_us: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def summarise(durations_ns: Sequence[int], cpu_ns: Sequence[int]) -> Stats:
    us = [d / 1000 for d in durations_ns]
    cpu = [d / 1000 for d in cpu_ns]
    return Stats(
        len(us),
        percentile(us, 0.50),
        percentile(us, 0.99),
        statistics.fmean(us),
        percentile(cpu, 0.50),
        percentile(cpu, 0.99),
    )


def measure(
    fn: Callable[[Any], object],
    inputs: Sequence[Any],
    budget_s: float = 0.6,
    min_samples: int = 60,
    max_samples: int = 4000,
) -> Stats:
    """Call `fn` on the inputs round-robin (after a warm-up) for about `budget_s` seconds."""
    for item in inputs[:3]:
        fn(item)
    samples: list[int] = []
    cpu: list[int] = []
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    deadline = clock() + int(budget_s * 1e9)
    gc.collect()
    # The collector would charge its pauses to whichever sample it lands in.
    gc.disable()
    try:
        i = 0
        while len(samples) < max_samples and (len(samples) < min_samples or clock() < deadline):
            item = inputs[i % len(inputs)]
            cpu_start, start = cpu_clock(), clock()
            fn(item)
            samples.append(clock() - start)
            cpu.append(cpu_clock() - cpu_start)
            i += 1
    finally:
        gc.enable()
    return summarise(samples, cpu)


@contextmanager
def one_core() -> Iterator[int | None]:
    """Run on a single CPU so figures mean 'one core' (the CPU, or None if not possible)."""
    try:
        before = os.sched_getaffinity(0)
        cpu = max(before)
        os.sched_setaffinity(0, {cpu})
    except (AttributeError, OSError):
        yield None
        return
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)
