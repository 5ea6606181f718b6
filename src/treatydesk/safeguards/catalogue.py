"""The rule catalogue as Markdown (docs/rules.md is this output; a test keeps it current)."""

from __future__ import annotations

from treatydesk.convention import convention, ref
from treatydesk.safeguards.engine import rule_registry
from treatydesk.safeguards.findings import PRECEDENCE

_HEADER = """# Safeguard rules

Generated from `treatydesk.safeguards.rules` by
`python -c "from treatydesk.safeguards.catalogue import rules_markdown; print(rules_markdown())"`;
a test fails when this file is stale. Each rule gives ONE finding per request, with one sentence
built from the facts. Overall outcome precedence (most severe first): {precedence}.

Two rules always ask a reviewer (`consult`): essential interests and ordre public
({essential_interests}) and the similar-domestic-case test ({domestic_case}); so no request ever
passes without a human.
Content data, real-time collection and interception (45, 46) always need two reviewers, a rule of
this project rather than of the Convention, as do the kinds a policy pack lists in
`two_reviewer_kinds`.

Figures come from `convention/data/figures.yaml`: {figures}.

The column [R] lists cited paragraphs still marked recalled (not verified against the authentic
text). A figure marked [R] is kept only in `figures.yaml`. The code cites a paragraph by a
citation id (e.g. `mla_contents_facts`) that `convention/data/articles.yaml` gives it, never by
its number, so correcting a recalled paragraph number there corrects every rule, sentence and
form field citing it (rule ids such as SG-LANGUAGE-40-14 are fixed names and keep their
numbers).

| id | title | articles | facts read | outcomes | [R] paragraphs |
| --- | --- | --- | --- | --- | --- |
"""


def rules_markdown() -> str:
    registry = rule_registry()
    treaty = convention()
    recalled = set(treaty.recalled_references())
    figures = ", ".join(
        f"{fid} = {treaty.figure(fid).value} ({treaty.figure(fid).reference}"
        f"{'' if treaty.figure(fid).verified else ', [R]'})"
        for fid in ("serious_crime_threshold_years", "extradition_threshold_years",
                    "preservation_minimum_days"))
    lines = [_HEADER.format(precedence=" > ".join(o.value for o in PRECEDENCE),
                            figures=figures,
                            essential_interests=ref("mla_refusal_essential_interests"),
                            domestic_case=ref("mla_refusal_domestic_case"))]
    for rule in registry.rules:
        flagged = [a for a in rule.articles if a in recalled]
        lines.append(
            f"| {rule.id} | {rule.title} | {', '.join(rule.articles)} | "
            f"{', '.join(rule.facts)} | {', '.join(o.value for o in rule.outcomes)} | "
            f"{', '.join(flagged) or '-'} |\n")
    return "".join(lines)
