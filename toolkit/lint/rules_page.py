"""docs/rules.md, generated from the rules' own metadata: ``python -m toolkit.lint.rules_page > docs/rules.md``
(``make docs``). A test fails when the file is out of date."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from toolkit.lint.rule import Rule
from toolkit.lint.rules import builtin_rules

FAMILIES = {
    "0": "Document",
    "1": "Parameters and references",
    "2": "Control flow",
    "3": "Action inputs",
    "4": "Outputs",
    "5": "Security",
    "6": "CloudTrail practice",
    "9": "User-defined",
}

INTRO = """\
# Lint rules

Generated from the rules themselves by `make docs`; do not edit by hand.

A rule id is a letter for the severity (**E** error, **W** warning, **I** information) and four digits, the first
of which is the family. `runbook lint` exits 1 when any finding is an error.

- Run only some rules: `--select E1,W2` (id prefixes); skip some: `--ignore W0021`.
- In pyproject.toml: `[tool.runbook.lint]` with `select`, `ignore`, `exclude` (globs a folder search skips),
  `plugins` (modules whose `RULES` list adds user rules, ids E9xxx/W9xxx/I9xxx) and a `per-file-ignores` table of
  glob = [ids].
- In a YAML document: `# runbook-lint: ignore E3101 W5010` inside a step (or on the lines just above it)
  silences those ids in that step; outside any step, in the whole file.
"""


def render(rules: Sequence[type[Rule]]) -> str:
    ordered = sorted(rules, key=lambda rule: (rule.id[1:], rule.id))
    lines = [INTRO, "| id | severity | summary |", "|---|---|---|"]
    lines += [f"| [{r.id}](#{r.id.lower()}) | {r.severity().value} | {r.summary} |" for r in ordered]
    family = None
    for rule in ordered:
        if rule.id[1] != family:
            family = rule.id[1]
            lines += ["", f"## {FAMILIES.get(family, 'Other')}"]
        lines += ["", f"### {rule.id}", "", f"**{rule.summary}** ({rule.severity().value})", "", rule.docs()]
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.stdout.write(render(builtin_rules()))


if __name__ == "__main__":
    main()
