"""Read one YAML file safely into plain data, remembering where every value came from.

PyYAML's constructors silently keep the last of two duplicate keys, turn
`2025-09-19` into a date and expand aliases without limit. Composing the node
graph and converting it ourselves lets us reject all three and keep each
value's line and column for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefings.load.files import MAX_YAML_BYTES, Refused, read_inside
from briefings.problems import Problems

MAX_BYTES = MAX_YAML_BYTES  # far beyond any real content file; stops runaway input early
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs") and very deep files

Location = tuple[int, int]
PathKey = tuple[Any, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text the editor wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """A loaded YAML file: its data and the location of every value and key."""

    path: str
    data: Any
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)

    def at(self, path: PathKey) -> Location:
        """Return the location of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key_at(self, path: PathKey) -> Location:
        """Return the location of the key that holds the value at `path`."""
        return self.keys.get(tuple(path)) or self.at(path)


class _TooLarge(Exception):
    pass


# C0 controls, DEL and C1 controls. YAML refuses them raw, but a double-quoted scalar can write
# them as escapes ("\\e[2J", "\\x9b"): a terminal would act on them and a page would carry them.
# Tab and newline stay allowed in text (block text keeps its line breaks); a key allows neither.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_IN_KEY = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): invisible, they turn
# the text after them round, in a page as in a terminal ("Trojan Source"), so that a reader and a check
# read different words. The direction of the text is the page's (its lang and dir, set by the tool).
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def where(path: PathKey) -> str:
    """Describe a data path for a message, e.g. `facts[3].sources`."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _controls(text: str, pattern: re.Pattern[str]) -> str:
    """Name the distinct control characters in `text` ("" when there are none), as printable escapes."""
    from briefings.problems import printable

    found = list(dict.fromkeys(pattern.findall(text)))
    return ", ".join(printable(c) for c in found[:3]) + (", …" if len(found) > 3 else "")


def _refuse_controls(doc: Document, node: yaml.Node, path: PathKey, problems: Problems, text: str, key: bool) -> None:
    prefix = f"{where(path)}: " if path else ""
    what = f"the key '{text}'" if key else "the text"
    named = _controls(text, _CONTROL_IN_KEY if key else _CONTROL)
    if named:
        plural = "s" if "," in named else ""
        problems.add(doc.path, *_mark(node), f"{prefix}control character{plural} {named} in {what}", "remove it: content is plain text")
    bidi = _controls(text, _BIDI)
    if bidi:
        plural = "s" if "," in bidi else ""
        problems.add(doc.path, *_mark(node), f"{prefix}bidirectional control character{plural} {bidi} in {what}",
                     "remove it: the direction of the text (its dir) is set by the tool, not by invisible characters")


def _mark(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _read_text(path: Path, shown: str, problems: Problems, folder: Path | None = None) -> str | None:
    """Read a file of the briefing folder as UTF-8, reporting where it leads, its type, size and encoding with their place."""
    try:
        raw = read_inside(path, path.parent if folder is None else folder, MAX_BYTES)
    except Refused as err:
        problems.add(shown, 1, 1, str(err))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = err.start - (before.rfind(b"\n") + 1) + 1
        problems.add(shown, line, col, f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x})", "save the file as UTF-8")
        return None
    return text.removeprefix("\ufeff")


# A value that opens with a quote mark (after a "key: " or a "- "), and what closes it on the same line.
_OPENS_QUOTED = re.compile(r"""^(\s*)(?:-\s+)?(?:[^\s#'"-][^:#]*:\s+)?(["'])""")
_CLOSES = {'"': re.compile(r'(?<!\\)"'), "'": re.compile(r"'(?!')")}
_NEW_ENTRY = re.compile(r"^(\s*)(?:-\s|[^\s#'\"][^:#]*:(?:\s|$))")
_BARE_NAME = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*$")


def _unclosed_quote(lines: list[str], upto: int) -> tuple[int, int] | None:
    """(line, column) of the first quoted value before line `upto` (0-based) left open on its line where the next line
    starts a new entry, no further in: a quote meant to close there. PyYAML pairs it with the next quote mark in the file
    and fails further on, where the quote is not."""
    for number, line in enumerate(lines[:upto + 1]):
        opened = _OPENS_QUOTED.match(line)
        if not opened or _CLOSES[opened.group(2)].search(line[opened.end():].replace("''", "")):
            continue
        following = next((later for later in lines[number + 1:] if later.strip()), "")
        entry = _NEW_ENTRY.match(following)
        if entry and len(entry.group(1)) <= len(opened.group(1)):
            return number + 1, opened.end()
    return None


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str]:
    """Where a YAML syntax error is and what it is, in words a writer can act on: (line, column, what, hint).

    PyYAML finds an unclosed quote only where the file ends, or (pairing it with the next quote mark in the file) further
    on, and a line without its colon only on the next line: each is reported where it starts (PyYAML's context mark, or
    the quoted value left open before the error, or the bare name above it). Its words for the common slips of
    indentation and quoting are said plainly, with what to do; any other error keeps PyYAML's own words.
    """
    problem, context = err.problem or "", err.context or ""
    mark = err.problem_mark or err.context_mark
    what, hint = problem or context or "invalid YAML", ""
    if mark is not None and mark.index < len(text) and text[mark.index] == "\t":
        hint = "use spaces, not tabs, to indent"
    elif context == "while scanning a quoted scalar" and err.context_mark is not None:
        mark = err.context_mark
        what = "a quoted text starts here and is never closed"
        hint = "end it with the quote mark it starts with (a ' inside '…' is written '')"
    elif problem == "could not find expected ':'" and err.context_mark is not None:
        mark = err.context_mark
        what = "this line has no colon after its field's name"
        hint = "write name: value, or indent the line to go on with the text above it"
    elif problem == "mapping values are not allowed here":
        what = "a colon here starts a field where none can start"
        hint = "put a text that holds ': ' in quotes (\"…\"), or indent this line as far as the fields it belongs with"
    elif problem.startswith("expected <block end>"):
        what = "this line is not lined up with the lines it belongs with"
        hint = "indent it as far as the other fields, or the other list items (- …), of the same list"
    elif context.startswith("while parsing a flow") and err.context_mark is not None:
        mark = err.context_mark
        what = "a list in [brackets] or a map in {braces} starts here and is not closed where it should be"
        hint = "close it with ] or } (a text that starts with [ or { goes in quotes)"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if hint != "use spaces, not tabs, to indent" and context != "while scanning a quoted scalar":  # those are said where they are
        lines = text.splitlines()
        unclosed = _unclosed_quote(lines, line - 1)
        if unclosed is not None:
            line, col = unclosed
            what = "a quoted text starts here and is not closed on its line"
            hint = "end it with the quote mark it starts with (a ' inside '…' is written '')"
        elif problem == "mapping values are not allowed here" and line >= 2 and _BARE_NAME.match(lines[line - 2]):
            line, col = line - 1, len(lines[line - 2]) - len(lines[line - 2].lstrip()) + 1
            what = "this line has no colon after its field's name"
            hint = "write name: followed by what it holds on the lines below"
    return line, col, what, hint


def load_yaml(path: Path, shown: str, problems: Problems, folder: Path | None = None) -> Document | None:
    """Load one YAML file of the briefing `folder` (default: the file's own folder); on any problem record it and return None."""
    text = _read_text(path, shown, problems, folder)
    if text is None:
        return None
    if not text.strip():
        problems.add(shown, 1, 1, "file is empty")
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        line, col, what, hint = _syntax_problem(err, text)
        problems.add(shown, line, col, f"YAML syntax error: {what}", hint)
        return None
    except yaml.YAMLError as err:
        problems.add(shown, 1, 1, f"YAML error: {err}")
        return None
    except RecursionError:
        problems.add(shown, 1, 1, "file is nested too deeply")
        return None
    if node is None:
        problems.add(shown, 1, 1, "file is empty")
        return None
    doc = Document(shown, None)
    budget = [MAX_NODES]
    before = len(problems.items)
    try:
        doc.data = _convert(node, (), doc, problems, budget)
    except _TooLarge:
        problems.add(shown, *_mark(node), f"file expands to more than {MAX_NODES:,} values", "remove YAML aliases (*name)")
        return None
    except RecursionError:
        problems.add(shown, *_mark(node), "file is nested too deeply")
        return None
    return doc if len(problems.items) == before else None


def _convert(node: yaml.Node, path: PathKey, doc: Document, problems: Problems, budget: list[int]) -> Any:
    """Turn a composed node into plain data, recording locations and rejecting unsafe YAML."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    doc.values[path] = _mark(node)
    if node.tag not in _STANDARD_TAGS:
        problems.add(doc.path, *_mark(node), f"unsupported YAML tag '{node.tag}'", "remove the tag; content is plain text")
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.add(doc.path, *_mark(key_node), "merge keys (<<) are not supported", "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.add(doc.path, *_mark(key_node), "keys must be plain text")
                continue
            key = key_node.value
            _refuse_controls(doc, key_node, path, problems, key, key=True)
            if key in result:
                first = doc.keys[path + (key,)]
                problems.add(doc.path, *_mark(key_node), f"duplicate key '{key}' (first at line {first[0]})")
                continue
            doc.keys[path + (key,)] = _mark(key_node)
            result[key] = _convert(value_node, path + (key,), doc, problems, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), doc, problems, budget) for i, item in enumerate(node.value)]
    value = yaml.constructor.SafeConstructor().construct_object(node)
    if isinstance(value, str):
        _refuse_controls(doc, node, path, problems, value, key=False)
    return value
