"""The lint engine: read each target, run every enabled rule, locate and filter the findings.

A rule reports paths; the engine turns them into line:column with the document's source map, so every finding
points at the node at fault. A file that cannot be read as a document gives one E0001 finding (so does an entry of
a folder that cannot be read at all: no permission, a dangling link; the folder's other documents are linted); a
rule that crashes gives an E0002 finding naming it, and the other rules still run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from toolkit.aws.models import ModelStore, default_cache_dir
from toolkit.errors import LoadError, NotADocumentError
from toolkit.files import DOCUMENT_SUFFIXES, document_stem, read_bytes
from toolkit.lint.config import LintConfig
from toolkit.lint.context import LintDocument
from toolkit.lint.finding import Finding
from toolkit.lint.kept_findings import KeptFindings, run_key
from toolkit.lint.kept_findings import default_file as default_kept_file
from toolkit.lint.patterns import PatternVerdicts, default_file
from toolkit.lint.rule import Problem, Rule
from toolkit.lint.rules import all_rules
from toolkit.lint.suppress import apply, suppressions
from toolkit.records import MutableRecord
from toolkit.source import ParsedYaml, default_parsed_file, read_data

_BLOCK_HEADER = re.compile(r"\|([1-9]?)[-+]?([1-9]?)")
LOAD_ERROR = "E0001"
RULE_CRASHED = "E0002"
SKIPPED_FOLDERS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})
PARSED_FROM = 16
"""A run of this many documents or more reads YAML it read before from ``Linter.parsed``; fewer are composed (a
few milliseconds), cheaper than loading the file of documents read before."""
LintProgress = Callable[[int, int, str], None]  # (number of the file starting, total files, its label)


class LintReport(MutableRecord):
    """What a lint run saw and found. A ``MutableRecord`` (``toolkit.records``), as the dataclass it was."""

    __slots__ = ("files", "findings")
    _FIELDS = ("files", "findings")

    files: list[str]
    findings: list[Finding]

    def __init__(self, files: list[str] | None = None, findings: list[Finding] | None = None) -> None:
        self.files = [] if files is None else files
        self.findings = [] if findings is None else findings

    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity.value == "error")


class Linter:
    def __init__(
        self,
        config: LintConfig | None = None,
        rules: Sequence[Rule] | None = None,
        models: ModelStore | None = None,
        patterns: PatternVerdicts | None = None,
        parsed: ParsedYaml | None = None,
        kept: KeptFindings | None = None,
    ) -> None:
        self.config = config or LintConfig()
        self.models = models if models is not None else ModelStore(default_cache_dir())
        """The AWS service models the API rules check against, loaded on first use and kept by this Linter."""
        self.patterns = patterns if patterns is not None else PatternVerdicts(default_file())
        """What allowedPatterns say (E1102, E1103, W1105), kept on disk between runs; saved at the end of ``lint``."""
        self.parsed = parsed if parsed is not None else ParsedYaml(default_parsed_file())
        """YAML documents read before (``toolkit.source.ParsedYaml``), kept on disk between runs; used by ``lint``
        for a run of at least ``PARSED_FROM`` documents, saved at its end."""
        self.shared: dict[Hashable, Any] = {}
        """What the rules compute from a key alone, for every document of this Linter (``LintDocument.shared``)."""
        self._given_rules = rules
        self._rules: list[Rule] | None = None
        if kept is None and rules is None and models is None and not self.config.plugins:
            settings, models = repr(self.config), self.models
            kept = KeptFindings(default_kept_file(), lambda: run_key(settings, models.data))
        self.kept = kept
        """Findings of documents linted before (``toolkit.lint.kept_findings``), kept on disk between runs: only
        for the built-in rules, this Linter's own models and no plugins; used by ``lint`` for a run of at least
        ``PARSED_FROM`` documents, saved at its end."""
        if kept is None or self.config.plugins:
            self._make_rules()  # now: a plugin that cannot be loaded is refused before any document is read

    @property
    def rules(self) -> list[Rule]:
        """The enabled rules. With kept findings they are made on first use: a run whose every document's findings
        were kept loads none."""
        return self._rules if self._rules is not None else self._make_rules()

    def _make_rules(self) -> list[Rule]:
        rules = self._given_rules
        if rules is None:
            root = self.config.root() if self.config.plugins else None
            rules = [cls() for cls in all_rules(self.config.plugins, root=root)]
        self._rules = [rule for rule in rules if self.config.enabled(rule.id)]
        return self._rules

    # -- targets ------------------------------------------------------------------------------------------

    def lint(self, targets: Iterable[str], progress: LintProgress | None = None) -> LintReport:
        """Lint files, folders (searched for documents) and runbook names, in the order given.

        Every target is resolved (and a missing one refused) before the first file is linted, so ``progress``,
        when given, is called with (number, total, file) as each file starts.
        """
        report = LintReport()
        sources = [source for target in targets for source in self._expand(target)]
        many = len(sources) >= PARSED_FROM
        parsed = self.parsed if many else None
        kept = self.kept if many else None
        for number, (file, content, label) in enumerate(sources, start=1):
            if progress is not None:
                progress(number, len(sources), label)
            report.files.append(label)
            try:
                text = read_bytes(content) if isinstance(content, Path) else content
            except LoadError as err:
                if file is not None:
                    raise  # a file named on the command line that cannot be read: the command cannot run
                # an entry of a folder (unreadable, a dangling link such as an editor's .#x.yaml lock): a finding,
                # and the folder's other documents are still linted
                report.findings.append(Finding(label, 1, 1, LOAD_ERROR, str(err.args[0])))
                continue
            explicit = file is not None
            if kept is None or isinstance(text, str):
                report.findings.extend(self._lint_text(text, label, explicit, parsed))
                continue
            found = kept.get(label, explicit, text)
            if found is None:
                found = self._lint_text(text, label, explicit, parsed)
                kept.add(label, explicit, text, found)
            report.findings.extend(found)
        self.patterns.save()
        if parsed is not None:
            parsed.save()
        if kept is not None:
            kept.save()
        return report

    def _expand(self, target: str) -> Iterator[tuple[str | None, Path | str, str]]:
        """(explicit file or None, the file to read or a document's text, label) for each document: a folder's
        documents, or the one ``toolkit.documents`` reads (a file, or a runbook rendered as ``runbook build``
        writes it, labelled with the file it would be written to)."""
        path = Path(target)
        if path.is_dir():
            for file in _documents_in(path, self.config):
                yield None, file, str(file)
            return
        if path.is_file() and path.suffix != ".py":
            # A document file's bytes are decoded by lint_text: text that is not UTF-8 is a finding (E0001).
            yield target, path, target
            return
        from toolkit.documents import read_document  # lazy: only a runbook module or name needs the reader

        document = read_document(target)
        label = f"build/{document.name}.yaml" if document.is_runbook else document.label
        yield target, document.text, label

    # -- one document -------------------------------------------------------------------------------------

    def lint_text(self, content: str | bytes, *, file: str = "<string>", explicit: bool = True) -> list[Finding]:
        """Findings for one document's text. ``explicit=False`` (a folder search) skips non-documents quietly."""
        return self._lint_text(content, file, explicit, None)

    def _lint_text(self, content: str | bytes, file: str, explicit: bool, parsed: ParsedYaml | None) -> list[Finding]:
        try:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        except UnicodeDecodeError as err:
            return [Finding(file, 1, 1, LOAD_ERROR, f"not UTF-8 text (byte {err.start}): not a document")]
        try:
            data, source = read_data(text, file=file, parsed=parsed)
        except LoadError as err:
            if isinstance(err, NotADocumentError) and not explicit:
                return []
            message = str(err.args[0]) if err.args else "cannot be read"
            return [Finding(file, err.line or 1, err.column or 1, LOAD_ERROR, message)]
        if not explicit and "mainSteps" not in data and "schemaVersion" not in data:
            return []
        doc = LintDocument(
            source, text, name=document_stem(file), models=self.models, shared=self.shared, patterns=self.patterns
        )
        findings = []
        for rule in self.rules:
            try:
                problems = rule.check(doc)
                if type(problems) is not list:
                    problems = list(problems)
            except Exception as err:  # a rule's bug must not hide the other rules' findings
                problems = []
                findings.append(
                    Finding(file, 1, 1, RULE_CRASHED, f"rule {rule.id} crashed: {type(err).__name__}: {err}")
                )
            if problems:
                findings.extend([_locate(doc, rule.id, problem) for problem in problems])
        ignored = self.config.ignored_in(file)
        if ignored:
            findings = [finding for finding in findings if not finding.rule.startswith(ignored)]
        return sorted(set(apply(findings, suppressions(doc))))


def _locate(doc: LintDocument, rule_id: str, problem: Problem) -> Finding:
    positions = doc.source.positions
    line, column = positions.key(problem.path) if problem.at_key else positions.value(problem.path)
    if problem.line_offset is not None:
        line, column = _inside_string(doc, problem.path, line, column, problem.line_offset, problem.column or 1)
    elif problem.needle:
        column = _find_on_line(doc, line, column, problem.needle)
    return Finding(doc.file, line, column, rule_id, problem.message)


def _inside_string(
    doc: LintDocument, path: tuple[str | int, ...], line: int, column: int, offset: int, inner_column: int
) -> tuple[int, int]:
    """The document line:column of a position inside a YAML literal block scalar (``|``); folded (``>``),
    quoted, plain and JSON strings keep the value's own position, as their lines do not map one to one."""
    lines = doc.lines
    if doc.source.format != "yaml" or not 0 < line <= len(lines):
        return line, column
    header = _BLOCK_HEADER.match(lines[line - 1][column - 1 :])
    target = line + offset
    if header is None or target > len(lines):
        return line, column
    explicit = header.group(1) or header.group(2)
    if explicit:
        indent = doc.source.positions.key(path)[1] - 1 + int(explicit)
    else:
        indent = next((len(text) - len(text.lstrip(" ")) for text in lines[line:] if text.strip()), 0)
    return target, indent + inner_column


def _find_on_line(doc: LintDocument, line: int, column: int, needle: str) -> int:
    """The column of ``needle`` on ``line`` at or after ``column``, else ``column``."""
    lines = doc.lines
    if 0 < line <= len(lines):
        found = lines[line - 1].find(needle, column - 1)
        if found >= 0:
            return found + 1
    return column


def _documents_in(folder: Path, config: LintConfig) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(DOCUMENT_SUFFIXES):
                path = Path(root, name)
                if not config.excluded(str(path)):
                    found.append(path)
    return found
