"""Bound what one document may cost to render, in the content itself, before anything renders.

The YAML limits (2 MB a file, 200,000 values) stop runaway input, but a file within them can still
describe a document no renderer should attempt: a 1.99 MB audience file with 100,000 list items
checked in 9 s and then ran WeasyPrint past 300 s and 4.4 GB for its PDF. So each audience file,
and each register file whose entries audiences show, has limits far beyond any real briefing (the
longest shipped audience has 41 blocks, 34 list items and key points, and about 2,000 words), each
reported at the first place that crosses it. The PDF workers also run under a memory limit
(briefings.build.workers), for whatever these limits do not foresee.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from briefings.problems import Problems

MAX_BLOCKS = 2_000  # blocks in one audience file
MAX_ITEMS = 5_000  # list and step items, and key points, in one audience file
MAX_WORDS = 50_000  # words of text in one audience file (about 100 pages of A4)
MAX_ENTRIES = 5_000  # entries in one register list (facts, events, contacts, terms…)
MAX_REGISTER_WORDS = 200_000  # words of text in one register file

_HINT = "split the briefing, or shorten it: one document must stay quick to render"


def strings_in(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text in loaded YAML data with its path (as Document.at takes it), in file order.

    Here, not in yaml_source, which imports PyYAML: a build with nothing to do loads this module and never PyYAML."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))


def _first_over(paths: Iterator[tuple[tuple[Any, ...], int]], limit: int) -> tuple[tuple[Any, ...], int] | None:
    """The path at which the running count first passes `limit`, and the whole count; None when it never does."""
    total, crossed = 0, None
    for path, count in paths:
        total += count
        if crossed is None and total > limit:
            crossed = path
    return (crossed, total) if crossed is not None else None


def _report(doc: Any, problems: Problems, over: tuple[tuple[Any, ...], int] | None, what: str) -> None:
    """Report a limit crossed, at the first place past it."""
    if over is not None:
        path, total = over
        problems.add(doc.path, *doc.at(path), f"the {what} ({total:,} in all)", _HINT)


def check_audience_cost(doc: Any, problems: Problems) -> bool:
    """Report an audience file too costly to render (blocks, items, words); return True when it is within the limits."""
    before = len(problems.items)
    data = doc.data if isinstance(doc.data, dict) else {}
    sections = [s for s in data.get("sections", []) if isinstance(s, dict)]
    blocks = [(("sections", i, "blocks", j), 1) for i, s in enumerate(sections) for j, _ in enumerate(s.get("blocks", []))]
    _report(doc, problems, _first_over(iter(blocks), MAX_BLOCKS), f"audience has more than {MAX_BLOCKS:,} blocks")
    items = [(("key_points", k), 1) for k, _ in enumerate(data.get("key_points", []))]
    for i, section in enumerate(sections):
        for j, block in enumerate(section.get("blocks", [])):
            for kind in ("list", "steps"):
                if isinstance(block, dict) and isinstance(block.get(kind), list):
                    items += [(("sections", i, "blocks", j, kind, k), 1) for k, _ in enumerate(block[kind])]
    _report(doc, problems, _first_over(iter(items), MAX_ITEMS), f"audience has more than {MAX_ITEMS:,} list items and key points")
    words = ((path, len(text.split())) for path, text in strings_in(data))
    _report(doc, problems, _first_over(words, MAX_WORDS), f"audience has more than {MAX_WORDS:,} words")
    return len(problems.items) == before


def check_register_cost(doc: Any, problems: Problems) -> bool:
    """Report a register file too costly to show (entries per list, words); return True when it is within the limits."""
    before = len(problems.items)
    data = doc.data if isinstance(doc.data, dict) else {}
    for key, entries in data.items():
        if isinstance(entries, list) and len(entries) > MAX_ENTRIES:
            problems.add(doc.path, *doc.at((key, MAX_ENTRIES)), f"'{key}' has more than {MAX_ENTRIES:,} entries ({len(entries):,})", _HINT)
    words = ((path, len(text.split())) for path, text in strings_in(data))
    _report(doc, problems, _first_over(words, MAX_REGISTER_WORDS), f"file has more than {MAX_REGISTER_WORDS:,} words")
    return len(problems.items) == before
