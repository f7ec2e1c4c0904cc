"""Security rules (W5xxx, I5xxx): credentials, hard-coded accounts and the assumed role, each at an exact
line:column, silent on a right snippet; messages never repeat a secret; the corpus gives no error."""

from __future__ import annotations

import pytest

from tests.conftest import corpus_files
from tests.lint.helpers import lint_snippet, where
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter

HEAD = """\
schemaVersion: "0.3"
assumeRole: "{{ AutomationAssumeRole }}"
parameters:
  AutomationAssumeRole: {type: String, default: ""}
"""


def api(*lines: str) -> str:
    """A document with one aws:executeAwsApi step; the extra input lines start on line 11."""
    extra = "".join(f"      {line}\n" for line in lines)
    return (
        HEAD
        + "mainSteps:\n  - name: Put\n    action: aws:executeAwsApi\n    inputs:\n"
        + "      Service: ssm\n      Api: PutParameter\n"
        + extra
    )


def script(*lines: str) -> str:
    """A document with one aws:executeScript step; the script's first line is line 12."""
    code = "".join(f"        {line}\n" for line in lines)
    return (
        HEAD
        + "mainSteps:\n  - name: Run\n    action: aws:executeScript\n    inputs:\n"
        + "      Runtime: python3.11\n      Handler: handler\n      Script: |\n"
        + code
    )


ACCESS_KEY = "AKIAQWERTYUIOPASDFGH"
SECRET_KEY = "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"
GITHUB_TOKEN = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

TRIGGERS = [
    ("W5001", api(f"Value: {ACCESS_KEY}"), [("W5001", 11, 14)]),
    ("W5001", script(f'KEY = "{ACCESS_KEY}"', "def handler(events, context):", "    return {}"), [("W5001", 12, 16)]),
    ("W5002", script(f'aws_secret_access_key = "{SECRET_KEY}"'), [("W5002", 12, 34)]),
    ("W5002", api(f"SecretAccessKey: {SECRET_KEY}"), [("W5002", 11, 24)]),
    (
        "W5003",
        HEAD + "  Key:\n    type: String\n    default: |\n      -----BEGIN RSA PRIVATE KEY-----\n      MIIBOg==\n",
        [("W5003", 8, 7)],
    ),
    ("W5004", api(f"Value: {GITHUB_TOKEN}"), [("W5004", 11, 14)]),
    ("W5004", api("Value: https://hooks.slack.com/services/T0ABC/B0DEF/abcdEFGH1234"), [("W5004", 11, 14)]),
    ("W5005", script('URL = "https://admin:hunter2@db.example.com/app"'), [("W5005", 12, 30)]),
    ("W5006", HEAD + "  DbPassword:\n    type: String\n    default: hunter2\n", [("W5006", 7, 14)]),
    ("W5006", HEAD + "  GithubToken: {type: String, default: abc123}\n", [("W5006", 5, 40)]),
    ("W5010", api("Value: arn:aws:iam::123456789012:role/Admin"), [("W5010", 11, 14)]),
    (
        "W5010",
        api('Value: "arn:{{ global:AWS_PARTITION }}:sns:{{ global:REGION }}:210987654321:alerts"'),
        [("W5010", 11, 14)],
    ),
    ("W5010", api("AccountId: '123456789012'"), [("W5010", 11, 18)]),
    ("W5010", api("AccountIds: ['123456789012', '{{ global:ACCOUNT_ID }}']"), [("W5010", 11, 20)]),
    (
        "W5010",  # a policy in a block scalar: the ARN's own line
        api(
            "Value: |",
            '  {"Statement": [{"Resource": "arn:aws:s3:::b",',
            '  "Principal": "arn:aws:iam::123456789012:root"}]}',
        ),
        [("W5010", 13, 36)],
    ),
    ("W5020", 'schemaVersion: "0.3"\nmainSteps: []\n', [("W5020", 1, 1)]),
    ("W5020", 'schemaVersion: "0.3"\nassumeRole: ""\nmainSteps: []\n', [("W5020", 2, 13)]),
    ("W5021", 'schemaVersion: "0.3"\nassumeRole: arn:aws:iam::123456789012:role/Automation\n', [("W5021", 2, 13)]),
    (
        "I5022",
        'schemaVersion: "0.3"\nassumeRole: "{{ AssumeRole }}"\nparameters:\n  AssumeRole: {type: String}\n',
        [("I5022", 2, 13)],
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), TRIGGERS, ids=[t[0] for t in TRIGGERS])
def test_rule_fires_at_the_node_at_fault(rule: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert where(lint_snippet(text, rule)) == expected


SILENT = [
    ("W5001", api("Value: AKIAIOSFODNN7EXAMPLE")),  # AWS's documentation example
    ("W5001", api("Value: XAKIAQWERTYUIOPASDFGHX")),
    ("W5002", script('aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"')),
    ("W5002", script('secret_sha = "da39a3ee5e6b4b0d3255bfef95601890afd80709"')),  # a hex digest, not a key
    ("W5002", api("SecretId: arn:aws:secretsmanager:us-east-1:123456789012:secret:db")),
    ("W5003", api("Value: '-----BEGIN PUBLIC KEY-----'")),
    ("W5004", api("Value: ghp_short")),
    ("W5005", script('URL = "https://{{ User }}:{{ Password }}@db.example.com"')),
    ("W5005", script('URL = "https://user@example.com/path:8080"')),
    ("W5005", api("Value: 'ssh://git@github.com/org/repo.git'")),
    ("W5006", HEAD + "  DbPassword: {type: String}\n"),
    ("W5006", HEAD + "  DbPassword: {type: String, default: ''}\n"),
    ("W5006", HEAD + "  DbPassword: {type: String, default: '{{ ssm:/db/password }}'}\n"),
    ("W5006", HEAD + "  SecretArn: {type: String, default: arn:aws:secretsmanager:us-east-1:1:secret:x}\n"),
    ("W5006", HEAD + "  MaxPasswordAge: {type: Integer, default: 90}\n"),
    ("W5006", HEAD + "  PasswordLength: {type: String, default: '14'}\n"),
    ("W5010", api("Value: 'arn:aws:iam::{{ global:ACCOUNT_ID }}:role/Admin'")),
    ("W5010", api("Value: arn:aws:s3:::my-bucket/key")),
    ("W5010", api("Value: arn:aws:iam::aws:policy/ReadOnlyAccess")),
    ("W5010", api("Value: arn:aws:iam::127311923021:root")),  # Elastic Load Balancing's log-delivery account
    ("W5010", script('ARN = "arn:aws:iam::123456789012:role/x"')),  # script code: sts tells the account
    ("W5010", api("AccountId: '{{ global:ACCOUNT_ID }}'")),
    ("W5010", api("Description: '123456789012'")),
    ("W5020", HEAD),
    ("W5021", HEAD),
    ("W5021", 'schemaVersion: "0.3"\nassumeRole: "arn:aws:iam::{{ global:ACCOUNT_ID }}:role/{{ RoleName }}"\n'),
    ("I5022", HEAD),
    ("I5022", 'schemaVersion: "0.3"\nassumeRole: "{{ Undeclared }}"\n'),  # the references rules' business
    ("I5022", 'schemaVersion: "0.3"\nassumeRole: "{{ ssm:/automation/role }}"\n'),
]


@pytest.mark.parametrize(("rule", "text"), SILENT, ids=[s[0] for s in SILENT])
def test_rule_is_silent_on_a_right_snippet(rule: str, text: str) -> None:
    assert where(lint_snippet(text, rule)) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (api(f"Value: {ACCESS_KEY}"), ACCESS_KEY[4:]),
        (script(f'aws_secret_access_key = "{SECRET_KEY}"'), SECRET_KEY[4:]),
        (api(f"Value: {GITHUB_TOKEN}"), GITHUB_TOKEN[4:]),
        (script('URL = "https://admin:hunter2@db.example.com/app"'), "hunter2"),
        (HEAD + "  DbPassword: {type: String, default: hunter2}\n", "hunter2"),
    ],
)
def test_messages_never_repeat_the_secret(text: str, secret: str) -> None:
    findings = lint_snippet(text, "W50")
    assert findings
    assert all(secret not in finding.message for finding in findings)


def test_messages_name_where_the_secret_is() -> None:
    [finding] = lint_snippet(api(f"Value: {ACCESS_KEY}"), "W5001")
    assert finding.message == "step Put: input Value holds an AWS access key id (AKIA************); remove it."


def test_corpus_gives_no_security_errors() -> None:
    linter = Linter(LintConfig(select=("E5", "W5", "I5")))
    errors = [
        f"{path.name}:{finding.line} {finding.rule} {finding.message}"
        for path in corpus_files()
        for finding in linter.lint_text(path.read_bytes(), file=str(path))
        if finding.severity.value == "error" or finding.rule.startswith(("W500", "W501"))
    ]
    assert errors == []
