"""Render the output folder's index page from manifest.json and the files themselves.

It reads only the manifest and each output's size on disk, so it is the same whether outputs
were rendered now, taken from the cache or merged from shards: the build and merge call
`render_index(manifest, folder)` on the folder they are about to publish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment

from briefings.languages import language
from briefings.render.environment import assets, make_environment
from briefings.render.formats import FORMATS
from briefings.render.html import render_with_fonts

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


def _named(tag: str) -> dict[str, str]:
    """A language as the index names it: by its own name, in its own script and direction, with its tag."""
    found = language(tag)
    return {"tag": tag, "name": found.name, "dir": found.direction}


def index_context(manifest: dict[str, Any], out: Path, env: Environment) -> dict[str, object]:
    """Return the template variables: one entry per briefing, one row per audience and per source it republishes, sizes from disk."""
    briefings = []
    seen_formats: list[str] = []
    for entry in manifest["briefings"]:
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        labels = {audience["id"]: audience["label"] for audience in entry.get("audiences", [])}
        names = {audience["id"]: audience.get("name") for audience in entry.get("audiences", [])}  # none in an older shard's
        titles = {source["id"]: source["title"] for source in entry.get("sources", [])}
        own = entry.get("languages", [""])[0]
        for output in entry["outputs"]:
            size = (out / output["path"]).stat().st_size
            if output.get("source"):  # an output of a source, not of an audience: a row of its own
                ident, tag = output["source"], own  # made once, in the original's language
                key, label, name = ("source", ident), titles.get(ident, ident), ""
            else:  # one row per audience in each language
                ident, tag = output["audience"], output.get("language", own)
                key = ("audience", f"{tag}/{ident}")
                label, name = labels.get(ident, ident), names.get(ident) or ident.replace("-", " ").capitalize()
            translated = tag != own
            row = rows.setdefault(key, {
                "audience": ident if key[0] == "audience" else "",
                "source": ident if key[0] == "source" else "",
                "label": label,
                "name": name,
                # A translation's row: its language named in that language, marked with its tag and direction.
                "language": _named(tag) if translated else None,
                "scores": output.get("readability") or {},
                "files": [],
            })
            fmt = FORMATS.get(output["format"])
            row["files"].append({"path": output["path"], "format": output["format"], "label": format_label(output["format"]),
                                 "size": file_size(size), "bytes": size, "download": bool(fmt and fmt.fragment)})
            if output["format"] not in seen_formats:
                seen_formats.append(output["format"])
        briefings.append({**entry, "rows": list(rows.values()),
                          "languages_named": [_named(tag) for tag in entry.get("languages", [])] if len(entry.get("languages", [])) > 1 else []})
    css = assets(env).page_css("index.css")
    return {
        "briefings": briefings,
        "css": css,  # with the fonts its text needs, and its Content-Security-Policy, added as it is rendered
        "page_js": "",
        "formats": [(name, format_label(name)) for name in seen_formats],
    }


def render_index(manifest: dict[str, Any], out: Path, env: Environment | None = None) -> bytes:
    """Render index.html for the output folder `out`, whose outputs `manifest` lists."""
    env = env or make_environment()
    # With the fonts its text needs: each language is named in its own script (Urdu's in Scheherazade New).
    return render_with_fonts(env, "index.html.j2", index_context(manifest, out, env)).encode("utf-8")
