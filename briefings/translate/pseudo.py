"""Pseudo-translations, to test the translation workflow and the layouts without a translator.

`en-XA` writes every letter with an accent and makes each text about 40% longer, as translations
into many languages are: a text left untranslated, cut off or overflowing shows at once. `ar-XB`
writes each Latin letter as an Arabic one, right to left: the pages and PDFs must mirror, shape
Arabic script, and keep what stays left to right (numbers, abbreviations, placeholders, links) in
its order. Both keep what a translator must keep: placeholders, link targets, emphasis marks,
abbreviations, numbers, addresses, and names (an entry that is a name is copied as it is).
Neither is a language: they are never published for readers, only built in tests.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from briefings.languages import PSEUDO
from briefings.translate.catalog import Merged, load_catalog, merge, po_path, write_catalog
from briefings.translate.entries import NAME, Entry

# Only letters the bundled Latin fonts have (briefings.render.fonts): the pseudo-locale must pass the glyph check.
_ACCENTS = str.maketrans("acdegiklnorstuyzACDEGIKLNORSTUYZ", "åçďéğîķļñöŕšţûýžÅÇĎÉĞÎĶĻÑÖŔŠŢÛÝŽ")
_ARABIC = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,;?",
    "ابسدعفجهيجكلمنوبقرصتوفوخيز" "ابسدعفجهيجكلمنوبقرصتوفوخيز" "،؛؟",
)
# What a translation keeps as it is: placeholders, link targets, addresses, abbreviations and emphasis marks.
_KEEP = re.compile(r"%\([a-z_]+\)s|\{[a-z0-9]+(?:-[a-z0-9]+)*\}|\]\([^)]*\)|https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|\b[A-Z][A-Z0-9]*[A-Z](?:/[A-Z]+)?s?\b|\*")
_PADDING = "möŕé ţéxţ ļöñğéŕ ţhåñ éñğļîšh".split()
HEADER = """\
# A pseudo-translation of the briefing '{slug}' ({lang}), made by
# `briefings translate pseudo --lang {lang}` for testing. It is not a
# language: never publish it for readers.
#"""


def _pieces(text: str) -> list[tuple[bool, str]]:
    """The text as (kept as it is?, piece)."""
    out, at = [], 0
    for match in _KEEP.finditer(text):
        out += [(False, text[at:match.start()]), (True, match.group(0))]
        at = match.end()
    return [*out, (False, text[at:])]


def pseudo(text: str, lang: str) -> str:
    """The pseudo-translation of one English text into `lang` (en-XA or ar-XB)."""
    if lang not in PSEUDO:
        raise ValueError(f"{lang} is not a pseudo-locale ({', '.join(PSEUDO)})")
    table = _ACCENTS if lang == "en-XA" else _ARABIC
    out = "".join(piece if kept else piece.translate(table) for kept, piece in _pieces(text))
    if lang == "en-XA" and text.strip():
        words, extra = [], math.ceil(len(text) * 0.4)
        while len(" ".join(words)) < extra:
            words.append(_PADDING[len(words) % len(_PADDING)])
        out = out + " " + " ".join(words)[:extra].rstrip()
    return out


def translate_entry(entry: Entry, lang: str) -> str:
    return entry.text if entry.kind == NAME else pseudo(entry.text, lang)


def pseudo_catalog(folder: Path, entries: list[Entry], slug: str, lang: str, updated: str) -> tuple[Path, Merged]:
    """Write `folder`'s catalog for the pseudo-locale `lang`, every entry translated afresh and none fuzzy."""
    path = po_path(folder, lang)
    merged = merge(entries, load_catalog(path, folder), slug, lang, updated)
    merged.catalog.header_comment = HEADER.format(slug=slug, lang=lang)
    by_context = {e.context: e for e in entries}
    for message in merged.catalog:
        if message.id:
            message.string = translate_entry(by_context[str(message.context)], lang)
            message.flags.discard("fuzzy")
            message.previous_id = []
    merged.catalog.obsolete.clear()
    merged.counts.clear()
    merged.counts["translated"] = len(entries)
    write_catalog(path, merged.catalog)
    return path, merged
