"""``runbook docs``: the Markdown page of a runbook, the committed pages in docs/runbooks/, and every corpus page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, corpus_files
from toolkit.build import runbook_modules
from toolkit.cli import main
from toolkit.docs import cell_text, demote_headings, page, page_of
from toolkit.documents import read_runbook
from toolkit.load import load, load_text

RUNBOOK = "cloudtrail-remediation-action"

PIPES = """\
schemaVersion: '0.3'
description: |
  Title
  =====

  Text with a `code | span`.
parameters:
  Mode:
    type: String
    description: "first | second\\nnext line"
    default: "a|b"
    allowedValues: ["a|b", "c"]
  Count:
    type: Integer
    allowedPattern: "^1|2$"
mainSteps:
  - name: Describe
    action: aws:executeAwsApi
    onFailure: step:Pause
    inputs: {Service: s3, Api: ListBuckets}
    outputs:
      - {Name: Names, Selector: "$.Buckets..Name", Type: StringList}
  - name: Look
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: DescribeInstances}
  - name: Pause
    action: aws:sleep
    description: "wait | sleep"
    inputs: {Duration: PT1S}
  - name: Tag
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: CreateTags}
outputs: [Describe.Names]
"""


def cells(row: str) -> list[str]:
    """The cells of a GitHub table row, split where GitHub splits them: at pipes not escaped by a backslash."""
    found, current, index = [], "", 1
    while index < len(row):
        char = row[index]
        if char == "\\" and index + 1 < len(row):
            current += row[index : index + 2]
            index += 2
            continue
        if char == "|":
            found.append(current.strip())
            current = ""
        else:
            current += char
        index += 1
    return found


def tables(text: str) -> list[list[str]]:
    """Each table of a page as its rows (header first)."""
    found: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                found.append([])
            found[-1].append(line)
        previous = line
    return found


def top_headings(text: str) -> list[str]:
    """H1 lines (ATX or setext) outside fenced code."""
    found, fence, previous = [], False, ""
    for line in text.splitlines():
        if re.match(r" {0,3}(```|~~~)", line):
            fence = not fence
        elif not fence and re.match(r" {0,3}#(\s|$)", line):
            found.append(line)
        elif not fence and re.fullmatch(r" {0,3}=+\s*", line) and previous.strip():
            found.append(previous)
        previous = line
    return found


def check_page(text: str) -> None:
    assert text.startswith("# ") and text.endswith("```\n")
    assert len(top_headings(text)) == 1, top_headings(text)
    for rows in tables(text):
        assert all(len(cells(row)) == len(cells(rows[0])) for row in rows), rows
    assert "## Step graph\n\n```mermaid\nflowchart TD" in text


# -- the runbook's page -------------------------------------------------------------------------------------------


def test_runbook_page_matches_golden(golden) -> None:  # type: ignore[no-untyped-def]
    text = page_of(read_runbook(RUNBOOK))
    check_page(text)
    golden(f"docs/{RUNBOOK}.md", text)


@pytest.mark.parametrize("name", sorted(runbook_modules()))
def test_committed_page_is_what_the_command_writes(name: str) -> None:
    document = read_runbook(name)
    path = ROOT / "docs" / "runbooks" / f"{document.name}.md"
    assert path.is_file(), f"{path} is missing; run `make build`"
    assert path.read_text(encoding="utf-8") == page_of(document), f"{path} is out of date; run `make build`"


def test_make_build_writes_the_pages() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nbuild:", 1)[1].split("\n\n", 1)[0]
    assert "runbook docs --all --out docs/runbooks" in recipe


def test_readme_links_every_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in runbook_modules():
        assert f"](docs/runbooks/{name}.md)" in readme


# -- every real document ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.relative_to(CORPUS).as_posix())
def test_corpus_document_gives_a_page(path: Path) -> None:
    document = load(path)
    text = page(document)
    check_page(text)
    assert text.startswith(f"# {document.name}\n")


# -- the parts ---------------------------------------------------------------------------------------------------


def row_of(text: str, first_cell: str) -> list[str]:
    return next(cells(line) for line in text.splitlines() if line.startswith(f"| {first_cell} |"))


def test_pipes_and_line_breaks_are_escaped_in_cells() -> None:
    text = page(load_text(PIPES, file="pipes.yaml"))
    check_page(text)
    assert row_of(text, "`Mode`") == [
        "`Mode`",
        "`String`",
        '`"a\\|b"`',
        '`"a\\|b"`, `"c"`',
        "no",
        "first \\| second<br>next line",
    ]
    assert row_of(text, "`Count`")[3] == "pattern `^1\\|2$`"
    assert row_of(text, "`Count`")[4] == "yes"
    assert row_of(text, "`Pause`") == ["`Pause`", "`aws:sleep`", "Abort (default)", "wait \\| sleep"]


def test_backslash_before_a_pipe_keeps_the_pipe_escaped() -> None:
    assert cell_text("a\\|b") == "a\\\\\\|b"
    escaped = cell_text("a\\|b")
    assert len(cells(f"| {escaped} | c |")) == 2


def test_description_is_kept_with_its_headings_demoted() -> None:
    text = page(load_text(PIPES, file="pipes.yaml"))
    assert text.startswith("# pipes\n\n## Title\n\nText with a `code | span`.\n\n## Parameters\n")


def test_outputs_and_steps() -> None:
    text = page(load_text(PIPES, file="pipes.yaml"))
    assert "| `Describe.Names` | `StringList` |" in text
    assert "| `Describe` | `Names` | `$.Buckets..Name` | `StringList` |" in text
    assert "| `Describe` | `aws:executeAwsApi` | `step:Pause` |  |" in text


def test_iam_actions_are_sorted_and_grouped_by_service() -> None:
    text = page(load_text(PIPES, file="pipes.yaml"))
    section = text.split("## IAM actions\n", 1)[1].split("\n## ", 1)[0]
    assert "- **ec2**: `ec2:CreateTags`, `ec2:DescribeInstances`\n- **s3**: `s3:ListAllMyBuckets`\n" in section
    assert "Not listed" not in section  # aws:sleep calls nothing


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# A\n\ntext\n## B", "## A\n\ntext\n### B"),
        ("## A\n### B", "## A\n### B"),
        ("### A\ntext", "### A\ntext"),
        ("```\n# not a heading\n```\n# A", "```\n# not a heading\n```\n## A"),
        ("Title\n=====\n\ntext", "## Title\n\ntext"),
        ("Two\nlines\n===", "## Two lines"),
        ("# A\nSub\n---", "## A\n### Sub"),
        ("- item\n---\n# A", "- item\n---\n## A"),
        ("    # code\n# A", "    # code\n## A"),
        ("# A\n###### F", "## A\n###### F"),
    ],
)
def test_demote_headings(markdown: str, expected: str) -> None:
    assert demote_headings(markdown) == expected


# -- the command ---------------------------------------------------------------------------------------------------


def test_cli_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", RUNBOOK]) == 0
    assert capsys.readouterr().out == page_of(read_runbook(RUNBOOK))


def test_cli_reads_a_document_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "pipes.yaml"
    source.write_text(PIPES, encoding="utf-8")
    out = tmp_path / "page" / "pipes.md"
    assert main(["docs", str(source), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == page(load(source))


def test_cli_all_writes_every_runbook(tmp_path: Path) -> None:
    assert main(["docs", "--all", "--out", str(tmp_path)]) == 0
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"{name}.md" for name in runbook_modules())


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert main(["docs", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(missing) in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("argv", [["docs"], ["docs", RUNBOOK, "--all"]])
def test_cli_needs_one_document_or_all(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2


def test_the_runbook_page_lists_what_its_scripts_call() -> None:
    """The pattern's runbook creates and repairs the trail from scripts: its page must list those actions too."""
    iam = page_of(read_runbook(RUNBOOK)).split("## IAM actions", 1)[1].split("## Step graph", 1)[0]
    for action in ("cloudtrail:CreateTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutInsightSelectors"):
        assert f"`{action}`" in iam
    assert "`iam:CreateServiceLinkedRole` (IsOrganization)" in iam
