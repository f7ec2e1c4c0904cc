"""The start of every command (issue 19): a command line loads its own command's module only, and the parser
answers exactly as the whole parser did (help, errors, usage)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolkit import cli


def _loaded(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def _commands_loaded(argv: list[str]) -> list[str]:
    code = textwrap.dedent(
        f"""
        import json, sys
        from toolkit.cli import main
        try:
            main({argv!r})
        except SystemExit:
            pass
        print()
        print(json.dumps(sorted(name for name in sys.modules if name.startswith("toolkit.commands."))))
        """
    )
    return _loaded(code)


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["lint", "--select", "E9999", "tests/data/simulate/reference-runbook.yaml"], "lint"),
        (["--traceback", "iam-policy", "--help"], "iam_policy"),
        (["import", "--help"], "import_"),
    ],
)
def test_a_command_line_loads_its_own_command_module_only(argv: list[str], module: str) -> None:
    assert _commands_loaded(argv) == ["toolkit.commands.common", f"toolkit.commands.{module}"]


@pytest.mark.parametrize("argv", [["--help"], [], ["bogus"], ["-h", "lint"], ["--trace", "lint", "--help"]])
def test_help_or_a_line_without_a_known_command_first_loads_every_command(argv: list[str]) -> None:
    loaded = _commands_loaded(argv)
    assert loaded == sorted(["toolkit.commands.common", *(f"toolkit.commands.{m}" for m in cli.COMMANDS.values())])


def test_commands_names_each_module_that_adds_that_command_in_the_help_order() -> None:
    root = cli.parser()
    (subparsers,) = [action for action in root._actions if isinstance(action, argparse._SubParsersAction)]
    assert list(subparsers.choices) == list(cli.COMMANDS)
    for name in cli.COMMANDS:
        alone = cli.parser(name)
        (own,) = [action for action in alone._actions if isinstance(action, argparse._SubParsersAction)]
        assert list(own.choices) == [name]
        assert own.choices[name].format_help() == subparsers.choices[name].format_help()
        assert own.choices[name].prog == f"runbook {name}"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["simulate", "x"], "simulate"),
        (["--traceback", "lint", "x"], "lint"),
        (["--traceback", "--traceback", "iam-policy"], "iam-policy"),
        (["--help"], None),
        (["-h", "lint"], None),
        (["--version", "lint"], None),
        (["--trace", "lint"], None),  # an abbreviation: the whole parser decides
        (["--", "lint"], None),
        (["bogus"], None),
        (["simulat"], None),
        ([], None),
    ],
)
def test_chosen_names_a_command_only_when_it_comes_first_after_the_root_flags(
    argv: list[str], expected: str | None
) -> None:
    assert cli.chosen(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "--bogus", "x"],
        ["lint", "x", "--format", "nope"],
        ["simulate"],
        ["--traceback", "world", "--help"],
        ["graph", "--help"],
    ],
)
def test_the_chosen_parser_answers_as_the_whole_one(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    answers = []
    for only in (None, cli.chosen(argv)):
        with pytest.raises(SystemExit) as stopped:
            cli.parser(only).parse_args(argv)
        answers.append((stopped.value.code, capsys.readouterr()))
    assert answers[0] == answers[1]


def _modules_loaded(code: str) -> set[str]:
    return set(_loaded(textwrap.dedent(code) + "\nprint()\nprint(json.dumps(sorted(sys.modules)))\n"))


HEAVY = ("dataclasses", "inspect", "hashlib")
"""What a cold command pays for and need not (issue 19): dataclasses loads inspect (~6 ms together), hashlib loads
OpenSSL (~3-5 ms)."""


def test_a_lint_of_one_document_loads_no_dataclasses_inspect_or_hashlib(tmp_path: object) -> None:
    loaded = _modules_loaded(
        """
        import json, os, sys, tempfile
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()
        from toolkit.cli import main
        try:
            main(["lint", "tests/golden/cloudtrail-remediation-action.yaml"])
        except SystemExit:
            pass
        """
    )
    assert "toolkit.lint.rules.scripts" in loaded  # the whole lint ran, every rule
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))


def test_a_warm_lint_of_a_folder_read_before_never_imports_pyyaml(tmp_path: Path) -> None:
    """A second lint of an unchanged folder reads every document's findings from ``KeptFindings`` (no rule, no
    reader loaded), or, without them, every YAML document from ``ParsedYaml``: PyYAML (~10-15 ms of imports) is not
    loaded at all, and the findings are the first run's."""
    from toolkit import yaml_nodes

    folder, cache = tmp_path / "docs", tmp_path / "cache"
    folder.mkdir()
    for path in sorted((ROOT / "tests" / "data" / "corpus").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        node = yaml_nodes.compose(text, str(path))
        if node is not None and yaml_nodes.read_node(node, str(path))[2]:  # kept by ParsedYaml
            (folder / f"{len(list(folder.iterdir())):02d}-{path.name}").write_text(text, encoding="utf-8")
        if len(list(folder.iterdir())) == 20:
            break
    code = f"""
        import io, json, os, sys, contextlib
        os.environ["XDG_CACHE_HOME"] = {str(cache)!r}
        from toolkit.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                main(["lint", {str(folder)!r}, "--format", "json"])
            except SystemExit:
                pass
        print(json.dumps(out.getvalue()))
        """
    first = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    # every document's findings were kept: neither PyYAML nor any rule is loaded
    loaded = _modules_loaded(code)
    assert loaded.isdisjoint(
        {"yaml", "toolkit.yaml_nodes", "toolkit.lint.rules.scripts", "toolkit.lint.rules.security"}
    )
    # without the kept findings, every document is linted again from the documents read before: no PyYAML
    (cache / "ssm-runbook-toolkit" / "lint" / "findings.marshal").unlink()
    loaded = _modules_loaded(code)
    assert "toolkit.lint.rules.scripts" in loaded and "yaml" not in loaded and "toolkit.yaml_nodes" not in loaded
    for _ in range(2):  # linted from the documents read before, then from the findings kept again
        again = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT)
        assert json.loads(again.stdout.splitlines()[-1]) == json.loads(first.stdout.splitlines()[-1])
    assert json.loads(json.loads(first.stdout.splitlines()[-1]))  # it found something: the lint ran


def test_simulating_a_runbook_twice_loads_no_dataclasses_inspect_or_hashlib() -> None:
    """bench/simulate_both.py's work (the cold-simulate row): the reference runbook read once and simulated with IAM
    on in the default world and in a copy without its trail. No record of that path is a dataclass, and no decision
    computes an IAM unique id (aws:userid) that no policy reads."""
    loaded = _modules_loaded(
        """
        import json, sys
        from pathlib import Path
        from toolkit.documents import read_document
        from toolkit.fakes.world import World
        from toolkit.simulate.simulator import simulate
        from bench.simulate_both import DOCUMENT, PARAMS

        doc = read_document(DOCUMENT)
        exists = World.default()
        data = exists.to_dict()
        data["Trails"] = []
        results = [simulate(doc, PARAMS, exists), simulate(doc, PARAMS, World.from_dict(data))]
        assert [result.status for result in results] == ["Success", "Success"], [r.status for r in results]
        assert [len(result.calls) for result in results] == [5, 5], [len(r.calls) for r in results]
        """
    )
    assert "toolkit.fakes.access" in loaded and "toolkit.fakes.cloudtrail.health" in loaded  # IAM on, trails checked
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))
