"""aws:executeScript rules (E32xx, W32xx, I32xx): each fires at an exact line:column and stays silent on a right
snippet; syntax errors land on the script's own line inside a ``Script: |`` block; the corpus gives no error but
the retired runtimes EXPECTED.tsv marks ``any``."""

from __future__ import annotations

import textwrap
from functools import cache

import pytest

from tests.conftest import CORPUS, corpus_files
from tests.lint.helpers import lint_snippet, where
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import Linter


def step(inputs: str, *, name: str = "Run") -> str:
    """A document with one aws:executeScript step; ``inputs`` (dedented) starts on line 6."""
    body = textwrap.indent(textwrap.dedent(inputs), " " * 6)
    return f'schemaVersion: "0.3"\nmainSteps:\n  - name: {name}\n    action: aws:executeScript\n    inputs:\n{body}'


PYTHON = """\
Runtime: python3.11
Handler: handler
Script: |
  def handler(events, context):
      return {}
"""

TRIGGERS = [
    ("E3201", step(PYTHON.replace("python3.11", "python3.9")), [("E3201", 6, 16)]),
    ("E3201", step(PYTHON.replace("python3.11", "python3.6")), [("E3201", 6, 16)]),
    ("E3201", step("Runtime: PowerShell Core 6.0\nScript: Write-Host 'hi'\n"), [("E3201", 6, 16)]),
    ("E3202", step(PYTHON.replace("python3.11", "Python3.11")), [("E3202", 6, 16)]),
    ("E3202", step(PYTHON.replace("python3.11", "nodejs18.x")), [("E3202", 6, 16)]),
    ("W3203", step(PYTHON.replace("python3.11", "python3.13")), [("W3203", 6, 16)]),
    (
        "E3204",  # the error on an unindented script line: script line 2, column 29 (where the colon is missing)
        step("""\
            Runtime: python3.11
            Handler: handler
            Script: |
              import json
              def handler(events, context)
                  return {}
            """),
        [("E3204", 10, 37)],
    ),
    (
        "E3204",  # a quoted one-line script: the value's own position
        step("""\
            Runtime: python3.11
            Handler: handler
            Script: "def handler(events, context):\\n    return (\\n"
            """),
        [("E3204", 8, 15)],
    ),
    (
        "E3204",  # except* needs Python 3.11: an error under the python3.10 grammar
        step("""\
            Runtime: python3.10
            Handler: handler
            Script: |-
              def handler(events, context):
                  pass
              try:
                  pass
              except* ValueError: pass
            """),
        [("E3204", 13, 33)],  # where Python puts it: the end of the except* clause
    ),
    (
        "I3205",
        step("Runtime: python3.11\nHandler: h\nScript: '%%SCRIPT=common/parse_input.py%%'\n"),
        [("I3205", 8, 15)],
    ),
    ("E3206", step(PYTHON.replace("Handler: handler", "Handler: main")), [("E3206", 7, 16)]),
    ("E3207", step(PYTHON.replace("(events, context)", "(events)")), [("E3207", 9, 9)]),
    ("E3207", step(PYTHON.replace("(events, context)", "(events, context, extra)")), [("E3207", 9, 9)]),
    ("E3207", step(PYTHON.replace("(events, context)", "(events, context, *, flag)")), [("E3207", 9, 9)]),
    ("E3207", step(PYTHON.replace("(events, context)", "(**kwargs)")), [("E3207", 9, 9)]),
    ("W3208", step(PYTHON.replace("def handler", "async def handler")), [("W3208", 9, 9)]),
    (
        "I3211",
        step("Runtime: PowerShell 7.0\nHandler: script_handler\nScript: Write-Host 'hi'\n"),
        [("I3211", 7, 7)],
    ),
    ("E3212", step("Runtime: python3.11\nScript: 'def handler(events, context): pass'\n"), [("E3212", 5, 5)]),
]


@pytest.mark.parametrize(("rule", "text", "expected"), TRIGGERS, ids=[t[0] for t in TRIGGERS])
def test_rule_fires_at_the_node_at_fault(rule: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert where(lint_snippet(text, rule)) == expected


SILENT = [
    ("E3201", step(PYTHON)),
    ("E3201", step(PYTHON.replace("python3.11", "python3.10"))),
    ("E3202", step(PYTHON.replace("python3.11", "'{{ Runtime }}'"))),
    ("E3202", step(PYTHON.replace("python3.11", "python3.13"))),  # W3203's business
    ("E3202", step("Runtime: PowerShell 7.0\nScript: Write-Host 'hi'\n")),
    ("W3203", step(PYTHON.replace("python3.11", "python3.12"))),
    ("E3204", step(PYTHON)),
    ("E3204", step("Runtime: PowerShell 7.0\nScript: |\n  $x = @{ 'unclosed'\n")),  # PowerShell is not parsed
    ("E3204", step("Runtime: python3.11\nHandler: h\nScript: '%%SCRIPT=common/parse_input.py%%'\n")),
    ("E3204", step("Runtime: python3.12\nHandler: h\nScript: |\n  type Alias = int\n  def h(e, c): pass\n")),
    ("E3204", step("Runtime: '{{ Runtime }}'\nHandler: h\nScript: 'def h(e, c) return'\n")),
    ("I3205", step(PYTHON)),
    ("E3206", step(PYTHON.replace("handler", "script_handler"))),
    ("E3206", step(PYTHON.replace("Handler: handler", "Handler: run") + "  run = handler\n")),
    ("E3206", step("Runtime: python3.11\nHandler: handler\nScript: 'from lib import handler'\n")),
    ("E3206", step("Runtime: python3.11\nHandler: script.handler\nAttachment: script.py\n")),
    ("E3206", step("Runtime: python3.11\nHandler: main\nScript: '%%SCRIPT=main.py%%'\n")),
    ("E3207", step(PYTHON)),
    ("E3207", step(PYTHON.replace("(events, context)", "(event, context=None)"))),
    ("E3207", step(PYTHON.replace("(events, context)", "(*args)"))),
    ("E3207", step(PYTHON.replace("(events, context)", "(events, context, extra=1, *, flag=False)"))),
    ("E3207", step(PYTHON.replace("(events, context)", "(events)").replace("def handler", "@wrap\n  def handler"))),
    ("W3208", step(PYTHON)),
    ("I3211", step(PYTHON)),
    ("I3211", step("Runtime: PowerShell 7.0\nScript: Write-Host 'hi'\n")),
    ("E3212", step(PYTHON)),
    ("E3212", step("Runtime: PowerShell 7.0\nScript: Write-Host 'hi'\n")),
    ("E3212", step("Runtime: '{{ Runtime }}'\nScript: Write-Host 'hi'\n")),
]


@pytest.mark.parametrize(("rule", "text"), SILENT, ids=[s[0] for s in SILENT])
def test_rule_is_silent_on_a_right_snippet(rule: str, text: str) -> None:
    assert where(lint_snippet(text, rule)) == []


BLOCK = step("""\
    Runtime: python3.11
    Handler: handler
    Script: |
      import json


      def handler(events, context):
          total = (1 +
          return total
    """)


def test_syntax_error_lands_on_its_document_line_in_a_literal_block() -> None:
    found = where(lint_snippet(BLOCK, "E3204"))
    assert [(rule, line) for rule, line, _ in found] == [("E3204", 13)]
    assert BLOCK.splitlines()[12].strip() == "total = (1 +"


def test_syntax_error_column_on_an_indented_script_line() -> None:
    # '(' is at column 13 of script line 5 ("    total = (1 +"); the block is indented by 8.
    assert where(lint_snippet(BLOCK, "E3204")) == [("E3204", 13, 21)]


def test_syntax_error_in_a_json_document_points_at_the_script_value() -> None:
    text = (
        '{"schemaVersion": "0.3", "mainSteps": [{"name": "Run", "action": "aws:executeScript",\n'
        ' "inputs": {"Runtime": "python3.11", "Handler": "handler",\n'
        '  "Script": "def handler(events, context):\\n    return (\\n"}}]}\n'
    )
    assert where(lint_snippet(text, "E3204", file="snippet.json")) == [("E3204", 3, 13)]


def test_messages_name_the_step_and_the_fault() -> None:
    [finding] = lint_snippet(step(PYTHON.replace("(events, context)", "(events)"), name="Fix"), "E3207")
    assert finding.message.startswith("step Fix: handler handler cannot be called as handler(events, context)")


# -- the corpus ---------------------------------------------------------------------------------------------


@cache
def expected() -> dict[str, str]:
    """Each corpus document EXPECTED.tsv names, with its mark: ``error`` or ``any``."""
    rows = [line.split("\t") for line in (CORPUS / "EXPECTED.tsv").read_text().splitlines()[1:] if line.strip()]
    return {row[0]: row[1] for row in rows}


def test_corpus_gives_no_script_errors_but_retired_runtimes() -> None:
    linter = Linter(LintConfig(select=("E32",)))
    wrong = []
    for path in corpus_files():
        name = path.relative_to(CORPUS).as_posix()
        for finding in linter.lint_text(path.read_bytes(), file=name):
            if (
                finding.rule == "E3201" and expected().get(name) == "any"
            ):  # a retired runtime: AWS rejects it, either answer goes
                continue
            wrong.append(f"{name}:{finding.line}:{finding.column} {finding.rule} {finding.message}")
    assert wrong == []
