"""The house: no import circles, no import from a lower floor to a higher one, and every function-level import
explained.

The floors are the README's folder table ("What is here"): each row names a room (a module or a package of
``toolkit/``) and its floor. A module may import its own room and rooms on lower floors; rooms on one floor are
independent of each other. The import graph is read from the source with ``ast``: imports inside functions and
under ``TYPE_CHECKING`` are edges like any other, since they are the same dependency paid later.
"""

from __future__ import annotations

import ast
import graphlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "toolkit"
README = REPO / "README.md"
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*`(toolkit/[^`]*)`")
LAZY = "lazy:"
"""The word a function-level import's comment starts with, on its line or the line above."""


@dataclass(frozen=True)
class Import:
    module: str
    target: str
    line: int
    in_function: bool


@cache
def floors() -> dict[str, int]:
    """Room (``toolkit.lint``, ``toolkit.cli``) -> floor, from the README's folder table."""
    found = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            path = match.group(2).rstrip("/")
            found[path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")] = int(match.group(1))
    return found


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def room_of(module: str) -> str | None:
    """The longest room of the table that holds ``module``."""
    table = floors()
    if module == "toolkit":
        return module if module in table else None
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        candidate = ".".join(parts[:end])
        if candidate in table:
            return candidate
    return None


def _resolve(name: str) -> str | None:
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> Iterator[Import]:
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(child) for child in ast.walk(node) if child is not node)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            # ``from toolkit import docs`` imports the module toolkit.docs; ``from toolkit.x import name`` imports x.
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules()]
            names = submodules if len(submodules) == len(node.names) else [base, *submodules]
        for name in names:
            if name == "toolkit" or name.startswith("toolkit."):
                target = _resolve(name)
                if target is not None and target != module:
                    yield Import(module, target, node.lineno, id(node) in inside)


@cache
def graph() -> dict[str, frozenset[str]]:
    return {module: frozenset(item.target for item in imports_of(module)) for module in modules()}


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """An import circle, as the sorted modules in it, or none (``graphlib`` finds one when there is any)."""
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as err:
        return [sorted(set(err.args[1]))]
    return []


def test_the_readme_table_names_floors() -> None:
    assert len(floors()) >= 10, "the README's folder table lost its floors"


def test_every_module_is_in_a_room_of_the_table() -> None:
    homeless = [module for module in modules() if room_of(module) is None]
    assert homeless == [], "modules in no room of the README's folder table"


def test_no_import_circles() -> None:
    assert cycles(graph()) == []


def test_no_import_goes_up_or_sideways() -> None:
    table = floors()
    wrong = []
    for module in modules():
        room = room_of(module)
        for item in imports_of(module):
            target_room = room_of(item.target)
            if room is None or target_room is None or target_room == room:
                continue
            if table[target_room] >= table[room]:
                wrong.append(
                    f"{module}:{item.line} imports {item.target} (floor {table[room]} -> floor {table[target_room]})"
                )
    assert wrong == []


def test_every_function_level_import_says_why() -> None:
    """An import inside a function is there to keep start-up fast, and its comment says so ("lazy: ...")."""
    unexplained = []
    for path in modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    here = lines[node.lineno - 1]
                    above = _comment_block_above(lines, node.lineno - 1)
                    if LAZY not in here and LAZY not in above:
                        unexplained.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert sorted(set(unexplained)) == []


def _comment_block_above(lines: list[str], index: int) -> str:
    """The comment lines, and the other import lines of the same group, directly above line ``index``."""
    collected = []
    row = index - 1
    while row >= 0:
        text = lines[row].strip()
        if text.startswith("#") or text.startswith(("from ", "import ")):
            collected.append(text)
            row -= 1
            continue
        break
    return "\n".join(collected)


def test_the_checker_finds_a_circle() -> None:
    """The circle check can fail: a made-up graph with a circle is caught."""
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(edges) == [["a", "b", "c"]]


# Module-level state a caller cannot see: the one allowed exception each, and why.
MODULE_STATE_ALLOWED = {
    # the Simulator behind the module-level simulate() (issue 13: "with the module-level simulate() using a
    # default one"); its caches are bounded and visible through default_simulator()
    "toolkit.simulate.simulator": {"_DEFAULT"},
    # each modelled service's operation table, imported on first use: code, never data (as sys.modules is)
    "toolkit.fakes.backend": {"_TABLES"},
    # the Reference behind default_reference(): the Service Authorization Reference is immutable data, read per
    # service on first use, and the plans compiled from it depend on nothing else; one per process
    "toolkit.aws.authorization": {"_DEFAULT"},
}
MEMO_DECORATORS = frozenset({"lru_cache", "cache"})


def hidden_state(module: str, path: Path) -> list[str]:
    """Memo decorators (functools.lru_cache, functools.cache), ``global`` statements and module-level names bound
    to a new mutable dict, list or set: caches no object owns."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _takes_arguments(node):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in MEMO_DECORATORS:
                    found.append(f"{module}:{node.lineno} memo on {node.name}")
        if isinstance(node, ast.Global):
            found.extend(f"{module}:{node.lineno} global {name}" for name in node.names)
    for statement in tree.body:
        value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
        targets = (
            statement.targets
            if isinstance(statement, ast.Assign)
            else [statement.target]
            if isinstance(statement, ast.AnnAssign)
            else []
        )
        mutable = isinstance(value, (ast.Dict, ast.List, ast.Set)) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", "") in ("dict", "list", "set", "OrderedDict")
        )
        if mutable and isinstance(value, (ast.Dict, ast.List, ast.Set)) and _literal_constant(value):
            mutable = False  # a table written out in full: a constant by convention (never written to)
        for target in targets:
            if mutable and isinstance(target, ast.Name):
                found.append(f"{module}:{statement.lineno} module-level {target.id}")
    allowed = MODULE_STATE_ALLOWED.get(module, set())
    return [item for item in found if not any(item.endswith(f" {name}") for name in allowed)]


def _takes_arguments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A memo on a function of no arguments is a constant computed on first use (the schema, a table): nothing
    from one call can reach another, so it is no cache of state."""
    arguments = function.args
    return bool(arguments.args or arguments.posonlyargs or arguments.kwonlyargs or arguments.vararg or arguments.kwarg)


def _literal_constant(value: ast.expr) -> bool:
    """A dict, list or set display with entries: a table the module writes out, not an empty cache to fill."""
    if isinstance(value, ast.Dict):
        return bool(value.keys)
    if isinstance(value, (ast.List, ast.Set)):
        return bool(value.elts)
    return False


def test_no_hidden_global_state() -> None:
    """Every cache is owned by an object the caller can see (a Simulator, a Linter, a document, a policy), never a
    module: no memo decorators, no ``global``, no empty module-level dict or list filled as the program runs."""
    found = []
    for module, path in modules().items():
        found.extend(hidden_state(module, path))
    assert found == []


def test_the_hidden_state_check_can_fail(tmp_path: Path) -> None:
    source = tmp_path / "memo.py"
    source.write_text(
        "import functools\n_SEEN = {}\n\n@functools.lru_cache(maxsize=8)\ndef f(x):\n    global _SEEN\n    return x\n",
        encoding="utf-8",
    )
    assert hidden_state("memo", source) == ["memo:5 memo on f", "memo:6 global _SEEN", "memo:2 module-level _SEEN"]
