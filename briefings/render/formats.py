"""Every output format the build can make, by name: what it is called and how it is rendered.

The pipeline asks this registry for a format's renderer; adding a format means adding a
function here and its templates, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import Environment

from briefings.package_data import TEMPLATES
from briefings.resolve import AudienceBriefing, Publication


@dataclass(frozen=True)
class Format:
    """One kind of output: its manifest name, file name suffix, renderer and what the index calls it."""

    name: str
    suffix: str
    render: Callable[[Environment, Publication, AudienceBriefing, str], bytes]
    label: str = ""  # e.g. "large print PDF"; the site index's link text is "<audience> — <label>, <size>"


def _html(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.html import render_page

    return render_page(env, pub, briefing, version).encode("utf-8")


def _pdf(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.html import render_page
    from briefings.render.pdf import render_pdf

    return render_pdf(render_page(env, pub, briefing, version), allowed=(TEMPLATES, pub.folder))


def _handout(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.handout import render_handout

    return render_handout(env, pub, briefing, version)


def _large_print(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.large_print import render_large_print

    return render_large_print(env, pub, briefing, version)


def _embed(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.embed import render_fragment

    return render_fragment(env, pub, briefing, version).encode("utf-8")


def _iframe(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.embed import render_iframe_page

    return render_iframe_page(env, pub, briefing, version).encode("utf-8")


FORMATS: dict[str, Format] = {
    "html": Format("html", ".html", _html, "web page"),
    "pdf": Format("pdf", ".pdf", _pdf, "PDF"),
    "large-print": Format("large-print", "-large-print.pdf", _large_print, "large print PDF"),
    "handout": Format("handout", "-handout.pdf", _handout, "handout to print (PDF)"),
    "embed": Format("embed", "-embed.html", _embed, "HTML to paste into your site"),
    "iframe": Format("iframe", "-iframe.html", _iframe, "page for an iframe"),
}


def output_path(slug: str, audience: str, name: str) -> str:
    """Return where one format of one audience's briefing is written, relative to the output folder."""
    return f"{slug}/{audience}{FORMATS[name].suffix}"
