"""`runbook build`: deterministic YAML and JSON of the same data, golden files, atomic writes, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from toolkit.build import build_all
from toolkit.cli import main
from toolkit.errors import WriteError
from toolkit.files import write_atomic

RUNBOOK = "cloudtrail-remediation-action"


def test_build_writes_yaml_and_json_of_the_same_data(tmp_path: Path) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    yaml_text = (tmp_path / f"{RUNBOOK}.yaml").read_text()
    json_text = (tmp_path / f"{RUNBOOK}.json").read_text()
    assert yaml.safe_load(yaml_text) == json.loads(json_text)
    assert len(json_text.encode()) < 64 * 1024


def test_building_again_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build_all([RUNBOOK], first)
    build_all([], second)
    for suffix in ("yaml", "json"):
        assert (first / f"{RUNBOOK}.{suffix}").read_bytes() == (second / f"{RUNBOOK}.{suffix}").read_bytes()


def test_built_runbook_matches_golden_files(tmp_path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    build_all([RUNBOOK], tmp_path)
    golden(f"{RUNBOOK}.yaml", (tmp_path / f"{RUNBOOK}.yaml").read_text())
    golden(f"{RUNBOOK}.json", (tmp_path / f"{RUNBOOK}.json").read_text())


def test_build_cli_output_matches_golden(tmp_path: Path, capsys: pytest.CaptureFixture[str], golden) -> None:  # type: ignore[no-untyped-def]
    assert main(["build", "--out", str(tmp_path)]) == 0
    golden("cli/build.txt", capsys.readouterr().out.replace(str(tmp_path), "OUT"))


def test_build_by_module_path(tmp_path: Path) -> None:
    module = tmp_path / "tiny.py"
    module.write_text(
        textwrap.dedent(
            """
            from toolkit.model import runbook
            from toolkit.steps import Sleep

            def build():
                return runbook("tiny-runbook", steps=[Sleep(name="Nap", duration="PT1S")])
            """
        )
    )
    assert main(["build", str(module), "--out", str(tmp_path / "out")]) == 0
    assert yaml.safe_load((tmp_path / "out" / "tiny-runbook.yaml").read_text())["mainSteps"][0]["name"] == "Nap"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (None, "no-such-runbook: no such file, and no runbook of that name"),
        ("def build():\n    return 3\n", "build() returned int, not a Document"),
        ("x = 1\n", "defines no build() function"),
        ("import nonexistent_module_xyz\n", "cannot import: ModuleNotFoundError"),
        (
            "from toolkit.model import runbook, Ref\nfrom toolkit.steps import ExecuteAwsApi\n"
            "def build():\n    return runbook('bad-runbook', steps=[ExecuteAwsApi(name='A', service='s3', "
            "api='ListBuckets', params={'X': Ref('Missing')})])\n",
            "step A, field inputs.X: ",
        ),
    ],
)
def test_bad_runbooks_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str | None, message: str
) -> None:
    if source is None:
        spec = "no-such-runbook"
    else:
        spec = str(tmp_path / "broken.py")
        Path(spec).write_text(source)
    assert main(["build", spec, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--nope"])
    assert caught.value.code == 2
    assert "unrecognized arguments: --nope" in capsys.readouterr().err


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.yaml"
    target.write_text("old")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(WriteError, match=r"doc\.yaml: cannot write: disk full"):  # one line naming the file
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.yaml"]


def test_build_imports_no_aws_or_linting_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from toolkit.cli import main\n"
        f"assert main(['build', '--out', {str(tmp_path)!r}]) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'boto3', 'botocore', 'cfnlint', 'moto'})\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.splitlines()[-1] == "HEAVY="


def test_python_dash_m_toolkit_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "build", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{RUNBOOK}.json").exists()
