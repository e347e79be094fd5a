"""Declarative JSON Schemas for every content file, one per file name.

The schemas are the single description of the content format: the loader
validates against them, and `python build.py schema` writes them out so that
editors get completion and validation in their own editors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefings.audiences import PRESETS

# The end of the text, the same in the two dialects a pattern meets: JSON Schema's (ECMA-262, where
# `$` is the end) in editors, and Python's `re` in jsonschema, where `$` also matches before a final
# newline, so that "en-GB\n" passed `^[a-z]{2}(-[A-Z]{2})?$` and went into `lang` and links.
END = r"$(?!\n)"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*" + END
AUDIENCES = tuple(PRESETS)
# A slug names a folder of the output, and prefixes every file in it: well inside a file name's 255 bytes.
MAX_SLUG = 100
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}" + END
# https only, plain path characters, no query or fragment: it prefixes every output path in links and QR codes.
BASE_URL_PATTERN = r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/-]*)?" + END
# A web address: no spaces, quotes or angle brackets, nothing after it.
URL_CHARS = r"""[^\s"'<>\\^`{|}]+""" + END
# An address as written on a card and in its mailto: link; what a mailto: address cannot hold unescaped is refused.
EMAIL = r"""^[^@\s<>"()\[\],;:\\]+@[^@\s<>"()\[\],;:\\]+\.[^@\s<>"()\[\],;:\\.]+""" + END


def _obj(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    """Return a closed object schema: unknown keys are errors."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


# How each free-text field reaches a reader (the "x-published" annotation of its schema): the name and
# language checks read every text of the content by it (briefings.check.published), so that no field a
# page shows is left out, and tests/unit/test_published.py proves every field says one.
PROSE = "prose"  # the briefing's own words, shown as written: names and harmful terms are checked
MARKDOWN = "markdown"  # the briefing's own words in inline Markdown, checked as the page shows them (link targets unseen)
VERBATIM = "verbatim"  # the source's own words (a quote, a document's title): checked for names, not rewritten for terms
REGISTER = "register"  # a name in people.yaml: what names are checked against
INTERNAL = "internal"  # never shown on an output (a path, a note for editors, what the checks leave alone)
PUBLISHED = (PROSE, MARKDOWN, VERBATIM, REGISTER, INTERNAL)


def _text(description: str, published: str, min_length: int = 1) -> dict[str, Any]:
    """A free-text field, with how it is published (PROSE, MARKDOWN, VERBATIM, REGISTER or INTERNAL)."""
    assert published in PUBLISHED, published
    return {"type": "string", "minLength": min_length, "description": description, "x-published": published}


def _id(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": ID_PATTERN, "description": description}


def _list(items: dict[str, Any], description: str, min_items: int = 1) -> dict[str, Any]:
    return {"type": "array", "items": items, "minItems": min_items, "description": description}


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": DATE_PATTERN, "description": description + " (YYYY-MM-DD)"}


FACT_REFS = _list(_id("A fact id from facts.yaml."), "Facts this text relies on; shown as its sources.")

LIMITS = _obj(
    {
        "grade": {"type": "number", "description": "Highest Flesch-Kincaid grade allowed."},
        "ease": {"type": "number", "description": "Lowest Flesch reading ease allowed."},
        "mean_sentence": {"type": "number", "description": "Highest mean sentence length, in words."},
        "max_sentence": {"type": "integer", "description": "Longest sentence allowed, in words."},
    },
    [],
    "Reading limits for one audience; any key left out keeps the audience's default (README, 'Declaring audiences').",
)

DECLARATION = _obj(
    {
        "id": _id("The audience's id: its file is audiences/<id>.yaml and its outputs <id>.html, <id>.pdf, …"),
        "label": _text("Who it is for, as pages, titles, the index and PDF metadata say it: e.g. 'For families and friends of residents'.", PROSE),
        "name": _text("A short name for lists of files, e.g. 'Families' (default: from the id).", PROSE),
        "like": {"enum": list(PRESETS), "description": "Start from this preset's settings, then apply the ones given here."},
        "quick_exit": {"type": "boolean", "description": "Show a 'leave this page quickly' link and shortcut (for readers who may be at risk)."},
        "content_note": {"enum": ["required", "optional"], "description": "Whether the audience file must open with a content_note."},
        "key_points": {
            "type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2,
            "description": "How many key points are allowed, [least, most], e.g. [3, 5]; leave out for no rule.",
        },
        "reading_limits": LIMITS,
        "rules": _list(_id("A rule pack: see docs/editorial-guide.md."), "The language rule packs that apply to this audience's pages."),
        "key_points_heading": _text("The heading over the key points, e.g. 'In short' or 'Key findings'.", PROSE),
        "support_heading": _text("The handout's heading over the support contacts.", PROSE),
    },
    ["id"],
    "An audience of your own, or a preset with some settings changed.",
)

BRIEFING = _obj(
    {
        "slug": {**_id("Folder name of this briefing in the output, e.g. operation-amazon."), "maxLength": MAX_SLUG},
        "title": _text("The publication's title, shared by all audiences.", PROSE),
        "language": {"type": "string", "pattern": r"^[a-z]{2}(-[A-Z]{2})?" + END, "description": "BCP 47 language tag, e.g. en-GB."},
        "updated": _date("Date this content was last reviewed; printed on every output"),
        "publisher": _text("Who publishes the briefings (printed in the footer).", PROSE),
        "primary_source": _id("Source id of the primary source, from sources.yaml."),
        "audiences": {
            "type": "array",
            "items": {"anyOf": [
                {"type": "string", "pattern": ID_PATTERN, "description": f"A preset audience: {', '.join(PRESETS)}."},
                DECLARATION,
            ]},
            "minItems": 1,
            "description": "Who the briefings are for, in this order: a preset's name, or a mapping declaring an audience.",
        },
        "translations": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?" + END,
                      "description": "A language tag (language, optional script, optional region), e.g. pl, ur, pa-Arab or ro; "
                      "its translations are in translations/<tag>.po."},
            "uniqueItems": True,
            "description": "The languages to publish besides the briefing's own, each in <slug>/<tag>/ and only once its "
            "translations/<tag>.po has every entry translated and none fuzzy (README, 'Translations').",
        },
        "quick_exit_url": {
            "type": "string",
            "pattern": r"^https://" + URL_CHARS,
            "description": "Neutral page the survivors' quick-exit link goes to (default https://www.bbc.co.uk/weather).",
        },
        "allow": _obj(
            {
                "names": _list(_text("A name, e.g. 'Victoria Park' or 'Marie Curie' (the charity).", INTERNAL),
                               "Capitalised names that are not people (places, organisations, brands): the name check leaves them alone."),
                "capitals": _list(_text("A word or phrase, e.g. 'UK' or 'Age UK'.", INTERNAL),
                                  "Capitals that are not abbreviations: they need no glossary entry and are not spelled out."),
            },
            [],
            "What the name and abbreviation checks should leave alone in this publication.",
        ),
        "phone_region": {"type": "string", "pattern": r"^[A-Z]{2}" + END,
                         "description": "Country of phone numbers written without +country code, as ISO 3166 (default GB)."},
        "base_url": {
            "anyOf": [{"type": "string", "pattern": BASE_URL_PATTERN}, {"const": "none"}],
            "description": "Canonical https:// address where the output folder is published, e.g. https://example.org/briefings/; "
            "handouts print it with a QR code and embeds link back to it. Write 'none' if the briefings are not published "
            "on the web (handouts then name the files); a placeholder address (example.org) is never printed.",
        },
        "reading_limits": {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": LIMITS,
            "description": "Override the reading limits per audience, by audience id.",
        },
    },
    ["slug", "title", "language", "updated", "publisher", "primary_source", "audiences"],
    "briefing.yaml: the publication's settings.",
)

SOURCE = _obj(
    {
        "id": _id("Short id used to cite this source."),
        "title": _text("Title of the document.", VERBATIM),
        "publisher": _text("Who published it; 'not shown in our copy' if unknown.", PROSE),
        "author": _text("Author, where the source names one.", PROSE),
        "kind": {"enum": ["official-report", "news", "commentary"], "description": "What sort of source this is."},
        "date": _text("When it was published, as precisely as the source says (e.g. 'September 2025').", PROSE),
        "url": {"type": "string", "pattern": r"^https?://" + URL_CHARS, "description": "Where the source can be read."},
        "licence": _text("Licence under which the project may reuse it.", PROSE),
        "attribution": _text("Attribution the licence asks for, printed with the text.", PROSE),
        "text": _text("Path, relative to this folder, of the source's full text, which every quote from it is checked against "
                      "(the project must be allowed to hold it; `republish` says whether the site may publish it).", INTERNAL),
        "republish": {
            "type": "boolean",
            "description": "Publish the full text (`text`) as a page of the site, sources/<id>.html, with every cited passage marked: "
            "only where its licence allows republishing it (needs `text` and `licence`; default false: the text only checks quotes).",
        },
        "headings": _list(
            # A pointer into `text` (it must equal one of its paragraphs), shown only as that paragraph is: like `text`, internal.
            _text("A heading of the text, word for word: a paragraph of its own in the text, e.g. 'Findings'.", INTERNAL),
            "The text's headings, which its source page shows as headings (with `republish`); the plain text cannot say which they are.",
        ),
        "languages": _list(
            _obj(
                {
                    # Pointers into `text`, shown only as the text is: internal, like `headings`.
                    "text": _text("Words of the text in another language, word for word, e.g. 'Rydym yn croesawu galwadau ffôn yn y Gymraeg'.",
                                  INTERNAL),
                    "lang": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                             "description": "Its language as a BCP 47 tag, e.g. 'cy' for Welsh."},
                },
                ["text", "lang"],
                "One stretch of the text in another language.",
            ),
            "Words of the text in another language than the publication's: its source page marks each place they occur with "
            "their language, so that screen readers and browsers read them as that language (with `republish`).",
        ),
        "editor_notes": _list(
            _obj(
                {
                    "text": _text("The words of the text the note is about, word for word, e.g. 'This is lice'.", INTERNAL),
                    "note": _text("The note, shown after the paragraph that holds those words and marked as the publisher's.", MARKDOWN),
                },
                ["text", "note"],
                "A note of ours on the text.",
            ),
            "Our notes on the text (a line cut short in our copy, say), shown on its source page beside it, never inside it "
            "(with `republish`): the text itself stays word for word.",
        ),
        "notes": _text("Anything a reader should know about this source (reliability, errors).", MARKDOWN),
    },
    ["id", "title", "publisher", "kind", "date"],
    "One source document.",
)

SOURCES = _obj({"sources": _list(SOURCE, "Every source the briefing relies on.")}, ["sources"], "sources.yaml: the sources register.")

EVIDENCE = _obj(
    {
        "source": _id("Source id from sources.yaml."),
        "quote": _text("The passage that supports the fact, word for word.", VERBATIM),
        "locator": _text("Where the passage is in the source (section heading or paragraph).", PROSE),
    },
    ["source", "quote", "locator"],
    "A verbatim passage that supports a fact.",
)

FACT = _obj(
    {
        "id": _id("Short id used to refer to this fact."),
        "statement": _text("The fact in one plain sentence.", MARKDOWN),
        "value": _text("The figure or date itself, inserted in text as {fact-id}.", PROSE),
        "sources": _list(EVIDENCE, "Where the fact comes from."),
    },
    ["id", "statement", "sources"],
    "One fact, stated once and shared by all audiences.",
)

ACCOUNT = _obj(
    {
        "source": _id("Source id from sources.yaml."),
        "says": _text("What this source says, in a few words.", PROSE),
        "quote": _text("The source's own words, verbatim.", VERBATIM),
    },
    ["source", "says", "quote"],
    "One source's side of a disagreement.",
)

DISPUTE = _obj(
    {
        "id": _id("Short id for this disagreement."),
        "topic": _text("What the sources disagree about.", PROSE),
        "accounts": _list(ACCOUNT, "What each source says.", min_items=2),
        "guidance": _text("Which account to rely on and why.", MARKDOWN),
    },
    ["id", "topic", "accounts", "guidance"],
    "A point on which the sources disagree.",
)

FACTS = _obj(
    {
        "facts": _list(FACT, "The facts ledger."),
        "disputes": _list(DISPUTE, "Where the sources disagree.", min_items=0),
    },
    ["facts"],
    "facts.yaml: the facts ledger shared by all audiences.",
)

TERM = _obj(
    {
        "term": _text("The abbreviation or term as written.", PROSE),
        "expansion": _text("What an abbreviation stands for, in full (leave it out for a term that is not an abbreviation).", PROSE),
        "definition": _text("What it means, in plain words.", MARKDOWN),
        "audiences": {
            "type": "array",
            "items": _id("An audience id from briefing.yaml."),
            "minItems": 1,
            "uniqueItems": True,
            "description": "Only these audiences' briefings use this entry (default: every audience). An Easy Read's hard words, "
            "for example, need not be in every briefing's glossary.",
        },
    },
    ["term", "definition"],
    "One glossary entry.",
)

GLOSSARY = _obj({"terms": _list(TERM, "Every abbreviation and special term the briefings use.")}, ["terms"], "glossary.yaml.")

PERSON = _obj(
    {
        "id": _id("Short id used to refer to this person or body."),
        "name": _text("Name as it may be printed.", REGISTER),
        "other_names": _list(_text("Another form of the name, e.g. 'Dr Angela Heal' for 'Dr Angie Heal'.", REGISTER),
                             "Other forms of their name that the sources' own words use (a quote cannot be changed): "
                             "the name check accepts these too."),
        "kind": {"enum": ["person", "organisation"], "description": "A named person, or a body speaking as itself."},
        "role": _text("Their public role.", PROSE),
        "basis": _text("Why they may be named: the public record that names them in that role.", INTERNAL),
        "sources": _list(_id("Source id."), "Sources that name them in that role."),
    },
    ["id", "name", "kind", "role", "basis", "sources"],
    "Someone who may be named or quoted.",
)

PEOPLE = _obj({"people": _list(PERSON, "Everyone who may be named or quoted, and why.")}, ["people"], "people.yaml: the register of who may be named.")

CONTACT = _obj(
    {
        "id": _id("Short id."),
        "name": _text("Name of the service.", PROSE),
        "for": _text("Who it is for.", PROSE),
        "offers": _text("What it offers, in plain words.", PROSE),
        "phone": {"type": "string", "pattern": r"^\+?[0-9][0-9 ()-]*" + END,
                  "description": "Phone number as the service writes it: digits, spaces, brackets and hyphens, with +country code "
                  "if it is not from the publication's phone_region."},
        "email": {"type": "string", "pattern": EMAIL, "description": "Email address, as name@example.org."},
        "url": {"type": "string", "pattern": r"^https?://" + URL_CHARS, "description": "Web address."},
        "hours": _text("When it is open.", PROSE),
        "cost": _text("What it costs to contact.", PROSE),
        "source": _text("Where these details were checked (the service's own page).", INTERNAL),
        "checked": _date("When these details were last taken from their source (support checks warn six months later)"),
        "checked_live": {"type": "boolean", "description": "true only when someone checked these details on the service's live page "
                         "on the 'checked' date; otherwise pages say the details are not yet checked with the service (default false)."},
        "emergency": {"type": "boolean", "description": "true for an emergency number (999): an Easy Read card then says to phone it "
                      "straight away if you are in danger now, and does not ask the reader to check it on a website (default false)."},
        "audiences": {
            "type": "array",
            "items": _id("An audience id from briefing.yaml."),
            "minItems": 1,
            "uniqueItems": True,
            "description": "Which audiences' briefings list this contact.",
        },
    },
    ["id", "name", "for", "offers", "hours", "cost", "source", "checked", "audiences"],
    "One support service.",
)

SUPPORT = _obj({"contacts": _list(CONTACT, "Support services.")}, ["contacts"], "support.yaml: support contacts.")

EVENT = _obj(
    {
        "when": _text("Date or period, e.g. '2001 to 2002' or 'September 2025'.", PROSE),
        "what": _text("What happened, in one plain sentence; may use {fact-id}.", MARKDOWN),
        "facts": FACT_REFS,
    },
    ["when", "what", "facts"],
    "One event.",
)

TIMELINE = _obj({"events": _list(EVENT, "Events in date order.")}, ["events"], "timeline.yaml: what happened when.")

TEXT_ITEM = {
    "anyOf": [
        _text("Plain text; may use *emphasis*, [links](https://…) and {fact-id}.", MARKDOWN),
        _obj({"text": _text("The text.", MARKDOWN), "facts": FACT_REFS}, ["text"], "Text with the facts it relies on."),
    ]
}

EASY_LINE = _obj(
    {
        "picture": _text("The picture on the left: a name from the bundled OpenMoji set (e.g. telephone, police-officer; "
                         "README, 'Easy Read'), or the path of an SVG or PNG file inside the briefing folder.", INTERNAL),
        "alt": {"type": "string", "description": "What the picture shows, for people who cannot see it; \"\" when the words say it all "
                "(the picture is then decorative). Default for a bundled picture: its own description; a file needs one.",
                "x-published": PROSE},
        "text": _text("One short sentence (15 words at most), one idea; may use *emphasis* and {fact-id}.", MARKDOWN),
        "explains": _text("The hard word (a glossary term) this line explains, right after the line that first uses it.", INTERNAL),
        "facts": FACT_REFS,
    },
    ["text"],
    "One Easy Read line: one sentence with its picture.",
)

EASY_LINES = _list(EASY_LINE, "Easy Read lines, each one sentence with a picture on its left.")

QUOTE = _obj(
    {
        "text": _text("The words, exactly as in the source.", VERBATIM),
        "speaker": _id("Who said or wrote it: an id from people.yaml."),
        "source": _id("Where the words appear: a source id from sources.yaml."),
        "date": _text("When it was said or published.", PROSE),
        "locator": _text("Where in the source.", INTERNAL),
    },
    ["text", "speaker", "source", "date"],
    "A verbatim, attributed quotation.",
)

BLOCK = _obj(
    {
        "paragraph": _text("A paragraph; may use *emphasis*, [links](https://…) and {fact-id}.", MARKDOWN),
        "list": _list(TEXT_ITEM, "A bulleted list."),
        "steps": _list(TEXT_ITEM, "A numbered list."),
        "quote": QUOTE,
        "easy": EASY_LINES,
        "support": {
            "anyOf": [{"const": "all"}, _list(_id("Contact id."), "Contacts to show.")],
            "description": "Support contacts: 'all' for this audience's contacts, or a list of ids.",
        },
        "support_summary": {
            "anyOf": [{"const": "all"}, _list(_id("Contact id."), "Contacts to show.")],
            "description": "A short list of support contacts (name, who it is for, phone), for the top of a page.",
        },
        "timeline": {"const": True, "description": "The timeline from timeline.yaml."},
        "disputes": {"const": True, "description": "Where the sources disagree, from facts.yaml."},
        "facts": FACT_REFS,
        "fact_table": {"const": True, "description": "Every fact this briefing cites, with its sources."},
        "glossary": {"const": True, "description": "The glossary entries this briefing uses."},
        "sources": {"const": True, "description": "The sources register."},
    },
    [],
    "One block: exactly one of paragraph, list, steps, quote, easy, support, support_summary, timeline, disputes, fact_table, "
    "glossary or sources; 'facts' may accompany a paragraph.",
)

SECTION = _obj(
    {
        "id": _id("Anchor for links to this section (made from the heading if left out)."),
        "heading": _text("The section's heading.", PROSE),
        "blocks": _list(BLOCK, "The section's content, in order."),
    },
    ["heading", "blocks"],
    "A section with a heading.",
)

AUDIENCE = _obj(
    {
        "audience": _id("Which audience this file is for: its id in briefing.yaml's audiences."),
        "title": _text("The briefing's title for this audience.", PROSE),
        "description": _text("One or two sentences saying what this briefing is; used in the page summary.", MARKDOWN),
        "content_note": {
            "anyOf": [_text("What the briefing talks about and where support is; shown first.", MARKDOWN),
                      {**EASY_LINES, "description": "Easy Read: the content note as lines, each with its picture."}],
            "description": "What the briefing talks about and where support is; shown first (in an Easy Read, lines with pictures).",
        },
        "key_points": _list(TEXT_ITEM, "The key findings, three to five lines, shown at the top (required, except in an Easy Read, "
                            "which has none)."),
        "sections": _list(SECTION, "The body of the briefing."),
    },
    ["audience", "title", "description", "sections"],
    "audiences/<audience>.yaml: one audience's briefing.",
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "briefing.yaml": BRIEFING,
    "sources.yaml": SOURCES,
    "facts.yaml": FACTS,
    "glossary.yaml": GLOSSARY,
    "people.yaml": PEOPLE,
    "support.yaml": SUPPORT,
    "timeline.yaml": TIMELINE,
    "audience": AUDIENCE,
}

BLOCK_KINDS = ("paragraph", "list", "steps", "quote", "easy", "support", "support_summary", "timeline", "disputes", "fact_table", "glossary", "sources")


def json_schema(name: str) -> dict[str, Any]:
    """Return the schema for one file, with the JSON Schema dialect declared."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": name, **SCHEMAS[name]}


def schema_file_name(name: str) -> str:
    """File name of a written schema: facts.yaml -> facts.schema.json, audience -> audience.schema.json."""
    return name.removesuffix(".yaml") + ".schema.json"


def write_schemas(folder: Path) -> list[Path]:
    """Write every content file's JSON Schema into `folder`, for editors' validation and completion."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / schema_file_name(name)
        path.write_text(json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
