"""The build, stage by stage: load, resolve, check, then render and write only if all is well."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from briefings.builder import BUILT_FORMATS
from briefings.check.editorial import build_date, check_publication
from briefings.check.readability import Readability, limit_problems, score_briefing
from briefings.load.content import Briefing, find_briefings, load_briefing
from briefings.problems import Problems
from briefings.resolve import Publication, resolve
from briefings.write import Output


@dataclass
class Checked:
    """A publication that resolved, with its readability per audience."""

    pub: Publication
    readability: dict[str, Readability] = field(default_factory=dict)


def load_and_resolve(folder: Path, problems: Problems) -> tuple[Briefing, Publication | None]:
    """Load and validate one briefing folder, then resolve its cross-references (None if it cannot)."""
    loaded = load_briefing(folder, problems)
    return loaded, resolve(loaded, problems)


def check_resolved(loaded: Briefing, pub: Publication, today: date, problems: Problems) -> Checked:
    """Run the editorial checks on a resolved briefing and score each audience's readability."""
    check_publication(loaded, pub, today, problems)
    item = Checked(pub)
    for briefing in pub.briefings:
        readability = score_briefing(briefing, pub.facts)
        item.readability[briefing.audience] = readability
        for where, rule, message, hint in limit_problems(readability, briefing.policy.reading_limits.as_dict(), briefing.path):
            problems.add(*where, message, hint, severity="warning", rule=rule)
    return item


def check_slugs(briefings: list[tuple[str, Path]], problems: Problems) -> None:
    """Report every briefing whose slug an earlier one already uses: both would write the same files."""
    slugs: dict[str, str] = {}
    for slug, folder in briefings:
        if slug in slugs:
            problems.add(f"{folder}/briefing.yaml", 1, 1, f"slug '{slug}' is already used by {slugs[slug]}",
                         "two briefings would write the same files")
        slugs.setdefault(slug, str(folder))


def check(content: Path, problems: Problems) -> list[Checked]:
    """Load, resolve and score every briefing under `content`, recording every problem."""
    checked: list[Checked] = []
    today = build_date(os.environ)
    for folder in find_briefings(content, problems):
        loaded, pub = load_and_resolve(folder, problems)
        if pub is not None:
            checked.append(check_resolved(loaded, pub, today, problems))
    check_slugs([(item.pub.slug, item.pub.folder) for item in checked], problems)
    return checked


def render(checked: list[Checked], formats: tuple[str, ...] = BUILT_FORMATS) -> list[tuple[str, str, list[Output]]]:
    """Render every briefing in every format, in memory, in this process (the build itself is briefings.builder)."""
    from briefings.build_cache import audience_version, file_hashes
    from briefings.render.environment import make_environment
    from briefings.render.formats import FORMATS

    env = make_environment()
    site = []
    for item in checked:
        pub = item.pub
        files = file_hashes(pub.folder)
        outputs = []
        for briefing in pub.briefings:
            scores = item.readability[briefing.audience].overall.as_dict()
            version = audience_version(files, briefing.audience)
            for name in formats:
                fmt = FORMATS[name]
                path = f"{pub.slug}/{briefing.audience}{fmt.suffix}"
                outputs.append(Output(briefing.audience, name, path, fmt.render(env, pub, briefing, version), scores))
        site.append((pub.slug, pub.title, outputs))
    return site
