"""Jayway JsonPath as an oracle: Debian's ``libjsonpath-java`` run by one long-lived JVM.

``JsonPathOracle.java`` (beside this file) is compiled with javac into a temporary folder and started once; cases go
to it as JSON lines and come back in order, thousands a second. ``make``'s set-up installs the package where
apt-get can; ``missing()`` says what is absent otherwise, for the tests' one skip line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent / "JsonPathOracle.java"
PACKAGES = ("libjsonpath-java", "libjson-smart-java", "libaccessors-smart-java", "libasm-java", "libslf4j-java")
"""The Debian package and the packages its jar needs at run time (json-smart, accessors-smart, asm, slf4j)."""
JARS = ("json-path", "json-smart", "accessors-smart", "asm", "slf4j-api")
OPTIONAL_JARS = ("slf4j-nop",)
"""slf4j's silent binding, when installed: without it slf4j prints a three-line warning on stderr, nothing else."""
SHARE = Path("/usr/share/java")
NEEDS = "Jayway JsonPath (Debian's libjsonpath-java, which make test installs where apt-get can) and a JDK"


def _packaged_files() -> list[Path]:
    """Every file the packages installed, as ``dpkg -L`` lists them (none without dpkg)."""
    dpkg = shutil.which("dpkg")
    if dpkg is None:
        return []
    listed = subprocess.run([dpkg, "-L", *PACKAGES], capture_output=True, text=True, check=False).stdout
    return [Path(line) for line in listed.splitlines() if line.endswith(".jar")]


def classpath() -> list[Path] | None:
    """The jars Jayway needs, found among the packages' files (or in /usr/share/java); None when one is missing."""
    files = _packaged_files()
    found: list[Path] = []
    for name in (*JARS, *OPTIONAL_JARS):
        candidates = [path for path in files if path.name == f"{name}.jar"] or [SHARE / f"{name}.jar"]
        jar = next((path for path in candidates if path.is_file()), None)
        if jar is None and name in JARS:
            return None
        if jar is not None:
            found.append(jar)
    return found


def version() -> str:
    """Jayway's version, from the versioned jar the package installs (json-path-2.0.0.jar): "2.0.0"."""
    for path in [*_packaged_files(), *SHARE.glob("json-path-*.jar")]:
        match = re.fullmatch(r"json-path-(\d+(?:\.\d+)+)\.jar", path.name)
        if match:
            return match.group(1)
    return "unknown"


def missing() -> str | None:
    """What is missing to run the oracle, or None when everything is at hand."""
    if shutil.which("java") is None or shutil.which("javac") is None:
        return "a JDK (java and javac)"
    if classpath() is None:
        return "Jayway JsonPath (Debian's libjsonpath-java)"
    return None


class Jayway:
    """One JVM running JsonPathOracle; ``read`` many cases at once, ``close`` when done."""

    def __init__(self, workdir: Path) -> None:
        jars = classpath()
        if jars is None or shutil.which("java") is None or shutil.which("javac") is None:
            raise RuntimeError(f"the Jayway oracle needs {NEEDS}")
        path = ":".join(str(jar) for jar in jars)
        subprocess.run(
            ["javac", "-nowarn", "-cp", path, "-d", str(workdir), str(SOURCE)], check=True, capture_output=True
        )
        self._process = subprocess.Popen(
            ["java", "-Xss8m", "-cp", f"{path}:{workdir}", "JsonPathOracle"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )

    def _ask(self, requests: list[dict[str, str]]) -> list[dict[str, Any]]:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        lines = [json.dumps(request, ensure_ascii=True) + "\n" for request in requests]

        def send() -> None:
            assert process.stdin is not None
            process.stdin.writelines(lines)
            process.stdin.flush()

        writer = threading.Thread(target=send)  # the JVM answers while we write: neither pipe fills up
        writer.start()
        answers = []
        for _ in lines:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("the Jayway oracle stopped")
            answers.append(json.loads(line))
        writer.join()
        return answers

    def read(self, cases: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
        """Each (document's JSON text, selector) read by Jayway: outcome, definite, value or error."""
        return self._ask([{"op": "read", "doc": doc, "path": path} for doc, path in cases])

    def to_string(self, documents: Iterable[str]) -> list[str]:
        """``String.valueOf`` of each document as json-smart parses it."""
        return [str(answer.get("text")) for answer in self._ask([{"op": "tostring", "doc": doc} for doc in documents])]

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=60)


def started(workdir: Path) -> Iterator[Jayway]:
    """The oracle for a ``with``-less generator fixture: started, yielded, closed."""
    oracle = Jayway(workdir)
    try:
        yield oracle
    finally:
        oracle.close()
