"""The data model every stage after resolving works on: a publication and its audience briefings.

Checks and renderers import this module, never the resolver that builds it
(briefings.resolve). It imports nothing of the package but the audiences' policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefings.audiences import Audience

PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z](?:/[A-Z]+)?\b")
# A word that starts with a capital and has another one: "IOPC", "CSE/A", "DoLS", "PhD" (and "McDonald", sorted out below).
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:/[A-Z]+)?\b")


def abbreviations(text: str, allowed: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """Every abbreviation in `text` as (start, end, abbreviation), in order.

    An abbreviation is a word in capitals ("IOPC", "CSE/A", "IOPCs" for the plural of "IOPC") or a
    short word at least half in capitals ("DoLS", "PhD"); a name such as "McDonald" is not one.
    `allowed` lists capitals that are not abbreviations, as words ("UK") or phrases ("Age UK"):
    words inside them are not reported.
    """
    hidden = [(m.start(), m.end()) for phrase in allowed for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]
    found = []
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        if any(start <= match.start() and match.end() <= end for start, end in hidden):
            continue
        if word.endswith("s") and word[:-1].isupper():
            word = word[:-1]  # "IOPCs": the plural of IOPC
        letters = [c for c in word if c.isalpha()]
        capitals = sum(c.isupper() for c in letters)
        if capitals == len(letters) or (len(letters) <= 6 and capitals * 2 >= len(letters)):
            found.append((match.start(), match.start() + len(word), word))
    return found


# Hosts kept for examples (RFC 2606, RFC 6761): an address there is a placeholder, never printed or put in a QR code.
PLACEHOLDER_HOSTS = re.compile(r"^https?://(?:[^/]*\.)?(?:example\.(?:org|com|net)|example|test|invalid|localhost)(?::\d+)?(?:/|$)")


def published_address(base_url: str | None) -> str:
    """The address outputs are published at, ending in "/"; "" when there is none ('none', or a placeholder)."""
    if not base_url or base_url == "none" or PLACEHOLDER_HOSTS.match(base_url):
        return ""
    return base_url.rstrip("/") + "/"


def without(text: str, phrases: tuple[str, ...]) -> str:
    """`text` with each of `phrases` blanked out (same length, so positions stay)."""
    for phrase in phrases:
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", lambda m: " " * len(m.group(0)), text)
    return text


@dataclass
class Text:
    """A piece of the briefing's own prose: Markdown with fact values filled in."""

    text: str
    facts: list[str]
    where: tuple[str, int, int]


@dataclass
class Block:
    """One resolved block of a section."""

    kind: str
    value: Any
    facts: list[str] = field(default_factory=list)
    where: tuple[str, int, int] = ("", 1, 1)


@dataclass
class Section:
    id: str
    heading: str
    blocks: list[Block]
    where: tuple[str, int, int]


@dataclass
class AudienceBriefing:
    """One audience's briefing, ready to score and render."""

    audience: str  # the audience's id: its file's and its outputs' name
    policy: Audience
    title: str
    description: str
    content_note: Text | None
    key_points: list[Text]
    sections: list[Section]
    cited: list[str]
    terms: list[dict[str, Any]]
    path: str
    description_at: tuple[str, int, int] = ("", 1, 1)

    @property
    def label(self) -> str:
        return self.policy.label


@dataclass
class Publication:
    """A whole resolved publication with its registers and audience briefings."""

    slug: str
    title: str
    language: str
    updated: str
    publisher: str
    folder: Path
    primary_source: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    facts: dict[str, dict[str, Any]]
    disputes: list[dict[str, Any]]
    terms: dict[str, dict[str, Any]]
    people: dict[str, dict[str, Any]]
    contacts: dict[str, dict[str, Any]]
    events: list[dict[str, Any]]
    source_texts: dict[str, str]
    quick_exit_url: str
    briefings: list[AudienceBriefing] = field(default_factory=list)
    base_url: str = ""  # where the output folder is published, ending in "/"; "" when briefing.yaml does not say
    fact_at: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # where each fact's statement is written
    allow_names: tuple[str, ...] = ()  # capitalised names that are not people: places, organisations, brands
    allow_capitals: tuple[str, ...] = ()  # capitals that are not abbreviations ("Age UK")
    phone_region: str = "GB"  # where phone numbers without a country code are from
    original_language: str = ""  # for a translation (published in <slug>/<language>/): the language it was translated from
    languages: tuple[str, ...] = ()  # every language this briefing is published in, its own first (set once translations are read)
    words: dict[str, str] = field(default_factory=dict)  # a translation's page words: English -> translation (briefings.words)

    @property
    def output_language(self) -> str:
        """The language folder of this publication's outputs: "" for the original, its language for a translation."""
        return self.language if self.original_language else ""

    def briefing(self, audience: str) -> AudienceBriefing:
        """The briefing for one audience (by id)."""
        return next(b for b in self.briefings if b.audience == audience)

    @property
    def limits(self) -> dict[str, dict[str, float]]:
        """Each audience's reading limits, by id."""
        return {b.audience: b.policy.reading_limits.as_dict() for b in self.briefings}

    def public_url(self, path: str) -> str:
        """Return the canonical address of an output (a path relative to the output folder), or "" without base_url."""
        return self.base_url + path if self.base_url else ""


def strip_links(text: str) -> str:
    """Drop link targets so that words inside URLs are not read as prose."""
    return re.sub(r"\]\([^)]*\)", "]", text)


def prose(briefing: AudienceBriefing, facts: dict[str, dict[str, Any]], with_facts: bool = True,
          fact_at: dict[str, tuple[str, int, int]] | None = None) -> list[Text]:
    """Return the briefing's own prose in reading order; verbatim quotes are not included."""
    out: list[Text] = ([briefing.content_note] if briefing.content_note else []) + list(briefing.key_points)
    for section in briefing.sections:
        out.extend(section_prose(section, briefing, facts if with_facts else {}, fact_at))
    return out


def section_prose(section: Section, briefing: AudienceBriefing, facts: dict[str, dict[str, Any]],
                  fact_at: dict[str, tuple[str, int, int]] | None = None) -> list[Text]:
    """Return one section's own prose: paragraphs, list items and the fact statements it shows.

    A fact's statement is located where it is written (`fact_at`, in facts.yaml), not where it is shown.
    """
    out: list[Text] = []
    for block in section.blocks:
        if block.kind == "paragraph":
            out.append(block.value)
        elif block.kind in ("list", "steps"):
            out.extend(block.value)
        elif block.kind in ("facts", "fact_table"):
            ids = block.facts if block.kind == "facts" else briefing.cited
            out.extend(Text(facts[i]["statement"], [i], (fact_at or {}).get(i, block.where)) for i in ids if i in facts)
    return out
