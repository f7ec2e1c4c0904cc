"""The cases the simulator's selectors and Jayway JsonPath are compared on, and how an answer is compared.

- Corpus cases: every output ``Selector`` and ``PropertySelector`` of the corpus (tests/data/corpus), each against
  its step's response: for aws:executeAwsApi, assert and waitFor steps, responses built from the operation's botocore
  output shape (every member with two items per list; a sparse one with one item and half the members; one with
  every list and map empty), with the ResponseMetadata the simulator adds; for other steps (aws:executeScript's
  ``$.Payload...``), documents built from the selector's own names and indexes (the path present with a string, a
  number, a map, a list, null; and absent).
- Generated cases: hypothesis documents and selectors (``batches``).

An answer is ``{"outcome": "value" | "missing" | "failed" | "invalid", "definite": ..., "value": ...}``, the
simulator's from ``simulate`` and Jayway's from ``tests.oracles.jayway``; ``difference`` says how two differ.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from hypothesis import strategies as st

from tests.conftest import corpus_files
from toolkit.aws.models import ModelStore, ServiceModel
from toolkit.files import read_text
from toolkit.simulate.jsonpath import SelectorError, compile_selector
from toolkit.source import read_data

BATCH = 30
"""Selectors per generated document: 200 examples of the ci profile make 6,000 generated cases."""


class Case(NamedTuple):
    doc: str
    """The document, as JSON text (both sides parse the same text)."""
    path: str
    origin: str


# --- answers ---------------------------------------------------------------------------------------------------


def simulate(doc: str, path: str) -> dict[str, Any]:
    """The simulator's answer, in the oracle's form."""
    data = json.loads(doc)
    try:
        selector = compile_selector(path)
    except SelectorError as err:
        return {"outcome": "invalid", "error": str(err)}
    try:
        found, value = selector.select(data)
    except SelectorError as err:
        return {"outcome": "failed", "definite": selector.definite, "error": str(err)}
    if not found:
        return {"outcome": "missing", "definite": selector.definite}
    return {"outcome": "value", "definite": selector.definite, "value": value}


def difference(ours: dict[str, Any], theirs: dict[str, Any]) -> str | None:
    """How the simulator's answer differs from Jayway's, or None when they agree."""
    if ours["outcome"] != theirs.get("outcome"):
        return f"outcome {ours['outcome']} / Jayway {theirs.get('outcome')} ({theirs.get('error', '')})"
    if ours["outcome"] != "invalid" and ours.get("definite") != theirs.get("definite"):
        return f"definite {ours.get('definite')} / Jayway {theirs.get('definite')}"
    if ours["outcome"] == "value" and _canonical(ours["value"]) != _canonical(theirs.get("value")):
        return f"value {_canonical(ours['value'])} / Jayway {_canonical(theirs.get('value'))}"
    return None


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Kept:
    """A difference kept on purpose: which cases, and the AWS evidence that SSM reads them unlike Jayway 2.0.0."""

    name: str
    why: str

    def covers(self, case: Case, ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
        return False


KEPT: tuple[Kept, ...] = ()
"""None: every difference found was fixed in the simulator (docs/conformance.md says so)."""


class Outcome(NamedTuple):
    case: Case
    ours: dict[str, Any]
    theirs: dict[str, Any]
    differs: str | None
    kept: Kept | None


def compare(oracle: Any, cases: list[Case]) -> list[Outcome]:
    """Every case read by both; each outcome says whether they differ and, if so, whether that is kept."""
    answers = oracle.read((case.doc, case.path) for case in cases)
    outcomes = []
    for case, theirs in zip(cases, answers, strict=True):
        ours = simulate(case.doc, case.path)
        differs = difference(ours, theirs)
        kept = next((each for each in KEPT if each.covers(case, ours, theirs)), None) if differs else None
        outcomes.append(Outcome(case, ours, theirs, differs, kept))
    return outcomes


# --- the corpus ------------------------------------------------------------------------------------------------


class CorpusSelector(NamedTuple):
    file: Path
    step: str
    action: str
    field: str
    """``outputs[i].Selector`` or ``inputs.PropertySelector``."""
    selector: str
    service: str | None
    api: str | None


def _steps(steps: Any) -> Iterator[dict[str, Any]]:
    for step in steps if isinstance(steps, list) else ():
        if isinstance(step, dict):
            yield step
            inputs = step.get("inputs")
            if isinstance(inputs, dict):
                yield from _steps(inputs.get("Steps"))  # aws:loop's own steps


def corpus_selectors() -> list[CorpusSelector]:
    """Every selector of the corpus's documents (``CORPUS``), in file and step order."""
    found = []
    for file in corpus_files():
        try:
            data, _ = read_data(read_text(file), file=str(file))
        except Exception:
            continue
        for step in _steps(data.get("mainSteps")):
            action, name = str(step.get("action", "")), str(step.get("name", ""))
            inputs = step.get("inputs") if isinstance(step.get("inputs"), dict) else {}
            service, api = inputs.get("Service"), inputs.get("Api")
            call = (service, api) if isinstance(service, str) and isinstance(api, str) else (None, None)
            for index, output in enumerate(step.get("outputs") or []):
                if isinstance(output, dict) and isinstance(output.get("Selector"), str):
                    found.append(
                        CorpusSelector(file, name, action, f"outputs[{index}].Selector", output["Selector"], *call)
                    )
            if isinstance(inputs.get("PropertySelector"), str):
                found.append(
                    CorpusSelector(file, name, action, "inputs.PropertySelector", inputs["PropertySelector"], *call)
                )
    return found


def corpus_cases(models: ModelStore) -> list[Case]:
    """Each corpus selector against each of its step's responses."""
    cases = []
    for each in corpus_selectors():
        origin = f"{each.file.name} {each.step} {each.field}"
        for document in _responses(each, models) or _documents_for(each.selector):
            cases.append(Case(json.dumps(document), each.selector, origin))
    return cases


def _responses(each: CorpusSelector, models: ModelStore) -> list[Any]:
    """The step's responses built from its operation's output shape; [] when the call is not known."""
    if each.service is None or each.api is None or "{{" in each.service + each.api:
        return []
    model = models.model(each.service.strip().lower())
    operation = model.operation(each.api) if model is not None else None
    if model is None or operation is None:
        return []
    output = operation.output
    responses = []
    for variant in ("full", "sparse", "empty"):
        names = tuple(re.findall(r"[A-Za-z][A-Za-z0-9_]*", each.selector))
        body = _from_shape(model, output, variant, (), "", names) if output else {}
        response = dict(body) if isinstance(body, dict) else {}
        response["ResponseMetadata"] = {"RequestId": "0b1c2d3e-request", "HTTPStatusCode": 200}
        responses.append(response)
    return responses


_SCALARS = {
    "string": "value",
    "integer": 3,
    "long": 1700000000,
    "boolean": True,
    "float": 1.5,
    "double": 0.25,
    "timestamp": "2024-05-01T12:00:00+00:00",
    "blob": "AAEC",
}


def _from_shape(
    model: ServiceModel, name: str, variant: str, shapes: tuple[str, ...], member: str = "", names: tuple[str, ...] = ()
) -> Any:
    """A value of the shape ``name``; ``shapes`` are the structures above it (a recursive one stops, as null); a map
    has, besides its keys, the ``names`` the selector reads (a map's keys are not in the model)."""
    shape = model.shape(name)
    if shape.kind in _SCALARS:
        if shape.kind == "string":
            return f"{member or 'value'}-1"
        return False if variant != "full" and shape.kind == "boolean" else _SCALARS[shape.kind]
    if name in shapes or len(shapes) > 12:
        return None
    inner = (*shapes, name)
    if shape.kind == "structure":
        members = list(shape.members.items())
        if variant != "full":
            members = [item for index, item in enumerate(members) if index % 2 == 0 or item[0] in shape.required]
        return {key: _from_shape(model, target, variant, inner, key, names) for key, target in members}
    count = {"full": 2, "sparse": 1, "empty": 0}[variant]
    if shape.kind == "list":
        return [_from_shape(model, shape.target, variant, inner, member, names) for _ in range(count)]
    if shape.kind == "map":
        keys = [f"key{index}" for index in range(count)] + list(names if count else ())
        return {key: _from_shape(model, shape.target, variant, inner, key, names) for key in keys}
    return {"Document": ["any", 1]}  # a document member: any JSON


_SIMPLE_STEP = re.compile(r"\.([^.\[\]]+)|\['([^']*)'\]|\[(\d+)\]")


def _documents_for(selector: str) -> list[Any]:
    """Documents where a simple selector's path is present (its last value of each JSON kind) and absent; generic
    documents for any other selector."""
    text = selector.strip()
    text = text[1:] if text.startswith("$") else ("." + text if text and text[0] not in ".[" else text)
    steps: list[str | int] = []
    position = 0
    while position < len(text):
        match = _SIMPLE_STEP.match(text, position)
        if match is None:
            return [{"Payload": {"a": [1, {"b": None}]}}, [], {}]
        name, quoted, index = match.groups()
        steps.append(int(index) if index is not None else (name if name is not None else quoted))
        position = match.end()
    documents: list[Any] = []
    for leaf in ("text", 42, {"k": "v"}, ["x", "y"], None)[: 5 if steps else 4]:  # a response is never null
        node: Any = leaf
        for step in reversed(steps):
            node = (
                [f"other{n}" for n in range(step)] + [node, "after"]
                if isinstance(step, int)
                else {step: node, "Other": 1}
            )
        documents.append(node)
    documents.append({"Other": {"Payload": 1}})
    return documents


# --- generated cases -------------------------------------------------------------------------------------------

KEYS = ("a", "b", "c", "name", "it's", "length", "x y", "é", "😀", "1", "a.b", "[0]", "null", "*", "")
PLAIN = ("a", "b", "c", "name", "length")
CORE = ("a", "abc", "5", "1.5", "null", "true", "x\\'y", "it's", "", "a==b")
"""The strings records hold most and filters compare with most, so that filters often select something."""
STRINGS = (*CORE, "A", "-2", "1e2", " 5", "TRUE", "false", "é", "😀", "[1,2]", "{a=1}", "/", "0x10", "NaN", "1_000",
           "٣", "x!=y", "<=")  # fmt: skip
FLOATS = (1.5, -0.5, 0.1, 100.0, 1e20, 1e-5, 2.5e7, 0.0, -0.0, 123456.789, 0.001)
REGEXES = ("a", "a.*", ".*", "[a-c]+", "A", "5", "1.5", "\\d+", "tr.e", "\\{.*", "\\[.*", "é", "(a|b)c?", "", "[",
           ".*, .*", ".*=.*", ".*,.*", ".*\\\\/.*", ".*\\\\u.*", ".*E.*", "-?\\d+\\.\\d+", "\\[.*\\]", ".*\\\\.*",
           "null")  # fmt: skip
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "=~")
NOISE = "[]().'\"@$?*:,- !=<>&|/\\0"

scalars = st.one_of(
    st.integers(-3, 10),
    st.sampled_from((2**31, -(2**31) - 1, 2**63, 10**20)),
    st.sampled_from(FLOATS),
    st.sampled_from(STRINGS),
    st.booleans(),
    st.none(),
)
plain_keys = st.one_of(st.sampled_from(PLAIN), st.sampled_from(PLAIN), st.sampled_from(KEYS))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(plain_keys, inner, max_size=4)),
    max_leaves=10,
)
core = st.one_of(st.sampled_from(CORE), st.integers(0, 5), st.sampled_from((1.5, 100.0)), st.booleans(), st.none())
records = st.lists(
    st.dictionaries(st.sampled_from(("a", "b", "c")), st.one_of(core, core, json_values), max_size=3), max_size=4
)
"""Lists of maps with the same few names: what filters select from."""
documents = st.one_of(
    st.dictionaries(plain_keys, st.one_of(records, json_values, scalars), max_size=5),
    st.dictionaries(plain_keys, st.one_of(records, json_values), max_size=5),
    records,
    st.lists(json_values, max_size=4),
)


def _key(plain: bool = False) -> st.SearchStrategy[str]:
    return st.sampled_from(PLAIN) if plain else st.one_of(st.sampled_from(PLAIN), st.sampled_from(KEYS))


small = st.integers(-3, 5)
definite_steps = st.one_of(
    _key(plain=True).map(lambda key: f".{key}"),
    _key().map(lambda key: f"['{key}']"),
    st.integers(-1, 3).map(lambda n: f"[{n}]"),
)
operand_paths = st.one_of(
    st.sampled_from(("@.a", "@.b", "@.c", "@", "@['a']", "@.a[0]", "@.a.b", "$.a", "$['b'][0]", "@.length")),
    st.builds(
        lambda root, steps: root + "".join(steps), st.sampled_from(("@", "$")), st.lists(definite_steps, max_size=2)
    ),
)
literals = st.one_of(
    st.sampled_from(CORE).map(lambda text: f"'{text}'"),
    st.sampled_from(STRINGS).map(lambda text: f"'{text}'"),
    st.sampled_from(("5", "3", "-1", "1.5", "0", "1e2", "100.0", "true", "false", "null", "abc", '"a"', "'", "/")),
    st.sampled_from(REGEXES).map(lambda regex: f"/{regex}/"),
    st.sampled_from(REGEXES).map(lambda regex: f"/{regex}/i"),
)
operators = st.sampled_from(OPERATORS)
criteria = st.one_of(
    st.builds(lambda left, op, right: f"{left} {op} {right}", operand_paths, operators, literals),
    st.builds(lambda left, op, right: f"{left} {op} {right}", operand_paths, operators, literals),
    st.builds(lambda left, op, right: f"{left}{op}{right}", operand_paths, operators, operand_paths),
    st.builds(lambda left, op, right: f"{left} {op} {right}", literals, operators, operand_paths),
    operand_paths,
    operand_paths.map(lambda path: f"!{path}"),
)
filters = st.builds(
    lambda first, rest: first + "".join(f" {op} {each}" for op, each in rest),
    criteria,
    st.lists(st.tuples(st.sampled_from(("&&", "||")), criteria), max_size=2),
)
steps = st.one_of(
    definite_steps,
    _key().map(lambda key: f".{key}"),
    st.tuples(_key(), _key()).map(lambda keys: f"['{keys[0]}','{keys[1]}']"),
    st.tuples(_key(), _key()).map(lambda keys: f"[ '{keys[0]}' , '{keys[1]}' ]"),
    _key().map(lambda key: f'["{key}"]'),
    st.tuples(small, small).map(lambda pair: f"[{pair[0]},{pair[1]}]"),
    st.tuples(small, small).map(lambda pair: f"[{pair[0]}:{pair[1]}]"),
    small.map(lambda n: f"[:{n}]"),
    small.map(lambda n: f"[{n}:]"),
    small.map(lambda n: f"[ {n} ]"),
    st.sampled_from(("[*]", ".*", "*", "..*", "[?]", ".length()", ".size()", ".min()", "[ * ]", "[]", "..")),
    _key().map(lambda key: f"..{key}"),
    small.map(lambda n: f"..[{n}]"),
    st.integers(0, 3).map(lambda n: f"[(@.length-{n})]"),
    st.integers(0, 3).map(lambda n: f"[(@.size() - {n})]"),
    filters.map(lambda text: f"[?({text})]"),
    filters.map(lambda text: f"..[?({text})]"),
)
roots = st.sampled_from(("$", "$", "$", "@", "", " $", "$ "))
selectors = st.one_of(
    st.builds(lambda root, parts: root + "".join(parts), roots, st.lists(steps, max_size=4)),
    st.builds(  # a filter over a list of records, what selectors filter in practice
        lambda head, body, tail: f"${head}[?({body})]{tail}",
        st.sampled_from(("", ".a", ".b", ".c", "..a", "[*]", ".*")),
        filters,
        st.sampled_from(("", "", ".a", ".b", "[0]", "..a", "[*]", "['a','b']")),
    ),
    st.builds(lambda root, parts: root + "".join(parts), roots, st.lists(definite_steps, min_size=1, max_size=3)),
)


@st.composite
def noisy(draw: st.DrawFn, selector: str) -> str:
    """The selector, sometimes with one character of JSONPath's syntax inserted or one removed."""
    choice = draw(st.integers(0, 9))
    if choice > 1 or not selector:
        return selector
    position = draw(st.integers(0, len(selector) - 1))
    if choice == 0:
        return selector[:position] + selector[position + 1 :]
    return selector[:position] + draw(st.sampled_from(NOISE)) + selector[position:]


batches = st.tuples(documents, st.lists(selectors.flatmap(noisy), min_size=BATCH, max_size=BATCH)).map(
    lambda drawn: [Case(json.dumps(drawn[0]), path, "generated") for path in drawn[1]]
)


# --- every comparison, enumerated ------------------------------------------------------------------------------

TABLE_VALUES: tuple[Any, ...] = (
    None, True, False, 0, 5, -1, 3, 2**31, 10**20, 1.5, 100.0, 1e20, 1e-5, 0.001, 1e7, 9999999.0, 0.0009, -0.0,
    "", "a", "abc", "A", "5", "5.0", "1.5", "1e2", " 5", "-1", "null", "true", "TRUE", "false", "x\\'y", "x'y",
    "it's", "é", "😀", "a==b", "0x10", "NaN", "1_000", "٣", "/", "\\", [], [1, "a"], {}, {"a": 1, "b": [1.5, "x/y"]},
)  # fmt: skip
"""Every JSON kind a filter meets, with the strings and numbers where Java's conversions matter."""
TABLE_LITERALS = (
    "'a'", "'abc'", "'5'", "'null'", "'x\\'y'", "'it's'", "''", "'😀'", "'é'", "'true'", "5", "5.0", "-1", "1.5", "1e2",
    "0", "true", "false", "null", "abc", "/a/", "/A/i", "/.*/", "/5/", "/1\\.5/", "/.*, .*/", "/\\{.*/", "/\\[.*/",
    "/.*E.*/", "/.*\\\\\\/.*/", "/null/", "/true/", "/-?\\d+\\.\\d+/",
)  # fmt: skip
"""Every kind of operand a filter's text can hold that is not a path."""


def table_cases() -> list[Case]:
    """Each value against each literal with each operator, both ways round, and each value against each value
    (``@.v OP @.w`` over one record per pair): Jayway's safeCompare and regex matching, exhaustively."""
    cases = []
    for value in TABLE_VALUES:
        doc = json.dumps({"r": [{"v": value}, {"w": 1}]})
        for literal in TABLE_LITERALS:
            for operator in OPERATORS:
                cases.append(Case(doc, f"$.r[?(@.v {operator} {literal})]", "table"))
                cases.append(Case(doc, f"$.r[?({literal} {operator} @.v)]", "table"))
        pairs = json.dumps({"r": [{"v": value, "w": other} for other in TABLE_VALUES]})
        for operator in OPERATORS:
            cases.append(Case(pairs, f"$.r[?(@.v {operator} @.w)].w", "table"))
    return cases
