"""The rule engine: pure, synchronous, platform-free. Time is an argument."""

from bots.engine.check import check
from bots.engine.context import Event, Trace
from bots.engine.model import ClientMood, Draft, Finding, PolicyRef, Report
from bots.engine.policy.compiled import Policy
from bots.engine.policy.loader import PolicyError, PolicyIssue, load_policy_file
from bots.engine.policy.registry import PolicySet, load_policy_dir
from bots.engine.validate import DraftError

__all__ = [
    "ClientMood",
    "Draft",
    "DraftError",
    "Event",
    "Finding",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "PolicyRef",
    "PolicySet",
    "Report",
    "Trace",
    "check",
    "load_policy_dir",
    "load_policy_file",
]
