"""What the tool knows about a language from its tag: its direction, its own name, and whether it is a pseudo-locale.

Real languages come from CLDR, through Babel. The two pseudo-locales are the tool's own, for
testing translations without a translator (briefings.translate.pseudo): `en-XA`, English with
accents and 40% longer, left to right; `ar-XB`, the English letters written in Arabic script,
right to left. Their regions are private-use codes (as Android and Chromium name the same
pseudo-locales), so the tags are valid BCP 47 and validators accept them; their text is not
a language, so it is never scored for readability.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, as briefing.yaml writes it
    direction: str  # "ltr" or "rtl"
    name: str  # in the language itself: "polski", "اردو"
    pseudo: bool = False


PSEUDO = {
    "en-XA": Language("en-XA", "ltr", "Éñğļîšh (pšéûďö)", pseudo=True),
    "ar-XB": Language("ar-XB", "rtl", "پسيودو (ar-XB)", pseudo=True),
}


@lru_cache(maxsize=64)
def language(tag: str) -> Language:
    """What CLDR says of `tag` (a pseudo-locale: what the tool says); an unknown tag is left to right, named by its tag."""
    if tag in PSEUDO:
        return PSEUDO[tag]
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return Language(tag, "ltr", tag)
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return Language(tag, direction, locale.get_display_name(locale) or tag)


def is_pseudo(tag: str) -> bool:
    return tag in PSEUDO
