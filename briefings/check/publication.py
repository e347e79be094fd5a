"""Check publications stage by stage: load and validate, resolve, then the editorial rules and readability."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefings.check.editorial import check_publication
from briefings.check.placeholders import check_titles
from briefings.check.readability import LanguageScore, Readability, limit_problems, score_briefing, score_translation, scorer
from briefings.load.content import ContentFolder, find_briefings, load_folder
from briefings.model import Publication
from briefings.problems import Problems
from briefings.resolve import resolve
from briefings.today import build_day
from briefings.translate.apply import Languages
from briefings.translate.apply import translations as read_translations


@dataclass
class CheckedPublication:
    """A publication that resolved, with its readability per audience."""

    pub: Publication
    readability: dict[str, Readability] = field(default_factory=dict)
    languages: Languages = field(default_factory=Languages)  # its translations: the complete ones resolved
    translated: dict[str, dict[str, LanguageScore]] = field(default_factory=dict)  # each published language's scores, by audience


def load_and_resolve(folder: Path, problems: Problems) -> tuple[ContentFolder, Publication | None]:
    """Load and validate one briefing folder, then resolve its cross-references (None if it cannot)."""
    loaded = load_folder(folder, problems)
    return loaded, resolve(loaded, problems)


def translations(loaded: ContentFolder, pub: Publication, problems: Problems) -> Languages:
    """Read a briefing's translations (briefings.translate.apply): the complete ones whose every character a bundled font has."""
    from briefings.check.glyphs import withhold_missing_glyphs

    languages = read_translations(loaded, pub, problems)
    withhold_missing_glyphs(languages, problems)
    published = (pub.language, *languages.published)
    for each in (pub, *languages.published.values()):
        each.languages = published  # each page links to the others (the language switcher)
    return languages


def check_resolved(loaded: ContentFolder, pub: Publication, problems: Problems, environ: Mapping[str, str] | None = None,
                   languages: Languages | None = None) -> CheckedPublication:
    """Run the editorial checks on a resolved briefing and score each audience's readability.

    `languages` are its translations when the caller has read them already (see `translations`); else they are read here.
    """
    from briefings.check.glyphs import check_glyphs

    check_publication(loaded, pub, build_day(os.environ if environ is None else environ, pub.updated), problems)
    check_glyphs(loaded, pub, problems)
    item = CheckedPublication(pub, languages=translations(loaded, pub, problems) if languages is None else languages)
    for briefing in pub.briefings:
        readability = score_briefing(briefing, pub.facts, fact_at=pub.fact_at)
        item.readability[briefing.audience] = readability
        for where, rule, message, hint in limit_problems(readability, briefing.policy.reading_limits.as_dict(), briefing.path):
            problems.add(*where, message, hint, severity="warning", rule=rule)
    for lang, translated in item.languages.published.items():  # scored in their own language; the limits are the English's
        in_language = scorer().for_language(lang)
        item.translated[lang] = {b.audience: score_translation(b, translated.facts, in_language, translated.fact_at) for b in translated.briefings}
    return item


def check_slugs(briefings: list[tuple[str, Path]], problems: Problems) -> None:
    """Report every briefing whose slug an earlier one already uses: both would write the same files."""
    slugs: dict[str, str] = {}
    for slug, folder in briefings:
        if slug in slugs:
            problems.add(f"{folder}/briefing.yaml", 1, 1, f"slug '{slug}' is already used by {slugs[slug]}",
                         "two briefings would write the same files")
        slugs.setdefault(slug, str(folder))


def check(content: Path, problems: Problems) -> list[CheckedPublication]:
    """Load, resolve and score every briefing under `content`, recording every problem."""
    checked: list[CheckedPublication] = []
    for folder in find_briefings(content, problems):
        loaded, pub = load_and_resolve(folder, problems)
        if pub is not None:
            checked.append(check_resolved(loaded, pub, problems))
    check_slugs([(item.pub.slug, item.pub.folder) for item in checked], problems)
    check_titles([(item.pub.title, item.pub.folder) for item in checked], problems)
    return checked
