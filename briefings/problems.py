"""The one problem type every stage reports, the collector that gathers them, and the exit codes."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

# What the command line returns: README "Command line". EXIT_ENVIRONMENT: the machine stopped the build (out of
# memory, a disk full or read-only): neither the content nor the tool is at fault, and the same run may pass elsewhere.
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_ENVIRONMENT = 0, 1, 2, 3, 4

# What a terminal would act on rather than show: C0 controls, DEL, C1 controls (0x9b is a CSI on its
# own), and the bidirectional overrides and isolates that turn text round ("Trojan Source").
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: str, keep_lines: bool = False) -> str:
    """Text that is safe to print on a terminal: control characters shown as escapes (ESC as \\x1b).

    Content reaches messages (a key's name, a path, a value); an escape sequence in it must show
    as text, never clear the screen or print "Check passed." over a failure. With `keep_lines`,
    newlines and tabs stay (a report of several lines).
    """
    if keep_lines:
        return _UNPRINTABLE.sub(lambda m: m.group(0) if m.group(0) in "\n\t" else _escape(m), text)
    return _UNPRINTABLE.sub(_escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in the content, located at a file, line and column."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"
    rule: str = ""

    def __str__(self) -> str:
        rule = f"{self.rule}: " if self.rule else ""
        hint = f" ({self.hint})" if self.hint else ""
        level = "" if self.severity == "error" else f"{self.severity}: "
        return printable(f"{self.path}:{self.line}:{self.col}: {level}{rule}{self.message}{hint}")


@dataclass
class Problems:
    """Collects problems from every stage so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: str | Path,
        line: int,
        col: int,
        message: str,
        hint: str = "",
        severity: str = "error",
        rule: str = "",
    ) -> None:
        """Record one problem."""
        self.items.append(Problem(str(path), line, col, message, hint, severity, rule))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Return the problems in file and line order, each once."""
        return sorted(set(self.items))

    def report(self, strict: bool, stream: TextIO | None = None) -> bool:
        """Print every problem and a count (to stderr unless `stream` is given); return True when the build must stop."""
        stream = stream or sys.stderr
        for problem in self.sorted():
            print(problem, file=stream)
        errors, warnings = len(self.errors), len(self.warnings)
        if errors or warnings:
            fatal = " (--strict: the warnings count as errors)" if strict and warnings else ""
            print(f"{errors} error(s), {warnings} warning(s){fatal}", file=stream)
        return bool(errors or (strict and warnings))


class ContentError(Exception):
    """Raised when the content has errors; carries every problem found."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} error(s) in the content")
        self.problems = problems


class PageLimit(Exception):
    """Raised by a renderer when an output breaks a content rule only rendering can see (a PDF past its page limit).

    The build reports its problems as content problems, with their lines, and publishes nothing.
    """

    def __init__(self, problems: Problems) -> None:
        super().__init__("; ".join(str(p) for p in problems.items))
        self.problems = problems
