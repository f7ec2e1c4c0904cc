"""Python names for what a document names: modules, variables and constants, unique and never a keyword."""

from __future__ import annotations

import keyword
import re

from toolkit.ssm.names import DOCUMENT_NAME_LENGTHS, NOT_DOCUMENT_NAME_CHARACTERS

# Words start at a capital after a lower-case letter or digit, or at the last capital of a run followed by two
# lower-case letters: StopEC2Instance -> stop_ec2_instance, removePublicIPs -> remove_public_ips.
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")
_NOT_IDENTIFIER = re.compile(r"[^0-9a-zA-Z]+")

# Names the generated module itself uses: a variable must never shadow them.
RESERVED = frozenset(
    {
        "Choice",
        "Document",
        "GenericStep",
        "Global",
        "Kind",
        "NAME",
        "Output",
        "Parameter",
        "ParameterType",
        "Path",
        "SCRIPTS",
        "DESCRIPTION",
        "Var",
        "Variable",
        "annotations",
        "build",
        "runbook",
    }
)


def snake(text: str) -> str:
    """``StopInstances`` -> ``stop_instances``, ``AWS-RestartEC2Instance`` -> ``aws_restart_ec2_instance``."""
    words = _NOT_IDENTIFIER.sub("_", _WORD_BOUNDARY.sub("_", text)).strip("_").lower()
    words = re.sub(r"_+", "_", words)
    if not words:
        return "unnamed"
    if words[0].isdigit():
        words = "n_" + words
    return words


def document_name(name: str | None) -> str:
    """A name SSM accepts (3-128 of letters, digits, ``_-.``), from a file stem that may not be one."""
    shortest, longest = DOCUMENT_NAME_LENGTHS
    cleaned = NOT_DOCUMENT_NAME_CHARACTERS.sub("-", name or "").strip("-")[-longest:].lstrip("-")
    return cleaned if len(cleaned) >= shortest else f"imported-{cleaned}".rstrip("-")


def module_name(document_name: str) -> str:
    """The module a document is imported into (a runbooks/ module name)."""
    return snake(document_name)


class Namer:
    """Hands out distinct identifiers in one namespace."""

    def __init__(self) -> None:
        self.used: set[str] = set(RESERVED)

    def take(self, wanted: str, *, upper: bool = False, suffix: str = "") -> str:
        base = snake(wanted)
        base = base.upper() if upper else base
        candidate = base
        if candidate in self.used or keyword.iskeyword(candidate) or keyword.issoftkeyword(candidate):
            candidate = f"{base}{suffix}" if suffix else candidate
        number = 2
        stem = candidate
        while candidate in self.used or keyword.iskeyword(candidate) or keyword.issoftkeyword(candidate):
            candidate = f"{stem}_{number}"
            number += 1
        self.used.add(candidate)
        return candidate
