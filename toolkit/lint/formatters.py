"""Formatters: text for people, JSON and SARIF 2.1.0 for machines. Each turns one report into one string.

Only the text formatter can colour (``color=True``, decided by the CLI); JSON and SARIF are always plain."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from toolkit.lint.engine import LintReport
from toolkit.lint.finding import Severity
from toolkit.lint.rule import Rule
from toolkit.term import Palette
from toolkit.version import VERSION

TOOL_NAME = "runbook-lint"
INFORMATION_URI = "https://github.com/runbook-toolkit/runbook/blob/main/docs/rules.md"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SEVERITY_STYLES = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def text(report: LintReport, *, color: bool = False) -> str:
    """One line per finding and a summary line; ``color`` adds ANSI styles and changes nothing else."""
    paint = Palette(color)
    lines = [
        f"{paint.dim(f'{f.file}:{f.line}:{f.column}:')} {paint.bold(f.rule)} "
        f"{paint.style(f.severity.value, SEVERITY_STYLES[f.severity])}: {f.message}"
        for f in report.findings
    ]
    counts = {severity: 0 for severity in Severity}
    for finding in report.findings:
        counts[finding.severity] += 1
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if report.findings:
        parts = [
            paint.style(f"{count} {severity.value}{'' if count == 1 else 's'}", "bold", SEVERITY_STYLES[severity])
            for severity, count in counts.items()
            if count
        ]
        lines.append(f"{', '.join(parts)} in {files} {noun}")
    else:
        lines.append(paint.style(f"no findings in {files} {noun}", "bold", "green"))
    return "\n".join(lines) + "\n"


def json_text(report: LintReport) -> str:
    return json.dumps([finding.to_json() for finding in report.findings], indent=2) + "\n"


def sarif(report: LintReport, rules: Sequence[Rule]) -> str:
    """SARIF 2.1.0: the findings, and a descriptor of every rule of the run (so SARIF alone loads the rules of a
    run whose findings were all kept, ``toolkit.lint.kept_findings``)."""
    known = {rule.id: rule for rule in rules}
    used = sorted({finding.rule for finding in report.findings} | set(known))
    index = {rule_id: position for position, rule_id in enumerate(used)}
    descriptors = [_descriptor(rule_id, known.get(rule_id)) for rule_id in used]
    results = [
        {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(finding.file)},
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    }
                }
            ],
        }
        for finding in report.findings
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": VERSION,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "artifacts": [{"location": {"uri": _uri(file)}} for file in report.files],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _descriptor(rule_id: str, rule: Rule | None) -> dict[str, object]:
    summary = rule.summary if rule is not None else _ENGINE_RULES.get(rule_id, rule_id)
    level = SARIF_LEVELS[Severity.of(rule_id)]
    return {
        "id": rule_id,
        "shortDescription": {"text": summary},
        "helpUri": f"{INFORMATION_URI}#{rule_id.lower()}",
        "defaultConfiguration": {"level": level},
    }


def _uri(file: str) -> str:
    path = Path(file)
    return path.as_posix() if not path.is_absolute() else path.as_uri()


_ENGINE_RULES = {
    "E0001": "The file cannot be read as a document",
    "E0002": "A lint rule crashed on this document",
}
