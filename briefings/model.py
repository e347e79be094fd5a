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


@dataclass(frozen=True)
class Passage:
    """One passage of a source text that the briefing cites (a fact's evidence, a dispute's account, a quote block), as the quote check found it.

    `start` and `end` are positions in the source's text as written (`Publication.source_texts`),
    at the word boundaries the quote check found. The id comes from the passage's words alone
    (normalised, hashed), so a link to it keeps working while its words stay the same, whatever
    facts are added, renamed or moved; `number` counts the passages in the order of the text.
    """

    id: str  # "p-" and 8 hex digits (more when two passages of one source would share them)
    source: str
    number: int
    start: int
    end: int
    facts: tuple[str, ...] = ()  # the facts whose evidence it is, in facts.yaml's order
    disputes: tuple[str, ...] = ()  # the disputes with an account that quotes it
    quotes: tuple[str, ...] = ()  # the audiences whose briefing has a quote block that quotes it


@dataclass(frozen=True)
class PublishedText:
    """A source whose full text the site publishes (`republish: true`): its paragraphs and the passages the briefing cites.

    `blocks` are its paragraphs as (start, end, heading) in the text as written: a blank line ends
    a paragraph, except in the middle of a sentence (a page break in the original), and the
    paragraphs that sources.yaml lists under `headings` are headings. `languages` are the stretches of
    it in another language than the publication's, (start, end, BCP 47 tag), and `editor_notes` our
    notes on it, (where the words they are about start, the note in Markdown).
    """

    source: str
    blocks: tuple[tuple[int, int, bool], ...]
    passages: tuple[Passage, ...]  # in the order of the text
    languages: tuple[tuple[int, int, str], ...] = ()
    editor_notes: tuple[tuple[int, str], ...] = ()


@dataclass
class Text:
    """A piece of the briefing's own prose: Markdown with fact values filled in."""

    text: str
    facts: list[str]
    where: tuple[str, int, int]


@dataclass(frozen=True)
class Picture:
    """A picture shown beside an Easy Read line: a bundled symbol or a file of the briefing, ready to inline."""

    name: str  # as written: a symbol's name ("telephone") or a path in the briefing folder ("pictures/map.svg")
    media_type: str  # "image/svg+xml" or "image/png"
    data: bytes = field(repr=False)
    description: str = ""  # a bundled symbol's own description, its alt text by default
    credit: str = ""  # what must be printed on every page that shows it ("" for the publisher's own files)

    @property
    def data_uri(self) -> str:
        import base64

        return f"data:{self.media_type};base64," + base64.b64encode(self.data).decode("ascii")


@dataclass
class EasyLine:
    """One Easy Read line: one sentence, with its picture on the left (None: written without one, an error)."""

    text: Text
    picture: Picture | None
    alt: str  # "" when the picture is decorative: the words say it all
    explains: str = ""  # the hard word this line explains
    where: tuple[str, int, int] = ("", 1, 1)  # the line's own place (its first key)
    written: str = ""  # the picture as the line names it ("" when it names none; a name not found leaves `picture` None)


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
    content_note_lines: list[EasyLine] = field(default_factory=list)  # an Easy Read's content note, line by line

    def shows(self, *kinds: str) -> bool:
        """Whether any of its sections has a block of one of these kinds ("timeline", "fact_table", "support"…)."""
        return any(block.kind in kinds for section in self.sections for block in section.blocks)

    def easy_lines(self) -> list[EasyLine]:
        """Every Easy Read line of the briefing in reading order: the content note's, then each easy block's."""
        return self.content_note_lines + [line for s in self.sections for b in s.blocks if b.kind == "easy" for line in b.value]

    def credits(self) -> list[str]:
        """What the pictures it shows ask to be printed on every page (each once, in order of first use)."""
        return list(dict.fromkeys(line.picture.credit for line in self.easy_lines() if line.picture and line.picture.credit))

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
    # The sources whose full text the site publishes (`republish: true`, text held), by id in sources.yaml's
    # order; and the passage of each (source, quote as written) that facts.yaml cites from one of them.
    published: dict[str, PublishedText] = field(default_factory=dict)
    passage_of: dict[tuple[str, str], Passage] = field(default_factory=dict)
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

    @property
    def republished(self) -> list[str]:
        """The ids of the sources whose full text is published as a page of the site, in sources.yaml's order."""
        return list(self.published)

    def own_address(self, source: str) -> str:
        """A source's own web address (its `url`) if it has one that is not a placeholder; "" otherwise."""
        url = str(self.sources.get(source, {}).get("url", ""))
        return "" if not url or PLACEHOLDER_HOSTS.match(url) else url

    def public_url(self, path: str) -> str:
        """Return the canonical address of an output (a path relative to the output folder), or "" without base_url."""
        return self.base_url + path if self.base_url else ""


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_ENDS_TEXT = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of a plain text as (start, end), without the spaces around them.

    A blank line ends a paragraph, except where it cuts a sentence in two (a page break in the
    text it was copied from): the text before it does not end with a full stop or other closing
    mark, and the text after it starts with a small letter.
    """
    found: list[tuple[int, int]] = []
    start = 0
    for piece_start, piece_end in [*((m.start(), m.end()) for m in _BLANK_LINE.finditer(text)), (len(text), len(text))]:
        chunk = text[start:piece_start]
        if chunk.strip():
            s, e = start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())
            if found and not _ENDS_TEXT.search(text[found[-1][0]:found[-1][1]]) and text[s].islower():
                found[-1] = (found[-1][0], e)
            else:
                found.append((s, e))
        start = piece_end
    return found


def strip_links(text: str) -> str:
    """Drop link targets so that words inside URLs are not read as prose."""
    return re.sub(r"\]\([^)]*\)", "]", text)


def prose(briefing: AudienceBriefing, facts: dict[str, dict[str, Any]], with_facts: bool = True,
          fact_at: dict[str, tuple[str, int, int]] | None = None) -> list[Text]:
    """Return the briefing's own prose in reading order; verbatim quotes are not included."""
    out: list[Text] = ([briefing.content_note] if briefing.content_note else []) + [line.text for line in briefing.content_note_lines]
    out += list(briefing.key_points)
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
        elif block.kind == "easy":
            out.extend(line.text for line in block.value)
        elif block.kind in ("facts", "fact_table"):
            ids = block.facts if block.kind == "facts" else briefing.cited
            out.extend(Text(facts[i]["statement"], [i], (fact_at or {}).get(i, block.where)) for i in ids if i in facts)
    return out
