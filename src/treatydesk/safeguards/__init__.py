"""The safeguards engine: rules as code, each finding citing the article it rests on.

Public API: `evaluate`, `Decision`, `Finding`, `Outcome`, `ExplainLevel`, `PolicyPack`,
`load_policy`, `revision`, `rule_registry`.
"""

from treatydesk.safeguards.engine import evaluate, revision, rule_registry
from treatydesk.safeguards.findings import Condition, Decision, ExplainLevel, Finding, Outcome
from treatydesk.safeguards.policy import PolicyPack, load_policy

__all__ = ["Condition", "Decision", "ExplainLevel", "Finding", "Outcome", "PolicyPack",
           "evaluate", "load_policy", "revision", "rule_registry"]
