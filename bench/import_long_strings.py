"""How long ``runbook import`` takes for a document with one long description, by the description's size.

Issue 17 measured 5.2 s for 100 KB, 33 s for 300 KB and over 200 s for 1 MB (quadratic); the importer is now
linear. The suite proves it by counting (tests/test_input_failures.py, ``test_import_is_linear_in_long_strings``);
this script times it, on demand only.

Usage: ``python bench/import_long_strings.py [KB ...]`` (default 100 300 1000). For each size it imports, in this
process, a prose description (words, quotes, backslashes, line breaks) and one unbroken word of that many
characters, and prints the seconds each took and the seconds per MB.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from toolkit.importer.files import import_document

SENTENCE = 'A "quoted" word, a path C:\\temp and it\'s long enough to wrap.\n'


def seconds(text: str, folder: Path) -> float:
    document = {
        "schemaVersion": "0.3",
        "description": text,
        "mainSteps": [{"name": "Nap", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}],
    }
    source = folder / "long.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    start = time.perf_counter()
    import_document(source, folder / "long.py", force=True)
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seconds("warm-up", folder)
        for kilobytes in sizes:
            size = kilobytes * 1000
            prose = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
            for kind, text in (("prose", prose), ("one word", "x" * size)):
                taken = seconds(text, folder)
                print(f"{kilobytes:>6} KB {kind:<9} {taken:6.2f} s  ({taken / size * 1e6:.2f} s per MB)")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 300, 1000])
