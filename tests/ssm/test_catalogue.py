"""The catalogue of SSM facts (toolkit.ssm) is the only place a fact is written, and every consumer reads it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from toolkit.ssm import actions, limits, names, runtimes, types

TOOLKIT = Path(__file__).resolve().parents[2] / "toolkit"
CATALOGUE = TOOLKIT / "ssm"

# Literals distinctive enough that, outside the catalogue, they can only be a copy of an SSM fact.
FACT_STRINGS = frozenset(
    {
        *runtimes.SCRIPT_RUNTIMES,
        *runtimes.RETIRED_SCRIPT_RUNTIMES,
        runtimes.NEWER_RUNTIME.pattern,
        names.DOCUMENT_NAME.pattern,
        names.DOCUMENT_NAME_SHOWN,
        names.VERSION_NAME.pattern,
        names.TAG_KEY.pattern,
        names.STEP_NAME.pattern,
        names.PARAMETER_NAME.pattern,
        names.NOT_DOCUMENT_NAME_CHARACTERS.pattern,
        r"^[a-zA-Z0-9_\-.]{3,128}$",
        r"^[a-zA-Z0-9_]+$",
    }
)
# Branch operators are not scanned for: IAM policies and CloudTrail selectors share their names (StringEquals,
# StartsWith). The tables keyed by them are checked against the catalogue below instead.
# Numbers that are SSM limits, and the names a constant holding them would have.
FACT_NUMBERS = {
    limits.SCRIPT_TIMEOUT_SECONDS: "the aws:executeScript time limit",
    limits.MAX_LOOP_ITERATIONS: "aws:loop's MaxIterations bound",
    limits.MAX_SLEEP_SECONDS: "aws:sleep's limit",
    limits.MAX_DOCUMENT_BYTES: "the document size limit",
    limits.MAX_SCRIPT_PAYLOAD_BYTES: "the script payload limit",
    limits.MAX_APPROVAL_MESSAGE: "aws:approve's Message limit",
}
# A number is a copy of a fact when the code around it names its subject: a constant whose name says what it
# limits, a comparison or call that mentions it, or a value keyed by an action ("aws:...").
FACT_WORDS = (
    "ITERATION",
    "SCRIPT",
    "SLEEP",
    "TIMEOUT",
    "LIMIT",
    "DOCUMENT",
    "PAYLOAD",
    "APPROV",
    "MESSAGE",
    "SIZE",
    "CONTENT",
)


def _names_a_fact(node: ast.AST) -> bool:
    text = ast.unparse(node).upper()
    return any(word in text for word in FACT_WORDS)


def _toolkit_files() -> list[Path]:
    return sorted(path for path in TOOLKIT.rglob("*.py") if CATALOGUE not in path.parents)


def _value(node: ast.AST) -> object:
    """A constant expression's value (numbers and products of numbers: 7 * 24 * 3600, 64 * 1024), else None."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            left, right = _value(node.left), _value(node.right)
            if isinstance(left, (int, float)) and isinstance(right, (int, float)):
                return left * right
        return None
    return value


def _copied_strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in FACT_STRINGS
    ]


def _copied_numbers(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        candidates: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_names_a_fact(target) for target in targets):
                candidates.append(node.value)
        elif isinstance(node, ast.Compare) and _names_a_fact(node):
            candidates.extend([node.left, *node.comparators])
        elif isinstance(node, ast.Dict):
            candidates.extend(
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("aws:")
            )
        elif isinstance(node, ast.Call) and _names_a_fact(node):  # run.render(step, "MaxIterations", 100)
            candidates.extend(node.args[1:])
        for candidate in candidates:
            value = _value(candidate)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value in FACT_NUMBERS:
                found.append((candidate.lineno, FACT_NUMBERS[value]))
    return found


def test_no_fact_is_written_outside_the_catalogue() -> None:
    copies = []
    for path in _toolkit_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(TOOLKIT.parent)
        copies += [f"{where}:{line}: {text!r}" for line, text in _copied_strings(tree)]
        copies += [f"{where}:{line}: {what}" for line, what in _copied_numbers(tree)]
    assert copies == [], "SSM facts written outside toolkit/ssm:\n" + "\n".join(copies)


def test_the_scan_finds_a_copy() -> None:
    """The scan above is not vacuous: it finds each kind of copy it looks for."""
    source = """
MAX_ITERATIONS = 100
SCRIPT_LIMIT = 600.0
TIMEOUTS = {"aws:sleep": 7 * 24 * 3600.0}
RUNTIME = "python3.11"
if size > 64 * 1024:
    pass
maximum = run.render(step, "MaxIterations", 100)
"""
    tree = ast.parse(source)
    assert sorted(line for line, _ in _copied_numbers(tree)) == [2, 3, 4, 6, 8]
    assert _copied_strings(tree) == [(5, "python3.11")]


def test_the_scan_ignores_unrelated_numbers() -> None:
    source = """
QUIET_GC_THRESHOLD = (100_000, 50, 100)
retries = 100
rate = number(ssm, path, "ErrorPercentage", 50, 1, 100)
escape = "x" if code < 0x10000 else "U"
"""
    tree = ast.parse(source)
    assert _copied_numbers(tree) == []


def test_the_model_module_of_actions_is_gone() -> None:
    assert not (TOOLKIT / "model" / "actions.py").exists()


def test_the_catalogue_imports_only_the_standard_library_and_errors() -> None:
    for path in sorted(CATALOGUE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toolkit"):
                assert node.module.startswith(("toolkit.ssm", "toolkit.errors")), f"{path.name}: {node.module}"
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("toolkit") for alias in node.names), path.name


# -- every consumer answers from the same table ----------------------------------------------------------------


def test_kind_is_one_enum() -> None:
    from toolkit import model
    from toolkit.model import values

    assert values.Kind is types.Kind
    assert model.Kind is types.Kind


def test_built_in_outputs_of_steps_are_the_catalogues() -> None:
    from toolkit.steps import ACTIONS

    for action, step_class in ACTIONS.items():
        assert actions.BUILTIN_OUTPUTS.get(action, {}) == step_class.BUILTIN_OUTPUTS, action
    assert set(ACTIONS) == set(actions.ACTION_NAMES)


def test_loop_bound_is_read_by_model_linter_and_simulator() -> None:
    from toolkit.lint.rules import inputs as lint_inputs
    from toolkit.simulate.actions import flow as simulate_flow
    from toolkit.steps import flow as step_flow

    assert simulate_flow.MAX_ITERATIONS is limits.MAX_LOOP_ITERATIONS
    assert lint_inputs.MAX_LOOP_ITERATIONS is limits.MAX_LOOP_ITERATIONS
    assert step_flow.MAX_LOOP_ITERATIONS is limits.MAX_LOOP_ITERATIONS


def test_script_limit_is_read_by_linter_and_simulator() -> None:
    from toolkit.lint.rules import inputs as lint_inputs
    from toolkit.simulate import compiler, script
    from toolkit.simulate.actions import script_step

    assert script_step.SCRIPT_LIMIT == limits.SCRIPT_TIMEOUT_SECONDS
    assert compiler.DEFAULT_STEP_TIMEOUTS is limits.DEFAULT_STEP_TIMEOUTS
    assert compiler.DEFAULT_STEP_TIMEOUTS["aws:executeScript"] == limits.SCRIPT_TIMEOUT_SECONDS
    assert lint_inputs.MAX_STEP_TIMEOUTS is limits.MAX_STEP_TIMEOUTS
    assert script.MAX_PAYLOAD_BYTES is limits.MAX_SCRIPT_PAYLOAD_BYTES


def test_document_name_rules_are_read_by_model_linter_and_publisher() -> None:
    from toolkit import publish
    from toolkit.lint.rules import document
    from toolkit.model import definition

    assert names.DOCUMENT_NAME.pattern == definition.DOCUMENT_NAME_RULE
    assert document.DOCUMENT_NAME is names.DOCUMENT_NAME
    assert publish.DOCUMENT_NAME is names.DOCUMENT_NAME
    assert document.MAX_DOCUMENT_BYTES is publish.MAX_DOCUMENT_BYTES is limits.MAX_DOCUMENT_BYTES


def test_tables_keyed_by_branch_operators_cover_the_catalogues() -> None:
    from toolkit.diagram import graph as graph_model
    from toolkit.simulate.actions import branch

    assert set(branch.OPERATORS) == set(actions.OPERATORS)
    assert set(graph_model.SYMBOLS) == set(actions.OPERATORS)


def test_runtimes_are_read_by_model_and_linter() -> None:
    from toolkit.lint.rules import scripts
    from toolkit.steps import script

    assert frozenset(runtimes.SCRIPT_RUNTIMES) == scripts.CURRENT_RUNTIMES
    assert frozenset(runtimes.RETIRED_SCRIPT_RUNTIMES) == scripts.RETIRED_RUNTIMES
    assert script.RETIRED_SCRIPT_RUNTIMES is runtimes.RETIRED_SCRIPT_RUNTIMES


@pytest.mark.parametrize("name", ["Good_Name", "a", "x1"])
def test_step_and_parameter_names_follow_one_rule(name: str) -> None:
    from toolkit.model import parameter, step

    assert step.STEP_NAME is names.STEP_NAME
    assert parameter.PARAMETER_NAME is names.PARAMETER_NAME
    assert names.STEP_NAME.match(name) and names.PARAMETER_NAME.match(name)
