"""A person's name is spotted however it is written: the disguises that hide a term (language.normalise) hide no name,
and a name written with or without its accents, full stops or hyphens is the same name."""

from __future__ import annotations

import pytest

from briefings.check.names import candidate_names, is_registered

REGISTER = ["Dr Angie Heal", "José Álvarez", "Zoë Ball", "Anne Smith-Jones", "Chief Superintendent Jason Harwin"]

# Each way of writing a name that the register does not hold, with the name the check must report.
UNREGISTERED = [
    ("plain, with a title", "Then Dr Marsh spoke.", "Dr Marsh"),
    ("plain, with a given name", "Then John Marsh spoke.", "John Marsh"),
    ("title with a full stop", "Then Dr. Marsh spoke.", "Dr Marsh"),
    ("title with a full stop and no space", "Then Dr.Marsh spoke.", "Dr Marsh"),
    ("title with a full stop and a non-breaking space", "Then Dr.\u00a0Marsh spoke.", "Dr Marsh"),
    ("title and an initial", "Then Dr J Marsh spoke.", "Dr J Marsh"),
    ("title and an initial, with full stops", "Then Mr. J. Marsh spoke.", "Mr J Marsh"),
    ("accented given name in the list (Zoe)", "Then Zoë Marsh spoke.", "Zoë Marsh"),
    ("accented given name in the list (Chloe)", "Then Chloë Marsh spoke.", "Chloë Marsh"),
    ("accented given name after a title", "Then Dr José Marsh spoke.", "Dr José Marsh"),
    ("accented surname after a title", "Then Dr Álvaro Núñez spoke.", "Dr Álvaro Núñez"),
    ("hyphenated surname", "Then Dr Marsh-Jones spoke.", "Dr Marsh-Jones"),
    ("hyphenated given name", "Then Mary-Jane Marsh spoke.", "Mary-Jane Marsh"),
    ("apostrophe in the surname", "Then Dr O\u2019Marsh spoke.", "Dr O\u2019Marsh"),
    ("non-breaking space", "Then John\u00a0Marsh spoke.", "John Marsh"),
    ("thin space", "Then Dr\u2009Marsh spoke.", "Dr Marsh"),
    ("two spaces", "Then John  Marsh spoke.", "John Marsh"),
    ("a tab", "Then John\tMarsh spoke.", "John Marsh"),
    ("a line break", "Then John\nMarsh spoke.", "John Marsh"),
    ("soft hyphen inside the given name", "Then Jo\u00adhn Marsh spoke.", "John Marsh"),
    ("zero-width space inside the surname", "Then John Mar\u200bsh spoke.", "John Marsh"),
    ("zero-width joiner inside the given name", "Then Jo\u200dhn Marsh spoke.", "John Marsh"),
    ("word joiner inside the title", "Then D\u2060r Marsh spoke.", "Dr Marsh"),
    ("Cyrillic o in the given name", "Then J\u043ehn Marsh spoke.", "John Marsh"),
    ("Cyrillic M and a in the surname", "Then Dr \u041c\u0430rsh spoke.", "Dr Marsh"),
    ("Greek omicron in the given name", "Then J\u03bfhn Marsh spoke.", "John Marsh"),
    ("fullwidth letters", "Then \uff2a\uff4f\uff48\uff4e \uff2d\uff41\uff52\uff53\uff48 spoke.", "John Marsh"),
    ("emphasis on the given name", "Then *John* Marsh spoke.", "John Marsh"),
    ("emphasis inside a word", "Then Jo*hn* Mar_sh_ spoke.", "John Marsh"),
    ("strong emphasis around the name", "Then **Dr Marsh** spoke.", "Dr Marsh"),
    ("capitals", "THEN JOHN MARSH SPOKE.", "JOHN MARSH"),
    ("possessive", "It was Dr Marsh's report.", "Dr Marsh's"),
]

# Each way of writing a name the register holds: the same person, never reported.
REGISTERED = [
    ("as the register writes it", "Dr Angie Heal wrote it."),
    ("title with a full stop", "Dr. Angie Heal wrote it."),
    ("a non-breaking space and a soft hyphen", "Dr\u00a0An\u00adgie Heal wrote it."),
    ("an initial for the given name", "Dr A. Heal wrote it."),
    ("accents as the register has them", "Prof José Álvarez wrote it."),
    ("without the accents the register has", "Prof Jose Alvarez wrote it."),
    ("Zoe for Zoë", "Zoe Ball wrote it."),
    ("a hyphenated surname", "Anne Smith-Jones wrote it."),
    ("a Cyrillic look-alike in a registered name", "Dr \u0410ngie Heal wrote it."),
    ("the surname alone after a title", "Chief Superintendent Harwin wrote it."),
]


@pytest.mark.parametrize(("text", "name"), [(t, n) for _, t, n in UNREGISTERED], ids=[d for d, _, _ in UNREGISTERED])
def test_a_name_not_in_the_register_is_spotted_however_it_is_written(text: str, name: str) -> None:
    found = [f for f in candidate_names(text) if name in f]  # in capitals, the run goes on past the name ("JOHN MARSH SPOKE")
    assert found, candidate_names(text)
    assert not any(is_registered(f, REGISTER) for f in found)


@pytest.mark.parametrize("text", [t for _, t in REGISTERED], ids=[d for d, _ in REGISTERED])
def test_a_registered_name_is_recognised_however_it_is_written(text: str) -> None:
    found = candidate_names(text)
    assert found, "the name is spotted"
    assert all(is_registered(name, REGISTER) for name in found), found


@pytest.mark.parametrize("text", [
    "A South Yorkshire Police spokesperson said so.",
    "Plan B. Then the council met.",
    "The IOPC. Then SYP said so.",
    "Risky Business was a youth project.",
    "The Deputy Mayor's statement says so.",  # titles alone, possessive too, name no one
])
def test_ordinary_capitals_are_not_names(text: str) -> None:
    assert candidate_names(text) == []
