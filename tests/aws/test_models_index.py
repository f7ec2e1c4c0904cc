"""The install-time index of botocore's models (toolkit/aws/models.py, ``build_index``): used when it was built from
the installed botocore's very files, refused (the cache or botocore's files answer instead) when botocore differs."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, ROOT
from toolkit.aws import models as aws_models
from toolkit.lint.engine import Linter
from toolkit.lint.patterns import PatternVerdicts


def fake_botocore(tmp_path: Path, version: str = "1.34.0") -> Path:
    """A botocore of two services (sts and cloudtrail, copied from the installed one) and ``__version__``."""
    real = aws_models.botocore_data()
    assert real is not None
    package = tmp_path / "botocore"
    for service in ("sts", "cloudtrail"):
        api = aws_models.latest_version(real, service)
        assert api is not None
        shutil.copytree(real / service / api, package / "data" / service / api)
    (package / "__init__.py").write_text(f"import os\n\n__version__ = '{version}'\n")
    return package / "data"


def counting_json(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []
    original = aws_models._read_json

    def counting(path: Path) -> Any:
        read.append(path)
        return original(path)

    monkeypatch.setattr(aws_models, "_read_json", counting)
    return read


def test_the_index_answers_when_it_matches_the_installed_botocore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = fake_botocore(tmp_path)
    index = tmp_path / "models.index"
    assert aws_models.build_index(index, data) == 2
    expected = aws_models.ModelStore(None, data, index=None).model("sts")
    read = counting_json(monkeypatch)
    cache = tmp_path / "cache"
    store = aws_models.ModelStore(cache, data, index=index)
    model = store.model("sts")
    assert model == expected and model is not None
    assert read == [] and store.from_index == {"sts"}
    assert not cache.exists()  # nothing for the cache to keep
    operation = model.operation("assume_role")
    assert operation is not None and "RoleArn" in model.shape(operation.input).required


def test_the_index_is_refused_for_another_botocore_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = fake_botocore(tmp_path)
    index = tmp_path / "models.index"
    aws_models.build_index(index, data)
    (data.parent / "__init__.py").write_text("__version__ = '1.34.1'\n")
    read = counting_json(monkeypatch)
    store = aws_models.ModelStore(tmp_path / "cache", data, index=index)
    assert store.model("sts") is not None
    assert store.from_index == set() and len(read) == 1
    assert list((tmp_path / "cache").glob("sts@*.marshal"))  # the first run's cache, as without an index


def test_a_changed_model_file_is_read_from_botocore_never_from_the_index(tmp_path: Path) -> None:
    """botocore's files changed under the same version (an edit, a partial upgrade): the index never answers with
    the old model."""
    data = fake_botocore(tmp_path)
    index = tmp_path / "models.index"
    aws_models.build_index(index, data)
    api = aws_models.latest_version(data, "sts")
    source = data / "sts" / str(api) / "service-2.json.gz"
    model = json.loads(gzip.decompress(source.read_bytes()))
    del model["operations"]["GetCallerIdentity"]
    source.write_bytes(gzip.compress(json.dumps(model).encode()))
    store = aws_models.ModelStore(None, data, index=index)
    sts = store.model("sts")
    assert sts is not None and sts.operation("GetCallerIdentity") is None
    assert sts.operation("AssumeRole") is not None
    assert store.model("cloudtrail") is not None
    assert store.from_index == {"cloudtrail"}  # its files did not change


def test_an_index_moved_to_another_botocore_folder_or_damaged_is_not_used(tmp_path: Path) -> None:
    data = fake_botocore(tmp_path / "a")
    index = tmp_path / "models.index"
    aws_models.build_index(index, data)
    other = fake_botocore(tmp_path / "b")
    store = aws_models.ModelStore(None, other, index=index)
    assert store.model("sts") is not None and store.from_index == set()
    index.write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00junk!")
    damaged = aws_models.ModelStore(None, data, index=index)
    assert damaged.model("sts") is not None and damaged.from_index == set()
    missing = aws_models.ModelStore(None, data, index=tmp_path / "none.index")
    assert missing.model("sts") is not None and missing.from_index == set()


def test_the_default_index_is_the_installed_one() -> None:
    assert aws_models.ModelStore().index == aws_models.installed_index()
    assert aws_models.installed_index().parent == Path(aws_models.__file__).parent
    assert aws_models.ModelStore(index=None).index is None


def test_the_index_is_written_atomically_by_its_command(tmp_path: Path) -> None:
    target = tmp_path / "folder" / "models.index"
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.aws.models", "index", str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "indexed the models of" in done.stdout and str(target) in done.stdout
    assert [path.name for path in target.parent.iterdir()] == ["models.index"]  # no temporary file left behind
    store = aws_models.ModelStore(None, index=target)
    assert store.model("ssm") is not None and store.from_index == {"ssm"}
    bad = subprocess.run(
        [sys.executable, "-m", "toolkit.aws.models", "nonsense"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert bad.returncode == 2 and "usage" in bad.stderr


def make_dry_run(folder: Path, target: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "-n", target], cwd=folder, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_install_step_builds_the_index_before_build_and_test(tmp_path: Path) -> None:
    """On a fresh clone `make build` and `make test` install, then index the installed botocore, then run."""
    for name in (
        "Makefile",
        "pyproject.toml",
        "toolkit/aws/models.py",
        "tests/deploy/checkers-requirements.txt",
        "toolkit/scaffold/project/pyproject.toml.tmpl",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    for target, then in (("build", "runbook build"), ("test", "-m pytest")):
        commands = make_dry_run(tmp_path, target)

        def first(text: str, commands: list[str] = commands) -> int:
            return next(number for number, command in enumerate(commands) if text in command)

        assert first("pip install") < first("-m toolkit.aws.models index") < first(then)
    assert "toolkit/aws/models.index" in (ROOT / ".gitignore").read_text().splitlines()


def test_a_lint_from_the_index_equals_one_from_the_cache_cold_and_warm(tmp_path: Path) -> None:
    """The corpus linted with models from the index, from an empty cache, and from that cache once filled."""
    used = aws_models.ModelStore(tmp_path / "probe", index=None)
    Linter(models=used, patterns=PatternVerdicts()).lint([str(CORPUS)])
    services = [name for name, model in used.loaded.items() if model is not None]
    assert len(services) > 5
    index = tmp_path / "models.index"
    aws_models.build_index(index, services=services)
    cache = tmp_path / "cache"

    def run(models: aws_models.ModelStore) -> list[str]:
        report = Linter(models=models, patterns=PatternVerdicts()).lint([str(CORPUS)])
        return [str(finding) for finding in report.findings]

    cold = run(aws_models.ModelStore(cache, index=None))
    warm_store = aws_models.ModelStore(cache, index=None)
    warm = run(warm_store)
    indexed_store = aws_models.ModelStore(None, index=index)
    indexed = run(indexed_store)
    assert cold == warm == indexed
    assert sorted(indexed_store.from_index) == sorted(services)


def test_a_cold_cli_lint_prints_what_a_warm_one_does(tmp_path: Path) -> None:
    """``runbook lint`` with an empty XDG_CACHE_HOME, then again with what the first run kept."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-m", "toolkit", "lint", str(CORPUS), "--format", "json"],
            capture_output=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        for _ in range(2)
    ]
    assert runs[0].returncode == runs[1].returncode
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout
    assert (tmp_path / "cache" / "ssm-runbook-toolkit" / "lint" / "patterns.marshal").is_file()
