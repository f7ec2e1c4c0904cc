"""Filling a document template's build-time placeholders as AWS Automated Security Response's build does.

Some projects keep a runbook's scripts as real Python files and write ``%%SCRIPT=file.py%%`` where each goes (and
``%%ROLE=name%%`` where a role name goes); their build fills them in before the document is published. The linter
reads such templates as they are (a placeholder is information); to simulate one, fill it first:

```python
from toolkit.placeholders import fill_template
text = fill_template("CreateCloudTrailMultiRegionTrail.yaml", scripts="scripts", namespace="myasr")
```

The rules are those of ASR's ``RunbookFactory`` (source/lib/runbook_factory.ts in
aws-solutions/automated-security-response-on-aws), line by line:

- a line that is whitespace then ``%%SCRIPT=name%%`` is replaced by the file ``name`` of the scripts folder (of the
  ``common`` folder for a name starting ``common/``), each of its lines, empty ones included, prefixed by that
  whitespace; anything after the placeholder on the line is dropped, as ASR drops it;
- otherwise a line holding ``%%ROLE=name%%`` gets ``name-NAMESPACE`` in its place (the last such placeholder of the
  line, as ASR's greedy pattern finds it);
- every line, filled or not, ends with a newline (so a template ending in one ends in two, as ASR's output does).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from toolkit.errors import LoadError
from toolkit.files import read_text

__all__ = ["fill_template", "fill_text"]

SCRIPT_LINE: Final = re.compile(r"^(?P<padding>\s+)%%SCRIPT=(?P<script>.*)%%")
"""ASR's ``scriptRegex``: the placeholder must be indented (a block scalar's line)."""
ROLE_LINE: Final = re.compile(r"^(?P<prefix>.*)%%ROLE=(?P<role>.*)%%(?P<suffix>.*)")
"""ASR's ``assumeRoleRegex``."""
COMMON_PREFIX: Final = "common/"


def fill_template(
    path: str | Path, scripts: str | Path, *, namespace: str | None = None, common: str | Path | None = None
) -> str:
    """The template file at ``path`` with its placeholders filled in (see the module's doc). Raises ``LoadError``
    naming the template and line for a script that cannot be read or a role placeholder without a namespace."""
    return fill_text(read_text(path), file=str(path), scripts=scripts, namespace=namespace, common=common)


def fill_text(
    text: str,
    *,
    file: str,
    scripts: str | Path,
    namespace: str | None = None,
    common: str | Path | None = None,
) -> str:
    """``text`` (a template read from ``file``) with its placeholders filled in; see ``fill_template``."""
    out: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        script = SCRIPT_LINE.match(line)
        role = ROLE_LINE.match(line)
        if script is not None and script["script"]:
            out.append(_script(script["padding"], script["script"], Path(scripts), common, file, number))
        elif role is not None and role["role"]:
            if namespace is None:
                raise LoadError(f"%%ROLE={role['role']}%% needs a namespace to fill it", file=file, line=number)
            out.append(f"{role['prefix']}{role['role']}-{namespace}{role['suffix']}\n")
        else:
            out.append(line + "\n")
    return "".join(out)


def _script(padding: str, name: str, scripts: Path, common: str | Path | None, file: str, number: int) -> str:
    if name.startswith(COMMON_PREFIX):
        if common is None:
            raise LoadError(f"%%SCRIPT={name}%% needs the common scripts' folder", file=file, line=number)
        path = Path(common) / name.replace(COMMON_PREFIX, "", 1)
    else:
        path = scripts / name
    try:
        code = read_text(path)
    except LoadError as err:
        raise LoadError(f"%%SCRIPT={name}%%: {err}", file=file, line=number) from err
    return "\n".join(padding + line for line in code.split("\n")) + "\n"
