"""The pictures an Easy Read line may show: a symbol of the bundled OpenMoji set by name, or a file of the briefing.

The set ships inside the package (templates/pictures/openmoji/: the SVGs named in names.tsv,
copied from the `openmoji` npm package by tools/openmoji/vendor.py, with OpenMoji's licence),
so nothing is fetched at build time and an installed wheel has every picture. OpenMoji is
under CC BY-SA 4.0: every page that shows one of its pictures prints `OPENMOJI_CREDIT`.
"""

from __future__ import annotations

import difflib
import re
from functools import cache, lru_cache

from briefings.model import Picture
from briefings.package_data import TEMPLATES

OPENMOJI = TEMPLATES / "pictures" / "openmoji"
OPENMOJI_CREDIT = "OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0"
# A picture beside one line of text: far more than any real one needs, and bounded before it is read.
MAX_PICTURE_BYTES = 2 * 1024 * 1024
SUFFIXES = {".svg": "image/svg+xml", ".png": "image/png"}
_PNG = b"\x89PNG\r\n\x1a\n"
_SVG = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.DOTALL)


@lru_cache(maxsize=1)
def symbols() -> dict[str, tuple[str, str]]:
    """The bundled set: {name: (OpenMoji hexcode, what it shows)}, from names.tsv."""
    out: dict[str, tuple[str, str]] = {}
    for line in (OPENMOJI / "names.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, hexcode, description = line.split("\t")
            out[name] = (hexcode, description)
    return out


@cache
def symbol(name: str) -> Picture | None:
    """The bundled picture called `name`, or None."""
    found = symbols().get(name)
    if found is None:
        return None
    hexcode, description = found
    return Picture(name, "image/svg+xml", (OPENMOJI / f"{hexcode}.svg").read_bytes(), description, OPENMOJI_CREDIT)


_HEX_COLOUR = re.compile(rb"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _grey(match: re.Match[bytes]) -> bytes:
    digits = match.group(1).decode("ascii")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    level = round(0.299 * red + 0.587 * green + 0.114 * blue)  # the luma a black-and-white printer keeps (ITU-R BT.601)
    return f"#{level:02x}{level:02x}{level:02x}".encode("ascii")


def in_greys(picture: Picture) -> Picture:
    """The picture in greys of the same lightness, for pages printed in black and white (the handout).

    An SVG's colours (written as #rgb or #rrggbb, as OpenMoji's are) become greys; a PNG is made grey with Pillow
    (which WeasyPrint depends on).
    """
    if picture.media_type == "image/svg+xml":
        data = _HEX_COLOUR.sub(_grey, picture.data)
    else:
        import io

        from PIL import Image

        with Image.open(io.BytesIO(picture.data)) as image:
            out = io.BytesIO()
            image.convert("LA").save(out, format="PNG")
            data = out.getvalue()
    return Picture(picture.name, picture.media_type, data, picture.description, picture.credit)


def nearest(name: str, count: int = 3) -> list[str]:
    """The bundled names closest to `name` (difflib), best first."""
    return difflib.get_close_matches(name, list(symbols()), n=count, cutoff=0.5)


def looks_like_a_file(name: str) -> bool:
    """Whether a picture is written as a file's path (it has a suffix or a folder) rather than a symbol's name."""
    return "/" in name or "." in name


def from_file(name: str, data: bytes) -> Picture:
    """A picture from the bytes of a briefing's file; ValueError says why it cannot be one."""
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    media_type = SUFFIXES.get(suffix)
    if media_type is None:
        raise ValueError("a picture file must be an SVG or a PNG (.svg or .png)")
    if media_type == "image/png" and not data.startswith(_PNG):
        raise ValueError("this file is not a PNG image")
    if media_type == "image/svg+xml" and not _SVG.match(data[:4096]):
        raise ValueError("this file is not an SVG image (it does not start with <svg)")
    return Picture(name, media_type, data)
