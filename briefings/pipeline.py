"""The build, stage by stage: load, resolve, check, then render and write only if all is well."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from briefings.check.editorial import build_date, check_publication
from briefings.check.readability import Readability, limit_problems, score_briefing
from briefings.load.content import find_briefings, load_briefing
from briefings.problems import Problems
from briefings.resolve import Publication, resolve
from briefings.write import Output


@dataclass
class Checked:
    """A publication that resolved, with its readability per audience."""

    pub: Publication
    version: str
    readability: dict[str, Readability] = field(default_factory=dict)


def content_version(folder: Path) -> str:
    """Hash every file of a briefing's content, so outputs say exactly what they were built from."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def check(content: Path, problems: Problems) -> list[Checked]:
    """Load, resolve and score every briefing under `content`, recording every problem."""
    checked: list[Checked] = []
    slugs: dict[str, str] = {}
    today = build_date(os.environ)
    for folder in find_briefings(content, problems):
        loaded = load_briefing(folder, problems)
        pub = resolve(loaded, problems)
        if pub is None:
            continue
        check_publication(loaded, pub, today, problems)
        if pub.slug in slugs:
            problems.add(f"{folder}/briefing.yaml", 1, 1, f"slug '{pub.slug}' is already used by {slugs[pub.slug]}", "two briefings would write the same files")
        slugs[pub.slug] = str(folder)
        item = Checked(pub, content_version(folder))
        for briefing in pub.briefings:
            readability = score_briefing(briefing, pub.facts)
            item.readability[briefing.audience] = readability
            for where, rule, message, hint in limit_problems(readability, pub.limits[briefing.audience], briefing.path):
                problems.add(*where, message, hint, severity="warning", rule=rule)
        checked.append(item)
    return checked


def render(checked: list[Checked], formats: tuple[str, ...] = ("html", "pdf")) -> list[tuple[str, str, list[Output]]]:
    """Render every briefing in every format, in memory."""
    from briefings.render.environment import make_environment
    from briefings.render.formats import FORMATS

    env = make_environment()
    site = []
    for item in checked:
        pub = item.pub
        outputs = []
        for briefing in pub.briefings:
            scores = item.readability[briefing.audience].overall.as_dict()
            for name in formats:
                fmt = FORMATS[name]
                path = f"{pub.slug}/{briefing.audience}{fmt.suffix}"
                outputs.append(Output(briefing.audience, name, path, fmt.render(env, pub, briefing, item.version), scores))
        site.append((pub.slug, pub.title, outputs))
    return site
