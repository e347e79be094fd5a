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

Each text also says which audiences' outputs show it (`shown_to`), so that it is checked with
their rule packs: an audience file's texts are its own audience's; a shared file's text is shown
by the audiences whose briefings use it, as the resolved model says (`Shows`): the facts a page
lists or tabulates, the glossary entries it uses, the people it quotes, the support services it
shows or its handout lists, and the timeline, disputes and sources register when it has their
block. tests/unit/test_published.py proves this against the rendered outputs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefings.audiences import declared_id
from briefings.load.content import REGISTER_FILES, ContentFolder
from briefings.model import PLACEHOLDER, AudienceBriefing, Publication
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
    shown_to: frozenset[str] = frozenset()  # the audiences whose outputs show it (an audience file: its own)


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


@dataclass(frozen=True)
class Shows:
    """What one audience's outputs (its page, large print, embed and handout) show of the shared files."""

    blocks: frozenset[str]  # the kinds of block in its sections: "timeline", "disputes", "sources", "glossary", …
    facts: frozenset[str]  # facts whose statement it shows (a facts block, the fact table)
    passages: frozenset[str]  # facts whose passages it shows, with their locators (the fact table)
    terms: frozenset[str]  # glossary entries it uses: each expansion is read out where the abbreviation is marked
    speakers: frozenset[str]  # the people and bodies it quotes (a person's role is in the caption)
    cards: frozenset[str]  # support services shown in full (a support block)
    named: frozenset[str]  # support services named, with who they are for (a support summary)
    handout: frozenset[str]  # support services its handout lists (support.yaml's `audiences`)


def shows(briefing: AudienceBriefing, pub: Publication) -> Shows:
    """What one audience's outputs show of the shared files, from its resolved briefing."""
    blocks = [block for section in briefing.sections for block in section.blocks]
    kinds = frozenset(block.kind for block in blocks)
    table = frozenset(briefing.cited) if "fact_table" in kinds else frozenset()
    listed = frozenset(f for block in blocks if block.kind == "facts" for f in block.facts)

    def contacts(kind: str) -> frozenset[str]:
        return frozenset(c["id"] for block in blocks if block.kind == kind for c in block.value)

    return Shows(
        blocks=kinds,
        facts=listed | table,
        passages=table,
        terms=frozenset(t["term"] for t in briefing.terms),
        speakers=frozenset(block.value["speaker"] for block in blocks if block.kind == "quote"),
        cards=contacts("support"),
        named=contacts("support_summary"),
        handout=frozenset(ident for ident, c in pub.contacts.items() if briefing.audience in c["audiences"]),
    )


PRIMARY_CREDIT = frozenset({"title", "publisher", "date", "licence", "attribution"})  # every output's provenance line
CARD = frozenset({"name", "for", "offers", "hours", "cost"})  # a support block's card
SUMMARY = frozenset({"name", "for"})  # a support summary's line
HANDOUT = frozenset({"name", "for", "hours", "cost"})  # the handout's table


def _entry(loaded: ContentFolder, name: str, key: str, index: Any) -> dict[str, Any]:
    entries = loaded.data(name, key)
    return entries[index] if isinstance(index, int) and index < len(entries) and isinstance(entries[index], dict) else {}


def shown_to(schema: str, path: tuple[Any, ...], loaded: ContentFolder, pub: Publication, by: dict[str, Shows]) -> frozenset[str]:
    """The audiences whose outputs show the shared text at `path` of the file `schema` (a fact's value: see `published_texts`)."""
    def where(test: Any) -> frozenset[str]:
        return frozenset(audience for audience, s in by.items() if test(s))

    key, index, field = (*path, None, None, None)[:3]
    if schema == "briefing.yaml":
        if key == "audiences" and isinstance(index, int):  # a declaration: its own audience's label and headings
            return frozenset({declared_id(loaded.config["audiences"][index])})
        return frozenset(by)  # the publication's title and publisher, on every output
    if schema == "sources.yaml":
        source = _entry(loaded, "sources.yaml", "sources", index)
        every = field == "title" or (field in PRIMARY_CREDIT and source.get("id") == pub.primary_source.get("id"))
        return frozenset(by) if every else where(lambda s: "sources" in s.blocks)
    if schema == "facts.yaml":
        if key == "disputes":
            return where(lambda s: "disputes" in s.blocks)
        ident = _entry(loaded, "facts.yaml", "facts", index).get("id")
        return where(lambda s: ident in s.passages) if field == "sources" else where(lambda s: ident in s.facts)
    if schema == "glossary.yaml":
        term = _entry(loaded, "glossary.yaml", "terms", index).get("term")
        if field == "definition":
            return where(lambda s: "glossary" in s.blocks and term in s.terms)
        return where(lambda s: term in s.terms)
    if schema == "people.yaml":
        ident = _entry(loaded, "people.yaml", "people", index).get("id")
        return where(lambda s: ident in s.speakers)
    if schema == "support.yaml":
        ident = _entry(loaded, "support.yaml", "contacts", index).get("id")
        return where(lambda s: (field in CARD and ident in s.cards) or (field in SUMMARY and ident in s.named)
                     or (field in HANDOUT and ident in s.handout))
    if schema == "timeline.yaml":
        return where(lambda s: "timeline" in s.blocks)
    return frozenset(by)


def published_texts(loaded: ContentFolder, pub: Publication) -> list[Published]:
    """Every text that one briefing's outputs show, in file order, as they show it (see the module's docstring)."""
    docs = [(name, None, loaded.docs[name]) for name in ("briefing.yaml", *REGISTER_FILES) if name in loaded.docs]
    docs += [("audience", audience, doc) for audience, doc in loaded.audiences.items()]
    by = {briefing.audience: shows(briefing, pub) for briefing in pub.briefings}
    found = []
    for schema, audience, doc in docs:
        for path, field, kind, text in walk(SCHEMAS[schema], doc.data):
            if kind in CHECKED:
                shown = frozenset({audience}) if audience else shown_to(schema, path, loaded, pub, by)
                found.append((schema, audience, doc, path, field, kind, text, shown))
    # A fact's value is shown wherever a text that shows `{fact-id}` is.
    values: dict[str, set[str]] = {}
    for *_, text, shown in found:
        for ident in PLACEHOLDER.findall(text):
            values.setdefault(ident, set()).update(shown)
    out: list[Published] = []
    for schema, audience, doc, path, field, kind, text, shown in found:
        if schema == "facts.yaml" and field == "facts[].value":
            shown = frozenset(values.get(_entry(loaded, "facts.yaml", "facts", path[1]).get("id", ""), ()))
        out.append(Published(as_published(text, kind, pub.facts), (doc.path, *doc.at(path)), kind, schema, field, audience, shown))
    return out
