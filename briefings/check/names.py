"""Spot people's names in prose and refuse any that the people register does not allow.

A sound heuristic, offline: a run of capitalised words is a person's name when it starts
with a title (Ms, Dr, Chief Superintendent...) or contains a common given name followed by
another capitalised word. Such a name is allowed only when its surname (and given name, if
written) belongs to someone in people.yaml.

Text is read as a reader sees it, with the normalisation the language rules use
(`language.normalise`: spacing, soft hyphens, zero-width characters, look-alike letters and
emphasis inside a word hide no name). A title may carry a full stop ("Dr. Heal", "Mr J. Smith");
words are letters of any script, so accented and hyphenated names are whole words ("Zoë",
"Núñez", "Mary-Jane", "Smith-Jones"). Names are compared without their accents and case, so
"Jose Alvarez" is the "José Álvarez" of the register, and an initial stands for a given name
that starts with it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from briefings.check.language import normalise
from briefings.package_data import package_text

TITLES = {
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady", "Baroness", "Baron",
    "Councillor", "Cllr", "Mayor", "Deputy", "Chief", "Assistant", "Detective", "Inspector", "Sergeant", "Constable",
    "Superintendent", "Commissioner", "Commander", "Officer", "Judge", "Justice", "Reverend", "Rev",
}
# A word: letters of any script, joined by apostrophes or hyphens inside it ("O'Brien", "Smith-Jones").
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def fold(word: str) -> str:
    """A word as names are compared: without accents, in one case ("José" and "JOSE" are "jose")."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).casefold()


_TITLES = frozenset(fold(t) for t in TITLES)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    text = package_text("briefings.check", "given_names.txt")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def _given() -> frozenset[str]:
    return frozenset(fold(w) for w in given_names())


def is_title(word: str) -> bool:
    """A title ("Dr", "Chief"), possessive too: "the Deputy Mayor's words" name no one."""
    return _person(word) in _TITLES


def is_given(word: str) -> bool:
    """A common given name, or a hyphenated one with a part that is ("Mary-Jane")."""
    return any(fold(part) in _given() for part in word.split("-"))


def _runs(text: str) -> list[list[str]]:
    """The runs of capitalised words in `text` (read as a reader sees it), each word without a full stop after it.

    Words run on across one space; across a full stop (with or without a space) only after a title
    ("Dr. Heal") or after an initial that follows a title or a given name ("Mr J. Smith").
    """
    plain = normalise(text)
    runs: list[list[str]] = []
    current: list[str] = []
    end = 0
    for match in _WORD.finditer(plain):
        word = match.group(0)
        gap = plain[end:match.start()]
        stop = gap in (".", ". ") and current and (
            is_title(current[-1]) or (len(current[-1]) == 1 and any(is_title(w) or is_given(w) for w in current[:-1])))
        if word[0].isupper() and current and (gap == " " or stop):
            current.append(word)
        else:
            if len(current) > 1:
                runs.append(current)
            current = [word] if word[0].isupper() else []
        end = match.end()
    if len(current) > 1:
        runs.append(current)
    return runs


def candidate_names(text: str) -> list[str]:
    """Return the runs of words in `text` that look like a person's name (as a reader reads them, single-spaced)."""
    found = []
    for words in _runs(text):
        # Drop a leading sentence word that is not part of the name ("Ask Dr Heal" -> "Dr Heal").
        while words and not is_title(words[0]) and not is_given(words[0]) and len(words) > 2:
            words = words[1:]
        rest = [w for w in words if not is_title(w)]
        if not rest:
            continue
        titled = is_title(words[0])
        given = any(is_given(w) for w in rest[:-1])
        if titled or given:
            found.append(" ".join(words))
    return found


def _person(word: str) -> str:
    return fold(word.removesuffix("'s").removesuffix("\u2019s"))


def is_registered(name: str, register: list[str]) -> bool:
    """True when the name's surname, and given name if written, match someone in the register.

    Words are compared without accents or case; an initial matches a given name that starts with it.
    """
    words = [_person(w) for w in _WORD.findall(normalise(name)) if not is_title(w)]
    if not words:
        return False
    for person in register:
        parts = [fold(w) for w in _WORD.findall(normalise(person)) if not is_title(w)]
        if not parts or words[-1] != parts[-1]:
            continue
        given = parts[:-1]
        if all(w in parts or (len(w) == 1 and any(p.startswith(w) for p in given)) for w in words[:-1]):
            return True
    return False
