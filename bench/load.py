"""A bounded load generator: fixed concurrency, fixed duration, every latency recorded."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bench.timing import percentile

#: (path, headers, body) for one request; called per request so signatures stay fresh.
MakeRequest = Callable[[], tuple[str, dict[str, str], bytes]]


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    warmup_requests: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


async def run_load(
    base_url: str,
    make: MakeRequest,
    concurrency: int,
    duration: float,
    ok: frozenset[int] = frozenset({200}),
) -> LoadResult:
    """POST as fast as `concurrency` workers can for `duration` seconds (after a short warm-up)."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:
        warmup = await _phase(session, make, concurrency, min(0.5, duration / 4), ok)
        result = await _phase(session, make, concurrency, duration, ok)
        return dataclasses.replace(result, warmup_requests=warmup.requests + warmup.errors)


async def _phase(
    session: aiohttp.ClientSession,
    make: MakeRequest,
    concurrency: int,
    duration: float,
    ok: frozenset[int],
) -> LoadResult:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    start = time.perf_counter()
    deadline = start + duration

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            path, headers, body = make()
            began = time.perf_counter()
            try:
                async with session.post(path, data=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except aiohttp.ClientError:
                errors += 1
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status not in ok:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    p50 = percentile(latencies, 0.5) if latencies else float("nan")
    p99 = percentile(latencies, 0.99) if latencies else float("nan")
    return LoadResult(concurrency, len(latencies), errors, elapsed, p50, p99, statuses)
