"""The document as a whole (family 0): readable, no duplicate keys, within AWS's size and name limits."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.lint.context import LintDocument
from toolkit.lint.rule import Problem, Rule
from toolkit.ssm.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SIZE_SHOWN
from toolkit.ssm.names import DOCUMENT_NAME, DOCUMENT_NAME_SHOWN, RESERVED_DOCUMENT_PREFIXES


class Unreadable(Rule):
    """The file cannot be read as a document: not UTF-8 text, invalid YAML or JSON, or a top level that is not a
    mapping (empty, a list, a single value); or, in a folder search, an entry that cannot be read at all (no
    permission, a dangling link such as an editor's ``.#name.yaml`` lock file).

    Reported by the engine itself, at the place the parser stopped; no other rule runs on such a file, and the
    folder's other files are linted. In a folder search, valid YAML or JSON that is not a mapping is skipped as not
    a document.
    """

    id = "E0001"
    summary = "The file cannot be read as a document"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        return iter(())


class RuleCrashed(Rule):
    """A lint rule raised an exception on this document.

    The other rules still run and their findings are reported; this finding names the rule and the exception, so
    the linter never hides a document's problems behind a traceback. Please report it with the document.
    """

    id = "E0002"
    summary = "A lint rule crashed on this document"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        return iter(())


class DuplicateKey(Rule):
    """A mapping has the same key twice.

    YAML parsers keep the last value silently, so one of the two was lost; AWS's parser may reject the document
    or keep a different one. Remove or rename one of them.
    """

    id = "E0003"
    summary = "A mapping has the same key twice"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        for path in doc.source.duplicate_keys:
            yield Problem(path, f"key {path[-1]!r} appears twice in the same mapping; the earlier value is lost", True)


class DocumentTooLarge(Rule):
    """The document is larger than 64 KB.

    CreateDocument and UpdateDocument reject content over 64 KB (MaxDocumentSizeExceeded). Move long scripts into
    attachments (``files``) or split the runbook with aws:executeAutomation.
    """

    id = "E0020"
    summary = "The document is larger than 64 KB"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        size = len(doc.text.encode("utf-8"))
        if size > MAX_DOCUMENT_BYTES:
            yield Problem(
                (),
                f"the document is {size} bytes; AWS accepts at most {MAX_DOCUMENT_BYTES} ({MAX_DOCUMENT_SIZE_SHOWN})",
            )


class DocumentName(Rule):
    """The file's name (without .yaml, .yml or .json) is not a valid document name.

    Documents are usually created under their file's name. AWS requires ``[a-zA-Z0-9_.-]{3,128}`` and reserves
    names starting with ``aws-``, ``amazon`` or ``amzn`` (in any case). A warning, since the name used when
    publishing may differ from the file's.
    """

    id = "W0021"
    summary = "The file name is not a valid document name"

    def check(self, doc: LintDocument) -> Iterator[Problem]:
        name = doc.name
        if name is None or doc.file.startswith("<"):
            return
        if not DOCUMENT_NAME.match(name):
            yield Problem((), f"document name {name!r} (from the file name) must match {DOCUMENT_NAME_SHOWN}")
        elif name.lower().startswith(RESERVED_DOCUMENT_PREFIXES):
            yield Problem((), f"document name {name!r} (from the file name) starts with a prefix AWS reserves")


RULES: tuple[type[Rule], ...] = (Unreadable, RuleCrashed, DuplicateKey, DocumentTooLarge, DocumentName)
