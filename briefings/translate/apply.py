"""The content of one language: the English content with every entry's translation in its place, resolved.

A translated briefing is resolved from a copy of the loaded English content with each text
replaced by its translation, so facts, links, support cards and citations come out exactly as
they do in English. Three things are not replaced:
- a quotation keeps its original words: its translation goes beside it (`translation`), and the
  quote check still checks the original against its source;
- sections keep the English ids, so in-page links (`#support-again`) and anchors stay the same;
- each audience shows the English briefing's glossary entries (translated), whatever words the
  translation happens to use.
Only what translators can change is checked here: placeholders and link targets (catalog.py).
The English content has already passed every check; the English rule packs and names checks
do not apply to another language, so the resolver's findings on the copy are not reported.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from briefings.load.content import ContentFolder, display_path
from briefings.load.yaml_source import Document
from briefings.model import Publication
from briefings.problems import Problems
from briefings.resolve import resolve
from briefings.translate.catalog import CatalogError, Translation, po_path, read_translation
from briefings.translate.entries import PAGE, QUOTE, Entry, entries

RULE = "translation"


def _documents(loaded: ContentFolder) -> tuple[dict[str, Document], dict[str, Document]]:
    def again(doc: Document) -> Document:
        return Document(doc.path, copy.deepcopy(doc.data), doc.values, doc.keys)

    return ({name: again(doc) for name, doc in loaded.docs.items()}, {a: again(doc) for a, doc in loaded.audiences.items()})


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def translated_content(loaded: ContentFolder, english: Publication, found: list[Entry], texts: dict[str, str], lang: str) -> ContentFolder:
    """A copy of the loaded content in `lang`: every entry of `found` replaced by its translation in `texts`."""
    docs, audiences = _documents(loaded)
    files = {**docs, **{f"audiences/{a}.yaml": doc for a, doc in audiences.items()}}
    for entry in found:
        if entry.kind == PAGE:
            continue  # the page's own words: Publication.words
        parent = _parent(files[entry.file].data, entry.path)
        if entry.kind == QUOTE:
            parent["translation"] = texts[entry.context]  # the original stays, word for word
        else:
            parent[entry.path[-1]] = texts[entry.context]
    docs["briefing.yaml"].data["language"] = lang
    for briefing in english.briefings:  # the English anchors, whatever the headings say now
        for section, data in zip(briefing.sections, audiences[briefing.audience].data["sections"], strict=True):
            data["id"] = section.id
    return ContentFolder(loaded.folder, loaded.shown, docs, audiences)


def translated_publication(loaded: ContentFolder, english: Publication, found: list[Entry], translation: Translation) -> Publication:
    """Resolve the content of one complete translation (see the module's docstring)."""
    content = translated_content(loaded, english, found, translation.texts, translation.lang)
    pub = resolve(content, Problems())  # the English passed every check; see the module's docstring
    assert pub is not None, "a translation of content that resolved must resolve"
    pub.original_language = english.language
    pub.words = {e.text: translation.texts[e.context] for e in found if e.kind == PAGE}
    order = [t["term"] for t in loaded.data("glossary.yaml", "terms")]
    translated_terms = dict(zip(order, content.data("glossary.yaml", "terms"), strict=True))
    for briefing, original in zip(pub.briefings, english.briefings, strict=True):
        briefing.terms = [translated_terms[t["term"]] for t in original.terms]
        policy = briefing.policy  # a preset's words are page words; a declared audience's come translated from briefing.yaml
        briefing.policy = replace(policy, label=pub.words.get(policy.label, policy.label),
                                  key_points_heading=pub.words.get(policy.key_points_heading, policy.key_points_heading),
                                  support_heading=pub.words.get(policy.support_heading, policy.support_heading))
    return pub


@dataclass
class Languages:
    """A briefing's translations: each complete one resolved, and which are not published."""

    published: dict[str, Publication] = field(default_factory=dict)
    withheld: dict[str, Translation | None] = field(default_factory=dict)  # None: its PO file could not be read
    catalogs: dict[str, Translation] = field(default_factory=dict)  # each published language's translations
    entries: list[Entry] = field(default_factory=list)  # the English texts they translate


def translations(loaded: ContentFolder, english: Publication, problems: Problems) -> Languages:
    """Read every language briefing.yaml lists; resolve the complete ones, report the others (warnings, rule 'translation')."""
    out = Languages()
    langs = loaded.config.get("translations", [])
    if not langs:
        return out
    config = loaded.docs["briefing.yaml"]
    found = entries(loaded, english)
    out.entries = found
    for i, lang in enumerate(langs):
        path = po_path(loaded.folder, lang)
        shown = display_path(path)
        if lang.lower() == english.language.lower():
            problems.add(config.path, *config.at(("translations", i)), f"translations lists '{lang}', the briefing's own language",
                         "list only the other languages")
            continue
        try:
            translation = read_translation(loaded.folder, lang, found)
        except CatalogError as err:
            out.withheld[lang] = None
            problems.add(shown, err.line, 1, f"'{lang}' is not published: {err}", "fix the file; `--strict` makes this an error",
                         severity="warning", rule=RULE)
            continue
        if not translation.complete:
            out.withheld[lang] = translation
            missing = len(translation.not_ready)
            if not path.exists():
                problems.add(config.path, *config.at(("translations", i)), f"'{lang}' is not published: there is no {shown}",
                             f"run `briefings translate extract --lang {lang}` and have it translated", severity="warning", rule=RULE)
                continue
            problems.add(shown, 1, 1, f"'{lang}' is not published: {missing} of {translation.entries} entries are not ready",
                         "each is listed at its line; `--strict` makes this an error", severity="warning", rule=RULE)
            for item in translation.not_ready:
                written = f"briefings/{item.entry.file}" if item.entry.kind == PAGE else display_path(loaded.folder / item.entry.file)
                problems.add(shown, item.line, 1, f"{item.entry.context}: {item.reason}",
                             f"the English is at {written}:{item.entry.line}", severity="warning", rule=RULE)
            continue
        out.published[lang] = translated_publication(loaded, english, found, translation)
        out.catalogs[lang] = translation
    return out
