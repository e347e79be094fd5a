"""Every text a briefing publishes, as entries for translators: a stable context, the English, its line, notes.

One entry per published text of every audience: titles, descriptions, content notes, key points,
headings, paragraphs, list items and quotes of each audience file (and an Easy Read's lines, with
what each picture shows); the fact statements, values, passages and locators a briefing shows;
disputes; glossary entries; the people quoted; support cards; timeline events; the sources'
details; and what briefing.yaml itself prints (the title,
the publisher, declared audiences' labels). Texts that no output shows (a fact no briefing shows,
a register no audience uses) are left out, so a translator translates only what readers read.

An entry's context names its file and its key path, with ids where the YAML has them
(`facts.yaml:facts[linden-investigations].statement`), positions otherwise
(`audiences/survivors.yaml:sections[support-first].blocks[2].paragraph`): adding a fact or a
section does not move the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from briefings.audiences import Audience, ReadingLimits
from briefings.load.content import ContentFolder
from briefings.load.yaml_source import Document
from briefings.model import PLACEHOLDER, Publication, abbreviations

# What an entry is, for the notes and for what a translation of it becomes.
TEXT, QUOTE, NAME, VALUE, PAGE = "text", "quote", "name", "value", "page"
# The templates whose words the outputs of a briefing show (the site's index and report are in the tool's language).
PAGE_TEMPLATES = ("briefing.html.j2", "blocks.html.j2", "provenance.html.j2", "handout.html.j2", "embed.html.j2")
_NAMED_VALUE = re.compile(r"%\(([a-z_]+)\)s")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]*)\)")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Entry:
    """One text to translate, and where it lives."""

    context: str  # msgctxt: "<file>:<key path>"
    text: str  # the English, as the YAML has it (msgid)
    file: str  # relative to the briefing folder: "facts.yaml", "audiences/survivors.yaml"
    path: tuple[Any, ...]  # where the text is in that file's data
    line: int
    column: int
    kind: str = TEXT
    notes: tuple[str, ...] = ()


def link_targets(text: str) -> list[str]:
    """The targets of a text's Markdown links, in order: a translation must keep them."""
    return _LINK.findall(text)


def named_values(text: str) -> list[str]:
    """The `%(name)s` values of a page's own words, in order: a translation must keep them."""
    return _NAMED_VALUE.findall(text)


def page_entries(pub: Publication) -> list[Entry]:
    """The page's own words: every `_("…")` of the templates (found by Babel), the code's (briefings.words), and the presets'
    labels and headings of the briefing's audiences; each with the context `page:<the English>`."""
    from babel.messages.extract import extract
    from jinja2.ext import babel_extract

    from briefings.package_data import TEMPLATES
    from briefings.words import WORDS

    found: dict[str, tuple[str, int]] = {}
    for name in PAGE_TEMPLATES:
        with (TEMPLATES / name).open("rb") as handle:
            for line, message, _comments, _context in extract(babel_extract, handle, keywords={"_": None}):
                if isinstance(message, str):
                    found.setdefault(message, (f"templates/{name}", line))
    for message in WORDS:
        found.setdefault(message, ("words.py", 1))
    for briefing in pub.briefings:
        for message in (briefing.policy.label, briefing.policy.key_points_heading, briefing.policy.support_heading):
            found.setdefault(message, ("audiences.py", 1))
    out = []
    for message, (file, line) in found.items():
        notes = ["The page's own words (the same on every page of this kind). Translate them as a label on a page, briefly."]
        notes += [f"%({value})s: keep it as it is; it is filled in on the page." for value in dict.fromkeys(named_values(message))]
        out.append(Entry(f"page:{message}", message, file, (), line, 1, PAGE, tuple(notes)))
    return out


def placeholders(text: str) -> list[str]:
    """The {fact-id} placeholders of a text, in order."""
    return PLACEHOLDER.findall(text)


def reading_note(limits: ReadingLimits, who: str) -> str:
    """The reading target of an audience, in words for a translator."""
    return (f"Reading target ({who}): as plain as English at Flesch-Kincaid grade {limits.grade:g}, in sentences of about "
            f"{limits.mean_sentence:g} words on average and never more than {limits.max_sentence}.")


def _plainest(policies: list[Audience]) -> Audience | None:
    return min(policies, key=lambda p: (p.reading_limits.grade, p.reading_limits.mean_sentence), default=None)


class _Walker:
    """Collects the entries of one resolved briefing, in the order of its files."""

    def __init__(self, loaded: ContentFolder, pub: Publication) -> None:
        self.loaded, self.pub = loaded, pub
        self.out: list[Entry] = []
        self.policies = [b.policy for b in pub.briefings]
        plainest = _plainest(self.policies)
        self.shared_note = (reading_note(plainest.reading_limits, f"shown to several audiences; the plainest is '{plainest.label}'")
                            if plainest else "")
        self.names = self._names()
        self.acronyms = {t for t in pub.terms if abbreviations(t)}

    # --- what a text needs the translator to know -------------------------------

    def _names(self) -> list[str]:
        """Names a text may contain, longest first: people and bodies, services, sources, allowed names."""
        found: set[str] = set(self.pub.allow_names)
        for entry in [*self.pub.people.values(), *self.pub.contacts.values()]:
            found.add(entry["name"])
            found.add(re.sub(r"\s*\([^)]*\)\s*$", "", entry["name"]))  # "South Yorkshire Police (SYP)"
        found.update(source["title"] for source in self.pub.sources.values())
        found.add(self.pub.publisher)
        return sorted((n for n in found if n), key=len, reverse=True)

    def notes(self, text: str, kind: str, reading: str) -> tuple[str, ...]:
        out = [reading] if reading and kind in (TEXT, QUOTE) else []
        if kind == QUOTE:
            out.append("A verbatim quote: pages show it in its original words, with your translation beside it, marked as a "
                       "translation. Translate what it says faithfully; do not shorten or soften it.")
        elif kind == NAME:
            out.append("A name: keep it as it is.")
        elif kind == VALUE:
            out.append("A fact's value (a figure, date or period): it is shown wherever other texts have its placeholder.")
        rest = PLACEHOLDER.sub(" ", _LINK.sub(" ", text))
        names = []
        for name in self.names:
            if name in rest and kind != NAME:
                names.append(name)
                rest = rest.replace(name, " ")
        if names:
            out.append("A name: keep it as it is: " + "; ".join(names) + ".")
        terms = sorted({word for _, _, word in abbreviations(rest) if word in self.acronyms})
        if terms:
            out.append("An abbreviation the glossary explains, keep it as it is: " + ", ".join(terms) + ".")
        for ident in dict.fromkeys(placeholders(text)):
            fact = self.pub.facts.get(ident, {})
            shown = f" (it shows \u201c{fact['value']}\u201d)" if "value" in fact else ""
            out.append(f"Placeholder {{{ident}}}: keep it as it is{shown}.")
        if link_targets(text):
            out.append("A link: translate the words in [ ] and keep the address in ( ) as it is.")
        if "*" in _LINK.sub(" ", text):
            out.append("Keep the * marks around the words they emphasise.")
        return tuple(out)

    # --- adding entries ---------------------------------------------------------

    def add(self, file: str, doc: Document, path: tuple[Any, ...], kind: str = TEXT, reading: str = "") -> None:
        value = _get(doc.data, path)
        if not isinstance(value, str) or not value.strip():
            return
        line, column = doc.at(path)
        context = f"{file}:{key_path(doc.data, path)}"
        self.out.append(Entry(context, value, file, path, line, column, kind, self.notes(value, kind, reading)))

    def text_item(self, file: str, doc: Document, path: tuple[Any, ...], reading: str) -> None:
        item = _get(doc.data, path)
        self.add(file, doc, path if isinstance(item, str) else path + ("text",), TEXT, reading)

    def run(self) -> list[Entry]:
        self.briefing_file()
        for briefing in self.pub.briefings:
            self.audience_file(briefing.policy)
        self.facts()
        self.glossary()
        self.people()
        self.support()
        self.timeline()
        self.sources()
        return self.out

    def briefing_file(self) -> None:
        doc = self.loaded.docs["briefing.yaml"]
        self.add("briefing.yaml", doc, ("title",), reading=self.shared_note)
        self.add("briefing.yaml", doc, ("publisher",), NAME)
        for i, entry in enumerate(doc.data["audiences"]):
            if isinstance(entry, dict):
                for key in ("label", "name", "key_points_heading", "support_heading"):
                    if key in entry:
                        self.add("briefing.yaml", doc, ("audiences", i, key))

    def audience_file(self, policy: Audience) -> None:
        doc = self.loaded.audiences[policy.id]
        file = f"audiences/{policy.id}.yaml"
        reading = reading_note(policy.reading_limits, f"'{policy.label}'")
        data = doc.data
        for key in ("title", "description"):
            self.add(file, doc, (key,), reading=reading)
        if isinstance(data.get("content_note"), list):  # an Easy Read's, line by line with pictures
            self.easy_lines(file, doc, ("content_note",), reading)
        else:
            self.add(file, doc, ("content_note",), reading=reading)
        for i in range(len(data.get("key_points", []))):  # an Easy Read has none
            self.text_item(file, doc, ("key_points", i), reading)
        for s, section in enumerate(data["sections"]):
            self.add(file, doc, ("sections", s, "heading"), reading=reading)
            for b, block in enumerate(section["blocks"]):
                at = ("sections", s, "blocks", b)
                if "paragraph" in block:
                    self.add(file, doc, at + ("paragraph",), reading=reading)
                for kind in ("list", "steps"):
                    for k in range(len(block.get(kind, []))):
                        self.text_item(file, doc, at + (kind, k), reading)
                if "quote" in block:
                    self.add(file, doc, at + ("quote", "text"), QUOTE, reading)
                    self.add(file, doc, at + ("quote", "date"))
                if "easy" in block:
                    self.easy_lines(file, doc, at + ("easy",), reading)

    def easy_lines(self, file: str, doc: Document, path: tuple[Any, ...], reading: str) -> None:
        """An Easy Read's lines: each one's sentence, and what its picture shows (its `alt`, or else a bundled picture's
        own description, which the page shows as the alt: a translation writes it as the line's `alt`)."""
        from briefings.pictures import symbols

        for k, line in enumerate(_get(doc.data, path) or []):
            at = path + (k,)
            self.add(file, doc, at + ("text",), TEXT, reading)
            note = "What the picture beside the sentence shows, for people who cannot see it (its alt text)."
            if "alt" in line:  # "" (decorative: the words say it all) is no entry
                value = line["alt"]
                if isinstance(value, str) and value.strip():
                    line_no, column = doc.at(at + ("alt",))
                    self.out.append(Entry(f"{file}:{key_path(doc.data, at + ('alt',))}", value, file, at + ("alt",), line_no, column,
                                          TEXT, (note, *self.notes(value, TEXT, ""))))
            elif isinstance(line.get("picture"), str) and line["picture"] in symbols():
                description = symbols()[line["picture"]][1]
                line_no, column = doc.at(at + ("picture",))
                self.out.append(Entry(f"{file}:{key_path(doc.data, at + ('alt',))}", description, file, at + ("alt",), line_no, column,
                                      TEXT, (note, "The picture's own description (OpenMoji's): write it in your language.")))

    def blocks(self, kind: str) -> list[Any]:
        """Every resolved block of this kind, in every audience's briefing."""
        return [blk for b in self.pub.briefings for s in b.sections for blk in s.blocks if blk.kind == kind]

    def facts(self) -> None:
        doc = self.loaded.docs.get("facts.yaml")
        if doc is None:
            return
        shown = {f for blk in self.blocks("facts") for f in blk.facts}
        tabled = {f for b in self.pub.briefings if b.shows("fact_table") for f in b.cited}
        used = {p for e in self.out for p in placeholders(e.text)} | {p for e in self.pub.events for p in placeholders(e.get("what", ""))}
        for i, fact in enumerate(doc.data.get("facts", [])):
            if fact["id"] in shown | tabled:
                self.add("facts.yaml", doc, ("facts", i, "statement"), reading=self.shared_note)
            if "value" in fact and _LETTER.search(str(fact["value"])) and fact["id"] in used | tabled:
                self.add("facts.yaml", doc, ("facts", i, "value"), VALUE)
            if fact["id"] in tabled:
                for j in range(len(fact["sources"])):
                    self.add("facts.yaml", doc, ("facts", i, "sources", j, "quote"), QUOTE, self.shared_note)
                    self.add("facts.yaml", doc, ("facts", i, "sources", j, "locator"))
        if self.blocks("disputes"):
            for i, dispute in enumerate(doc.data.get("disputes", [])):
                self.add("facts.yaml", doc, ("disputes", i, "topic"), reading=self.shared_note)
                for j in range(len(dispute["accounts"])):
                    self.add("facts.yaml", doc, ("disputes", i, "accounts", j, "says"), reading=self.shared_note)
                    self.add("facts.yaml", doc, ("disputes", i, "accounts", j, "quote"), QUOTE, self.shared_note)
                self.add("facts.yaml", doc, ("disputes", i, "guidance"), reading=self.shared_note)

    def glossary(self) -> None:
        doc = self.loaded.docs.get("glossary.yaml")
        used = {t["term"] for b in self.pub.briefings for t in b.terms}
        listed = bool(self.blocks("glossary"))
        for i, term in enumerate(doc.data.get("terms", []) if doc else []):
            if term["term"] not in used:
                continue
            if not abbreviations(term["term"]) and listed:
                self.add("glossary.yaml", doc, ("terms", i, "term"))
            self.add("glossary.yaml", doc, ("terms", i, "expansion"))  # also each abbreviation's title on every page
            if listed:
                self.add("glossary.yaml", doc, ("terms", i, "definition"), reading=self.shared_note)

    def people(self) -> None:
        doc = self.loaded.docs.get("people.yaml")
        quoted = {blk.value["speaker"] for blk in self.blocks("quote")}
        for i, person in enumerate(doc.data.get("people", []) if doc else []):
            if person["id"] in quoted:
                self.add("people.yaml", doc, ("people", i, "name"), NAME)
                if person["kind"] == "person":
                    self.add("people.yaml", doc, ("people", i, "role"))

    def support(self) -> None:
        doc = self.loaded.docs.get("support.yaml")
        audiences = {b.audience for b in self.pub.briefings}
        for i, contact in enumerate(doc.data.get("contacts", []) if doc else []):
            if audiences & set(contact["audiences"]):  # every handout lists its audience's contacts
                self.add("support.yaml", doc, ("contacts", i, "name"), NAME)
                for key in ("for", "offers", "hours", "cost"):
                    self.add("support.yaml", doc, ("contacts", i, key), reading=self.shared_note)

    def timeline(self) -> None:
        doc = self.loaded.docs.get("timeline.yaml")
        if doc is None or not self.blocks("timeline"):
            return
        for i in range(len(doc.data.get("events", []))):
            self.add("timeline.yaml", doc, ("events", i, "when"))
            self.add("timeline.yaml", doc, ("events", i, "what"), reading=self.shared_note)

    def sources(self) -> None:
        doc = self.loaded.docs.get("sources.yaml")
        listed = bool(self.blocks("sources"))
        primary = self.pub.primary_source.get("id")
        for i, source in enumerate(doc.data.get("sources", []) if doc else []):
            credited = listed or source["id"] == primary  # every output's provenance credits the primary source
            self.add("sources.yaml", doc, ("sources", i, "title"), NAME)
            if credited:
                self.add("sources.yaml", doc, ("sources", i, "publisher"), NAME)
                self.add("sources.yaml", doc, ("sources", i, "date"))
                self.add("sources.yaml", doc, ("sources", i, "licence"), NAME)
                self.add("sources.yaml", doc, ("sources", i, "attribution"), NAME)
            if listed:
                self.add("sources.yaml", doc, ("sources", i, "author"), NAME)
                self.add("sources.yaml", doc, ("sources", i, "notes"), reading=self.shared_note)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def key_path(data: Any, path: tuple[Any, ...]) -> str:
    """A key path for a context: list items by their id (or term) where the YAML gives one, else by position from 1."""
    out = ""
    for part in path:
        if isinstance(part, int):
            item = data[part]
            ident = (item.get("id") or item.get("term")) if isinstance(item, dict) else None
            out += f"[{ident}]" if ident else f"[{part + 1}]"
            data = item
        else:
            out += f".{part}" if out else part
            data = data.get(part) if isinstance(data, dict) else None
    return out


def entries(loaded: ContentFolder, pub: Publication, page: bool = True) -> list[Entry]:
    """Every text the briefing publishes, in the order of its files, each once; with `page`, the page's own words too
    (found in the templates by Babel's Jinja2 extractor, so a check without translations never loads Jinja2)."""
    seen: dict[str, Entry] = {}
    for entry in [*_Walker(loaded, pub).run(), *(page_entries(pub) if page else [])]:
        seen.setdefault(entry.context, entry)
    return list(seen.values())
