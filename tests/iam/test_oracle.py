"""A differential test against an outside oracle: @cloud-copilot/iam-simulate (AGPL; used only as a separate
program, never vendored), deciding the condition table of ``test_conditions.py`` on global keys of the right type.

Runs when ``IAM_SIMULATE_DIR`` names a folder where ``npm install --prefix DIR @cloud-copilot/iam-simulate`` was
run, and ``node`` is on the path. Each row becomes an identity policy allowing s3:ListBucket under the row's
condition; both evaluators must agree on whether the request is allowed, except for the rows in ``KNOWN``, where
this evaluator decides otherwise on purpose (the reason is given)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.iam.test_conditions import CASES
from toolkit.iam.policy import Policy, request_context

ORACLE = os.environ.get("IAM_SIMULATE_DIR")
SCRIPT = Path(__file__).parent / "oracle" / "decide.cjs"

pytestmark = pytest.mark.skipif(
    not ORACLE or shutil.which("node") is None,
    reason="set IAM_SIMULATE_DIR to a folder holding `npm install --prefix DIR @cloud-copilot/iam-simulate` (and node)",
)

KEYS = {
    "String": "aws:PrincipalTag/team",
    "Numeric": "aws:MultiFactorAuthAge",
    "Date": "aws:CurrentTime",
    "Bool": "aws:SecureTransport",
    "IP": "aws:SourceIp",
    "ARN": "aws:SourceArn",
    "Null": "aws:PrincipalTag/team",
    "IfExists": "aws:PrincipalTag/team",
    "ForAllValues/ForAnyValue": "aws:TagKeys",
    "variables": "aws:PrincipalTag/team",
}
"""Family -> a global key the oracle knows, of the type the family's operators read."""

KNOWN: dict[str, str] = {
    "Numeric: not equals, request not a number": "a negated operator is the negation of its positive one when the key"
    " is present (a request value that is not a number matches no policy value); iam-simulate makes both false",
    "Date: equals, epoch seconds": "iam-simulate reads a request's epoch value as milliseconds (JavaScript's Date);"
    " AWS documents epoch seconds (IAMUG condition operators, Date)",
    "Date: less than equals, after": "the same: epoch milliseconds in iam-simulate, seconds here",
    "ForAllValues/ForAnyValue: any, IfExists, missing key": "IfExists makes a missing key true (iam.md section 2);"
    " iam-simulate lets ForAnyValue's false win",
    "variables: escapes ${?} ${$}": "IAM documents ${*}, ${?} and ${$} as escapes (IAMUG policy variables);"
    " iam-simulate resolves only ${*} here",
    "variables: in ARN": "IAM documents policy variables in Arn operators' values; iam-simulate resolves them in"
    " StringLike but not in ArnLike",
}
"""Row id -> why this evaluator differs from the oracle there, on purpose."""

PRINCIPAL = ("AWS", "arn:aws:iam::123456789012:role/R")


def comparable() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(row id, condition block, request context) for each row the oracle can be asked about."""
    found = []
    for row_id, operator, key, wanted, value, _ in CASES:
        family = row_id.split(":", 1)[0]
        if family not in KEYS or operator.startswith(("Binary", "IfExists")) or "Binary" in operator:
            continue
        target = KEYS[family] if key == "k:key" else key
        if isinstance(value, dict):
            context = {target if name == "k:key" else name: item for name, item in value.items()}
        else:
            context = {} if value is None else {target: value}
        if any(isinstance(item, bytes) or not isinstance(item, str | tuple) for item in context.values()):
            continue
        context = {name: list(item) if isinstance(item, tuple) else item for name, item in context.items()}
        found.append((row_id, {operator: {target: wanted}}, context))
    return found


def ours(condition: dict[str, Any], context: dict[str, Any]) -> bool:
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": condition}],
    }
    return Policy(document).allows(PRINCIPAL, "s3:ListBucket", "arn:aws:s3:::bucket", request_context(context))


def theirs(cases: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    payload = json.dumps([{"condition": condition, "context": context} for _, condition, context in cases])
    done = subprocess.run(
        ["node", str(SCRIPT), str(ORACLE)], input=payload, capture_output=True, text=True, timeout=300, check=True
    )
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def test_the_condition_table_agrees_with_iam_simulate() -> None:
    cases = comparable()
    answers = theirs(cases)
    agree, differ, skipped = [], [], []
    for (row_id, condition, context), answer in zip(cases, answers, strict=True):
        if "error" in answer or answer.get("ignored"):
            skipped.append((row_id, answer))
            continue
        mine = ours(condition, context)
        (agree if mine == (answer["result"] == "Allowed") else differ).append((row_id, mine, answer["result"]))
    print(f"\niam-simulate oracle: {len(agree)} agree, {len(differ)} differ, {len(skipped)} not comparable")
    for row_id, mine, result in differ:
        print(f"  differ: {row_id}: ours {'Allowed' if mine else 'not allowed'}, iam-simulate {result}")
    for row_id, answer in skipped:
        print(f"  skipped: {row_id}: {answer}")
    unexpected = [row for row in differ if row[0] not in KNOWN]
    assert not unexpected
