"""Language rule packs: what each catches and what it leaves alone, however the words are spaced or disguised."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, run_cli

from briefings.check.language import PACKS, TERMS, findings, normalise

CATCHES = {
    "plain-language": ["We will utilise the funds.", "Prior to the visit, staff met.", "In order to help, we called."],
    "child-sexual-abuse": ["She was called a child prostitute.", "He was her boyfriend.", "They said she consented.",
                           "This is historic abuse.", "The sex gangs were known."],
    "survivors-own-words": ["The victims were let down."],
    "adult-social-care": ["The elderly residents ate lunch.", "She is suffering from dementia.", "He was wandering at night.",
                          "Staff logged challenging behaviour.", "He was called a bed-blocker."],
    "suicide-and-self-harm": ["He committed suicide in 2019.", "It was a failed suicide attempt."],
    "domestic-abuse": ["Police called it a domestic dispute.", "It was a crime of passion."],
}

LEAVES_ALONE = {
    "plain-language": ["We will use the funds.", "Before the visit, staff met."],
    "child-sexual-abuse": ["The adults groomed the child.", "Victim Support can help.", "The child sex offender was convicted."],
    "survivors-own-words": ["Victim Support can help.", "You are a survivor."],
    "adult-social-care": ["Older people live at the home.", "She is living with dementia.", "He walked about at night.",
                          "Her relationship with staff was good."],
    "suicide-and-self-harm": ["He died by suicide in 2019.", "Samaritans are there for anyone."],
    "domestic-abuse": ["Police called it domestic abuse.", "Her relationship with him was controlling."],
}


def packs_found(text: str, pack: str) -> list[str]:
    return [words for words, _ in findings(text, (pack,))]


@pytest.mark.parametrize(("pack", "text"), [(p, t) for p, texts in CATCHES.items() for t in texts])
def test_each_pack_catches_what_it_should(pack: str, text: str) -> None:
    assert packs_found(text, pack), f"{pack} should catch: {text}"


@pytest.mark.parametrize(("pack", "text"), [(p, t) for p, texts in LEAVES_ALONE.items() for t in texts])
def test_each_pack_leaves_alone_what_it_should(pack: str, text: str) -> None:
    assert not packs_found(text, pack), f"{pack} should leave alone: {text}"


def test_relationship_is_a_warning_only_where_it_is_a_framing_risk() -> None:
    text = "Her relationship with staff was good."
    assert [t.severity for _, t in findings(text, ("child-sexual-abuse",))] == ["warning"]
    for pack in set(PACKS) - {"child-sexual-abuse"}:
        assert not findings(text, (pack,)), pack


def test_every_rule_has_a_reason_and_every_pack_a_source() -> None:
    assert all(t.reason and t.instead for t in TERMS)
    assert all(p.source and p.title and p.finding and p.terms for p in PACKS.values())


@pytest.mark.parametrize("disguise", [
    "child\u00a0prostitute", "child  prostitute", "child\tprostitute", "child\nprostitute", "child pros\u00adtitute",
    "child pros\u200btitute", "child prostitut\u0435", "CHILD PROSTITUTE", "child-prostitute", "child *prostitute*",
    "child pro*stitute*", "sex-gang", "boy-friend", "boy\u00a0friend", "b\u043eyfriend",
])
def test_spacing_and_look_alikes_do_not_hide_a_term(disguise: str) -> None:
    assert findings(f"They called her a {disguise}.", ("child-sexual-abuse",)), disguise


def test_normalise_keeps_what_a_reader_reads() -> None:
    assert normalise("a\u00a0 b\n\tc\u00ad d\u200be *f*") == "a b c de f"


def test_packs_apply_per_audience(care_home: Path) -> None:
    """The families' audience has adult-social-care; a journalists-like audience without it lets the word pass."""
    edit(care_home / "audiences" / "families.yaml", "  - People said the staff were kind.", "  - The elderly residents said the staff were kind.")
    result = run_cli("check", "--content", str(care_home), env={"SOURCE_DATE_EPOCH": "1795000000"})
    assert result.returncode == 1
    assert "audiences/families.yaml:8:5: language: 'The elderly' is language that stigmatises older or disabled people" in result.stderr
    edit(care_home / "briefing.yaml", "rules: [plain-language, adult-social-care]\n  - id: scrutiny", "rules: [plain-language]\n  - id: scrutiny")
    assert run_cli("check", "--content", str(care_home), env={"SOURCE_DATE_EPOCH": "1795000000"}).returncode == 0


def test_a_page_that_mentions_suicide_shows_the_samaritans_number(care_home: Path) -> None:
    edit(care_home / "briefing.yaml", "rules: [plain-language, adult-social-care]\n  - id: scrutiny",
         "rules: [plain-language, adult-social-care, suicide-and-self-harm]\n  - id: scrutiny")
    edit(care_home / "audiences" / "families.yaml", "  - People said the staff were kind.", "  - One resident died by suicide.")
    result = run_cli("check", "--content", str(care_home), env={"SOURCE_DATE_EPOCH": "1795000000"})
    assert result.returncode == 1
    assert ("audiences/families.yaml:8:5: language: the families' briefing mentions suicide or self-harm but shows no Samaritans number "
            "(add Samaritans (116 123, free, 24 hours) to support.yaml for this audience and show it with a support block)") in result.stderr
    support = care_home / "support.yaml"
    support.write_text(support.read_text(encoding="utf-8") + """  - id: samaritans
    name: Samaritans
    for: Anyone who is struggling.
    offers: Someone to talk to, day or night.
    phone: "116 123"
    hours: 24 hours a day, every day.
    cost: free
    source: Samaritans' own page.
    checked: "2026-11-01"
    audiences: [families]
""", encoding="utf-8")
    result = run_cli("check", "--content", str(care_home), env={"SOURCE_DATE_EPOCH": "1795000000"})
    assert "Samaritans number" not in result.stderr, result.stderr
