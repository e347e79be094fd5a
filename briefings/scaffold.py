"""`briefings new SLUG`: write a small briefing folder to start from, every file commented to teach its format.

Every value a publisher must write is a placeholder: text that starts with MARKER ("Replace:")
and says what to write instead. `briefings check` reports each one left as an error, with its
file and line (briefings.check.placeholders), so an untouched scaffold can never be built. The
placeholders are written to pass every other check (schema, references, language, names,
abbreviations, readability), so that the errors a new scaffold shows are exactly the ones to fix.

The audience files are made from each audience's policy (briefings.audiences), never from its
name: a policy that requires a content note gets support at the start and the end; one that
counts key points gets the reference sections (quotes, the fact table, sources); any other gets
a plain briefing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from briefings.audiences import BASE, PRESETS, Audience, declare
from briefings.today import build_date

MARKER = "Replace:"  # a placeholder's value starts with this; the rest says what to write instead
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$(?!\n)")  # the schema's ID_PATTERN (tests/unit/test_scaffold.py keeps them equal)
DEFAULT_AUDIENCE = "readers"  # the audience of its own a scaffold declares when no --audience is given
GUIDE = "docs/editorial-guide.md"

SOURCE_ID, FACT_ID, PERSON_ID, CONTACT_ID = "report", "main-finding", "report-author", "helpline"


class ScaffoldError(ValueError):
    """A request `new` refuses (a bad slug or audience, an existing folder): a usage error."""


@dataclass(frozen=True)
class Scaffold:
    """What `new_briefing` wrote."""

    folder: Path
    files: list[Path]
    audiences: list[Audience]
    schemas: Path  # the schemas folder the files' first lines point at


def placeholder(what: str) -> str:
    """A placeholder value, quoted for YAML: `"Replace: <what>"`."""
    return _quote(f"{MARKER} {what}")


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _number(value: float) -> str:
    return f"{value:g}"


def _limits(limits: Mapping[str, float]) -> str:
    return "{" + ", ".join(f"{k}: {_number(v)}" for k, v in limits.items()) + "}"


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _describe(policy: Audience) -> str:
    """One line on what a policy asks of an audience's pages, for comments."""
    r = policy.reading_limits
    parts = [f"reading grade at most {_number(r.grade)}, reading ease at least {_number(r.ease)}",
             f"sentences of {_number(r.mean_sentence)} words on average and {r.max_sentence} at most"]
    if policy.content_note_required:
        parts.append("a content note first")
    if policy.key_points:
        parts.append(f"{policy.key_points[0]} to {policy.key_points[1]} key points")
    if policy.quick_exit:
        parts.append("a quick exit")
    parts.append("rule packs " + ", ".join(policy.rules))
    return "; ".join(parts)


def _wrap(line: str, indent: str, width: int = 100) -> list[str]:
    """A comment line wrapped at `width`, its continuation lines starting with `indent`."""
    return textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def _header(schema: str, *lines: str) -> str:
    return "\n".join([f"# yaml-language-server: $schema={schema}", *(f"# {line}" if line else "#" for line in lines)]) + "\n"


# --- the files -----------------------------------------------------------------------------------------------


def _briefing_yaml(slug: str, today: str, declared: list[str | dict[str, str]], packs: Mapping[str, str], schemas: str) -> str:
    width = max(len(name) for name in PRESETS)
    presets = [line for name, p in PRESETS.items()
               for line in _wrap(f"#     - {name:<{width}}  \"{p.label}\": {_describe(p)}", "#" + " " * (width + 9))]
    pack_width = max((len(name) for name in packs), default=0)
    pack_lines = [f"#     {name:<{pack_width}}  {title}" for name, title in packs.items()] or ["#     (see the guide)"]
    b = BASE
    entries = []
    for entry in declared:
        if isinstance(entry, str):
            entries.append(f"  - {entry}")
            continue
        entries += [
            f"  - id: {entry['id']}",
            f"    label: {placeholder(entry['label'])}",
            "    # Settings you may add, shown with their defaults (README, 'Declaring audiences'):",
            "    # like: <preset>            start from a preset's settings, then change the ones given here",
            f"    # name: {entry['id'].replace('-', ' ').capitalize():<19} a short name for lists of files",
            f"    # quick_exit: {str(b.quick_exit).lower():<13} true: a 'leave this page quickly' link and shortcut",
            f"    # content_note: {'required' if b.content_note_required else 'optional':<11} required: its file must open with a content_note",
            "    # key_points: [3, 5]        how many key points its file may have (leave out for no rule)",
            f"    # reading_limits: {_limits(b.reading_limits.as_dict())}",
            f"    # key_points_heading: {b.key_points_heading}",
            f"    # support_heading: {b.support_heading}",
            f"    rules: {_flow(b.rules)}      # the rule packs that apply to its pages: add any from the list above",
        ]
    return _header(
        f"{schemas}/briefing.schema.json",
        "briefing.yaml: the settings of one publication: one subject, with a briefing for each audience.",
        "",
        f"Written by `briefings new`. A value that starts with \"{MARKER}\" is a placeholder: write your own",
        "text in its place (keep the quotes around it if it has ': ' or ' #' in it). `briefings check`",
        "lists every placeholder left, with its line, and nothing is built until none is left.",
        f"The format: README, 'The content format'. How to write: {GUIDE}.",
    ) + "\n".join([
        "",
        "# The briefing's folder in the output (site/<slug>/): lowercase letters, digits and hyphens.",
        f"slug: {slug}",
        "# The publication's title, shared by all its audiences: on every page, in the index and in PDF metadata.",
        f"title: {placeholder('the title of the publication, in plain words')}",
        "# The language of the text, as a BCP 47 tag (en-GB: British English).",
        "language: en-GB",
        "# The day this content was last reviewed (YYYY-MM-DD, in quotes), printed on every output:",
        "# change it each time you review the content.",
        f'updated: "{today}"',
        "# Who publishes the briefings: printed in every footer and in the PDFs' metadata.",
        f"publisher: {placeholder('the name of your organisation')}",
        "# The id, in sources.yaml, of the source the briefings mainly rely on: its licence is printed on every output.",
        f"primary_source: {SOURCE_ID}",
        "# Where you will publish the output folder (https://...): handouts print it with a QR code and",
        "# embeds link back to it. Until it is set, check warns; write 'base_url: none' if the briefings",
        "# will not be on the web. An example.org address is a placeholder, never printed.",
        "# base_url: https://example.org/briefings/",
        "# Capitalised names that are not people (places, organisations), and capitals that are not",
        "# abbreviations, for the name and abbreviation checks to leave alone:",
        "# allow:",
        "#   names: [Victoria Park]",
        "#   capitals: [UK, Age UK]",
        "",
        "# Who the briefings are for, in the order the index lists them. Each audience has its own file,",
        "# audiences/<id>.yaml, and its own outputs (<id>.html, <id>.pdf, ...). An entry is either",
        "#   - a preset, by name, one of:",
        *presets,
        *_wrap(f"#   - or an audience of your own: a mapping with an id and a label, as below. It starts from these settings: "
               f"{_describe(b)}; or from a preset's, with 'like: <preset>'. Any setting you give changes the one it starts from.",
               "#     "),
        "# Its rules are the language rule packs that apply to its pages (what each catches, and why: the guide):",
        *pack_lines,
        "# A new audience needs its own file: copy one in audiences/ and change 'audience:' to its id.",
        "audiences:",
        *entries,
        "",
    ])


def _sources_yaml(schemas: str) -> str:
    return _header(
        f"{schemas}/sources.schema.json",
        "sources.yaml: every source the briefings rely on. Facts, quotes and people cite a source by its id.",
        "Where a source's licence lets you keep its full text (the Open Government Licence does), save it",
        "in sources/ as plain text and add 'text: sources/<file>.txt': every quote from it is then",
        "checked word for word against it. Where its licence also lets you republish it, add 'republish: true':",
        "the site then publishes it as a page of its own, with every passage the facts cite marked, and the",
        "citations link to their passages. Other sources are cited by title and short quotes only.",
    ) + "\n".join([
        "",
        "sources:",
        f"  - id: {SOURCE_ID}                  # a short id of your own (lowercase letters, digits, hyphens)",
        f"    title: {placeholder('the title of the report, as it is printed on it')}",
        f"    publisher: {placeholder('who published it')}",
        "    kind: official-report        # official-report, news or commentary",
        f"    date: {placeholder('when it was published, as the source says it, for example: October 2026')}",
        f"    licence: {placeholder('the licence you reuse it under, for example: Open Government Licence v3.0')}",
        "    # attribution: (the credit its licence asks for, printed with it)",
        "    # url: https://example.org/the-report (where readers can find it)",
        "    # text: sources/report.txt (its full text, if its licence lets you keep it)",
        "    # republish: true (publish that text as a page of the site, if its licence lets you republish it)",
        "    # headings: [Findings, What happens next] (with republish: the lines of the text that are headings)",
        "    # author: and notes: (anything a reader should know about it) are optional too.",
        "",
    ])


def _facts_yaml(schemas: str) -> str:
    return _header(
        f"{schemas}/facts.schema.json",
        "facts.yaml: the facts ledger, shared by every audience. Write it first: each fact once, in one",
        "plain sentence, with the passage of a source that supports it, copied word for word.",
        f"Audience files cite a fact by its id (facts: [{FACT_ID}]) and insert its value with {{{FACT_ID}}}.",
    ) + "\n".join([
        "",
        "facts:",
        f"  - id: {FACT_ID}",
        f"    statement: {placeholder('one thing the report found, in one plain sentence')}",
        f'    # value: "40" (a figure or date: {{{FACT_ID}}} in any text prints it)',
        "    sources:",
        f"      - source: {SOURCE_ID}",
        f"        quote: {placeholder('the words of the report that support the fact, copied exactly')}",
        f"        locator: {placeholder('where those words are in the report, for example: page 4')}",
        "",
        "# Where two sources disagree, say so (show it with a '- disputes: true' block):",
        "# disputes:",
        "#   - id: how-many",
        "#     topic: How many homes were inspected",
        "#     accounts:",
        f"#       - {{source: {SOURCE_ID}, says: \"12\", quote: \"inspected 12 homes\"}}",
        "#       - {source: local-paper, says: \"11\", quote: \"eleven homes\"}",
        "#     guidance: Use the report's own figure.",
        "",
    ])


def _glossary_yaml(schemas: str) -> str:
    return _header(
        f"{schemas}/glossary.schema.json",
        "glossary.yaml: every abbreviation the briefings use, and any word readers may not know. The check",
        "refuses an abbreviation that is not here, and asks for it to be spelled out where each briefing",
        "first uses it: 'the Care Quality Commission (CQC)'. A word that is not an abbreviation has no",
        "expansion. An entry no briefing uses is a warning. Show the entries a briefing uses with '- glossary: true'.",
    ) + "\n".join([
        "",
        "terms:",
        f"  - term: {placeholder('an abbreviation the briefings use, as it is written, for example: CQC')}",
        f"    expansion: {placeholder('what it stands for, in full')}",
        f"    definition: {placeholder('what it is, in plain words')}",
        "",
    ])


def _people_yaml(schemas: str) -> str:
    return _header(
        f"{schemas}/people.schema.json",
        "people.yaml: who may be named or quoted, and the public record that allows it. The check refuses",
        "any person's name it recognises in the briefings that is not here. Name people only in their",
        "public role, as the sources name them; never anyone who could be a victim of what is described,",
        f"or any detail that could identify them ({GUIDE}, 'Names and anonymity').",
    ) + "\n".join([
        "",
        "people:",
        f"  - id: {PERSON_ID}",
        f"    name: {placeholder('the name of the body that wrote the report, as it may be printed')}",
        "    kind: organisation           # person or organisation",
        f"    role: {placeholder('what it does, in a few plain words')}",
        f"    basis: {placeholder('why it may be named, for example: it published the report')}",
        f"    sources: [{SOURCE_ID}]            # the sources that name it in that role",
        "",
    ])


def _support_yaml(schemas: str, today: str, audiences: list[str]) -> str:
    return _header(
        f"{schemas}/support.schema.json",
        "support.yaml: the support services the briefings list. Check every detail on the service's own",
        "page, and record where and when: the check warns when 'checked' is more than six months old.",
        "Never list a law firm or any paid service as support.",
    ) + "\n".join([
        "",
        "contacts:",
        f"  - id: {CONTACT_ID}",
        f"    name: {placeholder('the name of the service')}",
        f"    for: {placeholder('who it is for')}",
        f"    offers: {placeholder('what it offers, in plain words')}",
        '    # phone: "0808 000 0000" (as the service writes it; +country code if it is not from phone_region, default GB)',
        "    # email: help@example.org",
        f"    url: {_quote('https://' + MARKER + 'the-address-of-the-services-own-page')}",  # no spaces: a web address
        f"    hours: {placeholder('when it is open, for example: every day, 9am to 5pm')}",
        f"    cost: {placeholder('what it costs to contact, for example: free')}",
        f"    source: {placeholder('where you checked these details: the service' + chr(39) + 's own page')}",
        f'    checked: "{today}"          # the day you checked them (YYYY-MM-DD)',
        "    # checked_live: true   # once you checked them on the service's live page that day: until then the card says they are not checked yet",
        f"    audiences: {_flow(audiences)}   # the audiences whose briefings list it",
        "",
    ])


def _timeline_yaml(schemas: str) -> str:
    return _header(
        f"{schemas}/timeline.schema.json",
        "timeline.yaml (optional): what happened when, each event tied to the facts it rests on.",
        "Show it in an audience file with a '- timeline: true' block. If you need no timeline, delete this file and those blocks.",
    ) + "\n".join([
        "",
        "events:",
        f"  - when: {placeholder('the date or period, for example: October 2026')}",
        f"    what: {placeholder('what happened, in one plain sentence')}",
        f"    facts: [{FACT_ID}]",
        "",
    ])


_BLOCKS = [
    "A block is one of: paragraph: text | list: [items] | steps: [items] (numbered) |",
    "quote: {text, speaker, source, date, locator} (word for word; speaker from people.yaml) |",
    "facts: [ids] | support: all | support_summary: all | timeline: true | disputes: true |",
    "fact_table: true | glossary: true | sources: true. Text may use *emphasis*, [links](https://...)",
    "and {fact-id}; 'facts: [ids]' beside a paragraph or list item records the facts it relies on.",
]


def _easy_read_yaml(policy: Audience, schemas: str) -> str:
    """An Easy Read's file: lines of one sentence, each with its picture; no key points."""
    def line(picture: str, what: str, facts: bool = False, alt: str | None = None) -> list[str]:
        out = [f"          - picture: {picture}"] + ([f"            alt: {alt}"] if alt is not None else [])
        out += [f"            text: {placeholder(what)}"]
        return out + ([f"            facts: [{FACT_ID}]"] if facts else [])

    lines = [
        "",
        f"audience: {policy.id}",
        f"title: {placeholder('the title of this Easy Read, in a few plain words')}",
        f"description: {placeholder('one sentence that says what this Easy Read is and who it is for')}",
        "# Shown first: what the booklet talks about, before any detail, and where support is. Lines, as below.",
        "content_note:",
        "  - picture: warning",
        f"    text: {placeholder('what this booklet talks about, in one short sentence')}",
        "  - picture: heart",
        '    alt: ""',
        f"    text: {placeholder('that readers can stop at any time, and that support is at the end')}",
        "sections:",
        "  - heading: What the report found",
        "    blocks:",
        "      - easy:",
        *line("document", "one thing the report found, in one sentence of 15 words at most", facts=True),
        *line("magnifying-glass", "the next thing it found, in one sentence", facts=True),
        f"  - heading: {policy.support_heading}",
        "    blocks:",
        "      - support: all",
    ]
    return _header(
        f"{schemas}/audience.schema.json",
        f"audiences/{policy.id}.yaml: the Easy Read \"{policy.label}\" (declared in briefing.yaml as '{policy.id}').",
        "For readers with learning disabilities: every line is one sentence of 15 words at most, one idea,",
        "with a picture on its left (a name from the bundled set, or an SVG or PNG file in this folder;",
        "alt: \"\" when the words say it all). No abbreviations, no metaphors. A hard word goes in",
        "glossary.yaml and is explained on the next line, marked 'explains: <word>'; the hard words are",
        f"listed at the end ({GUIDE}, 'Easy Read'; README, 'Easy Read', lists the pictures).",
        *[line.removeprefix("# ") for line in _wrap(f"# Its pages must keep to: {_describe(policy)}.", "# ")],
        "",
        "An Easy Read is a title, a description, a content note and sections, each a heading and a list of",
        "blocks: easy: [lines], support: all or support_summary: all.",
    ) + "\n".join(lines) + "\n"


def _audience_yaml(policy: Audience, schemas: str) -> str:
    """One audience's file, shaped by what its policy asks for."""
    if policy.easy_read:
        return _easy_read_yaml(policy, schemas)
    gentle, reference = policy.content_note_required, bool(policy.key_points) and not policy.content_note_required
    if gentle:
        tone = ["These readers may have lived through what the report describes. Write warmly and calmly;",
                "say what is coming before it comes; no graphic detail; offer choices, not commands;",
                f"support at the start and the end ({GUIDE}, 'Trauma-informed writing')."]
    elif reference:
        tone = ["These readers need precise facts with their sources: each figure from the facts ledger,",
                "quotes word for word and attributed, opinion said to be someone's, disagreements shown",
                f"({GUIDE}, 'Writing for each audience')."]
    else:
        tone = ["Plain words for readers who do not know the subject: short sentences, one idea in each,",
                f"the people or body who acted as the subject ({GUIDE}, 'An audience of your own')."]
    lines = [
        "",
        f"audience: {policy.id}",
        f"title: {placeholder('the title of this briefing, for these readers')}",
        f"description: {placeholder('one or two sentences that say what this briefing is and who it is for')}",
    ]
    if gentle:
        lines += ["# Shown first: what the page talks about, before any detail, and where support is.",
                  f"content_note: {placeholder('what this page talks about, and that support is listed below')}"]
    else:
        lines += ["# content_note: (optional here) what the page talks about, and where support is, shown first."]
    count = policy.key_points[0] if policy.key_points else 3
    rule = f"{policy.key_points[0]} to {policy.key_points[1]} of them" if policy.key_points else "three to five are best"
    lines += [f"# What matters most, at the top ({rule}). An item is text, or {{text: ..., facts: [ids]}}.", "key_points:"]
    lines += [f"  - {placeholder(what)}" for what in ("the most important thing the report found", "the next most important thing",
                                                     "what happens now, or what readers can do")[:count]]
    lines += [f"  - {placeholder('another key point')}" for _ in range(count - 3)]
    found = [
        "  - heading: What the report found",
        "    blocks:",
        f"      - paragraph: {placeholder('what the report found, in short, plain sentences')}",
        f"        facts: [{FACT_ID}]",
    ]
    support = [f"  - heading: {policy.support_heading}", "    blocks:", "      - support: all"]
    lines.append("sections:")
    if gentle:
        lines += ["  - heading: Where to find support", "    blocks:", "      - support_summary: all"]
        lines += found
        lines += ["  - heading: What you can do now", "    blocks:", "      - list:",
                  f"          - {placeholder('one thing readers can choose to do, if they want to')}",
                  f"          - {placeholder('another choice, or where to find out more')}"]
        lines += support
    elif reference:
        lines += found
        lines += ["  - heading: What was said", "    blocks:", "      - quote:",
                  f"          text: {placeholder('words from the report, copied exactly')}",
                  f"          speaker: {PERSON_ID}",
                  f"          source: {SOURCE_ID}",
                  f"          date: {placeholder('when they were published, for example: October 2026')}",
                  f"          locator: {placeholder('where they are in the report, for example: page 4')}"]
        lines += ["  - heading: Facts and sources", "    blocks:", "      - fact_table: true", "      - timeline: true",
                  "      - glossary: true", "      - sources: true"]
        lines += support
    else:
        lines += found
        lines += support
        lines += ["  - heading: Sources", "    blocks:", "      - sources: true"]
    return _header(
        f"{schemas}/audience.schema.json",
        f"audiences/{policy.id}.yaml: the briefing \"{policy.label}\" (declared in briefing.yaml as '{policy.id}')."
        if policy.id in PRESETS else f"audiences/{policy.id}.yaml: the briefing for '{policy.id}', an audience declared in briefing.yaml.",
        *tone,
        *[line.removeprefix("# ") for line in _wrap(f"# Its pages must keep to: {_describe(policy)}.", "# ")],
        "",
        "A briefing is a title, a description, key points and sections, each a heading and a list of blocks.",
        *_BLOCKS,
    ) + "\n".join(lines) + "\n"


# --- writing the folder ----------------------------------------------------------------------------------------


def declarations(names: Sequence[str]) -> list[str | dict[str, str]]:
    """The `audiences` entries for the names asked for: a preset by name, any other name as an audience of its own."""
    import difflib

    if not names:
        names = [DEFAULT_AUDIENCE]
    out: list[str | dict[str, str]] = []
    for name in names:
        if not SLUG.match(name):
            raise ScaffoldError(f"audience '{name}' is not an id: use lowercase letters, digits and hyphens")
        if name in [e if isinstance(e, str) else e["id"] for e in out]:
            raise ScaffoldError(f"audience '{name}' is asked for twice")
        close = difflib.get_close_matches(name, list(PRESETS), n=1, cutoff=0.8)
        if name not in PRESETS and close:
            raise ScaffoldError(f"audience '{name}' is not a preset: did you mean '{close[0]}'? "
                                f"(presets: {', '.join(PRESETS)}; any other id declares an audience of your own)")
        out.append(name if name in PRESETS else
                   {"id": name, "label": "who these readers are, as their pages say it, for example: For families of residents"})
    return out


def new_briefing(content: Path, slug: str, audiences: Sequence[str] = (), packs: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None, schemas: Path | None = None) -> Scaffold:
    """Write a new briefing folder `content/slug` and return what was written; raise ScaffoldError to refuse.

    `audiences` are preset names or ids of audiences of one's own (default: one of one's own, 'readers');
    `packs` maps each rule pack's name to its title, for the comments; `schemas` is the folder of JSON
    Schemas the files' first lines point at (default: schemas/ in the working folder). The folder is
    written beside its place and renamed into it, so it appears whole or not at all.
    """
    if not SLUG.match(slug):
        raise ScaffoldError(f"'{slug}' is not a slug: use lowercase letters, digits and hyphens, e.g. care-home-inspection")
    if (content / "briefing.yaml").is_file():
        raise ScaffoldError(f"{content} is a briefing folder itself: give the folder that holds briefings with --content")
    target = content / slug
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists: choose another slug, or remove it first (nothing was written)")
    declared = declarations(audiences)
    policies = [declare({"id": e["id"], "label": e["id"], "rules": list(BASE.rules)}) if isinstance(e, dict) else declare(e)
                for e in declared]
    environ = os.environ if environ is None else environ
    today = build_date(environ, date.today().isoformat())[0]
    schemas = (schemas or Path.cwd() / "schemas").absolute()
    top = os.path.relpath(schemas, target.absolute())
    below = os.path.relpath(schemas, (target / "audiences").absolute())
    ids = [p.id for p in policies]
    files: dict[str, str] = {
        "briefing.yaml": _briefing_yaml(slug, today, declared, packs or {}, top),
        "sources.yaml": _sources_yaml(top),
        "facts.yaml": _facts_yaml(top),
        "glossary.yaml": _glossary_yaml(top),
        "people.yaml": _people_yaml(top),
        "support.yaml": _support_yaml(top, today, ids),
        "timeline.yaml": _timeline_yaml(top),
        **{f"audiences/{p.id}.yaml": _audience_yaml(p, below) for p in policies},
    }
    content.mkdir(parents=True, exist_ok=True)
    # Staged one level further down, so that a folder left by a killed run is never taken for a briefing.
    root = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=content))
    staging = root / slug
    try:
        (staging / "audiences").mkdir(parents=True, mode=0o777)
        (staging / "sources").mkdir()
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if target.exists() or target.is_symlink():
            raise ScaffoldError(f"{target} already exists: choose another slug, or remove it first (nothing was written)")
        try:
            os.rename(staging, target)
        except OSError as err:
            raise ScaffoldError(f"cannot create {target}: {err.strerror} (nothing was written)") from err
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return Scaffold(target, [target / name for name in files], policies, schemas)

