"""Find the briefings in a content folder and load every file of each."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefings.load.limits import check_audience_cost, check_register_cost
from briefings.problems import Problems

if TYPE_CHECKING:  # YAML and jsonschema load on first use: a build with nothing to do never needs them
    from briefings.load.yaml_source import Document

# file name -> (schema name, required?)
REGISTER_FILES = {
    "sources.yaml": True,
    "facts.yaml": True,
    "glossary.yaml": True,
    "people.yaml": True,
    "support.yaml": True,
    "timeline.yaml": False,
}


@dataclass
class ContentFolder:
    """One publication's content as loaded and validated, before cross-references are resolved."""

    folder: Path
    shown: str
    docs: dict[str, Document] = field(default_factory=dict)
    audiences: dict[str, Document] = field(default_factory=dict)

    @property
    def config(self) -> dict[str, Any]:
        return self.docs["briefing.yaml"].data

    def data(self, name: str, key: str) -> list[dict[str, Any]]:
        """Return the list under `key` in register file `name`, or [] if the file is absent."""
        doc = self.docs.get(name)
        return doc.data.get(key, []) if doc else []


def display_path(path: Path) -> str:
    """Show a path relative to the working folder when it is inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def find_briefings(content: Path, problems: Problems) -> list[Path]:
    """Return every briefing folder under `content` (folders holding a briefing.yaml)."""
    if not content.is_dir():
        problems.add(display_path(content), 1, 1, "content folder not found")
        return []
    if (content / "briefing.yaml").is_file():
        return [content]
    found = sorted(p.parent for p in content.glob("*/briefing.yaml"))
    if not found:
        problems.add(display_path(content), 1, 1, "no briefing found", "each briefing is a folder with a briefing.yaml")
    return found


def load_folder(folder: Path, problems: Problems) -> ContentFolder:
    """Load and validate every file of one briefing, collecting all problems."""
    briefing = ContentFolder(folder, display_path(folder))
    config = _load(folder / "briefing.yaml", "briefing.yaml", problems, folder)
    if config:
        briefing.docs["briefing.yaml"] = config
    for name, required in REGISTER_FILES.items():
        path = folder / name
        if not os.path.lexists(path):  # a link that leads nowhere is there, and reported as such
            if required:
                problems.add(display_path(path), 1, 1, "required file is missing")
            continue
        doc = _load(path, name, problems, folder)
        if doc:
            check_register_cost(doc, problems)  # an error stops the build; the entries still resolve
            briefing.docs[name] = doc
    files = sorted(p.stem for p in (folder / "audiences").glob("*.yaml"))
    if config:
        from briefings.audiences import declared_id

        audiences = [declared_id(entry) for entry in config.data["audiences"]]
        for stem in files:
            if stem not in audiences:
                path = folder / "audiences" / f"{stem}.yaml"
                problems.add(display_path(path), 1, 1, f"no audience '{stem}' is declared in briefing.yaml, so this file is never built",
                             f"add '- {stem}' (a preset) or '- id: {stem}' with a 'label' to audiences in briefing.yaml, or remove the file")
    else:  # still check every audience file, so one broken file does not hide another's problems
        audiences = files
    for index, audience in enumerate(audiences):
        path = folder / "audiences" / f"{audience}.yaml"
        if audience in briefing.audiences or not audience:
            continue  # the same id twice: reported when the declarations are resolved
        if not os.path.lexists(path):
            at = ("audiences", index) if isinstance(config.data["audiences"][index], str) else ("audiences", index, "id")
            problems.add(config.path, *config.at(at), f"audience '{audience}' has no file {display_path(path)}",
                         f"write {display_path(path)} (copy another audience's file to start)")
            continue
        adoc = _load(path, "audience", problems, folder)
        if adoc and check_audience_cost(adoc, problems):  # one too costly to render is not resolved, scored or rendered
            briefing.audiences[audience] = adoc
    return briefing


def _load(path: Path, schema: str, problems: Problems, folder: Path) -> Document | None:
    from briefings.load.validate import validate
    from briefings.load.yaml_source import load_yaml

    doc = load_yaml(path, display_path(path), problems, folder)
    if doc is None or not validate(doc, schema, problems):
        return None
    return doc
