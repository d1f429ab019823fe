"""`GET /metrics`: the process-wide metrics plus the serving policy's state, read at scrape time."""

from __future__ import annotations

from collections.abc import Iterator

from aiohttp import web
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric

from bots.policy_host import PolicyHost


class PolicyCollector:
    """Which policy serves and how the last reload went, straight from the PolicyHost."""

    def __init__(self, host: PolicyHost) -> None:
        self.host = host

    def collect(self) -> Iterator[Metric]:
        host = self.host
        info = GaugeMetricFamily(
            "nudge_policy_info", "The policy version serving (always 1).", labels=["version"]
        )
        info.add_metric([host.version], 1)
        yield info
        yield GaugeMetricFamily(
            "nudge_policy_ready", "1 when a policy is loaded.", value=int(host.ready)
        )
        last = host.history[-1] if host.history else None
        yield GaugeMetricFamily(
            "nudge_policy_last_reload_success",
            "1 when the last reload succeeded, 0 when it failed (old policy kept).",
            value=int(bool(last and last.ok)),
        )
        if last:
            yield GaugeMetricFamily(
                "nudge_policy_last_reload_timestamp_seconds",
                "When the policy was last (re)loaded, successfully or not.",
                value=last.at.timestamp(),
            )
        failures = sum(1 for outcome in host.history if not outcome.ok)
        yield GaugeMetricFamily(
            "nudge_policy_recent_reload_failures",
            "Failed reloads among the last 50.",
            value=failures,
        )


class _Both:
    """The default registry and this app's policy collector, as one thing to render."""

    def __init__(self, policy: PolicyCollector) -> None:
        self.policy = policy

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
        yield from self.policy.collect()


def add_metrics_route(app: web.Application, host: PolicyHost) -> None:
    """Serve the Prometheus text format at /metrics."""
    source = _Both(PolicyCollector(host))

    async def metrics(request: web.Request) -> web.Response:
        body = generate_latest(source)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})

    app.router.add_get("/metrics", metrics)
