"""Process-wide Prometheus metrics, and the small API other parts of Nudge use to record them.

Every metric lives in prometheus_client's default registry, so `/metrics` also shows the
process collectors (memory, CPU, open files). Record through the helper functions; the
metric objects are public for tests and for workers with needs the helpers don't cover.

Reminders worker (bots/reminders/):
    from bots import metrics
    metrics.reminder_due("slack")                    # a reminder's time came and it was picked up
    metrics.reminder_sent("slack")                   # the notifier delivered it
    metrics.reminder_failed("slack", retryable=True) # DeliveryError; retryable or given up
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram

from bots.engine import Report

#: Engine checks take microseconds to a few milliseconds; HTTP requests up to seconds.
_CHECK_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)
_HTTP_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "nudge_http_requests",
    "HTTP requests answered, by route and status.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "nudge_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["route"],
    buckets=_HTTP_BUCKETS,
)
CHECK_LATENCY = Histogram(
    "nudge_check_duration_seconds",
    "Time for the engine to check one draft.",
    buckets=_CHECK_BUCKETS,
)
CHECKS = Counter("nudge_checks", "Drafts checked, by the policy that checked them.", ["policy"])
FINDINGS = Counter(
    "nudge_findings", "Findings reported to writers, by category and rule.", ["category", "rule"]
)
REMINDERS_DUE = Counter(
    "nudge_reminders_due", "Reminders whose time came and were picked up.", ["platform"]
)
REMINDERS_SENT = Counter("nudge_reminders_sent", "Reminders delivered.", ["platform"])
REMINDERS_FAILED = Counter(
    "nudge_reminders_failed", "Reminder deliveries that failed.", ["platform", "retryable"]
)


def _child(metric: Any, *labels: str) -> Any:
    """`metric.labels(*labels)`, kept: `labels()` takes a lock and builds its key on every call,
    and a request records several. Label values are bounded (route patterns, rule ids, policy
    names), as Prometheus needs anyway; no metric's children are ever removed."""
    key = (id(metric), labels)
    child = _CHILDREN.get(key)
    if child is None:
        child = _CHILDREN[key] = metric.labels(*labels)
    return child


_CHILDREN: dict[tuple[int, tuple[str, ...]], Any] = {}


def record_check(report: Report, seconds: float) -> None:
    """Count one engine check: its latency, its policy and every finding it reported."""
    CHECK_LATENCY.observe(seconds)
    _child(CHECKS, report.policy.name).inc()
    for finding in report.findings:
        _child(FINDINGS, finding.category, finding.rule).inc()


def record_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one HTTP request; `route` is the route's pattern, never the raw path."""
    _child(HTTP_REQUESTS, route, method, str(status)).inc()
    _child(HTTP_LATENCY, route).observe(seconds)


def reminder_due(platform: str) -> None:
    """A reminder's due time came and a worker picked it up."""
    REMINDERS_DUE.labels(platform).inc()


def reminder_sent(platform: str) -> None:
    """A reminder was delivered."""
    REMINDERS_SENT.labels(platform).inc()


def reminder_failed(platform: str, *, retryable: bool) -> None:
    """A delivery failed; `retryable` says whether it will be tried again."""
    REMINDERS_FAILED.labels(platform, "true" if retryable else "false").inc()
