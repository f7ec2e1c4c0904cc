"""``toolkit.lint.kept_findings``: a second lint of an unchanged folder reads each document's findings from the file
the first wrote, and gives exactly the findings linting gives; anything the findings depend on (the document's
bytes, its label, the configuration, the toolkit's files, botocore) makes them found again (issue 19)."""

from __future__ import annotations

import json
import marshal
import os
import shutil
from pathlib import Path

import pytest

from toolkit.aws.models import ModelStore
from toolkit.lint import kept_findings
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import PARSED_FROM, Linter
from toolkit.lint.formatters import json_text
from toolkit.lint.kept_findings import KeptFindings, run_key
from toolkit.source import ParsedYaml

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
DOCUMENTS = sorted(path for path in CORPUS.rglob("*") if path.suffix in (".yaml", ".yml", ".json"))


def _folder(tmp_path: Path, count: int = PARSED_FROM + 4) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for index, path in enumerate(DOCUMENTS[:: max(1, len(DOCUMENTS) // count)][:count]):
        (folder / f"{index:03}-{path.name}").write_bytes(path.read_bytes())
    return folder


class Counting(Linter):
    """A Linter that counts the documents it lints (rather than reads from the kept findings)."""

    linted = 0

    def _lint_text(self, *args: object, **kwargs: object) -> list:  # type: ignore[override]
        Counting.linted += 1
        return super()._lint_text(*args, **kwargs)  # type: ignore[arg-type]


def _lint(folder: Path, config: LintConfig | None = None) -> tuple[str, int]:
    Counting.linted = 0
    linter = Counting(config, parsed=ParsedYaml())
    return json_text(linter.lint([str(folder)])), Counting.linted


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "ssm-runbook-toolkit" / "lint" / "findings.marshal"


def test_a_folder_linted_again_gives_the_kept_findings_without_linting(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path)
    count = len(list(folder.iterdir()))
    first, linted = _lint(folder)
    assert linted == count and cache.is_file() and json.loads(first)
    again, linted = _lint(folder)
    assert (again, linted) == (first, 0)
    # with nothing kept (another cache folder) the findings are the same
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "other")
    assert _lint(folder) == (first, count)


def test_a_changed_document_or_label_is_linted_again(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path)
    first, _ = _lint(folder)
    changed = sorted(folder.iterdir())[0]
    changed.write_bytes(changed.read_bytes() + b"\n# edited\n")
    assert _lint(folder)[1] == 1
    renamed = sorted(folder.iterdir())[1]
    renamed.rename(renamed.with_name("zz-" + renamed.name))
    again, linted = _lint(folder)
    assert linted == 1 and _unordered(again.replace("zz-", "")) == _unordered(first)


def _unordered(findings: str) -> list[str]:
    return sorted(json.dumps(finding, sort_keys=True) for finding in json.loads(findings))


def test_another_configuration_finds_again(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path)
    count = len(list(folder.iterdir()))
    everything, _ = _lint(folder)
    errors_only, linted = _lint(folder, LintConfig(select=("E",)))
    assert linted == count and errors_only != everything
    assert all(finding["rule"].startswith("E") for finding in json.loads(errors_only))
    assert _lint(folder, LintConfig(select=("E",))) == (errors_only, 0)


def test_the_key_changes_with_the_toolkits_files_and_botocore(tmp_path: Path) -> None:
    package = tmp_path / "toolkit"
    shutil.copytree(Path(kept_findings.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    module = package / "lint" / "kept_findings.py"
    key = _key_of(module)
    assert _key_of(module) == key
    rule = package / "lint" / "rules" / "security.py"
    os.utime(rule, ns=(rule.stat().st_atime_ns, rule.stat().st_mtime_ns + 1))
    assert _key_of(module) != key
    botocore = tmp_path / "botocore"
    (botocore / "data").mkdir(parents=True)
    (botocore / "__init__.py").write_text("__version__ = '1'\n")
    one = run_key("config", botocore / "data")
    (botocore / "__init__.py").write_text("__version__ = '1.1'\n")
    assert run_key("config", botocore / "data") not in (one, run_key("config", None))
    assert run_key("config", None) != run_key("another", None)


def _key_of(module: Path) -> str:
    """``run_key`` of the copy of the package ``module`` lies in."""
    namespace: dict[str, object] = {"__file__": str(module), "__name__": "copied"}
    exec(compile(module.read_text(), str(module), "exec"), namespace)
    key = namespace["run_key"]
    assert callable(key)
    return str(key("config", None))


def test_plugins_or_rules_or_models_of_the_callers_own_keep_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kept_plugin.py").write_text("RULES = []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert Linter(LintConfig(plugins=("kept_plugin",))).kept is None
    assert Linter(rules=[]).kept is None
    assert Linter(models=ModelStore(None)).kept is None
    assert isinstance(Linter().kept, KeptFindings)


def test_a_file_with_another_key_or_unreadable_is_ignored_and_replaced(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path)
    count = len(list(folder.iterdir()))
    first, _ = _lint(folder)
    held = marshal.loads(cache.read_bytes())
    cache.write_bytes(marshal.dumps((held[0], "another|key", held[2])))
    assert _lint(folder) == (first, count)
    cache.write_bytes(b"not marshal")
    assert _lint(folder) == (first, count)
    assert _lint(folder) == (first, 0)


def test_a_few_documents_keep_nothing(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path, PARSED_FROM - 1)
    _lint(folder)
    assert not cache.exists()


def test_a_warm_run_loads_no_rule(tmp_path: Path, cache: Path) -> None:
    folder = _folder(tmp_path)
    _lint(folder)
    linter = Linter(LintConfig())
    linter.lint([str(folder)])
    assert linter._rules is None  # every finding was kept: no rule was made
    unwritable = KeptFindings(tmp_path / "a-file" / "findings.marshal", "key")
    (tmp_path / "a-file").write_text("a file, not a folder")
    unwritable.add("x.yaml", True, b"x", [])
    unwritable.save()  # never fails


def test_a_lint_of_a_few_documents_never_computes_the_run_key(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key walks the whole package (some 300 files): a cold lint of one document, which keeps nothing, must not
    pay for it; a run of many documents computes it once."""
    from toolkit.lint import engine

    calls: list[str] = []

    def counted(configuration: str, botocore_data: Path | None) -> str:
        calls.append(configuration)
        return run_key(configuration, botocore_data)

    monkeypatch.setattr(engine, "run_key", counted)
    folder = _folder(tmp_path)
    Linter().lint([str(sorted(folder.iterdir())[0])])
    assert calls == []
    Linter().lint([str(folder)])
    assert len(calls) == 1
