"""Placeholders left in the content: each one an error at its file and line, so unfinished content is never built.

A placeholder is a value with "Replace:" in it (how `briefings new` writes every value a publisher
must write: "Replace: the name of the service"), or a TODO or FIXME marker, or the word REPLACE in
capitals. Every loaded document's values are walked, the briefing's settings, registers and
audience files alike; keys and comments are not values and are not read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefings.load.content import ContentFolder
from briefings.load.limits import strings_in
from briefings.load.yaml_source import Document
from briefings.problems import Problems
from briefings.scaffold import MARKER

# "Replace: what to write" anywhere in a value (also after "https://"), in any case; the rest says what to write.
_REPLACE = re.compile(rf"(?<![\w-]){re.escape(MARKER.rstrip(':'))}\s*:\s*(?P<what>.*)", re.IGNORECASE | re.DOTALL)
# Notes a writer leaves for themselves.
_MARKS = re.compile(r"\b(?:TODO|FIXME|REPLACE)\b")


def placeholder_hint(value: str) -> str | None:
    """What to write instead of `value` when it is a placeholder ("" when it does not say); None when it is not one."""
    found = _REPLACE.search(value)
    if found:
        what = found.group("what")
        if not any(ch.isspace() for ch in what):  # in a web address, words are joined by hyphens
            what = what.replace("-", " ")
        return " ".join(what.split()).rstrip(".")
    return "" if _MARKS.search(value) else None


def _where(path: tuple[Any, ...]) -> str:
    """A value's place in its file, as the schema messages write it: `facts[1].sources[1].quote`."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def check_document(doc: Document, problems: Problems) -> None:
    """Report every placeholder in one document."""
    for path, value in strings_in(doc.data):
        hint = placeholder_hint(value)
        if hint is not None:
            problems.add(doc.path, *doc.at(path), f"placeholder text left in {_where(path)}",
                         f"replace it with {hint}" if hint else "replace it with your own text")


def check_placeholders(loaded: ContentFolder, problems: Problems) -> None:
    """Report every placeholder in a loaded briefing: its settings, its registers and each audience's file."""
    for doc in [*loaded.docs.values(), *loaded.audiences.values()]:
        check_document(doc, problems)


def check_titles(briefings: list[tuple[str, str | Path]], problems: Problems) -> None:
    """Report every briefing (title, folder) whose title an earlier one in the same content folder already has.

    Two briefings with one title look the same in the index, and an unedited copy of another
    briefing would otherwise pass its checks.
    """
    seen: dict[str, str] = {}
    for title, folder in briefings:
        key = " ".join(title.split()).casefold()
        if key in seen:
            problems.add(f"{folder}/briefing.yaml", 1, 1, f"title '{title}' is already the title of {seen[key]}",
                         "give each briefing its own title: readers tell them apart by it in the index")
        seen.setdefault(key, str(folder))
