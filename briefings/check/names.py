"""Spot people's names in prose and refuse any that the people register does not allow.

A sound heuristic, offline: a run of capitalised words is a person's name when it starts
with a title (Ms, Dr, Chief Superintendent...) or contains a common given name followed by
another capitalised word. Such a name is allowed only when its surname (and given name, if
written) belongs to someone in people.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefings.package_data import package_text

TITLES = {
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady", "Baroness", "Baron",
    "Councillor", "Cllr", "Mayor", "Deputy", "Chief", "Assistant", "Detective", "Inspector", "Sergeant", "Constable",
    "Superintendent", "Commissioner", "Commander", "Officer", "Judge", "Justice", "Reverend", "Rev",
}
_RUN = re.compile(r"\b[A-Z][a-zA-Z\u2019'\-]+(?: [A-Z][a-zA-Z\u2019'\-]+)+")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    text = package_text("briefings.check", "given_names.txt")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def candidate_names(text: str) -> list[str]:
    """Return the runs of words in `text` that look like a person's name."""
    found = []
    names = given_names()
    for match in _RUN.finditer(text):
        words = match.group(0).split()
        # Drop a leading sentence word that is not part of the name ("Ask Dr Heal" -> "Dr Heal").
        while words and words[0] not in TITLES and words[0] not in names and len(words) > 2:
            words = words[1:]
        rest = [w for w in words if w not in TITLES]
        if not rest:
            continue
        titled = words[0] in TITLES
        given = any(w in names for w in rest[:-1]) or (rest[0] in names and len(rest) > 1)
        if titled or given:
            found.append(" ".join(words))
    return found


def is_registered(name: str, register: list[str]) -> bool:
    """True when the name's surname, and given name if written, match someone in the register."""
    words = [w.removesuffix("'s").removesuffix("\u2019s") for w in name.split() if w not in TITLES]
    names = given_names()
    for person in register:
        parts = [w for w in person.split() if w not in TITLES]
        if not parts or words[-1] != parts[-1]:
            continue
        given = [w for w in words[:-1] if w in names or w[0].isupper()]
        if all(w in parts for w in given):
            return True
    return False
