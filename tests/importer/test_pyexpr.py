"""The expression printer: exact literals, lines within the limit, and code that evaluates back to the data."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from toolkit.importer.naming import Namer, document_name, snake
from toolkit.importer.pyexpr import LINE_LENGTH, Call, Code, DictOf, Expr, ListOf, Text, TupleOf, lines, split_text
from toolkit.importer.pyexpr import string_literal as literal
from toolkit.model.values import JSON

# Keys are names in real documents; a key too long for any line stays whole (as it would in hand-written code).
keys = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=30,
)


def to_expr(value: JSON) -> Expr:
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, list):
        return ListOf([to_expr(item) for item in value])
    if isinstance(value, dict):
        return DictOf([(Text(key), to_expr(item)) for key, item in value.items()])
    return Code(repr(value))


@given(st.text())
def test_every_string_literal_reads_back_exactly(text: str) -> None:
    assert ast.literal_eval(literal(text)) == text


@given(st.text())
def test_literals_are_printable_ascii(text: str) -> None:
    assert all(" " <= char <= "~" for char in literal(text))


@given(json_values)
def test_printed_data_evaluates_back_and_stays_within_the_line(value: JSON) -> None:
    printed = "\n".join(lines(to_expr(value), 1, "value = "))
    namespace: dict[str, object] = {}
    exec(compile("def f():\n" + printed + "\n    return value\n", "<printed>", "exec"), namespace)
    assert namespace["f"]() == value  # type: ignore[operator]
    assert all(len(line) <= LINE_LENGTH for line in printed.splitlines())


@given(st.text(min_size=1), st.integers(min_value=20, max_value=120))
def test_split_text_keeps_the_text_and_fits_the_width(text: str, width: int) -> None:
    pieces = split_text(text, width)
    assert "".join(pieces) == text
    assert all(len(literal(piece)) <= width for piece in pieces)


def test_quotes_and_raw_strings_follow_ruff() -> None:
    assert literal("plain") == '"plain"'
    assert literal('say "hi"') == "'say \"hi\"'"
    assert literal(r"^arn:aws:iam::\d{12}:role/.+$") == r'r"^arn:aws:iam::\d{12}:role/.+$"'
    assert literal("ends with \\") == '"ends with \\\\"'
    assert literal("caf\u00e9 \u2019") == '"caf\\xe9 \\u2019"'
    assert literal("a\nb\tc") == '"a\\nb\\tc"'


def test_an_expression_that_fits_is_flat_and_one_that_does_not_is_exploded_with_magic_commas() -> None:
    short = Call("Step", [], [("name", Text("A")), ("items", TupleOf([Code("x")]))])
    assert lines(short, 1, "a = ") == ['    a = Step(name="A", items=(x,))']
    long = Call("Step", [], [("name", Text("A" * 60)), ("items", ListOf([Text("b" * 50), Text("c" * 50)]))])
    assert lines(long, 1, "a = ") == [
        "    a = Step(",
        '        name="' + "A" * 60 + '",',
        "        items=[",
        '            "' + "b" * 50 + '",',
        '            "' + "c" * 50 + '",',
        "        ],",
        "    )",
    ]


def test_a_long_string_argument_is_parenthesised_and_cut_after_newlines_then_spaces() -> None:
    text = "## Title\n" + "word " * 40
    out = lines(Call("Step", [], [("description", Text(text))]), 1, "a = ")
    assert out[1] == "        description=("
    assert out[2] == '            "## Title\\n"'
    assert all(line.endswith(' "') for line in out[3:-3])  # each piece ends at a space
    assert out[-2:] == ["        ),", "    )"]


def test_names_are_snake_case_unique_and_never_keywords() -> None:
    assert snake("StopEC2Instance") == "stop_ec2_instance"
    assert snake("removePublicIPs") == "remove_public_ips"
    assert snake("AWS-RestartEC2Instance") == "aws_restart_ec2_instance"
    assert snake("2ndStep") == "n_2nd_step"
    namer = Namer()
    assert [namer.take("Check"), namer.take("check"), namer.take("class"), namer.take("Runbook")] == [
        "check",
        "check_2",
        "class_2",
        "runbook_2",
    ]
    assert namer.take("Check", suffix="_step") == "check_step"


def test_document_names_are_made_valid_for_ssm() -> None:
    assert document_name("AWS-RestartEC2Instance") == "AWS-RestartEC2Instance"
    assert document_name("source__@aws-accelerator__x") == "source__-aws-accelerator__x"
    assert len(document_name("a" * 300)) == 128
    assert document_name("x") == "imported-x"
