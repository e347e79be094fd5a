"""The bundled fonts: which faces there are, which characters each family has, and which a page needs.

Every page carries its fonts inline, so a reader never depends on fonts of their own. Atkinson
Hyperlegible (Latin) is in every page; Atkinson Hyperlegible's Latin Extended faces (Polish,
Romanian, Czech, Slovak… diacritics) and SIL's Scheherazade New (Arabic script with Urdu's
letters: Urdu, Punjabi in Shahmukhi, Arabic) only in a page whose text has a character that
they, and no family before them, have. Not Noto Nastaliq Urdu, whose tall stacked ink several
renderers clip or misplace; not Noto Naskh Arabic, which draws letters' dots as glyphs of their
own that WeasyPrint maps to no character, so its PDFs fail PDF/UA (every glyph must map to
Unicode). All come from the npm packages @fontsource/atkinson-hyperlegible and
@fontsource/scheherazade-new 5.3.0, under the SIL Open Font Licence (fonts/OFL.txt,
fonts/ScheherazadeNew-OFL.txt). The families are listed in that order in the stylesheets'
font-family, so each character is drawn by the first family that has it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from briefings.package_data import TEMPLATES


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    style: str
    file: str


BASE = "Atkinson Hyperlegible"
FACES: tuple[Face, ...] = (
    *(Face(BASE, w, s, f"atkinson-hyperlegible-latin-{w}-{s}.woff2") for s in ("normal", "italic") for w in (400, 700)),
    *(Face("Atkinson Hyperlegible Extended", w, s, f"atkinson-hyperlegible-latin-ext-{w}-{s}.woff2") for s in ("normal", "italic") for w in (400, 700)),
    # The letters of Latin Extended that Atkinson Hyperlegible lacks (Slovak's ĺ and Ĺ), from its successor's faces.
    *(Face("Atkinson Hyperlegible Next", w, s, f"atkinson-hyperlegible-next-latin-ext-{w}-{s}.woff2") for s in ("normal", "italic") for w in (400, 700)),
    *(Face("Scheherazade New", w, "normal", f"scheherazade-new-arabic-{w}-normal.woff2") for w in (400, 700)),
)
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(face.family for face in FACES))
# Characters that are never drawn: spaces, line breaks, joiners and direction marks.
_INVISIBLE = frozenset(map(ord, " \t\n\r\f\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))


@lru_cache(maxsize=16)
def coverage(family: str, templates: Path = TEMPLATES) -> frozenset[int]:
    """The characters every face of `family` has a glyph for (what it can draw in any weight and style)."""
    from fontTools.ttLib import TTFont

    maps = [frozenset(TTFont(templates / "fonts" / face.file).getBestCmap()) for face in FACES if face.family == family]
    return frozenset.intersection(*maps) | _INVISIBLE


def drawn_by(char: str, families: tuple[str, ...] = FAMILIES, templates: Path = TEMPLATES) -> str:
    """The first of `families` that has `char` ("" when none has it)."""
    return next((family for family in families if ord(char) in coverage(family, templates)), "")


def families_for(text: str, templates: Path = TEMPLATES) -> tuple[str, ...]:
    """The families a page whose text is `text` needs: the base, and each other family that draws one of its characters."""
    needed = {drawn_by(char, FAMILIES, templates) for char in set(text)}
    return tuple(family for family in FAMILIES if family == BASE or family in needed)


# How font_faces inlines a font: the start of its data: address.
WOFF2_DATA = "data:font/woff2;base64,"


def font_faces(families: tuple[str, ...], templates: Path = TEMPLATES) -> str:
    """The @font-face rules of `families`, each font inlined as data."""
    rules = []
    for face in FACES:
        if face.family in families:
            data = base64.b64encode((templates / "fonts" / face.file).read_bytes()).decode("ascii")
            rules.append(f"@font-face{{font-family:'{face.family}';font-weight:{face.weight};font-style:{face.style};"
                         f"font-display:swap;src:url({WOFF2_DATA}{data}) format('woff2')}}")
    return "\n".join(rules)


# Module-level on purpose, like render.pdf's font configurations: the decompressed fonts belong to the
# process that renders PDFs, and each is kept under the digest of the very WOFF2 data it came from, so an
# edited font is decompressed afresh and nothing stale is ever used.
_SFNT: dict[bytes, bytes] = {}


def sfnt(woff2: bytes) -> bytes:
    """A WOFF2 font decompressed to the TrueType/OpenType data it holds, exactly as WeasyPrint decompresses a web font
    (fontTools' `woff2.decompress`), once per process for each font.

    Decompressing rebuilds every glyph in Python: from 0.03 s for a Latin Extended face to 1 s for
    Scheherazade New's bold, which each PDF worker used to pay for every face it loaded. The PDF
    fetcher (render.pdf) hands WeasyPrint this instead of the WOFF2, and the workers' fork server
    decompresses the faces every page carries before it forks any worker (render.fork_server,
    decompress_base), so every worker starts with them.
    """
    key = hashlib.sha256(woff2).digest()
    if key not in _SFNT:
        from fontTools.ttLib import woff2 as woff2_format

        out = BytesIO()
        woff2_format.decompress(BytesIO(woff2), out)
        _SFNT[key] = out.getvalue()
    return _SFNT[key]


def decompress_base(templates: Path = TEMPLATES) -> None:
    """Decompress the faces of the family every page carries (BASE), so that the processes forked from this one have them.

    The other families' faces are decompressed by the worker that first meets them: most documents
    never need them, and Scheherazade New's two faces alone take 1.4 s (Atkinson Hyperlegible's
    four, 0.2 s), which the fork server would otherwise spend before any worker could start.
    """
    for face in FACES:
        if face.family == BASE:
            sfnt((templates / "fonts" / face.file).read_bytes())


_HIDDEN = re.compile(r"<(style|script)\b[^>]*>.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def visible_text(page: str) -> str:
    """The text a page shows: its HTML without styles, scripts, comments and tags, entities decoded."""
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))
