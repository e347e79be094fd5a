"""Render the output folder's index page from manifest.json and the files themselves.

It reads only the manifest and each output's size on disk, so it is the same whether outputs
were rendered now, taken from the cache or merged from shards: the build and merge call
`render_index(manifest, folder)` on the folder they are about to publish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from briefings.package_data import TEMPLATES
from briefings.render.environment import make_environment, stylesheet
from briefings.render.formats import FORMATS
from briefings.render.html import content_security_policy

INDEX_PATH = "index.html"


def file_size(size: int) -> str:
    """Write a file size the way people read it, 1 KB being 1,024 bytes: "980 bytes", "214 KB", "1.3 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def format_label(name: str) -> str:
    """What the index calls a format ("large print PDF"); a format it does not know keeps its name."""
    fmt = FORMATS.get(name)
    return fmt.label if fmt and fmt.label else name


def index_context(manifest: dict[str, Any], out: Path) -> dict[str, object]:
    """Return the template variables: one entry per briefing, one row per audience, sizes from disk."""
    briefings = []
    seen_formats: list[str] = []
    for entry in manifest["briefings"]:
        rows: dict[str, dict[str, Any]] = {}
        labels = {a["id"]: a["label"] for a in entry.get("audiences", [])}
        for o in entry["outputs"]:
            size = (out / o["path"]).stat().st_size
            row = rows.setdefault(o["audience"], {
                "audience": o["audience"],
                "label": labels.get(o["audience"], o["audience"]),
                "name": o["audience"].replace("-", " ").capitalize(),
                "scores": o.get("readability") or {},
                "files": [],
            })
            row["files"].append({"path": o["path"], "format": o["format"], "label": format_label(o["format"]),
                                 "size": file_size(size), "bytes": size})
            if o["format"] not in seen_formats:
                seen_formats.append(o["format"])
        briefings.append({**entry, "rows": list(rows.values())})
    css = Markup(str(stylesheet()) + "\n" + (TEMPLATES / "index.css").read_text(encoding="utf-8"))  # noqa: S704 - our own files
    return {
        "briefings": briefings,
        "css": css,
        "csp": content_security_policy([css], []),
        "formats": [(name, format_label(name)) for name in seen_formats],
    }


def render_index(manifest: dict[str, Any], out: Path, env: Environment | None = None) -> bytes:
    """Render index.html for the output folder `out`, whose outputs `manifest` lists."""
    env = env or make_environment()
    return env.get_template("index.html.j2").render(index_context(manifest, out)).encode("utf-8")
