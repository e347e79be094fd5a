"""Words that hurt, blame or confuse, in named rule packs, each rule with what to say instead and why.

An audience's policy lists the packs that apply to its pages (briefings.audiences). Each pack
names the published guidance it follows. Verbatim, attributed quotes are the source's words and
are never checked here. Text is matched as a reader sees it: case, hyphens ("sex-gang"),
spacing (non-breaking, doubled, tabs, line breaks), soft hyphens and zero-width characters,
emphasis inside a word and look-alike letters from other scripts do not hide a term
(`normalise`). docs/editorial-guide.md explains every pack to writers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One rule: the words it catches, what to write instead, and why."""

    pattern: re.Pattern[str]
    instead: str
    reason: str
    severity: str = "error"
    pack: str = ""


@dataclass(frozen=True)
class Pack:
    """A named group of rules, with the guidance it follows."""

    name: str
    title: str
    source: str
    finding: str  # what a match is called in a message: "'<words>' <finding>"
    terms: tuple[Term, ...]


def _t(pattern: str, instead: str, reason: str, severity: str = "error") -> Term:
    return Term(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), instead, reason, severity)


def _pack(name: str, title: str, source: str, finding: str, *terms: Term) -> Pack:
    return Pack(name, title, source, finding, tuple(Term(t.pattern, t.instead, t.reason, t.severity, name) for t in terms))


EXPLOITED = "'sexually exploited child' or 'child who was abused'"
ABUSE = "'sexual abuse', 'rape' or 'sexual assault'"
GROOMING = "'grooming', 'exploitation' or 'abuse': describe what the adult did"
COERCED = "'the child was groomed', 'coerced' or 'controlled'"
TARGETED = "'the child was being exploited' or 'adults were targeting the child'"
CHILDREN_CANNOT_CONSENT = "children cannot consent to their own abuse: these words make it sound like a choice"

PACKS: dict[str, Pack] = {p.name: p for p in (
    _pack(
        "plain-language", "Plain language, for every reader",
        "GOV.UK style guide, 'Plain English' and 'Words to avoid'; Plain English Campaign, 'The A to Z of alternative words'",
        "is jargon: a plainer word says it better",
        _t(r"utili[sz](?:e|es|ed|ing|ation)", "'use'", "a long word for a short one", "warning"),
        _t(r"commenc(?:e|es|ed|ing|ement)", "'start' or 'begin'", "a long word for a short one", "warning"),
        _t(r"prior to", "'before'", "a long phrase for a short word", "warning"),
        _t(r"in order to", "'to'", "two words that add nothing", "warning"),
        _t(r"in relation to|with regard to|with respect to", "'about'", "a long phrase for a short word", "warning"),
        _t(r"facilitat(?:e|es|ed|ing)", "say what was done: 'help', 'run', 'arrange'", "vague: it hides who did what", "warning"),
        _t(r"going forward", "'from now on', or leave it out", "jargon that says nothing", "warning"),
        _t(r"leverag(?:e|es|ed|ing)", "'use'", "jargon", "warning"),
        _t(r"stakeholders?", "name the people or groups", "readers cannot tell who is meant", "warning"),
    ),
    _pack(
        "child-sexual-abuse", "Child sexual abuse and exploitation",
        "The Children's Society and NAPAC, 'Appropriate Language: child sexual and/or criminal exploitation' (updated "
        "November 2024); NAPAC media guidelines; Zero Tolerance, guidance on reporting child sexual abuse; "
        "Interagency Working Group, 'Terminology Guidelines for the Protection of Children from Sexual Exploitation "
        "and Sexual Abuse' (Luxembourg Guidelines, 2016)",
        "is harmful or victim-blaming language",
        _t(r"(?:child|teenage|underage|young) prostitutes?|child prostitution|prostitut\w*", EXPLOITED, CHILDREN_CANNOT_CONSENT),
        _t(r"rent boys?", EXPLOITED, CHILDREN_CANNOT_CONSENT),
        _t(r"schoolgirl lovers?", EXPLOITED, "it makes abuse sound like romance"),
        _t(r"underage (?:women|woman|girlfriends?|lovers?)", EXPLOITED, "it makes children sound like adults"),
        _t(r"sex with (?:a |an )?(?:child|children|girl|girls|boy|boys|minor|minors|teenager|teenagers|underage \w+)", ABUSE,
           "sex implies consent; this is abuse"),
        _t(r"sexual activity with|having sex|had sex|underage sex|child sex(?! offender)|sex gangs?", ABUSE, "sex implies consent; this is abuse"),
        _t(r"affairs?|flings?|boy ?friends?|girl ?friends?", GROOMING, "it makes grooming sound like a relationship between equals"),
        _t(r"relationships?", GROOMING + " (if this is about an adult and a child)",
           "an adult and a child being abused are not in a relationship", "warning"),
        _t(r"consensual|consented|consenting|willing(?:ly)?|(?:she|he|they) agreed to", COERCED, CHILDREN_CANNOT_CONSENT),
        _t(r"putting (?:themselves|herself|himself) at risk|put (?:themselves|herself|himself) at risk|risky behaviou?rs?|"
           r"promiscu\w+|involved in (?:CSE|child sexual exploitation|prostitution)|lifestyle choices?", TARGETED,
           "it blames the child for what adults did to them"),
        _t(r"child porn\w*|kiddie porn\w*", "'indecent images of children' or 'child abuse images'", "each image is a record of abuse"),
        _t(r"historic(?:al)? (?:child )?(?:sexual )?(?:abuse|exploitation|cases?|offences?|allegations?)",
           "'non-recent abuse', or name the years", "'historic' suggests it is over and matters less"),
        _t(r"monsters?|evil|beasts?|fiends?|paedos?|nonces?", "the facts of what they did and were convicted of",
           "it makes abusers sound unlike ordinary people, which is how they go unseen"),
    ),
    _pack(
        "survivors-own-words", "Writing to survivors",
        "The Children's Society and NAPAC, 'Appropriate Language' (2024); NAPAC media guidelines",
        "is harmful or victim-blaming language",
        _t(r"victims?(?! Support)(?!/)", "'survivor', unless a person or the law says victim",
           "many survivors do not want to be defined by what was done to them", "warning"),
    ),
    _pack(
        "adult-social-care", "Older people, dementia and care",
        "Dementia Engagement and Empowerment Project (DEEP), 'Dementia words matter: guidelines on language about "
        "dementia' (2014); Alzheimer's Society, 'Positive language: an Alzheimer's Society guide to talking about "
        "dementia'; Centre for Ageing Better, 'Challenging ageism: a guide to talking about ageing and older age' (2021)",
        "is language that stigmatises older or disabled people",
        _t(r"the elderly|elderly|old people|OAPs?|pensioners", "'older people' or 'people over 80' (be specific)",
           "it groups people by age as if they were all frail and alike"),
        _t(r"suffer(?:s|ing|ed)? (?:from|with) (?:dementia|alzheimer'?s)|dementia (?:sufferers?|victims?)|sufferers? of dementia",
           "'living with dementia', 'has dementia'", "people with dementia reject being described as suffering or victims"),
        _t(r"demented|senile|senility", "'has dementia'", "outdated words that mock and stigmatise"),
        _t(r"wander(?:s|ing|ed|er|ers)?", "say what happened: 'walking about', 'left the home alone', 'became lost'",
           "it makes purposeful walking sound aimless"),
        _t(r"challenging behaviou?rs?", "'behaviour that challenges', or describe the distress and its cause",
           "it puts the problem in the person, not in what they are reacting to"),
        _t(r"bed[- ]?blockers?|bed[- ]?blocking", "'delayed discharge', 'waiting to leave hospital'",
           "it blames patients for delays the system causes"),
        _t(r"feeds?|feeding", "'helps to eat', 'support with meals' (if about a person)",
           "people are not fed like animals; say who helped and how", "warning"),
    ),
    _pack(
        "suicide-and-self-harm", "Suicide and self-harm",
        "Samaritans, 'Media Guidelines for Reporting Suicide' (2020); Samaritans, 'Guidelines for covering self-harm'",
        "goes against the Samaritans' guidelines for writing about suicide",
        _t(r"commit(?:s|ted|ting)? suicide", "'died by suicide', 'took their own life'", "'commit' comes from when suicide was a crime"),
        _t(r"(?:successful|unsuccessful|failed) (?:suicide )?attempts?|(?:successful|failed) suicide", "'attempted suicide', 'died by suicide'",
           "it frames death as success and survival as failure"),
        _t(r"suicide (?:epidemic|hotspot|capital)|spate of suicides", "give the figures, with context",
           "sensational language can lead vulnerable people to copy"),
        _t(r"hanged (?:him|her|them)sel(?:f|ves)|overdose of \w+|jumped (?:from|off)|slit (?:his|her|their) wrists",
           "say that the person died by suicide, without the method", "details of method lead to imitation"),
    ),
    _pack(
        "domestic-abuse", "Domestic abuse",
        "Level Up, 'Dignity for dead women: media guidelines for reporting domestic violence deaths' (2018); Women's "
        "Aid, 'Domestic abuse: a guide for the media'",
        "is language that excuses or romanticises abuse",
        _t(r"domestic (?:dispute|row|incident|tiff)|lovers'? tiff", "'domestic abuse'", "it makes abuse sound like an argument between equals"),
        _t(r"crimes? of passion|love triangle|jealous rage", "say what happened: 'killed', 'abused'", "it romanticises violence"),
        _t(r"(?:he|she|they) snapped|lost (?:his|her|their) temper|flew into a rage|out of character",
           "describe the pattern of control and what they did", "abuse is a pattern of control, not a sudden loss of it", "warning"),
    ),
)}



def _metaphors() -> Pack:
    """The metaphors and idioms Easy Read avoids, from metaphors.txt (each line a rule with its source)."""
    from briefings.package_data import package_text

    text = package_text("briefings.check", "metaphors.txt")
    source_names = {
        "inclusion-europe": "Inclusion Europe, 'Information for all' (2009), standard 10",
        "gov-uk": "GOV.UK style guide, 'Words to avoid'",
        "cambridge": "an idiom (Cambridge Dictionary)",
    }
    terms = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, instead, source = line.split("\t")
            terms.append(_t(pattern, instead, f"it does not mean what it says: {source_names[source]}"))
    return _pack(
        "metaphors", "Metaphors and idioms, for Easy Read",
        "Inclusion Europe, 'Information for all: European standards for making information easy to read and understand' "
        "(2009), standard 10; GOV.UK style guide, 'Words to avoid'; Cambridge Dictionary (idioms); the list, with each "
        "entry's source, is briefings/check/metaphors.txt",
        "is a metaphor or idiom: Easy Read says what it means",
        *terms,
    )


_METAPHORS = _metaphors()
PACKS[_METAPHORS.name] = _METAPHORS

TERMS: tuple[Term, ...] = tuple(t for pack in PACKS.values() for t in pack.terms)

# Characters that hide a word from a simple match without changing what a reader sees.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Letters of other scripts that look like Latin ones (Cyrillic and Greek), folded to the Latin letter.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһкмтвнАВЕКМНОРСТХІЈЅαοрνΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
    "aeopcyxijsdhkmtbhABEKMHOPCTXIJSaopvABEHIKMNOPTXYZ",
)
_EMPHASIS = re.compile(r"(?<=\w)[*_]+(?=\w)|(?<!\w)[*_]+(?=\w)|(?<=\w)[*_]+(?!\w)")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as a reader sees it: one form per character, no hidden characters or emphasis marks, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_CONFUSABLES)
    return _SPACE.sub(" ", _EMPHASIS.sub("", text))


def finding(term: Term) -> str:
    """What a match of `term` is called in a message."""
    return PACKS[term.pack].finding


def findings(text: str, packs: tuple[str, ...] | frozenset[str]) -> list[tuple[str, Term]]:
    """Return (words found, rule) for every term in `text` under the rule packs that apply, each place once."""
    seen: dict[tuple[int, str], tuple[str, Term]] = {}
    plain = normalise(text)
    # Hyphens read as spaces ("sex-gang") and as nothing ("boy-friend"): both forms are matched.
    for form in (plain, plain.replace("-", " "), re.sub(r"(?<=\w)-(?=\w)", "", plain)):
        for name in packs:
            pack = PACKS.get(name)
            for term in pack.terms if pack else ():
                for match in term.pattern.finditer(form):
                    key = (id(term), match.group(0).lower().replace(" ", "").replace("-", ""))
                    seen.setdefault(key, (match.group(0), term))
    return list(seen.values())
