"""``toolkit.source.ParsedYaml``: a YAML document read before gives exactly what reading it again gives (its data,
and every position the source map can be asked), kept between runs in a file keyed by what reading depends on
(issue 19: a warm lint of a folder no longer composes every document)."""

from __future__ import annotations

import contextlib
import json
import marshal
from pathlib import Path

import pytest

from tests.conftest import data_paths
from toolkit import source
from toolkit.lint.config import LintConfig
from toolkit.lint.engine import PARSED_FROM, Linter
from toolkit.lint.formatters import json_text
from toolkit.lint.kept_findings import KeptFindings
from toolkit.source import ParsedYaml, read_data

CORPUS = Path(__file__).parent / "data" / "corpus"
YAML = sorted(path for path in CORPUS.rglob("*") if path.suffix in (".yaml", ".yml"))


ODD_PATHS: list[source.Path] = [
    (),
    ("nothing",),
    ("mainSteps", 99, "name"),
    ("mainSteps", 0.0),  # a float equals 0 in a table: located on the tree, as before
    ("mainSteps", True),
    ("mainSteps", -1),
    ("mainSteps", "0"),
    ("parameters", 0),
    ("mainSteps", 0, "inputs", None),
]


def _same(text: str) -> None:
    fresh_data, fresh = read_data(text, file="a.yaml")
    parsed = ParsedYaml()
    read_data(text, file="a.yaml", parsed=parsed)
    kept = parsed.get(text)
    assert kept is not None
    data, again = read_data(text, file="b.yaml", parsed=parsed)
    assert json.dumps(data) == json.dumps(fresh_data) and data == fresh_data
    assert (again.file, again.format, again.duplicate_keys) == ("b.yaml", "yaml", ())
    for path in [*data_paths(fresh_data, ()), *ODD_PATHS]:
        assert again.positions.value(path) == fresh.positions.value(path), path
        assert again.positions.key(path) == fresh.positions.key(path), path


@pytest.mark.parametrize("path", YAML[::5], ids=lambda path: path.name)
def test_a_document_read_before_is_what_reading_it_gives(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    try:
        read_data(text, file="a.yaml")
    except source.LoadError:
        return
    _same(text)


ALIASES = """\
# a comment before the root
base: &base {a: 1, b: [x, {c: 2}]}
list:
  - *base
  - - nested
    - *base
'quoted key': "value"
1: one
"""


def test_aliases_comments_and_odd_keys_are_located_as_before() -> None:
    _same(ALIASES)


@pytest.mark.parametrize(
    "text",
    ["a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n", "a: 1\na: 2\n", "? [1, 2]\n: x\n", "a: !custom x\n"],
    ids=["merge", "duplicate", "complex-key", "other-tag"],
)
def test_only_the_common_path_is_kept(text: str) -> None:
    parsed = ParsedYaml()
    with contextlib.suppress(source.LoadError):
        read_data(text, file="a.yaml", parsed=parsed)
    assert parsed.get(text) is None


def test_the_file_keeps_the_documents_under_the_key_they_were_read_with(tmp_path: Path) -> None:
    file = tmp_path / "parsed.marshal"
    first = ParsedYaml(file)
    read_data(ALIASES, file="a.yaml", parsed=first)
    first.save()
    assert file.is_file()
    second = ParsedYaml(file)
    assert second.get(ALIASES) is not None
    before = file.stat().st_mtime_ns
    second.save()  # nothing new learnt: not written again
    assert file.stat().st_mtime_ns == before
    # another key (another version, Python, PyYAML or reader): ignored and replaced
    file.write_bytes(marshal.dumps((source.PARSED_FORMAT, "another|key", {ALIASES: b"junk"})))
    assert ParsedYaml(file).get(ALIASES) is None
    file.write_bytes(b"not marshal")
    assert ParsedYaml(file).get(ALIASES) is None
    unwritable = ParsedYaml(tmp_path / "file" / "x.marshal")
    (tmp_path / "file").write_text("a file, not a folder")
    read_data(ALIASES, file="a.yaml", parsed=unwritable)
    unwritable.save()  # never fails


def _folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / f"docs{count}"
    folder.mkdir()
    for index, path in enumerate(YAML[:count]):
        (folder / f"{index:03}-{path.name}").write_bytes(path.read_bytes())
    return folder


def _lint(folder: Path, cache: Path) -> str:
    linter = Linter(LintConfig(), parsed=ParsedYaml(cache), kept=KeptFindings(None, "this run only"))
    report = linter.lint([str(folder)])
    return json_text(report)


def test_a_folder_linted_again_reads_its_documents_from_the_file_with_the_same_findings(tmp_path: Path) -> None:
    cache = tmp_path / "parsed.marshal"
    folder = _folder(tmp_path, PARSED_FROM + 4)
    first = _lint(folder, cache)
    assert cache.is_file()
    kept = marshal.loads(cache.read_bytes())[2]
    assert len(kept) >= PARSED_FROM
    assert _lint(folder, cache) == first
    few = _folder(tmp_path, PARSED_FROM - 1)
    cache.unlink()
    _lint(few, cache)
    assert not cache.exists()  # a run of a few documents composes them and keeps nothing
