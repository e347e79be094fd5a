"""Editorial checks that protect readers, each finding pointing at the YAML line.

Rules: language (harmful or victim-blaming words), name (people not in the register),
acronym (spelled out at first use), fact (unused facts), support (stale checks, phone
formats). Quotes, unknown references and readability are checked in resolve and readability.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, timedelta

from briefings.check import language, names
from briefings.check.placeholders import check_placeholders
from briefings.check.published import Published, published_texts
from briefings.load.content import ContentFolder
from briefings.model import PLACEHOLDER_HOSTS, AudienceBriefing, Publication, Text, abbreviations, prose, strip_links, without
from briefings.phones import phone
from briefings.problems import Problems
from briefings.schema import VERBATIM

STALE_AFTER = timedelta(days=183)  # six months
GLOSSARY_ENTRY = {("glossary.yaml", "terms[].term"), ("glossary.yaml", "terms[].expansion")}


def audience_texts(briefing: AudienceBriefing, pub: Publication) -> list[Text]:
    """Everything a reader of this audience's page reads in the briefing's own words, in order."""
    head = Text(briefing.description, [], briefing.description_at)
    return [head] + prose(briefing, pub.facts, with_facts=False)


def check_language(texts: list[Published], packs: frozenset[str], problems: Problems) -> None:
    """Harmful terms, in texts as they are published (link targets are not in them; a malformed link is)."""
    for t in texts:
        for words, term in language.findings(t.text, packs):
            problems.add(*t.where, f"'{words}' {language.finding(term)}", f"use {term.instead}: {term.reason}",
                         severity=term.severity, rule="language")


SUICIDE_MENTION = re.compile(r"\b(?:suicid\w*|self[- ]?harm\w*|took (?:his|her|their) own li(?:fe|ves)|killed (?:him|her|them)sel(?:f|ves))\b",
                             re.IGNORECASE)
SAMARITANS = "116123"


def check_rule_packs(loaded: ContentFolder, problems: Problems) -> None:
    """Every rule pack an audience declares must exist."""
    doc = loaded.docs.get("briefing.yaml")
    for i, entry in enumerate(loaded.config["audiences"] if doc else []):
        for j, name in enumerate(entry.get("rules", []) if isinstance(entry, dict) else []):
            if name not in language.PACKS:
                close = difflib.get_close_matches(name, list(language.PACKS), n=1)
                problems.add(doc.path, *doc.at(("audiences", i, "rules", j)), f"unknown rule pack '{name}'",
                             f"did you mean '{close[0]}'?" if close else "packs: " + ", ".join(language.PACKS))


def check_samaritans(briefing: AudienceBriefing, texts: list[Text], problems: Problems) -> None:
    """Under the suicide-and-self-harm pack, a page that mentions suicide or self-harm shows the Samaritans' number."""
    if "suicide-and-self-harm" not in briefing.policy.rules:
        return
    mention = next((t for t in texts if SUICIDE_MENTION.search(language.normalise(t.text))), None)
    if mention is None:
        return
    shown = [c for s in briefing.sections for blk in s.blocks if blk.kind in ("support", "support_summary") for c in blk.value]
    if not any(re.sub(r"\D", "", c.get("phone", "")) == SAMARITANS for c in shown):
        problems.add(*mention.where, f"{briefing.policy.possessive()} mentions suicide or self-harm but shows no Samaritans number",
                     "add Samaritans (116 123, free, 24 hours) to support.yaml for this audience and show it with a support block",
                     rule="language")


def check_names(texts: list[Published], pub: Publication, problems: Problems) -> None:
    """People's names, in texts as they are published, against the people register."""
    register = [name for p in pub.people.values() if p["kind"] == "person" for name in (p["name"], *p.get("other_names", []))]
    allowed = tuple(language.normalise(name) for name in pub.allow_names)  # matched as a reader reads both
    for t in texts:
        for name in names.candidate_names(without(language.normalise(t.text), allowed)):
            if not names.is_registered(name, register):
                problems.add(*t.where, f"'{name}' looks like a person's name that is not in the people register",
                             "add them to people.yaml with the basis for naming them, or leave the name out", rule="name")


def check_acronyms(briefing: AudienceBriefing, texts: list[Text], pub: Publication, problems: Problems) -> None:
    """Each abbreviation must be spelled out where this briefing first uses it."""
    seen: set[str] = set()
    for t in texts:
        text = strip_links(t.text)
        for start, end, term in abbreviations(text, pub.allow_capitals):
            if term in seen or term not in pub.terms or "expansion" not in pub.terms[term]:
                continue
            seen.add(term)
            expansion = pub.terms[term]["expansion"].lower()
            before = text[:start].lower()
            after = text[end: end + len(expansion) + 4].lower()
            if expansion not in before and expansion not in after:
                problems.add(*t.where, f"'{term}' is not spelled out at its first use in the {briefing.audience} briefing",
                             f"write '{pub.terms[term]['expansion']} ({term})' the first time", rule="acronym")


def check_base_url(loaded: ContentFolder, problems: Problems) -> None:
    """Say when outputs cannot carry their web address: base_url missing, or a placeholder that is never printed."""
    doc = loaded.docs.get("briefing.yaml")
    if doc is None:
        return
    value = loaded.config.get("base_url")
    if value is None:
        problems.add(doc.path, 1, 1, "base_url is not set: handouts name the files instead of printing a web address and QR code",
                     "set base_url to where the output folder is published, or write 'base_url: none' if it is not on the web",
                     severity="warning", rule="publish")
    elif PLACEHOLDER_HOSTS.match(value):
        problems.add(doc.path, *doc.at(("base_url",)), f"base_url '{value}' is a placeholder: it is never printed or put in a QR code",
                     "replace it with the real https:// address, or write 'base_url: none'", severity="warning", rule="publish")


def check_glossary(loaded: ContentFolder, pub: Publication, published: list[Published], problems: Problems) -> None:
    """An abbreviation's entry says what it stands for; an entry no briefing uses is a warning."""
    used = {t["term"] for briefing in pub.briefings for t in briefing.terms}
    # The shared files' texts (registers, support services, sources) are shown on the pages too; an entry's own
    # term and expansion are not a use of it.
    shown = [t.text for t in published if t.audience is None and (t.file, t.field) not in GLOSSARY_ENTRY]
    used |= {word for text in shown for _, _, word in abbreviations(text, pub.allow_capitals)}
    doc = loaded.docs.get("glossary.yaml")
    for i, entry in enumerate(loaded.data("glossary.yaml", "terms")):
        if abbreviations(entry["term"]) and "expansion" not in entry:
            problems.add(doc.path, *doc.at(("terms", i, "term")), f"abbreviation '{entry['term']}' has no expansion",
                         "add 'expansion: …' with what it stands for", rule="acronym")
        if entry["term"] not in used:
            problems.add(doc.path, *doc.at(("terms", i, "term")), f"glossary entry '{entry['term']}' is not used by any briefing",
                         "use it in a briefing, or remove it", severity="warning", rule="glossary")


def check_unused_facts(loaded: ContentFolder, pub: Publication, problems: Problems) -> None:
    used = {f for briefing in pub.briefings for f in briefing.cited}
    used |= {f for e in pub.events for f in e["facts"]}
    doc = loaded.docs.get("facts.yaml")
    for i, fact in enumerate(loaded.data("facts.yaml", "facts")):
        if fact["id"] not in used:
            problems.add(doc.path, *doc.at(("facts", i, "id")), f"fact '{fact['id']}' is not used by any briefing",
                         "cite it with facts: [...] or remove it", severity="warning", rule="fact")


def check_support(loaded: ContentFolder, today: date | None, region: str, problems: Problems) -> None:
    doc = loaded.docs.get("support.yaml")
    for i, contact in enumerate(loaded.data("support.yaml", "contacts")):
        try:
            checked = date.fromisoformat(contact["checked"])
        except ValueError:
            continue  # reported by resolve
        if today is not None and today - checked > STALE_AFTER:
            problems.add(doc.path, *doc.at(("contacts", i, "checked")),
                         f"{contact['name']} was last checked on {checked.isoformat()}, more than six months ago",
                         "check the details on the service's own page and update 'checked'", severity="warning", rule="support")
        if "phone" in contact and phone(contact["phone"], region) is None:
            problems.add(doc.path, *doc.at(("contacts", i, "phone")), f"'{contact['phone']}' is not a valid phone number in {region}",
                         f"write it as the service does; start with + and the country code if it is not a {region} number "
                         "(phone_region in briefing.yaml sets the region)", rule="support")


def check_publication(loaded: ContentFolder, pub: Publication, today: date | None, problems: Problems) -> None:
    """Run every editorial rule over one resolved publication."""
    published = published_texts(loaded, pub)  # every text an output shows, as it shows it (briefings.check.published)
    rules = {briefing.audience: frozenset(briefing.policy.rules) for briefing in pub.briefings}
    # The shared files are shown to every audience: the packs that every one of them applies.
    common = frozenset.intersection(*rules.values()) if rules else frozenset()
    by_packs: dict[frozenset[str], list[Published]] = {}
    for t in published:  # the source's own words (a quote, a document's title) are theirs: checked for names, not terms
        if t.kind != VERBATIM:
            by_packs.setdefault(rules.get(t.audience or "", common), []).append(t)
    for packs, texts in by_packs.items():
        check_language(texts, packs, problems)
    check_names(published, pub, problems)
    check_rule_packs(loaded, problems)
    for briefing in pub.briefings:
        texts = audience_texts(briefing, pub)
        check_samaritans(briefing, texts, problems)
        check_acronyms(briefing, texts, pub, problems)
    check_unused_facts(loaded, pub, problems)
    check_glossary(loaded, pub, published, problems)
    check_base_url(loaded, problems)
    check_support(loaded, today, pub.phone_region, problems)
    check_placeholders(loaded, problems)
