"""Every text of a briefing's content that its outputs show, as they show it, each with its file and line.

This is the one list the name and harmful-language checks read (briefings.check.editorial). It
comes from the schemas: each free-text field says how it is published (`x-published`, see
briefings.schema: prose, Markdown, verbatim, the register itself, or never shown), and walking
each loaded file with its schema finds every such text. A field added to a schema is checked as
soon as it says how it is published; tests/unit/test_published.py proves that every field says,
and that every text a rendered output shows has been checked.

A text is taken as a reader reads it: `{fact-id}` filled in with the fact's value, and Markdown
as the page prints it (emphasis marks and the targets of real links gone; a malformed link's
brackets and target printed, and so read, as text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefings.load.content import REGISTER_FILES, ContentFolder
from briefings.model import PLACEHOLDER, Publication
from briefings.render.markdown import inline_markdown
from briefings.schema import MARKDOWN, PROSE, SCHEMAS, VERBATIM

_TAG = re.compile(r"<[^>]*>")
CHECKED = (PROSE, MARKDOWN, VERBATIM)  # what the checks read: the register's names and what is never shown are not


@dataclass(frozen=True)
class Published:
    """One text an output shows: what a reader reads, where it is written, and how it is published."""

    text: str
    where: tuple[str, int, int]
    kind: str  # PROSE, MARKDOWN or VERBATIM (briefings.schema)
    file: str  # which file's schema: "sources.yaml", …, or "audience"
    field: str  # the schema's field, e.g. "sources[].notes"
    audience: str | None  # the audience whose file holds it; None for the files every audience shares


def schema_kind(schema: dict[str, Any]) -> str | None:
    """How a string field is published; None for a value in a fixed form (an id, a date, an address, a choice)."""
    kind = schema.get("x-published")
    if kind is None and not {"pattern", "enum", "const"} & set(schema):
        return PROSE  # a free-text field that does not say: checked, to be safe (the tests say it must say)
    return kind


def _branch(options: list[dict[str, Any]], value: Any) -> dict[str, Any] | None:
    """The option of an anyOf that a value takes (a text or a mapping, a list or 'all')."""
    types = {str: "string", dict: "object", list: "array", bool: "boolean"}
    for option in options:
        if "const" in option and option["const"] == value:
            return option
        if option.get("type") == types.get(type(value)):
            return option
    return None


def walk(schema: dict[str, Any], data: Any, path: tuple[Any, ...] = (), field: str = "") -> Iterator[tuple[tuple[Any, ...], str, str | None, str]]:
    """Every string in `data` with its path, its schema field ("sources[].notes") and how it is published."""
    if "anyOf" in schema:
        branch = _branch(schema["anyOf"], data)
        if branch is not None:
            yield from walk({**branch, **{k: v for k, v in schema.items() if k != "anyOf" and k not in branch}}, data, path, field)
        return
    if isinstance(data, dict):
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        for key, value in data.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                yield from walk(sub, value, (*path, key), f"{field}.{key}" if field else key)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, value in enumerate(data):
            yield from walk(schema["items"], value, (*path, i), f"{field}[]")
    elif isinstance(data, str):
        yield path, field, schema_kind(schema), data


def visible_text(markdown: str) -> str:
    """Inline Markdown as the page prints it, as text: what a reader reads."""
    return html.unescape(_TAG.sub("", str(inline_markdown(markdown))))


def as_published(text: str, kind: str, facts: dict[str, dict[str, Any]]) -> str:
    """A text as its outputs show it: facts' values in place of {fact-id}, and Markdown as printed."""
    def value(match: re.Match[str]) -> str:
        fact = facts.get(match.group(1))
        return str(fact["value"]) if fact is not None and "value" in fact else match.group(0)

    text = PLACEHOLDER.sub(value, text)
    return visible_text(text) if kind == MARKDOWN else text


def published_texts(loaded: ContentFolder, pub: Publication) -> list[Published]:
    """Every text that one briefing's outputs show, in file order, as they show it (see the module's docstring)."""
    docs = [(name, None, loaded.docs[name]) for name in ("briefing.yaml", *REGISTER_FILES) if name in loaded.docs]
    docs += [("audience", audience, doc) for audience, doc in loaded.audiences.items()]
    out: list[Published] = []
    for schema, audience, doc in docs:
        for path, field, kind, text in walk(SCHEMAS[schema], doc.data):
            if kind in CHECKED:
                out.append(Published(as_published(text, kind, pub.facts), (doc.path, *doc.at(path)), kind, schema, field, audience))
    return out
