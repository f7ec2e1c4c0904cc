"""The lint engine: unreadable input, crashing rules, select/ignore, configuration, suppression, folders."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lint.helpers import where
from toolkit.errors import LintError, LoadError
from toolkit.lint.config import LintConfig, load_config
from toolkit.lint.context import LintDocument
from toolkit.lint.engine import Linter
from toolkit.lint.rule import Problem, Rule

BROKEN_REFERENCE = """\
schemaVersion: "0.3"
mainSteps:
  - name: A
    action: aws:sleep
    inputs: {Duration: "{{ Missing }}"}
  - name: B
    action: aws:sleep
    inputs: {Duration: "{{ AlsoMissing }}"}
"""


class Crashes(Rule):
    """Always crashes."""

    id = "E9001"
    summary = "crashes"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        raise KeyError("boom")


class FlagsEveryStep(Rule):
    """Flags every step's name."""

    id = "W9002"
    summary = "flags steps"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for site in doc.steps:
            yield Problem((*site.path, "name"), "flagged")


@pytest.mark.parametrize(
    ("content", "line", "column", "words"),
    [
        ("mainSteps: [", 2, 1, "invalid YAML"),
        ('{"mainSteps": [}', 1, 16, "invalid JSON"),
        ("- just\n- a list\n", 1, 1, "a list"),
        ('"a bare string"\n', 1, 1, "a single value"),
        ("", 1, 1, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 1, 1, "not UTF-8"),
        (b"\xff\xfe\x00garbage", 1, 1, "not UTF-8"),
        ("a: !!python/object:os.system x\n", 1, 4, "tag"),
    ],
)
def test_unreadable_input_is_one_located_finding(content: str | bytes, line: int, column: int, words: str) -> None:
    findings = Linter().lint_text(content, file="bad.yaml")
    assert [(f.rule, f.line, f.column) for f in findings] == [("E0001", line, column)]
    assert words in findings[0].message


def test_a_crashing_rule_becomes_a_finding_and_other_rules_still_run() -> None:
    findings = Linter(rules=[Crashes(), FlagsEveryStep()]).lint_text(BROKEN_REFERENCE, file="doc.yaml")
    assert where(findings) == [("E0002", 1, 1), ("W9002", 3, 11), ("W9002", 6, 11)]
    assert "E9001 crashed: KeyError" in findings[0].message


def test_select_and_ignore_take_id_prefixes() -> None:
    assert {f.rule for f in Linter(LintConfig(select=("E1",))).lint_text(BROKEN_REFERENCE)} == {"E1001"}
    assert Linter(LintConfig(select=("E1",), ignore=("E100",))).lint_text(BROKEN_REFERENCE) == []


def test_a_comment_inside_a_step_silences_that_step_only() -> None:
    text = BROKEN_REFERENCE.replace(
        '    inputs: {Duration: "{{ Missing }}"}',
        '    inputs: {Duration: "{{ Missing }}"}  # runbook-lint: ignore E1001',
    )
    assert where(Linter(LintConfig(select=("E1",))).lint_text(text)) == [("E1001", 8, 25)]


def test_a_comment_above_a_step_silences_that_step() -> None:
    text = BROKEN_REFERENCE.replace("  - name: B\n", "  # runbook-lint: ignore E1\n  - name: B\n")
    assert where(Linter(LintConfig(select=("E1",))).lint_text(text)) == [("E1001", 5, 25)]


def test_a_comment_outside_steps_silences_the_file() -> None:
    text = "# runbook-lint: ignore E1001, W0021\n" + BROKEN_REFERENCE
    assert Linter(LintConfig(select=("E1",))).lint_text(text) == []


def test_configuration_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.runbook.lint]
            select = ["E", "W"]
            ignore = ["W0021"]
            exclude = ["*/vendor/*"]

            [tool.runbook.lint.per-file-ignores]
            "legacy-*.yaml" = ["E1001"]
            """
        )
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.select == ("E", "W") and config.ignore == ("W0021",)
    assert config.enabled("E2001") and not config.enabled("W0021") and not config.enabled("I1104")
    assert config.ignored_in("docs/legacy-one.yaml") == ("E1001",)
    assert config.excluded("docs/vendor/x.yaml")
    assert config.with_options(select=["E1"], ignore=["E1002"]).select == ("E1",)
    assert config.with_options(ignore=["E1002"]).ignore == ("W0021", "E1002")


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("[tool.runbook.lint]\nselekt = ['E']\n", "unknown key 'selekt'"),
        ("[tool.runbook.lint]\nignore = 'E1'\n", "ignore must be a list of strings"),
        ("[tool.runbook.lint\n", "invalid TOML"),
    ],
)
def test_a_bad_configuration_is_one_clear_error(tmp_path: Path, toml: str, words: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(toml)
    with pytest.raises(LintError, match=words):
        load_config(path)


def test_a_folder_is_searched_for_documents_and_skips_other_yaml(tmp_path: Path) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "broken-ref.yaml").write_text(BROKEN_REFERENCE)
    (tmp_path / "runbooks" / "good-doc.json").write_text('{"schemaVersion": "0.3", "mainSteps": []}')
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")  # YAML, but not a document
    (tmp_path / "list.yaml").write_text("- 1\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.yaml").write_text("mainSteps: [")
    report = Linter(LintConfig(select=("E1",))).lint([str(tmp_path)])
    assert sorted(Path(file).name for file in report.files) == [
        "broken-ref.yaml",
        "ci.yml",
        "good-doc.json",
        "list.yaml",
    ]
    assert {(Path(f.file).name, f.rule) for f in report.findings} == {("broken-ref.yaml", "E1001")}


def test_a_missing_path_cannot_be_linted() -> None:
    with pytest.raises(LoadError, match=r"missing/doc\.yaml: no such file"):
        Linter().lint(["missing/doc.yaml"])


def test_a_runbook_name_lints_the_built_document() -> None:
    report = Linter().lint(["cloudtrail-remediation-action"])
    assert report.files == ["build/cloudtrail-remediation-action.yaml"]
    assert report.findings == []


def test_plugins_add_user_rules_with_family_nine_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my_rules.py").write_text(
        textwrap.dedent(
            """\
            from toolkit.lint.rule import Problem, Rule

            class NoSleep(Rule):
                \"\"\"Sleeping is not allowed here.\"\"\"
                id = "W9100"
                summary = "no sleep"

                def check(self, doc):
                    for site in doc.steps:
                        if site.action == "aws:sleep":
                            yield Problem((*site.path, "action"), "no sleeping")

            RULES = [NoSleep]
            """
        )
    )
    (tmp_path / "bad_rules.py").write_text(
        "from tests.lint.test_engine import Crashes\nCrashes.id = 'E1001'\nRULES = [Crashes]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    findings = Linter(LintConfig(select=("W9",), plugins=("my_rules",))).lint_text(BROKEN_REFERENCE)
    assert where(findings) == [("W9100", 4, 13), ("W9100", 7, 13)]
    with pytest.raises(LintError, match="must be E9xxx"):
        Linter(LintConfig(plugins=("bad_rules",)))
    with pytest.raises(LintError, match="cannot be imported"):
        Linter(LintConfig(plugins=("no_such_module_here",)))
