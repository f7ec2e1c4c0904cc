"""StatementTable: policies of the same document share one compiled form; different documents never do."""

from __future__ import annotations

import re

from toolkit.iam.policy import Policy, StatementTable
from toolkit.iam.variables import glob_regex

ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
PRINCIPAL = ("AWS", "arn:aws:iam::123456789012:role/Admin")


def test_policies_of_one_document_share_compiled_statements() -> None:
    table = StatementTable()
    first, second = Policy.parse(ADMIN), Policy.parse(ADMIN)
    table.prepare(first)
    table.prepare(second)
    assert first._statements is not None and first._statements is second._statements
    assert len(table) == 1
    assert second.decide(PRINCIPAL, "s3:GetObject", "arn:aws:s3:::b/k") == "Allow"


def test_documents_that_differ_only_in_types_are_kept_apart() -> None:
    table = StatementTable()
    listed = Policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    tupled = Policy({"Statement": ({"Effect": "Allow", "Action": "*", "Resource": "*"},)})
    table.prepare(listed)
    table.prepare(tupled)
    assert len(table) == 2
    assert listed.decide(PRINCIPAL, "s3:GetObject", "*") == "Allow"
    assert tupled.decide(PRINCIPAL, "s3:GetObject", "*") == Policy(tupled.document).decide(
        PRINCIPAL, "s3:GetObject", "*"
    )


def test_a_full_table_starts_again() -> None:
    table = StatementTable(limit=2)
    for action in ("s3:a", "s3:b", "s3:c"):
        table.prepare(Policy({"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}))
    assert len(table) == 1


def test_glob_regex_is_escaping_character_by_character() -> None:
    for text in ("", "*", "a?b*c", "arn:aws:s3:::my.bucket/[x](y)+*", "?*?", "a\\*b\n$^"):
        for star, one in ((".*", "."), ("[^:]*", "[^:]")):
            expected = "".join(star if char == "*" else one if char == "?" else re.escape(char) for char in text)
            assert glob_regex(text, star, one) == expected
