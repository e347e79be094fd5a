"""The glyph check: no character is published without a glyph in a font the outputs carry.

Pages and PDFs carry their fonts (briefings.render.fonts); a character none of them has would be
drawn in whatever font the reader's device or WeasyPrint's machine has, or as an empty box
("tofu"). Each text a briefing publishes is checked where it is written: an English text is an
error at its line in the YAML; a translation with such a character is not published (a warning at
its line in the PO file, rule `glyphs`; --strict makes it an error), as any entry not ready is not.
"""

from __future__ import annotations

from briefings.load.content import ContentFolder, display_path
from briefings.model import Publication
from briefings.problems import Problems
from briefings.render.fonts import FAMILIES, drawn_by
from briefings.translate.apply import Languages
from briefings.translate.entries import entries

RULE = "glyphs"


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` that no bundled font has, each once, in order."""
    return list(dict.fromkeys(char for char in text if not drawn_by(char, FAMILIES)))


def _described(text: str, missing: list[str]) -> str:
    chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5]) + (", …" if len(missing) > 5 else "")
    at = text.index(missing[0])
    around = text[max(0, at - 20): at + 20].strip()
    return f"no bundled font has {chars}, in \u201c{'…' if at > 20 else ''}{around}{'…' if at + 20 < len(text) else ''}\u201d"


HINT = "it would be drawn in a font the reader may not have, or as an empty box: write it another way, or bundle a font that has it"


def check_glyphs(loaded: ContentFolder, pub: Publication, problems: Problems) -> None:
    """Report every published English text with a character no bundled font has, at its line (errors)."""
    for entry in entries(loaded, pub, page=False):  # the page's own English words are the tool's: its tests check them
        missing = missing_glyphs(entry.text)
        if missing:
            problems.add(display_path(loaded.folder / entry.file), entry.line, entry.column, _described(entry.text, missing), HINT, rule=RULE)


def withhold_missing_glyphs(languages: Languages, problems: Problems) -> None:
    """Withhold each published translation that has a character no bundled font has (a warning at each such entry's PO line)."""
    for lang, translation in list(languages.catalogs.items()):
        shown = display_path(translation.path)
        found = [(e, missing_glyphs(translation.texts[e.context])) for e in languages.entries if e.context in translation.texts]
        found = [(e, m) for e, m in found if m]
        if not found:
            continue
        problems.add(shown, 1, 1, f"'{lang}' is not published: {len(found)} entries have characters no bundled font has",
                     "each is listed at its line; `--strict` makes this an error", severity="warning", rule=RULE)
        for entry, missing in found:
            problems.add(shown, translation.lines.get(entry.context, 1), 1,
                         f"{entry.context}: {_described(translation.texts[entry.context], missing)}", HINT, severity="warning", rule=RULE)
        del languages.published[lang], languages.catalogs[lang]
        languages.withheld[lang] = translation
