"""Resolve cross-references (facts, sources, people, contacts, terms) into a publication model.

Every dangling reference, duplicate id and unverifiable quote is reported with
its file and line; nothing is rendered until the whole publication resolves.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from briefings import pictures
from briefings.audiences import Audience, DeclarationError, declare, declared_id
from briefings.load.content import REGISTER_FILES, ContentFolder
from briefings.load.files import Refused, read_inside
from briefings.load.limits import strings_in
from briefings.load.yaml_source import Document
from briefings.model import (
    PLACEHOLDER,
    AudienceBriefing,
    Block,
    EasyLine,
    Passage,
    Picture,
    Publication,
    PublishedText,
    Section,
    Text,
    abbreviations,
    paragraphs,
    prose,
    published_address,
    strip_links,
)
from briefings.problems import Problems
from briefings.schema import BLOCK_KINDS

DEFAULT_QUICK_EXIT = "https://www.bbc.co.uk/weather"
# A long inquiry report is a few MB of text; this bounds what one file may cost the quote checks.
MAX_SOURCE_TEXT_BYTES = 10 * 1024 * 1024
# Words that, right before a quote, turn its meaning round: "no action appeared to be taken" is not
# "action appeared to be taken". A prefix ("unwilling") is caught by the word-boundary rule instead.
NEGATIONS = frozenset({"no", "not", "never", "nor", "neither", "cannot"})
_LAST_WORD = re.compile(r"(\w+(?:'\w+)?)[\s\"']*$")


def normalise_quote(text: str) -> str:
    """Fold the differences that do not change the words: spacing, quote-mark style, Unicode form."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def normalise_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """`normalise_quote(text)`, with where each of its characters comes from in `text`: (normalised, starts, ends).

    Character i of the normalised text comes from text[starts[i]:ends[i]]: a character with the
    combining marks after it (normalised together), or the first of a run of spaces folded into one.
    """
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        piece = piece.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
        out.extend((ch, i, j) for ch in piece)
        i = j
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    space: tuple[int, int] | None = None
    for ch, start, end in out:
        if ch.isspace():
            space = space or ((start, end) if chars else None)
            continue
        if space:
            chars.append(" ")
            starts.append(space[0])
            ends.append(space[1])
            space = None
        chars.append(ch)
        starts.append(start)
        ends.append(end)
    return "".join(chars), starts, ends


def passage_id(words: str, taken: dict[str, str]) -> str:
    """The anchor of a passage with these (normalised) words: "p-" and the start of their sha256, longer if `taken` has it for other words."""
    import hashlib

    digest = hashlib.sha256(words.encode("utf-8")).hexdigest()
    for size in range(8, len(digest) + 1, 4):
        ident = f"p-{digest[:size]}"
        if taken.get(ident, words) == words:
            return ident
    return f"p-{digest}"  # pragma: no cover - sha256 itself collided


def _inside_word(text: str, at: int, step: int) -> bool:
    """Whether the character of `text` beside position `at` (before it for step -1, at it for step 1) continues a word.

    A letter or digit does; so does a hyphen or apostrophe joined to one ("non-recent", "council's").
    """
    first = at - 1 if step < 0 else at
    if not 0 <= first < len(text):
        return False
    if text[first].isalnum():
        return True
    second = first + step
    return text[first] in "-'" and 0 <= second < len(text) and text[second].isalnum()


def _around(text: str, start: int, words: int = 5) -> str:
    """The words of `text` around position `start`: `words` before the word it is in, and that word and more after it."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    before, after = text[:start].split(), text[start:].split()
    head, tail = ("… " if len(before) > words else ""), (" …" if len(after) > words else "")
    return head + " ".join(before[-words:] + after[:words]) + tail


def where_it_differs(quote: str, source: str, shown: int = 6) -> str:
    """For a quote not in the source: where it leaves the source, after the longest run of its first words that the
    source has ("" when not even its first two words are there together)."""
    words = quote.split()

    def found(count: int) -> re.Match[str] | None:  # the first `count` words, as whole words of the source
        return re.search(r"(?<!\w)" + re.escape(" ".join(words[:count])) + r"(?!\w)", source)

    low, high = 0, len(words)  # the longest prefix found: any shorter prefix of a found one is found too
    while low < high:
        middle = (low + high + 1) // 2
        if found(middle):
            low = middle
        else:
            high = middle - 1
    match = found(low) if low >= 2 else None
    if match is None:
        return ""
    after = source[match.end():].split()[:shown]
    kept = ("… " if low > shown else "") + " ".join(words[max(0, low - shown):low])
    theirs = " ".join(after) + (" …" if after else "")
    ours = " ".join(words[low:low + shown]) + (" …" if len(words) > low + shown else "")
    return f"after “{kept}” the source has “{theirs or '(its end)'}” where the quote has “{ours}”"


def occurrences(quote: str, source: str) -> Iterator[tuple[int, bool]]:
    """Every place a normalised quote occurs in a normalised source text, in order, and whether it starts or ends inside
    a word there ("willing" in "unwilling"): whole words are where it is False."""
    at = source.find(quote) if quote else -1
    while at >= 0:
        end = at + len(quote)
        yield at, (quote[:1].isalnum() and _inside_word(source, at, -1)) or (quote[-1:].isalnum() and _inside_word(source, end, 1))
        at = source.find(quote, at + 1)


def find_quote(quote: str, source: str) -> tuple[str, int, str]:
    """Find a normalised quote in a normalised source text, whole words only.

    Returns ("found", index, ""), ("negated", index, the negation word) when every whole-word
    occurrence has a negation right before it, ("inside-word", index, "") when it occurs only
    starting or ending inside a word ("willing" in "unwilling"), or ("missing", -1, "").
    """
    first_negated, first_inside = None, None
    for at, inside in occurrences(quote, source):
        if inside:
            first_inside = at if first_inside is None else first_inside
        else:
            word = _LAST_WORD.search(source, max(0, at - 40), at)
            negation = word.group(1).lower() if word else ""
            if negation not in NEGATIONS and not negation.endswith("n't"):
                return "found", at, ""
            first_negated = first_negated or (at, negation)
    if first_negated:
        return "negated", *first_negated
    if first_inside is not None:
        return "inside-word", first_inside, ""
    return "missing", -1, ""


class _Resolver:
    """Walks one briefing's documents, building the model and reporting every problem."""

    def __init__(self, loaded: ContentFolder, problems: Problems) -> None:
        self.loaded = loaded
        self.problems = problems
        self.filled: set[tuple[str, tuple[Any, ...]]] = set()  # (file, path) of each text {fact-id} is filled in

    def error(self, doc: Document, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.problems.add(doc.path, *doc.at(path), message, hint)

    def register(self, name: str, key: str, id_key: str = "id") -> dict[str, dict[str, Any]]:
        """Index a register's entries by id, reporting duplicates."""
        out: dict[str, dict[str, Any]] = {}
        doc = self.loaded.docs.get(name)
        for i, entry in enumerate(self.loaded.data(name, key)):
            ident = entry[id_key]
            if ident in out:
                self.error(doc, (key, i, id_key), f"duplicate {id_key} '{ident}'")
            out[ident] = entry
        return out

    def run(self) -> Publication | None:
        loaded = self.loaded
        if "briefing.yaml" not in loaded.docs:
            return None
        cfg = loaded.config
        sources = self.register("sources.yaml", "sources")
        facts = self.register("facts.yaml", "facts")
        terms = self.register("glossary.yaml", "terms", "term")
        people = self.register("people.yaml", "people")
        contacts = self.register("support.yaml", "contacts")
        self.register("facts.yaml", "disputes")
        self.sources, self.facts, self.people, self.contacts, self.terms = sources, facts, people, contacts, terms
        self.texts = self.load_source_texts()
        self.allow_capitals = tuple(cfg.get("allow", {}).get("capitals", []))
        # Terms that are not abbreviations ("special measures", "Legionella"), found in any case.
        self.term_patterns = {
            term: re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
            for term in terms if not abbreviations(term)
        }
        cdoc = loaded.docs["briefing.yaml"]
        if cfg["primary_source"] not in sources and "sources.yaml" in loaded.docs:
            self.error(cdoc, ("primary_source",), f"unknown source '{cfg['primary_source']}'")
        self.check_facts()
        published, passage_of = self.find_passages()
        self.check_people()
        self.check_date(cdoc, ("updated",), cfg["updated"])
        for i, contact in enumerate(self.loaded.data("support.yaml", "contacts")):
            self.check_date(self.loaded.docs["support.yaml"], ("contacts", i, "checked"), contact["checked"])
        self.fill_contacts()
        pub = Publication(
            slug=cfg["slug"],
            title=cfg["title"],
            language=cfg["language"],
            updated=cfg["updated"],
            publisher=cfg["publisher"],
            folder=loaded.folder,
            primary_source=sources.get(cfg["primary_source"], {}),
            sources=sources,
            facts=facts,
            disputes=loaded.data("facts.yaml", "disputes"),
            terms=terms,
            people=people,
            contacts=contacts,
            events=self.resolve_events(),
            source_texts=self.texts,
            quick_exit_url=cfg.get("quick_exit_url", DEFAULT_QUICK_EXIT),
            base_url=published_address(cfg.get("base_url")),
            fact_at=self.fact_locations(),
            allow_names=tuple(cfg.get("allow", {}).get("names", [])),
            allow_capitals=tuple(cfg.get("allow", {}).get("capitals", [])),
            phone_region=cfg.get("phone_region", "GB"),
            published=published,
            passage_of=passage_of,
        )
        policies = self.declare_audiences(cdoc, cfg)
        self.check_contact_audiences()
        for audience, doc in loaded.audiences.items():
            if audience in policies:
                pub.briefings.append(self.resolve_audience(policies[audience], doc))
        self.check_nothing_left_unfilled()
        return pub

    # --- audiences ---------------------------------------------------------

    def declare_audiences(self, cdoc: Document, cfg: dict[str, Any]) -> dict[str, Audience]:
        """Make each declared audience's policy, reporting what cannot be made at its line in briefing.yaml."""
        overrides = cfg.get("reading_limits", {})
        policies: dict[str, Audience] = {}
        for i, entry in enumerate(cfg["audiences"]):
            ident = declared_id(entry)
            at: tuple[Any, ...] = ("audiences", i) if isinstance(entry, str) else ("audiences", i, "id")
            if ident in policies:
                self.error(cdoc, at, f"audience '{ident}' is declared twice", "each audience once")
                continue
            try:
                policies[ident] = declare(entry, overrides.get(ident))
            except DeclarationError as err:
                where = ("audiences", i, err.key) if err.key and isinstance(entry, dict) and err.key in entry else at
                self.error(cdoc, where, str(err), err.hint)
        for ident in overrides:
            if ident not in [declared_id(e) for e in cfg["audiences"]]:
                self.problems.add(cdoc.path, *cdoc.key_at(("reading_limits", ident)),
                                  f"reading_limits for '{ident}', which is not a declared audience",
                                  self.suggest(ident, dict.fromkeys(declared_id(e) for e in cfg["audiences"])))
        return policies

    def check_contact_audiences(self) -> None:
        """Support contacts and glossary entries name only declared audiences."""
        declared = [declared_id(e) for e in self.loaded.config["audiences"]]
        for name, key in (("support.yaml", "contacts"), ("glossary.yaml", "terms")):
            doc = self.loaded.docs.get(name)
            for i, entry in enumerate(self.loaded.data(name, key)):
                for j, audience in enumerate(entry.get("audiences", [])):
                    if audience not in declared:
                        self.error(doc, (key, i, "audiences", j), f"audience '{audience}' is not declared in briefing.yaml",
                                   self.suggest(audience, dict.fromkeys(declared)))

    # --- registers -------------------------------------------------------

    def load_source_texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        self.normalised: dict[str, str] = {}  # each text normalised once, for every quote from it
        doc = self.loaded.docs.get("sources.yaml")
        for i, source in enumerate(self.loaded.data("sources.yaml", "sources")):
            if "text" not in source:
                continue
            path = (self.loaded.folder / source["text"]).resolve()
            if not path.is_relative_to(self.loaded.folder.resolve()):
                self.error(doc, ("sources", i, "text"), "source text must be inside the briefing folder")
                continue
            try:
                texts[source["id"]] = read_inside(path, self.loaded.folder, MAX_SOURCE_TEXT_BYTES).decode("utf-8")
            except Refused as err:
                self.error(doc, ("sources", i, "text"), f"cannot read source text {source['text']}: {err}")
            except UnicodeDecodeError as err:
                self.error(doc, ("sources", i, "text"), f"cannot read source text {source['text']}: {err}", "save the file as UTF-8")
        self.normalised = {ident: normalise_quote(text) for ident, text in texts.items()}
        return texts

    def check_source(self, doc: Document, path: tuple[Any, ...], source: str, quote: str | None = None) -> None:
        """Check a source reference, and that a quote is word for word in the source's text where we hold it."""
        if source not in self.sources:
            if "sources.yaml" in self.loaded.docs:
                self.error(doc, path + ("source",), f"unknown source '{source}'", self.suggest(source, self.sources))
            return
        if quote is not None and source in self.normalised:
            text = self.normalised[source]
            quote = normalise_quote(quote)
            found, at, negation = find_quote(quote, text)
            where = path + ("quote",) if "quote" in self.at_keys(doc, path) else path + ("text",)
            if found == "missing":
                differs = where_it_differs(quote, text)
                self.error(doc, where, f"quote is not word for word in source '{source}'",
                           f"copy the passage exactly from the source text{': ' + differs if differs else ''}")
            elif found == "inside-word":
                self.error(doc, where, f"quote starts or ends inside a word of source '{source}'",
                           f"the source has “{_around(text, at)}”: quote whole words")
            elif found == "negated":
                self.problems.add(doc.path, *doc.at(where),
                                  f"the source says '{negation}' right before this quote: “{_around(text, at)}”",
                                  "quote from the negation on, so that the meaning is not turned round", severity="warning", rule="quote")

    @staticmethod
    def at_keys(doc: Document, path: tuple[Any, ...]) -> set[str]:
        return {k[-1] for k in doc.keys if k[:-1] == path}

    @staticmethod
    def suggest(name: str, known: dict[str, Any]) -> str:
        import difflib

        close = difflib.get_close_matches(name, list(known), n=1)
        return f"did you mean '{close[0]}'?" if close else ""

    def check_facts(self) -> None:
        doc = self.loaded.docs.get("facts.yaml")
        for i, fact in enumerate(self.loaded.data("facts.yaml", "facts")):
            for j, ev in enumerate(fact["sources"]):
                self.check_source(doc, ("facts", i, "sources", j), ev["source"], ev["quote"])
        for i, dispute in enumerate(self.loaded.data("facts.yaml", "disputes")):
            for j, acc in enumerate(dispute["accounts"]):
                self.check_source(doc, ("disputes", i, "accounts", j), acc["source"], acc["quote"])

    def published_blocks(self, doc: Document, i: int, source: dict[str, Any]) -> tuple[tuple[int, int, bool], ...]:
        """The paragraphs of a republished source's text, its `headings` marked; a heading that is no paragraph of it is an error."""
        text = self.texts[source["id"]]
        blocks = paragraphs(text)
        words = [normalise_quote(text[start:end]) for start, end in blocks]
        headings = set()
        for j, heading in enumerate(source.get("headings", [])):
            wanted = normalise_quote(heading)
            if wanted in words:
                headings.update(k for k, found in enumerate(words) if found == wanted)
            else:
                self.error(doc, ("sources", i, "headings", j), f"heading '{heading}' is not a paragraph of its own in {source['text']}",
                           "copy a heading's words exactly, as a line of the text with a blank line before and after it")
        return tuple((start, end, k in headings) for k, (start, end) in enumerate(blocks))

    def marked_in_text(self, doc: Document, i: int, source: dict[str, Any]) -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, str], ...]]:
        """Where a republished text is in another language (`languages`: every occurrence) and where our notes on it go
        (`editor_notes`: after the paragraph of the first occurrence), as positions in the text as written."""
        text, starts, ends = normalise_with_offsets(self.texts[source["id"]])

        def spans(key: str, j: int, phrase: str) -> list[tuple[int, int]]:
            wanted = normalise_quote(phrase)
            found = [(starts[at], ends[at + len(wanted) - 1]) for at, inside in occurrences(wanted, text) if not inside]
            if not found:
                self.error(doc, ("sources", i, key, j, "text"), f"'{phrase}' is not in {source['text']} as whole words",
                           "copy the words exactly from the text")
            return found

        languages = tuple((start, end, entry["lang"]) for j, entry in enumerate(source.get("languages", []))
                          for start, end in spans("languages", j, entry["text"]))
        notes = tuple((found[0][0], entry["note"]) for j, entry in enumerate(source.get("editor_notes", []))
                      if (found := spans("editor_notes", j, entry["text"])))
        return tuple(sorted(languages)), notes

    def find_passages(self) -> tuple[dict[str, PublishedText], dict[tuple[str, str], Passage]]:
        """Locate every passage cited (facts' evidence, disputes' accounts, audiences' quote blocks) in each source the site republishes.

        Each passage is where the quote check finds it (the same occurrence, the same word
        boundaries), mapped back to the text as written. A quote that the check refused has no passage.
        """
        doc = self.loaded.docs.get("sources.yaml")
        published = []
        blocks: dict[str, tuple[tuple[int, int, bool], ...]] = {}
        marked: dict[str, tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, str], ...]]] = {}
        for i, source in enumerate(self.loaded.data("sources.yaml", "sources")):
            if not source.get("republish"):
                continue
            if "text" not in source:
                self.error(doc, ("sources", i, "republish"), f"source '{source['id']}' is marked republish but has no text",
                           "add text: with the path of its full text, or remove republish")
            elif "licence" not in source:
                self.error(doc, ("sources", i, "republish"), f"source '{source['id']}' is marked republish but names no licence",
                           "add licence: with the licence that allows republishing it")
            elif source["id"] in self.texts:
                published.append(source["id"])
                blocks[source["id"]] = self.published_blocks(doc, i, source)
                marked[source["id"]] = self.marked_in_text(doc, i, source)
        cited: list[tuple[str, str, str, str]] = []  # (source, quote, "facts", "disputes" or "quotes", id)
        quote_at: dict[int, tuple[Document, tuple[Any, ...]]] = {}  # where each quote block's text is written
        for fact in self.loaded.data("facts.yaml", "facts"):
            cited.extend((ev["source"], ev["quote"], "facts", fact["id"]) for ev in fact["sources"])
        for dispute in self.loaded.data("facts.yaml", "disputes"):
            cited.extend((acc["source"], acc["quote"], "disputes", dispute["id"]) for acc in dispute["accounts"])
        for audience, adoc in self.loaded.audiences.items():  # the quote blocks of each audience's briefing
            sections = adoc.data.get("sections") if isinstance(adoc.data, dict) else None
            for i, sec in enumerate(sections if isinstance(sections, list) else []):
                for j, blk in enumerate(sec.get("blocks", []) if isinstance(sec, dict) else []):
                    quote = blk.get("quote") if isinstance(blk, dict) else None
                    if isinstance(quote, dict) and isinstance(quote.get("text"), str) and isinstance(quote.get("source"), str):
                        cited.append((quote["source"], quote["text"], "quotes", audience))
                        quote_at[len(cited) - 1] = (adoc, ("sections", i, "blocks", j, "quote", "text"))
        spans: dict[str, dict[tuple[int, int], dict[str, Any]]] = {ident: {} for ident in published}
        located: dict[tuple[str, str], tuple[int, int]] = {}
        offsets = {ident: normalise_with_offsets(self.texts[ident]) for ident in published}
        for n, (source, quote, kind, ident) in enumerate(cited):
            if source not in offsets:
                continue
            text, starts, ends = offsets[source]
            words = normalise_quote(quote)
            found, at, _ = find_quote(words, text)
            if found not in ("found", "negated"):
                continue  # reported by the quote check
            span = (starts[at], ends[at + len(words) - 1])
            entry = spans[source].setdefault(span, {"words": words, "facts": [], "disputes": [], "quotes": []})
            if ident not in entry[kind]:
                entry[kind].append(ident)
            elif kind == "quotes":  # the briefing's link to the passage leads to one quote block
                adoc, at_path = quote_at[n]
                self.error(adoc, at_path, "this passage is quoted twice in this briefing", "quote it once")
            located[(source, quote)] = span
        texts: dict[str, PublishedText] = {}
        for source in published:
            taken: dict[str, str] = {}
            found_here = []
            for number, (span, entry) in enumerate(sorted(spans[source].items(), key=lambda item: (item[0][0], -item[0][1])), start=1):
                ident = passage_id(entry["words"], taken)
                taken[ident] = entry["words"]
                found_here.append(Passage(ident, source, number, span[0], span[1], tuple(entry["facts"]), tuple(entry["disputes"]),
                                          tuple(entry["quotes"])))
            texts[source] = PublishedText(source, blocks[source], tuple(found_here), *marked[source])
        by_span = {(p.source, p.start, p.end): p for text in texts.values() for p in text.passages}
        return texts, {key: by_span[(key[0], *span)] for key, span in located.items()}

    def fact_locations(self) -> dict[str, tuple[str, int, int]]:
        doc = self.loaded.docs.get("facts.yaml")
        return {fact["id"]: (doc.path, *doc.at(("facts", i, "statement"))) for i, fact in enumerate(self.loaded.data("facts.yaml", "facts"))}

    def check_date(self, doc: Document, path: tuple[Any, ...], value: str) -> None:
        from datetime import date

        try:
            date.fromisoformat(value)
        except ValueError:
            self.error(doc, path, f"'{value}' is not a real date")

    def check_people(self) -> None:
        doc = self.loaded.docs.get("people.yaml")
        for i, person in enumerate(self.loaded.data("people.yaml", "people")):
            for j, source in enumerate(person["sources"]):
                if source not in self.sources and "sources.yaml" in self.loaded.docs:
                    self.error(doc, ("people", i, "sources", j), f"unknown source '{source}'")

    def check_fact_refs(self, doc: Document, path: tuple[Any, ...], refs: list[str]) -> list[str]:
        for k, ref in enumerate(refs):
            if ref not in self.facts and "facts.yaml" in self.loaded.docs:
                self.error(doc, path + (k,), f"unknown fact '{ref}'", self.suggest(ref, self.facts))
        return refs

    def fill(self, doc: Document, path: tuple[Any, ...], text: str) -> str:
        """Replace {fact-id} with the fact's value, reporting unknown facts and facts without a value."""
        if doc is not None:
            self.filled.add((doc.path, path))

        def value(match: re.Match[str]) -> str:
            ident = match.group(1)
            fact = self.facts.get(ident)
            if fact is None:
                if "facts.yaml" in self.loaded.docs:
                    self.error(doc, path, f"unknown fact '{{{ident}}}'", self.suggest(ident, self.facts))
                return match.group(0)
            if "value" not in fact:
                self.error(doc, path, f"fact '{ident}' has no value to insert", "add 'value' to the fact in facts.yaml")
                return match.group(0)
            return str(fact["value"])

        return PLACEHOLDER.sub(value, text)

    def fill_contacts(self) -> None:
        """Fill {fact-id} in the texts of each support card, as in the audience files and the timeline."""
        doc = self.loaded.docs.get("support.yaml")
        for i, contact in enumerate(self.loaded.data("support.yaml", "contacts")):
            if self.contacts.get(contact["id"]) is contact:  # of two with one id, the one the register kept
                self.contacts[contact["id"]] = {**contact, **{key: self.fill(doc, ("contacts", i, key), contact[key])
                                                             for key in CONTACT_TEXTS if isinstance(contact.get(key), str)}}

    def check_nothing_left_unfilled(self) -> None:
        """{fact-id} in a text it is not filled in (a quote, a fact's own statement, a glossary entry, a dispute, a source,
        a name) would be printed as it is written: an error at the text."""
        docs = [*self.loaded.docs.values(), *self.loaded.audiences.values()]
        for doc in docs:
            for path, text in strings_in(doc.data):
                found = PLACEHOLDER.search(text)
                if found and (doc.path, path) not in self.filled:
                    self.error(doc, path, f"{found.group(0)} would be printed as it is written: a fact's value is put in only in "
                               "the audience files' own texts, the timeline and the support cards", "write the value itself here")

    def resolve_events(self) -> list[dict[str, Any]]:
        doc = self.loaded.docs.get("timeline.yaml")
        events = []
        for i, event in enumerate(self.loaded.data("timeline.yaml", "events")):
            self.check_fact_refs(doc, ("events", i, "facts"), event["facts"])
            events.append({**event, "when": self.fill(doc, ("events", i, "when"), event["when"]),
                           "what": self.fill(doc, ("events", i, "what"), event["what"])})
        return events

    # --- audience files ---------------------------------------------------

    def text(self, doc: Document, path: tuple[Any, ...], item: Any) -> Text:
        if isinstance(item, str):
            raw, refs = item, []
        else:
            raw, refs = item["text"], self.check_fact_refs(doc, path + ("facts",), item.get("facts", []))
            path = path + ("text",)
        return Text(self.fill(doc, path, raw), refs, (doc.path, *doc.at(path)))

    def resolve_audience(self, policy: Audience, doc: Document) -> AudienceBriefing:
        data = doc.data
        audience = policy.id
        if data["audience"] != audience:
            self.error(doc, ("audience",), f"file is for '{data['audience']}' but is named {audience}.yaml")
        note, note_lines = None, []
        if isinstance(data.get("content_note"), list):  # an Easy Read's, line by line with pictures
            note_lines = [self.easy_line(doc, ("content_note", i), line) for i, line in enumerate(data["content_note"])]
        elif "content_note" in data:
            note = self.text(doc, ("content_note",), data["content_note"])
        if policy.content_note_required and note is None and not note_lines:
            self.error(doc, (), f"{policy.possessive()} must open with a content_note", "say what it talks about and where support is")
        if "key_points" not in data and not policy.easy_read:  # an Easy Read has none (briefings.check.easy_read)
            self.error(doc, (), "missing required key 'key_points'")
        key_points = [self.text(doc, ("key_points", i), p) for i, p in enumerate(data.get("key_points", []))]
        if policy.key_points and not policy.key_points[0] <= len(key_points) <= policy.key_points[1]:
            least, most = policy.key_points
            self.error(doc, ("key_points",), f"key_points has {len(key_points)} lines; open with {_count_words(least)} to {_count_words(most)}")
        sections: list[Section] = []
        seen: dict[str, int] = {}
        for i, sec in enumerate(data["sections"]):
            ident = sec.get("id") or slugify(sec["heading"])
            if ident in seen or ident in ("main", "contents", "key-points", "content-note"):
                self.error(doc, ("sections", i, "heading"), f"section id '{ident}' is used twice", "give the section its own 'id'")
            seen[ident] = i
            blocks = [self.block(audience, doc, ("sections", i, "blocks", j), blk) for j, blk in enumerate(sec["blocks"])]
            heading = self.fill(doc, ("sections", i, "heading"), sec["heading"])
            sections.append(Section(ident, heading, [b for b in blocks if b], (doc.path, *doc.at(("sections", i)))))
        cited = cited_facts(note, [line.text for line in note_lines] + key_points, sections, self.events_facts())
        briefing = AudienceBriefing(
            audience=audience,
            policy=policy,
            title=self.fill(doc, ("title",), data["title"]),
            description=self.fill(doc, ("description",), data["description"]),
            content_note=note,
            key_points=key_points,
            sections=sections,
            cited=cited,
            terms=[],
            path=doc.path,
            description_at=(doc.path, *doc.at(("description",))),
            content_note_lines=note_lines,
        )
        briefing.terms = self.terms_used(doc, briefing)
        self.check_nothing_to_show(briefing)
        return briefing

    def check_nothing_to_show(self, briefing: AudienceBriefing) -> None:
        """A block that lists what the briefing has (its timeline, glossary, fact table) when it has none would print an
        empty list under its heading: a problem at the block, with what to add or remove. An unused glossary is a warning
        (a new scaffold has one until its text is written); a timeline or fact table with nothing in it, an error."""
        if any(name not in self.loaded.docs and os.path.lexists(self.loaded.folder / name) for name in REGISTER_FILES):
            return  # a register that is there but could not be read has its problems said; what the blocks would show is not known
        has = {"timeline": bool(self.loaded.data("timeline.yaml", "events")), "glossary": bool(briefing.terms), "fact_table": bool(briefing.cited)}
        for section in briefing.sections:
            for block in section.blocks:
                if block.kind in NOTHING_TO_SHOW and not has[block.kind]:
                    reason, hint, severity = NOTHING_TO_SHOW[block.kind]
                    self.problems.add(*block.where, f"{block.kind}: {reason}, so the section would show an empty list", hint, severity)

    def events_facts(self) -> list[str]:
        return [f for e in self.loaded.data("timeline.yaml", "events") for f in e["facts"]]

    def block(self, audience: str, doc: Document, path: tuple[Any, ...], data: dict[str, Any]) -> Block | None:
        kinds = [k for k in BLOCK_KINDS if k in data]
        where = (doc.path, *doc.at(path))
        if len(kinds) > 1 or (not kinds and "facts" not in data):
            found = ", ".join(kinds) or "nothing"
            self.error(doc, path, f"a block needs exactly one of {', '.join(BLOCK_KINDS)} (found {found})")
            return None
        facts = self.check_fact_refs(doc, path + ("facts",), data.get("facts", []))
        if not kinds:
            return Block("facts", None, facts, where)
        kind = kinds[0]
        value = data[kind]
        if kind == "paragraph":
            value = Text(self.fill(doc, path + ("paragraph",), value), facts, (doc.path, *doc.at(path + ("paragraph",))))
        elif kind in ("list", "steps"):
            value = [self.text(doc, path + (kind, k), item) for k, item in enumerate(value)]
        elif kind == "easy":
            value = [self.easy_line(doc, path + (kind, k), item) for k, item in enumerate(value)]
        elif kind == "quote":
            qpath = path + ("quote",)
            if value["speaker"] not in self.people and "people.yaml" in self.loaded.docs:
                self.error(doc, qpath + ("speaker",), f"unknown person '{value['speaker']}'", "add them to people.yaml with the basis for naming them")
            self.check_source(doc, qpath, value["source"], value["text"])
        elif kind in ("support", "support_summary"):
            ids = value if isinstance(value, list) else [c for c, v in self.contacts.items() if audience in v["audiences"]]
            for k, ident in enumerate(value if isinstance(value, list) else []):
                if ident not in self.contacts and "support.yaml" in self.loaded.docs:
                    self.error(doc, path + (kind, k), f"unknown support contact '{ident}'")
            value = [self.contacts[c] for c in ids if c in self.contacts]
        return Block(kind, value, facts, where)

    def easy_line(self, doc: Document, path: tuple[Any, ...], item: dict[str, Any]) -> EasyLine:
        """One Easy Read line: its text, and its picture found (a line written without one is left to the Easy Read checks)."""
        picture = self.picture(doc, path + ("picture",), item["picture"]) if "picture" in item else None
        alt = item.get("alt")
        if alt is None and picture is not None:
            if picture.description:
                alt = picture.description
            else:
                self.error(doc, path + ("picture",), f"picture '{item['picture']}' needs an alt: say what it shows",
                           "write alt: \"\" if the words beside it say it all (the picture is then decorative)")
        return EasyLine(self.text(doc, path, item), picture, " ".join((alt or "").split()), item.get("explains", ""),
                        (doc.path, *doc.at(path)), item.get("picture", ""))

    def picture(self, doc: Document, path: tuple[Any, ...], name: str) -> Picture | None:
        """A bundled picture by name, or an SVG or PNG file inside the briefing folder; report what cannot be found or read."""
        if not pictures.looks_like_a_file(name):
            found = pictures.symbol(name)
            if found is None:
                close = pictures.nearest(name)
                hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "README, 'Easy Read', lists every name"
                self.error(doc, path, f"unknown picture '{name}': not in the bundled set, and not a file (a path ending .svg or .png)", hint)
            return found
        target = self.loaded.folder / name
        if name.startswith("/") or not target.resolve().is_relative_to(self.loaded.folder.resolve()):
            self.error(doc, path, f"picture '{name}' must be a file inside the briefing folder", "write its path from the folder briefing.yaml is in")
            return None
        try:
            return pictures.from_file(name, read_inside(target, self.loaded.folder, pictures.MAX_PICTURE_BYTES))
        except Refused as err:
            self.error(doc, path, f"cannot read picture {name}: {err}")
        except ValueError as err:
            self.error(doc, path, f"picture {name}: {err}", "save it as SVG or PNG")
        return None

    def timeline_texts(self, briefing: AudienceBriefing) -> list[Text]:
        """What each timeline event says, where it is written, when the briefing shows the timeline (its terms are the briefing's too)."""
        doc = self.loaded.docs.get("timeline.yaml")
        if doc is None or not briefing.shows("timeline"):
            return []
        return [Text(event["what"], [], (doc.path, *doc.at(("events", i, "what")))) for i, event in enumerate(doc.data.get("events", []))]

    def terms_used(self, doc: Document, briefing: AudienceBriefing) -> list[dict[str, Any]]:
        """Return the glossary entries this briefing uses; report abbreviations missing from the glossary.

        An entry is used when its abbreviation, or its term (any case, as a whole word or phrase), is in the prose.
        """
        used: list[str] = []
        texts = prose(briefing, self.facts, with_facts=True) + self.timeline_texts(briefing)
        plain = [PLACEHOLDER.sub("", strip_links(text.text)) for text in texts]
        for term, pattern in self.term_patterns.items():
            if briefing.audience not in self.terms[term].get("audiences", [briefing.audience]):
                continue
            if any(pattern.search(text) for text in plain):
                used.append(term)
        for text, body in zip(texts, plain, strict=True):
            for _, _, word in abbreviations(body, self.allow_capitals):
                if word not in self.terms:
                    if "glossary.yaml" in self.loaded.docs and not word.isdigit():
                        self.problems.add(*text.where, f"abbreviation '{word}' is not in the glossary", "add it to glossary.yaml", rule="acronym")
                    continue
                if word not in used:
                    used.append(word)
        return [self.terms[t] for t in sorted(used)]


def _count_words(n: int) -> str:
    return ("zero one two three four five six seven eight nine ten".split() + [str(n)])[min(n, 11)] if n <= 10 else str(n)


def slugify(text: str) -> str:
    """Make an anchor id from a heading."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "section"


def cited_facts(note: Text | None, key_points: list[Text], sections: list[Section], event_facts: list[str]) -> list[str]:
    """Return the ids of every fact the briefing relies on, in order of first use."""
    order: list[str] = []

    def add(ids: list[str]) -> None:
        order.extend(i for i in ids if i not in order)

    for t in ([note] if note else []) + key_points:
        add(t.facts)
    for section in sections:
        for block in section.blocks:
            add(block.facts)
            if block.kind in ("list", "steps"):
                for t in block.value:
                    add(t.facts)
            elif block.kind == "easy":
                for line in block.value:
                    add(line.text.facts)
            elif block.kind == "paragraph":
                add(block.value.facts)
            elif block.kind == "timeline":
                add(event_facts)
    return order


# The blocks that list what a briefing has, each with why it would be empty, what to do, and how grave it is.
NOTHING_TO_SHOW = {
    "timeline": ("there is no event to show", "add the events to timeline.yaml, or remove this block", "error"),
    "glossary": ("no glossary term is used in this briefing", "remove this block, or add the terms it uses to glossary.yaml", "warning"),
    "fact_table": ("this briefing cites no fact", "cite the facts it relies on (facts: [ids]), or remove this block", "error"),
}
# The texts of a support card that {fact-id} is filled in.
CONTACT_TEXTS = ("for", "offers", "hours", "cost")


def resolve(loaded: ContentFolder, problems: Problems) -> Publication | None:
    """Resolve one loaded briefing; return None when it cannot be resolved at all."""
    return _Resolver(loaded, problems).run()
