"""Issue 17, "every input failure is one line and exit 2": each item of the issue's "Seven tracebacks" and "Wrong
behaviour" lists, one test (or a few) named after it, plus ``runbook --version`` and a complete ``--help``.

Each test failed before its fix. Files are made in a temporary folder that is the working folder; nothing here needs
AWS, the network or anything outside the repository.
"""

from __future__ import annotations

import json
import os
import re
import stat
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from toolkit import publish
from toolkit.cli import main
from toolkit.errors import PublishError, SimulationError
from toolkit.importer import generate, pyexpr
from toolkit.importer.files import import_document
from toolkit.simulate import simulate
from toolkit.simulate.engine import MAX_JUMPS_BACK
from toolkit.simulate.execution import Options
from toolkit.ssm.limits import MAX_DOCUMENT_SIZE_CODE, MAX_DOCUMENT_SIZE_MESSAGE
from toolkit.version import VERSION

BINARY = b"\x89PNG\r\n\x1a\n\xff\xfe\x00junk"
SLEEP = {"name": "Nap", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}
TINY = "schemaVersion: '0.3'\nmainSteps:\n  - name: Nap\n    action: aws:sleep\n    inputs:\n      Duration: PT1S\n"
NEEDS_A_PARAMETER = textwrap.dedent(
    """\
    schemaVersion: '0.3'
    assumeRole: '{{ Role }}'
    parameters:
      Count: {type: Integer}
      Role: {type: String, default: 'arn:aws:iam::123456789012:role/NoSuchRole'}
    mainSteps:
      - name: List
        action: aws:executeAwsApi
        inputs: {Service: s3, Api: ListBuckets}
    """
)
RAISING_MODULE = textwrap.dedent(
    """\
    from toolkit.model import runbook
    from toolkit.steps import Sleep


    def helper():
        return {}["missing"]


    def build():
        helper()
        return runbook("raising", steps=[Sleep(name="Nap", duration="PT1S")])
    """
)
"""A runbook module whose build() raises: in build() at line 10, in helper() at line 6."""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (its own pyproject.toml) as the working folder, with a document, a binary file and a
    runbook module whose build() raises."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n", encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (tmp_path / "junk.yaml").write_bytes(BINARY)
    (tmp_path / "raising.py").write_text(RAISING_MODULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The command's stderr, which must be exactly one line and no traceback."""
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def cannot_read(path: Path) -> bool:
    """Whether this process really cannot read ``path`` (as root it can, whatever the mode)."""
    try:
        path.read_bytes()
    except OSError:
        return True
    return False


@pytest.fixture
def unreadable(here: Path) -> Iterator[Path]:
    """A YAML file with mode 000; the test using it skips when this process can read it anyway (root)."""
    path = here / "unreadable.yml"
    path.write_text(TINY, encoding="utf-8")
    path.chmod(0)
    try:
        if not cannot_read(path):
            pytest.skip("this process reads a mode-000 file (running as root); the dangling and folder cases stand in")
        yield path
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


# -- Seven tracebacks: each is now one line and exit 2 ---------------------------------------------------------------


def test_traceback_iam_policy_of_a_binary_file(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["iam-policy", "junk.yaml"]) == 2
    assert one_line(capsys) == "runbook: junk.yaml: not UTF-8 text (byte 0)"


@pytest.mark.parametrize("kind", ["dangling link", "folder"])
def test_traceback_iam_policy_of_an_unreadable_file(here: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The dangling link and the folder fail as a mode-000 file does, whoever runs the test (see the next test)."""
    path = here / "unreadable.yml"
    if kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(here / "nowhere.yml")
    assert main(["iam-policy", "unreadable.yml"]) == 2
    line = one_line(capsys)
    assert line.startswith("runbook: unreadable.yml: cannot read: "), line
    assert ("a link to" in line) if kind == "dangling link" else ("it is a folder" in line or "directory" in line)


def test_traceback_iam_policy_of_a_file_without_permission(
    unreadable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["iam-policy", unreadable.name]) == 2
    assert one_line(capsys) == "runbook: unreadable.yml: cannot read: Permission denied"


def test_traceback_simulate_with_binary_params(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "tiny.yaml", "--params", "junk.yaml"]) == 2
    assert one_line(capsys) == "runbook: junk.yaml: not UTF-8 text (byte 0)"


def test_traceback_lint_with_a_binary_config(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "tiny.yaml", "--config", "junk.yaml"]) == 2
    assert one_line(capsys) == "runbook: junk.yaml: not UTF-8 text (byte 0)"


def test_traceback_lint_with_a_config_whose_tool_is_not_a_table(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "odd.toml").write_text("tool = 1\n", encoding="utf-8")
    assert main(["lint", "tiny.yaml", "--config", "odd.toml"]) == 2
    assert one_line(capsys) == "runbook: odd.toml: [tool.runbook.lint] must be a table"


@pytest.mark.parametrize(
    "value", ["notaurl", "us-east-1=notaurl", "ftp://127.0.0.1", "http://", "http://host:port", "=http://127.0.0.1"]
)
def test_traceback_publish_with_an_endpoint_url_that_is_not_one(
    here: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publish", "tiny.yaml", "--region", "us-east-1", "--endpoint-url", value]) == 2
    line = one_line(capsys)
    assert line.startswith("runbook: --endpoint-url "), line
    assert "is not an endpoint URL (such as http://127.0.0.1:5000)" in line or "the region before = is empty" in line


def test_publish_endpoint_urls_botocore_takes_are_taken() -> None:
    assert publish.parse_endpoints(
        ["http://127.0.0.1:5000", "eu-west-1=https://ssm.eu-west-1.amazonaws.com", "us-east-2=http://[::1]:5000"]
    ) == {
        None: "http://127.0.0.1:5000",
        "eu-west-1": "https://ssm.eu-west-1.amazonaws.com",
        "us-east-2": "http://[::1]:5000",
    }
    with pytest.raises(PublishError, match="'notaurl' is not an endpoint URL"):
        publish.session_clients(["us-east-1"], endpoints={None: "notaurl"})  # the API checks it too


def test_traceback_build_out_an_existing_file(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "taken").write_text("mine\n", encoding="utf-8")
    assert main(["build", "tiny.yaml", "--out", "taken"]) == 2
    assert one_line(capsys) == "runbook: taken/tiny.yaml: cannot write: taken is a file, not a folder"
    assert (here / "taken").read_text(encoding="utf-8") == "mine\n"
    assert main(["build", "tiny.yaml", "--out", "taken/deeper"]) == 2
    assert one_line(capsys) == "runbook: taken/deeper/tiny.yaml: cannot write: taken is a file, not a folder"


@pytest.mark.parametrize("command", ["build", "lint", "graph", "docs", "simulate", "iam-policy"])
def test_traceback_a_modules_build_that_raises_is_named_by_file_and_line(
    here: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line: the module's file and the line of it the exception came through last (its own code, not the
    toolkit's), and the exception."""
    assert main([command, "raising.py"]) == 2
    assert one_line(capsys) == "runbook: raising.py:6: build() failed: KeyError: 'missing'"


@pytest.mark.parametrize("where", ["before", "after"])
def test_traceback_option_shows_the_whole_traceback(here: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--traceback", "build", "raising.py"] if where == "before" else ["build", "raising.py", "--traceback"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert re.search(r'File ".*raising\.py", line 10, in build', err) and re.search(r"line 6, in helper", err)
    assert err.splitlines()[-1] == "runbook: raising.py:6: build() failed: KeyError: 'missing'"


def test_a_failing_representative_runs_hook_is_named_by_line(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = RAISING_MODULE.replace("    helper()\n", "") + "\n\ndef representative_runs():\n    return 1 / 0\n"
    (here / "hook.py").write_text(module, encoding="utf-8")
    line = module.splitlines().index("    return 1 / 0") + 1
    assert main(["iam-policy", "hook.py"]) == 2
    assert (
        one_line(capsys)
        == f"runbook: hook.py:{line}: representative_runs() failed: ZeroDivisionError: division by zero"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\n\nVALUE = {}['missing']\n", "raising_at_import.py:3: cannot import: KeyError: 'missing'"),
        ("def build(:\n    pass\n", "raising_at_import.py:1: cannot import: SyntaxError: invalid syntax"),
    ],
    ids=["raises", "syntax"],
)
def test_traceback_a_module_that_fails_while_imported_is_named_by_file_and_line(
    here: Path, source: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A module whose own top-level code raises, or that does not compile: the same one line, at its line."""
    (here / "raising_at_import.py").write_text(source, encoding="utf-8")
    assert main(["build", "raising_at_import.py"]) == 2
    assert one_line(capsys) == f"runbook: {expected}"


# -- Wrong behaviour ---------------------------------------------------------------------------------------------------


def test_lint_folder_reports_E0001_for_each_unreadable_entry_and_lints_the_rest(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = here / "docs"
    folder.mkdir()
    (folder / "good.yaml").write_text(TINY, encoding="utf-8")
    (folder / ".#good.yaml").symlink_to("user@host.1234:1700000000")  # an editor's lock file: a dangling link
    (folder / "dangling.yml").symlink_to(folder / "gone.yml")
    (folder / "junk.yaml").write_bytes(BINARY)
    assert main(["lint", "docs", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    by_file = {Path(item["file"]).name: item for item in findings if item["rule"] == "E0001"}
    assert sorted(by_file) == [".#good.yaml", "dangling.yml", "junk.yaml"]
    assert "cannot read: No such file or directory (a link to" in by_file[".#good.yaml"]["message"]
    assert {Path(item["file"]).name for item in findings if item["rule"] != "E0001"} == {"good.yaml"}  # linted


def test_lint_folder_reports_E0001_for_a_file_without_permission(
    unreadable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", ".", "--format", "json"]) == 1
    findings = [item for item in json.loads(capsys.readouterr().out) if item["rule"] == "E0001"]
    assert [(Path(item["file"]).name, item["message"]) for item in findings] == [
        ("unreadable.yml", "cannot read: Permission denied")
    ]


def test_import_folder_lists_what_it_skipped_and_exits_1(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = here / "incoming"
    folder.mkdir()
    (folder / "good.yaml").write_text(TINY, encoding="utf-8")
    (folder / "dangling.yml").symlink_to(folder / "gone.yml")
    (folder / "junk.yaml").write_bytes(BINARY)
    (folder / "broken.yaml").write_text("mainSteps: [\n", encoding="utf-8")
    (folder / "template.yaml").write_text("Resources: {}\n", encoding="utf-8")  # YAML, not a document: passed over
    assert main(["import", "incoming", "--out", "modules"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["imported incoming/good.yaml -> modules/good.py"]
    skipped = captured.err.splitlines()
    assert [line.split(": ")[1] for line in skipped] == [
        "skipped incoming/broken.yaml",
        "skipped incoming/dangling.yml",
        "skipped incoming/junk.yaml",
    ]
    assert "not UTF-8 text" in skipped[2] and "invalid YAML" in skipped[0]
    assert (here / "modules" / "good.py").is_file()


def test_import_folder_with_nothing_readable_exits_2_saying_what_it_skipped(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "incoming").mkdir()
    (here / "incoming" / "junk.yaml").write_bytes(BINARY)
    assert main(["import", "incoming"]) == 2
    assert one_line(capsys) == (
        "runbook: incoming: no Automation documents found; 1 file could not be read: incoming/junk.yaml "
        "(not UTF-8 text (byte 0))"
    )


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_written_files_get_the_modes_the_umask_gives(
    here: Path, umask: int, mode: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Build output, templates, docs pages, graphs and --world-out: 0666 less the umask (0600 before), still
    written whole by a rename (no temporary file left)."""
    previous = os.umask(umask)
    try:
        assert main(["build", "tiny.yaml", "--out", "build"]) == 0
        monkeypatch.chdir(ROOT)  # the template holds the toolkit's own runbook, found in its checkout
        assert main(["template", "--out", str(here / "template.yaml")]) == 0
        monkeypatch.chdir(here)
        assert main(["docs", "tiny.yaml", "--out", "pages/tiny.md"]) == 0
        assert main(["graph", "tiny.yaml", "--out", "graph.mmd"]) == 0
        assert main(["simulate", "tiny.yaml", "--world-out", "world.yaml"]) == 0
    finally:
        os.umask(previous)
    capsys.readouterr()
    written = ["build/tiny.yaml", "build/tiny.json", "template.yaml", "pages/tiny.md", "graph.mmd", "world.yaml"]
    assert {name: stat.S_IMODE((here / name).stat().st_mode) for name in written} == dict.fromkeys(written, mode)
    assert not [path for path in here.rglob(".*") if path.is_file()]  # no temporary file left behind


def test_import_is_linear_in_long_strings(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1 MB description: the characters the literal printer looks at stay a small multiple of the text's length
    (before, every cut wrote the literal of the whole rest of the string: quadratic, 200 s for 1 MB). Counted, not
    timed; bench/import_long_strings.py times it."""
    looked_at = [0]

    def counting(function: Any, size: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            looked_at[0] += size(*args)
            return function(*args)

        return wrapper

    text_size = lambda text, *_: len(text)  # noqa: E731
    monkeypatch.setattr(pyexpr, "string_literal", counting(pyexpr.string_literal, text_size))
    monkeypatch.setattr(generate, "string_literal", pyexpr.string_literal)
    monkeypatch.setattr(pyexpr, "_counts", counting(pyexpr._counts, text_size))
    longest = counting(pyexpr._longest_prefix, lambda word, start, width: min(width, len(word) - start))
    monkeypatch.setattr(pyexpr, "_longest_prefix", longest)
    sentence = 'A "quoted" word, a path C:\\temp and it\'s long enough to wrap.\n'
    for description in ((sentence * 20_000)[:1_000_000], "x" * 1_000_000):
        looked_at[0] = 0
        (here / "long.json").write_text(json.dumps({**DOC, "description": description}), encoding="utf-8")
        import_document(here / "long.json", here / "long.py", force=True)  # proven to build back the same data
        assert looked_at[0] <= 6 * len(description), looked_at[0]  # 3 now; about 4,000 before for "x" * 1 MB


DOC: dict[str, Any] = {"schemaVersion": "0.3", "description": "", "mainSteps": [SLEEP]}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([], "required parameter(s) Count need values"),
        (["--param", "Count=many"], "parameter Count: must be a whole number, not 'many'"),
        (["--param", "Count=2"], "The defined assume role is unable to be assumed."),
        (["--param", "Count=2", "--param", "Other=1"], "parameter Other: is not declared by the document"),
    ],
    ids=["missing-required", "ill-typed", "role-not-assumable", "undeclared"],
)
def test_iam_policy_exits_2_when_the_execution_cannot_start(
    here: Path, params: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "needs.yaml").write_text(NEEDS_A_PARAMETER, encoding="utf-8")
    assert main(["iam-policy", "needs.yaml", *params]) == 2
    assert message in one_line(capsys)
    assert capsys.readouterr().out == ""  # no partial policy


def test_unknown_cancel_at_step_exits_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "tiny.yaml", "--cancel-at", "Napp"]) == 2
    assert one_line(capsys) == "runbook: cancel at Napp: the document has no such step (its steps: Nap)"
    assert main(["simulate", "tiny.yaml", "--cancel-at", "Napp", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "InvalidAutomationExecutionParametersException"
    with pytest.raises(SimulationError, match="no such step"):
        simulate(DOC, options=Options(cancel_at="Napp"))


def test_cancel_at_a_step_inside_a_loop_is_known() -> None:
    looping = {"name": "Repeat", "action": "aws:loop", "inputs": {"MaxIterations": 2, "Steps": [SLEEP]}}
    result = simulate({"schemaVersion": "0.3", "mainSteps": [looping]}, options=Options(cancel_at="Nap"))
    assert (result.steps[0].name, result.steps[0].status) == ("Nap", "Cancelled")


def straight(count: int) -> dict[str, Any]:
    steps = [{"name": f"S{i}", "action": "aws:sleep", "inputs": {"Duration": "PT0S"}} for i in range(count)]
    return {"schemaVersion": "0.3", "mainSteps": steps}


def test_a_straight_20000_step_document_is_not_called_a_loop() -> None:
    """Given as data (no content, so no size limit applies): every step runs, and the execution succeeds."""
    result = simulate(straight(20_000), options=Options(iam=False))
    assert result.status == "Success" and len(result.steps) == 20_000


def test_loops_within_bounds_are_not_called_a_loop() -> None:
    """aws:loop inside aws:loop, 100 iterations each: 10,101 step runs and no jump back."""
    inner = {"name": "Inner", "action": "aws:loop", "inputs": {"MaxIterations": 100, "Steps": [SLEEP]}}
    inner["inputs"]["LoopCondition"] = {"Variable": "{{ Inner.CurrentIteration }}", "NumericLesser": 1000}
    outer = {"name": "Outer", "action": "aws:loop", "inputs": {"MaxIterations": 100, "Steps": [inner]}}
    outer["inputs"]["LoopCondition"] = {"Variable": "{{ Outer.CurrentIteration }}", "NumericLesser": 1000}
    result = simulate({"schemaVersion": "0.3", "mainSteps": [outer]}, options=Options(iam=False))
    assert result.status == "Success" and len(result.steps) == 10_101


def test_a_loop_with_no_way_out_is_still_stopped_and_called_one() -> None:
    steps = [{**SLEEP, "name": "A", "nextStep": "B"}, {**SLEEP, "name": "B", "nextStep": "A"}]
    result = simulate({"schemaVersion": "0.3", "mainSteps": steps}, options=Options(iam=False))
    assert result.status == "Failed" and len(result.steps) == MAX_JUMPS_BACK + 2
    assert result.steps[-1].failure_message is not None and "a loop with no way out" in result.steps[-1].failure_message


def test_a_document_over_ssms_size_limit_cannot_start_with_ssms_message(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SSM documents no limit on steps; the limit that applies to a 20,000-step document is the document size,
    with CreateDocument's MaxDocumentSizeExceeded and its message."""
    (here / "long.json").write_text(json.dumps(straight(20_000)), encoding="utf-8")
    assert main(["simulate", "long.json"]) == 2
    line = one_line(capsys)
    assert line.startswith("runbook: long.json: the document is ") and line.endswith(MAX_DOCUMENT_SIZE_MESSAGE)
    assert MAX_DOCUMENT_SIZE_MESSAGE == "The size limit of a document is 64 KB."
    assert main(["simulate", "long.json", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == MAX_DOCUMENT_SIZE_CODE == "MaxDocumentSizeExceeded"


def test_a_step_that_is_not_a_mapping_gets_no_spurious_oncancel_finding(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "one.json").write_text(json.dumps({"schemaVersion": "0.3", "mainSteps": [1, SLEEP]}), encoding="utf-8")
    assert main(["lint", "one.json", "--select", "E0010", "--format", "json"]) == 1
    messages = [item["message"] for item in json.loads(capsys.readouterr().out)]
    assert messages == [
        "top-level mainSteps[0] must be a step (a mapping with name, action and inputs), not the number 1"
    ]


# -- messages that say what is really wrong ---------------------------------------------------------------------------


def test_message_simulate_of_a_missing_file_says_no_such_file(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "missing.yaml"]) == 2
    assert one_line(capsys) == "runbook: missing.yaml: no such file"


@pytest.mark.parametrize(
    ("kind", "argv"), [("world", ["simulate", "tiny.yaml", "--world"]), ("scenario", ["scenario"])]
)
def test_message_a_list_given_as_a_world_or_scenario_file(
    here: Path, kind: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "list.yaml").write_text("- Account: '123456789012'\n", encoding="utf-8")
    assert main([*argv, "list.yaml"]) == 2
    assert one_line(capsys).endswith(f"list.yaml:1:1: a {kind} file must be a mapping, but its top level is a list")


def test_message_import_of_a_malformed_main_steps(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "odd.yaml").write_text("schemaVersion: '0.3'\nmainSteps: {name: Nap}\n", encoding="utf-8")
    assert main(["import", "odd.yaml", "--out", "odd.py"]) == 0
    note = capsys.readouterr().out.splitlines()[1]
    assert note.endswith("does not pass the definition checks: mainSteps must be a list of steps, each a mapping")
    assert "does not know" not in note
    (here / "odd.yaml").write_text("schemaVersion: '0.3'\nmainStep: []\nmainSteps: [1]\n", encoding="utf-8")
    assert main(["import", "odd.yaml", "--out", "odd.py", "--force"]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[1]
        .endswith("top-level keys the model does not know: mainStep; mainSteps must be a list of steps, each a mapping")
    )


@pytest.mark.parametrize("command", ["simulate", "iam-policy"])
def test_message_param_with_an_empty_name(here: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "tiny.yaml", "--param", "=x"]) == 2
    assert one_line(capsys) == "runbook: --param '=x' has an empty parameter name (it must be NAME=VALUE)"
    (here / "params.json").write_text('{"": 1}', encoding="utf-8")
    if command == "simulate":
        assert main([command, "tiny.yaml", "--params", "params.json"]) == 2
        assert one_line(capsys) == "runbook: a parameter has an empty name"


@pytest.mark.parametrize(
    ("section", "where"),
    [
        (
            "Policies:\n  - Name: P\n    Document: {Version: '2012-10-17', Statement: [{Effect: Alow, Action: '*', "
            "Resource: '*'}]}\n",
            "world.yaml:4:52: Policies[0].Document.Statement[0].Effect",
        ),
        (
            "Roles:\n  - Name: R\n    AssumeRolePolicyDocument:\n      Statement:\n        Effect: Alow\n"
            "        Principal: {Service: ssm.amazonaws.com}\n        Action: sts:AssumeRole\n",
            "world.yaml:6:9: Roles[0].AssumeRolePolicyDocument.Statement.Effect",
        ),
    ],
    ids=["managed-policy", "trust-policy"],
)
def test_message_a_world_policy_with_effect_alow_is_refused(
    here: Path, section: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "world.yaml").write_text("Account: '123456789012'\n" + section, encoding="utf-8")
    assert main(["simulate", "tiny.yaml", "--world", "world.yaml"]) == 2
    assert one_line(capsys) == f"runbook: {where} must be Allow or Deny, not 'Alow'"


# -- runbook --version and --help --------------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"runbook {VERSION}\n"


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal's width


@pytest.mark.parametrize("command", ["lint", "graph", "docs", "build", "simulate", "iam-policy", "publish"])
def test_help_says_the_command_takes_python_modules(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "a runbook module (.py)" in help_of(capsys, command)


def test_help_says_select_and_ignore_take_comma_separated_ids(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, "lint")
    assert "--select IDS only rules whose ids start with these, comma-separated" in text
    assert "--ignore IDS skip rules whose ids start with these, comma-separated" in text


def test_help_gives_the_region_form_of_endpoint_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert "or REGION=URL for that region only" in help_of(capsys, "publish")


def test_help_lists_version_traceback_and_what_a_document_is(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys)
    assert "--version" in text and "--traceback" in text
    assert "a runbook module (.py, its build() returns the document)" in text and "Exit codes: 0" in text
