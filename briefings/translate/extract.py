"""`briefings translate extract --lang LANG` (and `pseudo`): write or update each briefing's catalog for one language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefings.load.content import display_path, find_briefings, load_folder
from briefings.problems import Problems
from briefings.resolve import resolve
from briefings.translate.catalog import CatalogError, Merged, po_path, update_catalog
from briefings.translate.entries import Entry, entries


@dataclass
class Extracted:
    """One briefing's catalog as an extraction left it."""

    folder: Path
    path: Path
    merged: Merged
    entries: list[Entry]


def english_entries(folder: Path, problems: Problems) -> tuple[str, str, str, list[Entry]] | None:
    """Load and resolve one briefing; return its slug, language, date and entries (None when its content has errors)."""
    before = len(problems.errors)
    loaded = load_folder(folder, problems)
    pub = resolve(loaded, problems)
    if pub is None or len(problems.errors) > before:
        return None
    return pub.slug, pub.language, pub.updated, entries(loaded, pub)


def extract(content: Path, lang: str, problems: Problems, pseudo: bool = False) -> list[Extracted]:
    """Update `lang`'s catalog in every briefing under `content`; write nothing if any briefing has content errors.

    With `pseudo`, `lang` is a pseudo-locale and every entry is pseudo-translated afresh (briefings.translate.pseudo).
    """
    from briefings.translate.pseudo import pseudo_catalog

    write = pseudo_catalog if pseudo else update_catalog
    found = []
    for folder in find_briefings(content, problems):
        english = english_entries(folder, problems)
        if english is None:
            continue
        slug, language, updated, texts = english
        if lang.lower() == language.lower():
            problems.add(f"{display_path(folder)}/briefing.yaml", 1, 1, f"the briefing is written in {language}: there is nothing to translate")
            continue
        found.append((folder, slug, updated, texts))
    if problems.errors:
        return []
    done = []
    for folder, slug, updated, texts in found:
        try:
            path, merged = write(folder, texts, slug, lang, updated)
        except CatalogError as err:
            problems.add(display_path(po_path(folder, lang)), err.line, 1, str(err), "fix the file, or move it away to start again")
            continue
        done.append(Extracted(folder, path, merged, texts))
    return done
