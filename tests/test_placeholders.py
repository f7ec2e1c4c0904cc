"""Filling build-time placeholders as AWS Automated Security Response's RunbookFactory does."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import LoadError
from toolkit.placeholders import fill_template, fill_text
from toolkit.source import read_data

SCRIPT = '''import boto3


def handler(event, _):
    """Two lines,

    one blank between them."""
    return {"ok": True}
'''


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "handler.py").write_text(SCRIPT, encoding="utf-8")
    common = tmp_path / "common"
    common.mkdir()
    (common / "parse_input.py").write_text("def parse(event, _):\n    return event\n", encoding="utf-8")
    return folder


def test_a_script_placeholder_becomes_the_file_indented_as_the_placeholder(scripts: Path) -> None:
    template = "mainSteps:\n  - inputs:\n      Script: |-\n        %%SCRIPT=handler.py%%\n      Handler: handler\n"
    filled = fill_text(template, file="t.yaml", scripts=scripts)
    lines = filled.split("\n")
    assert lines[:4] == ["mainSteps:", "  - inputs:", "      Script: |-", "        import boto3"]
    assert "        " in lines  # an empty line of the script keeps the padding, as ASR's build writes it
    assert filled.endswith('        return {"ok": True}\n        \n      Handler: handler\n\n')
    data, _ = read_data(filled, file="t.yaml")
    step = data["mainSteps"][0]["inputs"]
    assert step == {"Script": SCRIPT.rstrip("\n"), "Handler": "handler"}


def test_every_line_ends_with_a_newline_as_asr_joins_them(scripts: Path) -> None:
    assert fill_text("a\nb\n", file="t.yaml", scripts=scripts) == "a\nb\n\n"
    assert fill_text("a", file="t.yaml", scripts=scripts) == "a\n"


def test_only_an_indented_placeholder_at_the_start_of_its_line_is_a_script(scripts: Path) -> None:
    assert fill_text("%%SCRIPT=handler.py%%", file="t.yaml", scripts=scripts) == "%%SCRIPT=handler.py%%\n"
    assert fill_text("  x: %%SCRIPT=handler.py%%", file="t.yaml", scripts=scripts) == "  x: %%SCRIPT=handler.py%%\n"
    assert fill_text("  %%SCRIPT=%%", file="t.yaml", scripts=scripts) == "  %%SCRIPT=%%\n"
    dropped = fill_text("  %%SCRIPT=handler.py%% # trailing words are dropped", file="t.yaml", scripts=scripts)
    assert dropped.startswith("  import boto3\n") and "trailing" not in dropped


def test_common_scripts_come_from_their_own_folder(scripts: Path) -> None:
    common = scripts.parent / "common"
    filled = fill_text("    %%SCRIPT=common/parse_input.py%%", file="t.yaml", scripts=scripts, common=common)
    assert filled == "    def parse(event, _):\n        return event\n    \n"
    with pytest.raises(LoadError, match="common scripts' folder") as caught:
        fill_text("x\n    %%SCRIPT=common/parse_input.py%%", file="t.yaml", scripts=scripts)
    assert (caught.value.file, caught.value.line) == ("t.yaml", 2)


def test_a_role_placeholder_gets_the_namespace(scripts: Path) -> None:
    line = "    AutomationAssumeRole: 'arn:aws:iam::{{global:ACCOUNT_ID}}:role/%%ROLE=SO0111-CreateBucket%%'"
    filled = fill_text(line, file="t.yaml", scripts=scripts, namespace="myasr")
    assert filled == "    AutomationAssumeRole: 'arn:aws:iam::{{global:ACCOUNT_ID}}:role/SO0111-CreateBucket-myasr'\n"
    with pytest.raises(LoadError, match="needs a namespace") as caught:
        fill_text(line, file="t.yaml", scripts=scripts)
    assert caught.value.line == 1
    assert fill_text("x: %%ROLE=%%", file="t.yaml", scripts=scripts) == "x: %%ROLE=%%\n"


def test_a_script_that_cannot_be_read_names_the_template_and_line(scripts: Path, tmp_path: Path) -> None:
    template = tmp_path / "runbook.yaml"
    template.write_text("a: 1\nb: |-\n  %%SCRIPT=absent.py%%\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"absent\.py") as caught:
        fill_template(template, scripts)
    assert (caught.value.file, caught.value.line) == (str(template), 3)
    with pytest.raises(LoadError):
        fill_template(tmp_path / "no-such-template.yaml", scripts)


def test_a_template_file_is_filled_from_a_scripts_folder(scripts: Path, tmp_path: Path) -> None:
    template = tmp_path / "runbook.yaml"
    template.write_text("Script: |-\n  %%SCRIPT=handler.py%%\n", encoding="utf-8")
    assert fill_template(template, str(scripts)) == fill_text(template.read_text(), file="x", scripts=scripts)
