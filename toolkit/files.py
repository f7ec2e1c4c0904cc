"""Reading and writing the toolkit's files: one error behaviour for every reader, whole-or-nothing writes.

A file that cannot be read raises ``LoadError`` naming it (the command line turns that into one line and exit
code 2). A file is written whole or not at all: a temporary file beside it, then a rename; one that cannot be
written raises ``WriteError`` naming it. Written files get the mode the umask gives (0644 under umask 022), as a
file made by ``open()`` would: the temporary file is created with mode 0666, which the kernel masks, not with the
0600 of ``tempfile.mkstemp``. ``KeptFile`` is a table kept between runs in one such file (the commands' caches).
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Final, Generic, TypeVar

from toolkit.errors import LoadError, WriteError

DOCUMENT_SUFFIXES: Final = (".yaml", ".yml", ".json")
"""The suffixes of Automation document files (YAML or JSON)."""


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes. Raises ``LoadError`` naming the file."""
    try:
        return Path(path).read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        if isinstance(err, FileNotFoundError) and os.path.islink(path):
            reason += f" (a link to {os.readlink(path)}, which does not exist)"
        raise LoadError(f"cannot read: {reason}", file=str(path)) from err


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
    """Write a whole file or nothing: a temporary file beside it, then a rename. Text is written as UTF-8. The file
    gets the mode the umask gives. Raises ``WriteError`` naming the file when it cannot be written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = Path(path)
    make_folder(path.parent, for_file=path)
    try:
        fd, tmp = _create_beside(path)
    except OSError as err:
        raise WriteError(f"cannot write: {_reason(err)}", file=str(path)) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"cannot write: {_reason(err)}", file=str(path)) from err
        raise


def make_folder(folder: Path, *, for_file: Path | None = None) -> None:
    """Create ``folder`` and its parents if missing. Raises ``WriteError`` naming ``for_file`` (else the folder)
    when it cannot be, e.g. when it or a parent is a file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        blocking = next(
            (parent for parent in (folder, *folder.parents) if parent.exists() and not parent.is_dir()), None
        )
        reason = f"{blocking} is a file, not a folder" if blocking is not None else _reason(err)
        raise WriteError(f"cannot write: {reason}", file=str(for_file or folder)) from err


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file in ``path``'s folder, opened for writing, with mode 0666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _reason(err: OSError) -> str:
    return "it is a folder" if isinstance(err, IsADirectoryError) else err.strerror or str(err)


# -- a table kept between runs ------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class KeptFile(Generic[K, V]):
    """A table a command learns and keeps between runs in one marshal file: the one way every cache of the
    toolkit's commands is read and written (the linter's allowedPattern answers, YAML documents read before,
    findings). ``key`` is called when the file is read or written.

    The file holds ``(form, key, table)``. It is read on first use; a file of another form or key (another version
    of the toolkit, another Python, another configuration: whatever the owner says its entries depend on), a file
    that cannot be read, or one that is not marshal data is ignored: the table starts empty and the answers are
    computed,
    never guessed. ``save`` writes the table atomically (``write_atomic``) when this run learnt something, keeping
    only the entries this run used once the table has grown past ``limit``, and never fails (a cache that cannot be
    written is not used). ``file=None`` keeps the table for this run only.
    """

    def __init__(self, file: Path | None, form: int, key: Callable[[], str], limit: int) -> None:
        self.file = file
        self.form = form
        self.key = key
        self.limit = limit
        self._table: dict[K, V] | None = None
        self._used: set[K] = set()
        self._learnt = False

    @property
    def table(self) -> dict[K, V]:
        """The entries, read from the file on first use."""
        if self._table is None:
            self._table = self._read() if self.file is not None else {}
        return self._table

    def get(self, entry: K) -> V | None:
        """The entry's value, else None; an entry asked for is one this run used."""
        found = self.table.get(entry)
        if found is not None:
            self._used.add(entry)
        return found

    def put(self, entry: K, value: V) -> None:
        """Learn an entry (new, or a value replaced)."""
        self.table[entry] = value
        self._used.add(entry)
        self._learnt = True

    def changed(self) -> None:
        """Say that a value was changed in place: the table is written at ``save``."""
        self._learnt = True

    def save(self) -> None:
        """Write the table if this run learnt something (the module's doc)."""
        if self.file is None or not self._learnt or self._table is None:
            return
        table = self._table
        if len(table) > self.limit:
            table = {entry: value for entry, value in table.items() if entry in self._used}
        try:
            write_atomic(self.file, marshal.dumps((self.form, self.key(), table)))
        except (OSError, WriteError, ValueError):
            return
        self._learnt = False

    def _read(self) -> dict[K, V]:
        assert self.file is not None
        try:
            loaded = marshal.loads(self.file.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not (isinstance(loaded, tuple) and len(loaded) == 3 and isinstance(loaded[2], dict)):
            return {}
        if loaded[0] != self.form or loaded[1] != self.key():
            return {}
        table: dict[K, V] = loaded[2]
        return table
