"""Words that hurt or blame: the EDITORIAL.md table and more, each with what to say instead.

Allowed only inside a verbatim, attributed quote (quotes are not the briefing's own prose,
so they are never checked here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    pattern: re.Pattern[str]
    instead: str
    severity: str = "error"
    pack: str = "child-sexual-abuse"  # the rule pack it belongs to; an audience's policy lists the packs that apply


def _t(pattern: str, instead: str, severity: str = "error", pack: str = "child-sexual-abuse") -> Term:
    return Term(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), instead, severity, pack)


EXPLOITED = "'sexually exploited child' or 'child who was abused'"
ABUSE = "'sexual abuse', 'rape' or 'sexual assault'"
GROOMING = "'grooming', 'exploitation' or 'abuse': describe what the adult did"
COERCED = "'the child was groomed', 'coerced' or 'controlled'"
TARGETED = "'the child was being exploited' or 'adults were targeting the child'"

TERMS: tuple[Term, ...] = (
    _t(r"(?:child|teenage|underage|young) prostitutes?|child prostitution|prostitut\w*", EXPLOITED),
    _t(r"rent boys?", EXPLOITED),
    _t(r"schoolgirl lovers?", EXPLOITED),
    _t(r"underage (?:women|woman|girlfriends?|lovers?)", EXPLOITED),
    _t(r"sex with (?:a |an )?(?:child|children|girl|girls|boy|boys|minor|minors|teenager|teenagers|underage \w+)", ABUSE),
    _t(r"sexual activity with|having sex|had sex|underage sex|child sex(?! offender)|sex gangs?", ABUSE),
    _t(r"affairs?|flings?|boyfriends?|girlfriends?", GROOMING),
    _t(r"relationships?", GROOMING + " (if this is about an adult and a child)", severity="warning"),
    _t(r"consensual|consented|consenting|willing(?:ly)?|(?:she|he|they) agreed to", COERCED),
    _t(r"putting (?:themselves|herself|himself) at risk|put (?:themselves|herself|himself) at risk|risky behaviou?rs?|"
       r"promiscu\w+|involved in (?:CSE|child sexual exploitation|prostitution)|lifestyle choices?", TARGETED),
    _t(r"child porn\w*|kiddie porn\w*", "'indecent images of children' or 'child abuse images'"),
    _t(r"historic(?:al)? (?:child )?(?:sexual )?(?:abuse|exploitation|cases?|offences?|allegations?)", "'non-recent abuse', or name the years"),
    _t(r"monsters?|evil|beasts?|fiends?|paedos?|nonces?", "the facts of what they did and were convicted of"),
    _t(r"victims?(?! Support)(?!/)", "'survivor', unless a person or the law says victim", severity="warning", pack="survivors-own-words"),
)


PACKS = frozenset(term.pack for term in TERMS)


def findings(text: str, packs: tuple[str, ...] | frozenset[str]) -> list[tuple[str, Term]]:
    """Return (words found, term) for every harmful phrase in `text` under the rule packs that apply."""
    out = []
    for term in TERMS:
        if term.pack not in packs:
            continue
        out.extend((m.group(0), term) for m in term.pattern.finditer(text))
    return out
