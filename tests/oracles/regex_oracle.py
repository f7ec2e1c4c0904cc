"""java.util.regex as an oracle: ``tests/oracles/java/RegexOracle.java`` compiled with javac into a temporary
folder and run in one JVM that answers (pattern, values) requests on stdin, one JSON line each.

``JavaRegexOracle.start()`` returns None when there is no JDK 17 (javac and java on PATH); the tests then skip with
the reason ``NO_JDK`` (summed up in one line at the end of the session, as tests/conftest.py does for the
sources the repository does not hold).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

JAVA_SOURCES: Final = Path(__file__).resolve().parent / "java"
NO_JDK: Final = "OpenJDK 17 (javac and java on PATH; Debian: apt-get install openjdk-17-jdk-headless)"
"""Java 17's java.util.regex is the oracle: \\b changed in Java 19, so another JDK would answer otherwise."""


def jdk17() -> tuple[str, str] | None:
    """javac and java on PATH, when they are Java 17's."""
    javac, java = shutil.which("javac"), shutil.which("java")
    if javac is None or java is None:
        return None
    shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=120).stderr
    found = re.search(r'version "(\d+)', shown)
    return (javac, java) if found is not None and found.group(1) == "17" else None


@dataclass(frozen=True)
class Answer:
    """Java's answer for one pattern: its compile error, or whether each value ``matches()`` (None: it threw)."""

    error: str | None
    index: int
    matches: tuple[bool | None, ...]
    finds: tuple[bool | None, ...]


class JavaRegexOracle:
    """One JVM for as many questions as asked; close() (or the with-block) ends it."""

    def __init__(self, process: subprocess.Popen[str], folder: tempfile.TemporaryDirectory[str], version: str):
        self.process = process
        self.folder = folder
        self.version = version

    @classmethod
    def start(cls) -> JavaRegexOracle | None:
        tools = jdk17()
        if tools is None:
            return None
        javac, java = tools
        folder = tempfile.TemporaryDirectory(prefix="regex-oracle-")
        subprocess.run(
            [javac, "-d", folder.name, str(JAVA_SOURCES / "RegexOracle.java")],
            check=True,
            capture_output=True,
            timeout=300,
        )
        version = subprocess.run(
            [java, "-XshowSettings:properties", "-version"], capture_output=True, text=True, timeout=120
        ).stderr
        found = next((line.split("=", 1)[1].strip() for line in version.splitlines() if "java.version =" in line), "?")
        process = subprocess.Popen(
            [java, "-Xss16m", "-cp", folder.name, "RegexOracle"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        return cls(process, folder, found)

    def ask(self, pattern: str, values: list[str]) -> Answer:
        return self.ask_many([(pattern, values)])[0]

    def ask_many(self, questions: list[tuple[str, list[str]]]) -> list[Answer]:
        """Several questions, a hundred to a round trip (written at once, answered in order: few enough that the
        answers never fill the pipe while questions are still being written)."""
        answers: list[Answer] = []
        for start in range(0, len(questions), 100):
            answers.extend(self._round_trip(questions[start : start + 100]))
        return answers

    def _round_trip(self, questions: list[tuple[str, list[str]]]) -> list[Answer]:
        assert self.process.stdin is not None and self.process.stdout is not None
        lines = "".join(json.dumps([pattern, *values], ensure_ascii=True) + "\n" for pattern, values in questions)
        self.process.stdin.write(lines)
        self.process.stdin.flush()
        answers = []
        for _pattern, values in questions:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the Java oracle stopped (exit code {self.process.poll()})")
            answer = json.loads(line)
            if answer[0] == "error":
                answers.append(Answer(answer[1], answer[2], (), ()))
            else:
                answers.append(Answer(None, -1, _letters(answer[1]), _letters(answer[2])))
                assert len(answers[-1].matches) == len(values)
        return answers

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.folder.cleanup()

    def __enter__(self) -> JavaRegexOracle:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _letters(text: str) -> tuple[bool | None, ...]:
    return tuple({"T": True, "F": False}.get(letter) for letter in text)
