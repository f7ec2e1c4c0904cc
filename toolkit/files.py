"""Reading and writing the toolkit's files: one error behaviour for every reader, whole-or-nothing writes.

A file that cannot be read raises ``LoadError`` naming it (the command line turns that into one line and exit
code 2). A file is written whole or not at all: a temporary file beside it, then a rename.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from toolkit.errors import LoadError

DOCUMENT_SUFFIXES: Final = (".yaml", ".yml", ".json")
"""The suffixes of Automation document files (YAML or JSON)."""


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes. Raises ``LoadError`` naming the file."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise LoadError(f"cannot read: {err.strerror or err}", file=str(path)) from err


def read_text(path: str | Path) -> str:
    """A text file's text (UTF-8, a byte-order mark dropped). Raises ``LoadError`` naming the file."""
    return decode_text(read_bytes(path), file=str(path))


def decode_text(raw: bytes, *, file: str) -> str:
    """Bytes read from ``file`` as UTF-8 text (a byte-order mark dropped). Raises ``LoadError`` naming it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(f"not UTF-8 text (byte {err.start})", file=file) from err


def document_stem(file: str) -> str | None:
    """A document file's name without its suffix (``a/b.yaml`` -> ``b``), or None when it has no document suffix."""
    name = Path(file).name
    for suffix in DOCUMENT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename. Text is written as UTF-8. The
    file gets the modes any new file gets (0666 less the umask: 0644 under umask 022), as other tools' files do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = _new_file_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file_beside(path: Path) -> tuple[Path, int]:
    """A new, empty file beside ``path`` under a random name (``.<name>.<random>``), open for writing. It is made as
    open(2) makes any file, 0666 less the umask (tempfile.mkstemp would make it 0600, whatever the umask)."""
    for _ in range(16):
        tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # a name already taken: draw another
            continue
    raise FileExistsError(f"no free temporary name beside {path}")
