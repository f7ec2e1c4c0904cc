"""Security rules: credentials written into the document, hard-coded account ids, and the role the run assumes.

Secrets are looked for in every string of the document (descriptions, parameter defaults, step inputs and
script code). A finding points at the secret inside its string (line and column inside a block scalar) and its
message masks the value: the linter's output must not spread what it warns about.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Final

from toolkit.lint.context import CODE_INPUTS, LintDocument
from toolkit.lint.rule import Path, Problem, Rule
from toolkit.model.values import JSON, REFERENCE, WHOLE_REFERENCE, Ref, RefKind

ROLE_PARAMETER: Final = "AutomationAssumeRole"

ACCESS_KEY_ID: Final = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
SECRET_KEY: Final = re.compile(
    r"secret[\w\s\"':=>-]{0,30}?(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", re.IGNORECASE
)
BARE_SECRET_KEY: Final = re.compile(r"\A\s*([A-Za-z0-9/+]{40})\s*\Z")
PRIVATE_KEY: Final = re.compile(r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----")
TOKENS: Final = (
    ("a GitHub token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+")),
    ("a Google API key", re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")),
    ("a Stripe live key", re.compile(r"(?<![A-Za-z0-9])[sr]k_live_[0-9A-Za-z]{20,}")),
)
KEY_SCREEN: Final = re.compile(r"A(?:KIA|SIA)")
GITHUB_SCREEN: Final = re.compile(r"gh(?:[pousr]_|ithub_pat_)")
TOKEN_SCREEN: Final = re.compile(r"gh(?:[pousr]_|ithub_pat_)|xox[abposr]-|hooks\.slack\.com|AIza|k_live_")
URL_PASSWORD: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@{}]+):([^/\s@{}]+)@")

REF: Final = r"\{\{[^{}]*\}\}"
ARN_ACCOUNT: Final = re.compile(rf"arn:(?:aws[a-z-]*|{REF}):(?:[a-z0-9-]+|{REF}):(?:[a-z0-9-]*|{REF}):([0-9]{{12}}):")
ACCOUNT_ID: Final = re.compile(r"\A[0-9]{12}\Z")
ACCOUNT_KEY: Final = re.compile(r"(?:account|accountid|accountids|accounts)\Z", re.IGNORECASE)
# Elastic Load Balancing's own accounts, which bucket policies for access logs must name (AWS ELB user guide,
# "Attach a policy to your S3 bucket"): a document cannot write them as {{ global:ACCOUNT_ID }}.
AWS_SERVICE_ACCOUNTS: Final = frozenset(
    {
        "127311923021", "033677994240", "027434742980", "797873946194", "098369216593", "985666609251",
        "054676820928", "156460612806", "652711504416", "635631232127", "009996457667", "897822967062",
        "754344448648", "582318560864", "600734575887", "383597477331", "114774131450", "783225319266",
        "718504428378", "076674570225", "507241528517", "048591011584", "190560391635", "638102146993",
        "037604701340",
    }
)  # fmt: skip

SENSITIVE_WORDS: Final = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey"})
SENSITIVE_PAIRS: Final = frozenset({("api", "key"), ("private", "key"), ("access", "key")})
# A last word that makes the parameter a name, a reference or a setting about the secret, not the secret.
NOT_SECRET_SUFFIX: Final = frozenset(
    {
        "arn", "arns", "name", "names", "id", "ids", "length", "age", "policy", "path", "prefix", "type",
        "count", "period", "days", "duration", "rotation", "enabled", "parameter", "param", "version", "region",
    }
)  # fmt: skip
WORDS: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _strings(value: JSON, path: Path) -> Iterator[tuple[Path, str]]:
    """Every string inside a value (keys excluded), with its path."""
    stack: list[tuple[JSON, Path]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend((child, (*where, key)) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((child, (*where, index)) for index, child in reversed(list(enumerate(item))))


def _problem_at_character(path: Path, text: str, start: int, message: str) -> Problem:
    """A problem at one character of a string: the line and column inside it, for multi-line strings."""
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Problem(path, message, line_offset=line, column=column)


def _path_label(doc: LintDocument, path: Path) -> str:
    """A short human name for a path: the step and input, the parameter, or the top-level key."""
    steps = {site.path: site for site in doc.steps}
    for end in range(len(path) - 1, 0, -1):
        site = steps.get(path[:end])
        if site is not None:
            rest = path[end:]
            if len(rest) >= 2 and rest[0] == "inputs":
                return f"{site.label}: input {rest[1]}"
            return site.label
    if len(path) >= 2 and path[0] == "parameters":
        return f"parameter {path[1]}"
    return str(path[0]) if path else "the document"


def _mask(secret: str, keep: int = 4) -> str:
    shown = secret[:keep]
    return f"{shown}{'*' * min(max(len(secret) - keep, 4), 12)}"


def _example(text: str) -> bool:
    return "EXAMPLE" in text


# -- credentials ---------------------------------------------------------------------------------------------
#
# One pass over the document's strings finds every kind of credential; each rule below reports its own kind.
# Cheap substring tests gate the regular expressions, which run on few strings.


def _scan_string(path: Path, text: str, kinds: frozenset[str]) -> Iterator[tuple[str, int, str]]:
    """(rule id, offset in the string, what was found) for each credential in one string.

    ``kinds`` holds the kinds the document's text may hold (see ``_kinds``): the others are not looked for.
    """
    if "key" in kinds and ("AKIA" in text or "ASIA" in text):
        for match in ACCESS_KEY_ID.finditer(text):
            if not _example(match.group(0)):
                yield "W5001", match.start(), f"an AWS access key id ({_mask(match.group(0))})"
    if "secret" in kinds:
        key = path[-1] if path else ""
        if isinstance(key, str) and "secret" in key.lower():
            bare = BARE_SECRET_KEY.match(text)
            if bare and _looks_random(bare.group(1)):
                yield "W5002", bare.start(1), "what looks like an AWS secret access key (masked)"
        if "ecret" in text or "ECRET" in text:
            for match in SECRET_KEY.finditer(text):
                if _looks_random(match.group(1)):
                    yield "W5002", match.start(1), "what looks like an AWS secret access key (masked)"
    if "private" in kinds and "PRIVATE KEY" in text:
        for match in PRIVATE_KEY.finditer(text):
            yield "W5003", match.start(), f"a private key block ({match.group(1)})"
    if "token" in kinds and TOKEN_SCREEN.search(text):
        for kind, pattern in TOKENS:
            for match in pattern.finditer(text):
                masked = _mask(match.group(0), 8 if kind.endswith("URL") else 4)
                yield "W5004", match.start(), f"{kind} ({masked})"
    if "url" in kinds and _url_with_password(text):
        for match in URL_PASSWORD.finditer(text):
            yield "W5005", match.start(2), f"a URL with a password for user {match.group(1)}"


def _kinds(text: str) -> frozenset[str]:
    """The kinds of credential a document's text may hold: a cheap screen (a few substring searches)."""
    kinds = set()
    if KEY_SCREEN.search(text):
        kinds.add("key")
    if "ecret" in text or "ECRET" in text:
        kinds.add("secret")
    if "PRIVATE KEY" in text:
        kinds.add("private")
    if GITHUB_SCREEN.search(text) or any(marker in text for marker in ("xox", "hooks.slack.com", "AIza", "k_live_")):
        kinds.add("token")
    if "://" in text and _url_with_password(text):
        kinds.add("url")
    return frozenset(kinds)


def _url_with_password(text: str) -> bool:
    """Whether some ``scheme://`` in the text is followed by ``user:password@`` (a cheap screen)."""
    index = text.find("://")
    while index >= 0:
        authority = re.split(r"[/\s\"'<>]", text[index + 3 : index + 260], maxsplit=1)[0]
        if "@" in authority and ":" in authority.rpartition("@")[0]:
            return True
        index = text.find("://", index + 3)
    return False


def _credentials(doc: LintDocument) -> dict[str, tuple[Problem, ...]]:
    """Every credential in the document, by rule id (computed once for the five rules that report them).

    The document's text is screened first: most documents hold none of the markers, and are not walked.
    """
    kinds = _kinds(doc.text)
    if not kinds:
        return {}
    found: dict[str, list[Problem]] = {}
    for path, text in _strings(doc.data, ()):
        for rule_id, start, what in _scan_string(path, text, kinds):
            message = f"{_path_label(doc, path)} holds {what}; remove it."
            found.setdefault(rule_id, []).append(_problem_at_character(path, text, start, message))
    return {rule_id: tuple(problems) for rule_id, problems in found.items()}


def _looks_random(text: str) -> bool:
    """Mixed case and digits, as a generated key has; not a word, a path or a hex digest."""
    return (
        not _example(text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
    )


class AccessKeyId(Rule):
    """The document contains an AWS access key id (``AKIA...`` or ``ASIA...``).

    A document is readable by everyone it is shared with, and its versions keep every value forever. An access
    key in it is a leaked credential, and an automation never needs one: it runs with the assumed role.
    AWS's documentation example ``AKIAIOSFODNN7EXAMPLE`` is ignored.

    Fix: deactivate and delete the key in IAM, remove it from the document, and give the execution's role the
    permissions the key was used for.
    """

    id = "W5001"
    summary = "AWS access key id in the document"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        return doc.memo(_credentials, lambda: _credentials(doc)).get(self.id, ())


class SecretAccessKey(Rule):
    """The document contains what looks like an AWS secret access key.

    A 40-character base64 string with mixed case and digits next to the word "secret"
    (``aws_secret_access_key = "..."``), or as the whole value of a key whose name contains "secret", is almost
    certainly a secret access key. See W5001 for why a credential must not be in a document. Values containing
    ``EXAMPLE`` are ignored.

    Fix: rotate the key in IAM, remove it, and rely on the execution's role.
    """

    id = "W5002"
    summary = "AWS secret access key in the document"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        return doc.memo(_credentials, lambda: _credentials(doc)).get(self.id, ())


class PrivateKey(Rule):
    """The document contains a private key block (``-----BEGIN ... PRIVATE KEY-----``).

    A private key in a shared, versioned document is exposed to everyone who can read any version of it.

    Fix: revoke the key, remove it, and have the step read it at run time from Secrets Manager or a SecureString
    parameter the execution's role may read.
    """

    id = "W5003"
    summary = "private key in the document"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        return doc.memo(_credentials, lambda: _credentials(doc)).get(self.id, ())


class ServiceToken(Rule):
    """The document contains a well-known kind of service credential.

    Recognised: GitHub tokens (``ghp_``, ``gho_``, ``ghu_``, ``ghs_``, ``ghr_``, ``github_pat_``), Slack tokens
    (``xox?-``) and incoming-webhook URLs, Google API keys (``AIza...``) and Stripe live keys. Each is a
    credential that works for anyone who reads the document.

    Fix: revoke the token, remove it, and read it at run time from Secrets Manager.
    """

    id = "W5004"
    summary = "service token or webhook URL in the document"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        return doc.memo(_credentials, lambda: _credentials(doc)).get(self.id, ())


class UrlPassword(Rule):
    """A URL in the document carries a password (``scheme://user:password@host``).

    The password is readable by everyone who can read the document. A ``{{ reference }}`` in the password's
    place is not reported.

    Fix: remove the password from the URL and pass it at run time (Secrets Manager, SecureString parameter).
    """

    id = "W5005"
    summary = "password written in a URL"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        return doc.memo(_credentials, lambda: _credentials(doc)).get(self.id, ())


def _sensitive_name(name: str) -> bool:
    words = [word.lower() for word in WORDS.findall(name)]
    if not words or words[-1] in NOT_SECRET_SUFFIX:
        return False
    if any(word in SENSITIVE_WORDS for word in words):
        return True
    return any(pair in SENSITIVE_PAIRS for pair in itertools.pairwise(words))


class SecretParameterDefault(Rule):
    """A parameter named like a secret (``*Password*``, ``*Secret*``, ``*Token*``, ``*ApiKey*``) has a literal
    default.

    The default is stored in the document, in clear, for everyone who can read it; and an execution started
    without the parameter silently uses it. Names ending in a word that makes them a reference or a setting
    (``SecretArn``, ``PasswordLength``, ``TokenName``...) and non-String parameters are not reported.

    Fix: remove the default so the value must be given at run time, or pass a reference to where the secret
    lives (a Secrets Manager ARN or a parameter name) and read it inside the step.
    """

    id = "W5006"
    summary = "secret-like parameter with a literal default"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        for name, spec in doc.parameters.items():
            if not isinstance(spec, dict) or not _sensitive_name(name):
                continue
            default = spec.get("default")
            kind = spec.get("type", "String")
            if kind != "String" or not isinstance(default, str) or not default.strip():
                continue
            if WHOLE_REFERENCE.match(default.strip()):
                continue
            yield Problem(
                ("parameters", name, "default"),
                f"parameter {name} looks like a secret and has a literal default ({_mask(default, 0)}); "
                "remove the default.",
            )


# -- account ids ---------------------------------------------------------------------------------------------


class HardCodedAccount(Rule):
    """A step input hard-codes a 12-digit AWS account id, in an ARN or as an account input.

    ``{{ global:ACCOUNT_ID }}`` resolves to the account the execution runs in, so the same document works in
    every account (and in AWS Config remediation across an organization). A literal id ties it to one account.
    Script code is not checked (a script reads the account with ``sts.get_caller_identity()``), nor are the
    accounts AWS services own and policies must name (Elastic Load Balancing's log-delivery accounts).
    Cross-account ARNs are legitimate: then make the account a parameter.

    Fix: write ``arn:{{ global:AWS_PARTITION }}:...:{{ global:ACCOUNT_ID }}:...``, or a parameter for another
    account.
    """

    id = "W5010"
    summary = "hard-coded account id in a step input"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        arns = ARN_ACCOUNT.search(doc.text) is not None  # a cheap screen: most documents have none
        accounts = "ccount" in doc.text
        if not arns and not accounts:
            return
        for site in doc.steps:
            for key, value in site.inputs.items():
                if key in CODE_INPUTS or (key == "Steps" and site.action == "aws:loop"):
                    continue
                base = (*site.path, "inputs", key)
                if arns:
                    yield from self._arns(value, base, site.label)
                if accounts:
                    yield from self._account_inputs(key, value, base, site.label)

    @staticmethod
    def _arns(value: JSON, base: Path, label: str) -> Iterator[Problem]:
        for path, text in _strings(value, base):
            if "arn:" not in text:
                continue
            for match in ARN_ACCOUNT.finditer(text):
                account = match.group(1)
                if account not in AWS_SERVICE_ACCOUNTS:
                    message = (
                        f"{label}: input {base[-1]} hard-codes account {account} in an ARN; "
                        "use {{ global:ACCOUNT_ID }} (or a parameter for another account)."
                    )
                    yield _problem_at_character(path, text, match.start(1), message)

    @staticmethod
    def _account_inputs(key: str, value: JSON, base: Path, label: str) -> Iterator[Problem]:
        if not ACCOUNT_KEY.search(key):
            return
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            text = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
            if isinstance(text, str) and ACCOUNT_ID.match(text.strip()) and text.strip() not in AWS_SERVICE_ACCOUNTS:
                path = base if index is None else (*base, index)
                yield Problem(
                    path,
                    f"{label}: input {key} hard-codes account {text.strip()}; "
                    "use {{ global:ACCOUNT_ID }} (or a parameter for another account).",
                )


# -- assumed role ----------------------------------------------------------------------------------------------


class AssumeRoleMissing(Rule):
    """The document has no ``assumeRole``.

    Without one, the execution runs with the permissions of whoever starts it, so the same document does
    different things for different callers, and aws:executeScript steps that call AWS get no credentials at all.
    AWS Config remediation passes the role as the ``AutomationAssumeRole`` parameter.

    Fix: declare a String parameter ``AutomationAssumeRole`` and set ``assumeRole: "{{ AutomationAssumeRole }}"``.
    """

    id = "W5020"
    summary = "no assumeRole: the execution runs with the caller's permissions"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        role = doc.data.get("assumeRole")
        if "assumeRole" not in doc.data:
            yield Problem(
                (),
                "the document has no assumeRole, so executions run with the caller's permissions; "
                'add assumeRole: "{{ AutomationAssumeRole }}".',
            )
        elif role is None or (isinstance(role, str) and not role.strip()):
            yield Problem(
                ("assumeRole",),
                "assumeRole is empty, so executions run with the caller's permissions; "
                'set it to "{{ AutomationAssumeRole }}".',
            )


class AssumeRoleLiteral(Rule):
    """``assumeRole`` is a literal role ARN instead of a parameter.

    A literal ARN ties the document to one account and one role, and AWS Config automatic remediation cannot
    pass its own role: it supplies the ``AutomationAssumeRole`` parameter.

    Fix: declare a String parameter ``AutomationAssumeRole`` and set ``assumeRole: "{{ AutomationAssumeRole }}"``.
    """

    id = "W5021"
    summary = "assumeRole is a literal ARN, not a parameter"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        role = doc.data.get("assumeRole")
        if isinstance(role, str) and role.strip() and not REFERENCE.search(role):
            yield Problem(
                ("assumeRole",),
                'assumeRole is a literal role ARN; make it a parameter: "{{ AutomationAssumeRole }}".',
            )


class AssumeRoleParameterName(Rule):
    """``assumeRole`` uses a parameter that is not named ``AutomationAssumeRole``.

    AWS Config's PutRemediationConfigurations accepts the role for *automatic* remediation only as a parameter
    named exactly ``AutomationAssumeRole``; a document whose role parameter has another name cannot be used
    for automatic remediation (manual runs are unaffected). An undeclared parameter is left to the references
    rules.

    Fix: rename the parameter to ``AutomationAssumeRole`` (and the reference in ``assumeRole``).
    """

    id = "I5022"
    summary = "assumeRole parameter is not named AutomationAssumeRole"

    def check(self, doc: LintDocument) -> Iterable[Problem]:
        role = doc.data.get("assumeRole")
        if not isinstance(role, str):
            return
        names = [Ref(match.group(1)).target for match in REFERENCE.finditer(role)]
        declared = [n for n in names if Ref(n).kind is RefKind.PARAMETER and n in doc.parameters]
        if declared and ROLE_PARAMETER not in declared:
            yield Problem(
                ("assumeRole",),
                f"assumeRole uses parameter {declared[0]}; AWS Config automatic remediation only passes a role "
                f"named {ROLE_PARAMETER}.",
            )


RULES: tuple[type[Rule], ...] = (
    AccessKeyId,
    SecretAccessKey,
    PrivateKey,
    ServiceToken,
    UrlPassword,
    SecretParameterDefault,
    HardCodedAccount,
    AssumeRoleMissing,
    AssumeRoleLiteral,
    AssumeRoleParameterName,
)
