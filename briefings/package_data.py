"""Where the package's own files are: templates, stylesheets, fonts (briefings/templates/) and word lists.

They ship inside the package as package data (pyproject.toml), so an installed wheel finds them
wherever it is installed and whatever the working folder. Everything is located through
`importlib.resources`, never through the source checkout's layout.

Word lists are only read, so `package_text` reads them through the resource API and works from any
kind of installation. The templates folder is different: Jinja2's FileSystemLoader, WeasyPrint
(stylesheets and fonts by file URL, behind a fetcher that allows only named folders), the cache's
hashing of every template and the preview server's file watcher all need one real, lasting folder
on disk. `importlib.resources.as_file` would give one only for the length of a `with` block, and
for a zipped install it would extract a fresh temporary copy in every process (the main one and
each PDF worker), so the fetcher's allowed folder and the watched folder would differ between
processes and nobody could edit the templates being watched. pip installs wheels as plain files,
and the editable install maps the package to the checkout, so we require exactly that: the
package's resources must be a real folder, and anything else stops with a clear message instead
of failing later with a missing file.

This module imports nothing heavy: planning a build (build_cache) uses TEMPLATES without Jinja2.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_folder() -> Path:
    """The briefings package as a real folder on disk (see the module docstring for why)."""
    root = files("briefings")
    if not isinstance(root, Path) or not root.is_dir():
        raise RuntimeError(f"the briefings package must be installed as plain files (by pip), not from {root!r}")
    return root.resolve()


# The one place that names the templates folder: every module imports it from here.
TEMPLATES: Path = _package_folder() / "templates"
# The page's own words as the tool suggests them in some languages (briefings.translate.catalog.suggested_words).
LOCALE: Path = _package_folder() / "locale"


def package_text(package: str, name: str) -> str:
    """Read a UTF-8 data file shipped inside `package` (for example a word list)."""
    return files(package).joinpath(name).read_text(encoding="utf-8")
