"""One reader for every command (toolkit.documents): a document file, a runbook module or a runbook name, each
with one error behaviour (exit 2, one line naming the file); runbooks found in the project's folder
(toolkit.project) with their hooks; and the generic toolkit names no runbook of its own."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolkit import publish
from toolkit.build import build_all
from toolkit.cli import main
from toolkit.documents import ReadDocument, read_document
from toolkit.errors import LoadError
from toolkit.project import runbook_files
from toolkit.simulate import simulate

SECOND = "second-runbook"
SECOND_MODULE = '''\
"""A second runbook, with a script and its own representative runs."""

from __future__ import annotations

from typing import Any

from toolkit.model import Document, runbook
from toolkit.steps import ExecuteScript, Sleep

NAME = "second-runbook"
SCRIPT = """
def handler(events, context):
    import boto3

    return {"Trails": len(boto3.client("cloudtrail").describe_trails()["trailList"])}
"""


def build() -> Document:
    nap = Sleep(name="Nap", duration="PT1S")
    count = ExecuteScript(name="CountTrails", runtime="python3.11", handler="handler", script=SCRIPT)
    return runbook(NAME, description="Counts the trails.", steps=[nap, count])


def representative_runs() -> list[tuple[Any, dict[str, Any]]]:
    from toolkit.fakes.world import World

    return [(World.default(), {})]
'''
TINY_DOCUMENT = {
    "schemaVersion": "0.3",
    "description": "Sleeps.",
    "mainSteps": [{"name": "Nap", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}],
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of its own (pyproject.toml, runbooks/second_runbook.py), the working folder; plus a YAML and a
    JSON document and a runbook module outside runbooks/."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n", encoding="utf-8")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "second_runbook.py").write_text(SECOND_MODULE, encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(
        "schemaVersion: '0.3'\ndescription: Sleeps.\nmainSteps:\n"
        "  - name: Nap\n    action: aws:sleep\n    inputs:\n      Duration: PT1S\n",
        encoding="utf-8",
    )
    (tmp_path / "tiny.json").write_text(json.dumps(TINY_DOCUMENT, indent=2), encoding="utf-8")
    (tmp_path / "loose.py").write_text(SECOND_MODULE.replace('"second-runbook"', '"loose-runbook"'), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- every command takes every form -----------------------------------------------------------------------------

FORMS = ["tiny.yaml", "tiny.json", "loose.py", SECOND]
COMMANDS = {
    "build": ["build", "--out", "out"],
    "lint": ["lint"],
    "simulate": ["simulate"],
    "iam-policy": ["iam-policy"],
    "docs": ["docs"],
    "graph": ["graph"],
}


def argv(command: str, spec: str) -> list[str]:
    head, *options = COMMANDS[command]
    return [head, spec, *options]


@pytest.mark.parametrize("spec", FORMS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_reads_every_form(
    project: Path, command: str, spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv(command, spec))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""


@pytest.mark.parametrize("spec", FORMS)
def test_publish_reads_every_form(project: Path, spec: str) -> None:
    document = publish.load_document(spec)
    assert document.name in {"tiny", "loose-runbook", SECOND}
    assert "Nap" in document.content


def test_simulate_from_python_takes_a_path_a_module_and_a_name(project: Path) -> None:
    for doc in (project / "tiny.yaml", "tiny.json", str(project / "loose.py"), project / "loose.py", SECOND):
        assert simulate(doc).status == "Success", doc
    assert [step.name for step in simulate(SECOND).steps] == ["Nap", "CountTrails"]


# -- every command refuses bad input the same way ----------------------------------------------------------------

BAD_INPUTS = {
    "missing file": "missing.yaml",
    "folder": "folder",
    "binary junk": "junk.yaml",
    "dangling link": "dangling.yaml",
    "build() raises": "raises.py",
    "no build()": "nobuild.py",
    "not Python": "junk.py",
    "unknown name": "no-such-runbook",
}


def make_bad_inputs(folder: Path) -> None:
    (folder / "folder").mkdir()
    (folder / "junk.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00junk")
    (folder / "dangling.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "raises.py").write_text("def build():\n    return {}['missing']\n", encoding="utf-8")
    (folder / "nobuild.py").write_text("NAME = 'x'\n", encoding="utf-8")
    (folder / "junk.py").write_bytes(b"\x00\xff\xfe not python")


@pytest.mark.parametrize("bad", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", [*sorted(COMMANDS), "publish"])
def test_bad_input_exits_2_with_one_line_naming_it(
    project: Path, command: str, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = BAD_INPUTS[bad]
    if command == "lint" and bad in ("folder", "binary junk"):
        pytest.skip("lint takes a folder (it searches it) and reports a file that is not text as E0001, exit 1")
    make_bad_inputs(project)
    args = ["publish", spec, "--region", "us-east-1"] if command == "publish" else argv(command, spec)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert re.match(rf"runbook: {re.escape(spec)}(:\d+)?: ", lines[0]), lines[0]  # a module's line when it has one
    assert not (project / "out").exists()


def test_lint_reports_a_named_binary_file_as_a_finding(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The linter reads a document's bytes itself: text that is not UTF-8 is a parse failure, E0001 at 1:1."""
    make_bad_inputs(project)
    assert main(["lint", "junk.yaml"]) == 1
    assert "junk.yaml:1:1: E0001 error: not UTF-8 text" in capsys.readouterr().out


def test_the_messages_say_what_is_wrong(project: Path) -> None:
    make_bad_inputs(project)
    expected = {
        "missing.yaml": "no such file",
        "folder": "cannot read: Is a directory",
        "junk.yaml": "not UTF-8 text",
        "dangling.yaml": "cannot read: No such file or directory",
        "raises.py": "build() failed: KeyError: 'missing'",
        "nobuild.py": "defines no build() function",
        "junk.py": "cannot import: ",
        "no-such-runbook": f"no runbook of that name in {project / 'runbooks'} (runbooks: {SECOND})",
    }
    for spec, words in expected.items():
        with pytest.raises(LoadError) as raised:
            read_document(spec).data  # noqa: B018 - reading the data is the point
        assert re.match(rf"{re.escape(spec)}(:\d+)?: ", str(raised.value)), str(raised.value)
        assert words in str(raised.value), str(raised.value)


def test_a_file_is_parsed_only_when_its_data_is_used(project: Path) -> None:
    (project / "broken.yaml").write_text("mainSteps: [\n", encoding="utf-8")
    document = read_document("broken.yaml")  # read, not parsed: the linter reports this as a finding
    assert document.text == "mainSteps: [\n"
    with pytest.raises(LoadError, match=r"broken\.yaml:"):
        document.data  # noqa: B018 - parsing on first use is the point


def test_a_file_builds_its_model_only_when_asked(project: Path) -> None:
    document = read_document("tiny.yaml")
    assert document.name == "tiny" and document.data["mainSteps"][0]["name"] == "Nap"
    assert "_loaded" not in vars(document)
    assert document.model().name == "tiny" and document.model() is document.model()
    assert document.representative_runs() == [] and not document.is_runbook


def test_a_read_document_behaves_as_its_frozen_identity_dataclass(project: Path) -> None:
    """``ReadDocument`` was ``@dataclass(frozen=True, eq=False)`` with ``module: field(default=None, repr=False)``:
    the same signature and repr, equal and hashed by identity, immutable, its cached properties kept in its
    ``__dict__`` (issue 19: a cold simulation creates no dataclass)."""
    assert not dataclasses.is_dataclass(ReadDocument)
    twin = dataclasses.make_dataclass(
        "ReadDocument",
        [
            ("label", object),
            ("name", object),
            ("text_of_file", object, dataclasses.field(default=None)),
            ("built", object, dataclasses.field(default=None)),
            ("module", object, dataclasses.field(default=None, repr=False)),
        ],
        frozen=True,
        eq=False,
    )
    one, same = ReadDocument("a.yaml", "a", "x: 1\n"), ReadDocument(label="a.yaml", name="a", text_of_file="x: 1\n")
    assert repr(one) == repr(twin("a.yaml", "a", "x: 1\n")) == repr(ReadDocument("a.yaml", "a", "x: 1\n", None, sys))
    assert one != same and one == one and hash(one) == object.__hash__(one) and len({one, same}) == 2
    for name in ("label", "data", "other"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(one, name, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.name
    assert one.data == {"x": 1} and one.data is one.data and "_parsed" in vars(one)
    document = read_document("tiny.yaml")
    assert (document.label, document.name, document.built, document.module) == ("tiny.yaml", "tiny", None, None)


# -- discovery and hooks ---------------------------------------------------------------------------------------------


def test_a_second_runbook_is_found_built_and_documented_with_its_hook(project: Path) -> None:
    """No edit to toolkit/: the project's runbooks/ holds it, and its representative_runs() hook is used."""
    assert list(runbook_files()) == [SECOND]  # the repository's own runbooks package is not this project's
    built = build_all([], project / "out")
    assert [item.name for item in built] == [SECOND]
    assert main(["docs", "--all", "--out", "pages"]) == 0
    page = (project / "pages" / f"{SECOND}.md").read_text(encoding="utf-8")
    assert "simulated in 1 representative worlds" in page
    assert "`cloudtrail:DescribeTrails`" in page
    assert "Also granted by the deploy template" not in page  # it calls nothing that implies more


def test_iam_policy_uses_the_runbooks_hook(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iam-policy", SECOND]) == 0
    policy = json.loads(capsys.readouterr().out)
    assert [statement["Action"] for statement in policy["Statement"]] == [["cloudtrail:DescribeTrails"]]
    assert main(["iam-policy", "tiny.yaml"]) == 0  # a document file has no hook: its steps name no call
    assert json.loads(capsys.readouterr().out)["Statement"] == []


def test_a_failing_hook_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = project / "runbooks" / "second_runbook.py"
    module.write_text(SECOND_MODULE.replace("return [(World.default(), {})]", "return 1 / 0"), encoding="utf-8")
    assert main(["iam-policy", str(module)]) == 2
    assert "representative_runs() failed: ZeroDivisionError" in capsys.readouterr().err


def test_pyproject_can_name_the_runbooks_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text('[tool.runbook]\nrunbooks = "automation"\n', encoding="utf-8")
    (project / "runbooks").rename(project / "automation")
    (project / "deeper").mkdir()
    monkeypatch.chdir(project / "deeper")  # the nearest pyproject.toml above the working folder
    assert runbook_files() == {SECOND: project / "automation" / "second_runbook.py"}


def test_makefiles_runbook_names_and_build_work_from_the_repository_root(tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    code = makefile.split('RUNBOOK_NAMES = $(shell $(BIN)/python -c "', 1)[1].split('")', 1)[0]
    names = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert sorted(names.stdout.split()) == sorted(runbook_files(ROOT)) != []
    built = subprocess.run(
        [sys.executable, "-m", "toolkit", "build", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert built.returncode == 0, built.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{name}.{suffix}" for name in runbook_files(ROOT) for suffix in ("json", "yaml")
    )


def test_the_toolkit_names_no_runbook_but_in_the_deploy_template() -> None:
    """The generic toolkit finds runbooks and their hooks; only the pattern's template (and the names its parts
    share) names the one it deploys."""
    allowed = {ROOT / "toolkit" / "deploy" / "template.py", ROOT / "toolkit" / "deploy" / "names.py"}
    naming = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "toolkit").rglob("*.py"))
        if path not in allowed
        and any(
            word in path.read_text(encoding="utf-8")
            for word in ("cloudtrail-remediation-action", "cloudtrail_remediation_action")
        )
    ]
    assert naming == []


def test_runbook_modules_are_imported_from_their_files_not_the_installed_package(project: Path) -> None:
    module_file = project / "runbooks" / "second_runbook.py"
    document = read_document(SECOND)
    assert document.module is not None and Path(str(document.module.__file__)) == module_file
    assert not document.module.__name__.startswith("runbooks")
    assert document.label == str(module_file) and document.is_runbook
