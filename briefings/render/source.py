"""Render the full text of a source the briefing republishes, every passage it cites an anchor: `<slug>/sources/<id>.html`.

The page is the source's text as written, paragraph by paragraph (and its `headings` as headings),
with its licence and attribution. Every passage that facts.yaml cites from it (a fact's evidence,
a dispute's account) is an element whose id is the passage's (`Passage.id`) and whose text is
exactly the passage: a link from a briefing's citation lands on it, and CSS `:target` outlines it.
After each paragraph, a note for each passage that ends in it says which facts and disputes cite
it, with links back to where each audience's briefing uses them.

Passages may overlap. The text is cut at every passage's start and end; a passage that nests in
another, or stands apart from it, is an element inside or beside it, so the markup stays valid
and each such element holds exactly its passage. Two passages that cross (each holds words the
other does not) cannot both be elements of one text, and neither can a passage that runs over
more than one paragraph: the passage that crosses the most others (or that runs over paragraphs)
is shown in full in its note instead, as a quotation whose id is the passage's, and its words in
the text are outlined with it when it is reached (the page's own rules, `:has()`, one per such
passage). Its words are never repeated in the text itself.

The page's words are English and all in the template (templates/source.html.j2); this module only
lays the text out.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from jinja2 import Environment
from markupsafe import Markup

from briefings.model import Passage, Publication, PublishedText
from briefings.render.environment import assets
from briefings.render.formats import output_path, source_path
from briefings.render.html import content_security_policy
from briefings.render.provenance import provenance

# How a note names its passage: the whole passage up to SHORT words, else its first and last words.
SHORT, OPENING_WORDS, CLOSING_WORDS = 12, 6, 4


@dataclass
class Run:
    """A piece of one paragraph: text, or a passage marked in place (`passage`) holding its own pieces."""

    text: str = ""
    shares: tuple[str, ...] = ()  # the ids of passages shown in their notes whose words these are
    lang: str = ""  # the language of these words, where it is not the page's (sources.yaml's `languages`)
    passage: Passage | None = None
    inner: list[Run] = field(default_factory=list)


@dataclass
class Use:
    """Where a fact or dispute is used: an audience's page, at the fact's row or the dispute's table where it has one."""

    name: str  # the audience's short name, "Journalists"
    href: str
    number: int = 0  # the fact's citation number on that page (0: the page shows no citations)


@dataclass
class Citing:
    """A fact, a dispute or the audiences' quote blocks that cite a passage."""

    kind: str  # "fact", "dispute" or "quote"
    text: str  # the fact's statement (Markdown) or the dispute's topic
    uses: list[Use]


@dataclass
class Note:
    """What the page says about one passage, after the paragraph where it ends."""

    passage: Passage
    words: str  # the passage's words, spaces folded
    opening: str  # its first words, to name it ("" when the note shows it in full), or all of them if it is short
    closing: str  # its last words ("" when `opening` is all of it)
    apart: str  # why the note shows it in full: "overlap", "paragraphs", or "" (it is marked in the text)
    citing: list[Citing]


@dataclass
class Paragraph:
    heading: bool
    runs: list[Run]
    notes: list[Note]
    editor_notes: list[str] = field(default_factory=list)  # the publisher's notes on words of it (Markdown)


def _crosses(a: Passage, b: Passage) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def place(text: PublishedText) -> tuple[list[Passage], dict[str, str]]:
    """Split the passages into those marked in place (no two cross, each inside one paragraph) and those shown in their notes.

    Returns the passages marked in place, in the order of the text, and {id: why} for the others
    ("paragraphs": it runs over more than one; "overlap": it crosses another). Of passages that
    cross, the one crossing the most others goes to its note first (then the shorter, then the later).
    """
    apart: dict[str, str] = {}
    inline: list[Passage] = []
    for passage in text.passages:
        if any(start <= passage.start and passage.end <= end for start, end, _ in text.blocks):
            inline.append(passage)
        else:
            apart[passage.id] = "paragraphs"
    while True:
        crossing = {p.id: sum(_crosses(p, q) for q in inline) for p in inline}
        worst = max(inline, key=lambda p: (crossing[p.id], -(p.end - p.start), p.number), default=None)
        if worst is None or not crossing[worst.id]:
            return inline, apart
        apart[worst.id] = "overlap"
        inline.remove(worst)


def _runs(source: str, start: int, end: int, inline: list[Passage], shown_apart: list[Passage],
          languages: tuple[tuple[int, int, str], ...] = ()) -> list[Run]:
    """The pieces of source[start:end]: the passages marked in place as elements (nested where they nest), text between."""
    runs: list[Run] = []
    at = start
    i = 0
    while i < len(inline):
        passage = inline[i]
        j = i + 1
        while j < len(inline) and inline[j].start < passage.end:  # sorted and never crossing: these nest inside it
            j += 1
        runs += _text_runs(source, at, passage.start, shown_apart, languages)
        runs.append(Run(passage=passage, inner=_runs(source, passage.start, passage.end, inline[i + 1:j], shown_apart, languages)))
        at, i = passage.end, j
    return runs + _text_runs(source, at, end, shown_apart, languages)


def _text_runs(source: str, start: int, end: int, shown_apart: list[Passage],
               languages: tuple[tuple[int, int, str], ...] = ()) -> list[Run]:
    """Text between marked passages, cut where a passage shown in its note starts or ends and where a stretch in another
    language does, each piece knowing whose words it holds and its language."""
    edges = [x for p in shown_apart for x in (p.start, p.end)] + [x for a, b, _ in languages for x in (a, b)]
    cuts = sorted({start, end, *(x for x in edges if start < x < end)})
    runs = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a < b:
            lang = next((tag for s, e, tag in languages if s <= a and b <= e), "")
            runs.append(Run(source[a:b], tuple(p.id for p in shown_apart if p.start <= a and b <= p.end), lang))
    return runs


def _relative(from_path: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_path))


def citing(pub: Publication, passage: Passage, page: str) -> list[Citing]:
    """The facts, disputes and quote blocks that cite a passage, each with the audiences' pages that use it (links relative to `page`)."""
    found = []
    for fact_id in passage.facts:
        uses = []
        for briefing in pub.briefings:
            if fact_id not in briefing.cited:
                continue
            href = _relative(page, output_path(pub.slug, briefing.audience, "html"))
            if briefing.shows("fact_table"):  # the fact's row in the table, where its citation number leads
                uses.append(Use(briefing.policy.name, f"{href}#fact-{fact_id}", briefing.cited.index(fact_id) + 1))
            else:
                uses.append(Use(briefing.policy.name, href))
        found.append(Citing("fact", pub.facts[fact_id]["statement"], uses))
    for dispute_id in passage.disputes:
        dispute = next(d for d in pub.disputes if d["id"] == dispute_id)
        uses = [Use(b.policy.name, f"{_relative(page, output_path(pub.slug, b.audience, 'html'))}#dispute-{dispute_id}")
                for b in pub.briefings if b.shows("disputes")]
        found.append(Citing("dispute", dispute["topic"], uses))
    if passage.quotes:  # quoted whole in a quote block: the link leads to the block
        uses = [Use(b.policy.name, f"{_relative(page, output_path(pub.slug, b.audience, 'html'))}#quote-{passage.id}")
                for b in pub.briefings if b.audience in passage.quotes]
        found.append(Citing("quote", "", uses))
    return found


def layout(pub: Publication, source: str) -> tuple[list[Paragraph], list[Passage]]:
    """The source's paragraphs, each with its pieces and the notes after it; and the passages shown in their notes."""
    text = pub.published[source]
    words = pub.source_texts[source]
    page = source_path(pub.slug, source)
    inline, apart = place(text)
    shown_apart = [p for p in text.passages if p.id in apart]
    paragraphs = []
    for start, end, heading in text.blocks:
        here = [p for p in inline if start <= p.start and p.end <= end]
        notes = []
        for passage in text.passages:
            if start <= passage.end - 1 < end:  # a passage's note follows the paragraph where it ends
                split = words[passage.start:passage.end].split()
                short = len(split) <= SHORT
                opening = " ".join(split if short else split[:OPENING_WORDS])
                closing = "" if short else " ".join(split[-CLOSING_WORDS:])
                if passage.id in apart:
                    opening = closing = ""
                notes.append(Note(passage, " ".join(split), opening, closing, apart.get(passage.id, ""), citing(pub, passage, page)))
        ours = [note for at, note in text.editor_notes if start <= at < end]
        paragraphs.append(Paragraph(heading, _runs(words, start, end, here, shown_apart, text.languages), notes, ours))
    return paragraphs, shown_apart


def highlight_rules(passages: tuple[Passage, ...], shown_apart: list[Passage]) -> str:
    """The page's own CSS: when a passage is reached, its note is marked with it, and so are the words in the text of a
    passage shown in full in its note. (One selector per passage: CSS cannot match a note to the target by itself.)"""
    rules = []
    if passages:  # a note holds links: in forced colours it keeps the system's colours, marked by its outline alone
        rules.append(",\n".join(f"main:has(#{p.id}:target) #note-{p.id}" for p in passages)
                     + " {\n  background: var(--reached-note);\n  color: var(--ink);\n  outline: 3px solid var(--ink);\n}")
    if shown_apart:  # words of the text: in forced colours, the system's highlight colours
        rules.append(",\n".join(f"main:has(#{p.id}:target) .shares-{p.id}" for p in shown_apart)
                     + " {\n  background: var(--reached);\n  color: var(--reached-ink);\n  outline: 2px solid var(--reached-edge);\n"
                     "  forced-color-adjust: none;\n}")
    return "\n".join(rules)


def source_context(env: Environment, pub: Publication, source: str, content_version: str) -> dict[str, object]:
    """Return the template variables for one source's page."""
    paragraphs, shown_apart = layout(pub, source)
    rules = highlight_rules(pub.published[source].passages, shown_apart)
    css = Markup(str(assets(env).page_css("source.css")) + "\n" + rules)  # noqa: S704 - our own CSS and ids
    page = source_path(pub.slug, source)
    return {
        "pub": pub,
        "source": pub.sources[source],
        "source_id": source,
        "paragraphs": paragraphs,
        "passages": len(pub.published[source].passages),
        "has_editor_notes": bool(pub.published[source].editor_notes),
        "prov": provenance(pub, content_version),
        "canonical_url": pub.public_url(page),
        "own_address": pub.own_address(source),
        "css": css,
        "csp": content_security_policy([str(css)], []),
        "abbreviations": {term["term"]: term["expansion"] for term in pub.terms.values() if "expansion" in term},
    }


def render_source_page(env: Environment, pub: Publication, source: str, content_version: str) -> str:
    """Render the page of one source's full text."""
    return env.get_template("source.html.j2").render(source_context(env, pub, source, content_version))


def source_page_bytes(env: Environment, pub: Publication, source: str, content_version: str) -> bytes:
    """The `source` format: one source's full text, as a page of the site."""
    return render_source_page(env, pub, source, content_version).encode("utf-8")
