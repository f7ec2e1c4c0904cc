"""Property: any document, imported into Python, builds back to the same data, and its module compiles."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from tests.property.test_roundtrip import documents
from toolkit.documents import read_runbook
from toolkit.importer.files import import_document
from toolkit.model import Document
from toolkit.render import to_data, to_json_text, to_yaml_text


@settings(max_examples=100)
@given(documents())
def test_import_then_build_gives_the_same_data(document: Document) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for suffix, text in ((".yaml", to_yaml_text(document)), (".json", to_json_text(document))):
            doc = Path(folder) / f"generated{suffix}"
            doc.write_text(text, encoding="utf-8")
            module = import_document(doc, Path(folder) / f"imported_{suffix[1:]}.py").module
            assert to_data(read_runbook(str(module)).model()) == to_data(document)
