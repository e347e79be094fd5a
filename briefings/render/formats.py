"""Every output format the build can make, by name: the whole truth about each.

A format declares its manifest name, file name suffix, what the index calls it, its renderer,
its engine and whether embeds link back to it. The engine decides the rest: "pdf" outputs are
rendered in worker processes (which import the format's module in advance), cost more to plan
for, and come second in `serve`'s HTML-first pass. Adding a format means one entry here (or in
FORMATS at run time) and its templates; the build, the manifest and the index follow.

This module imports no renderer until one is called, so that planning a build stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from briefings.resolve import AudienceBriefing, Publication

Renderer = Callable[["Environment", "Publication", "AudienceBriefing", str], bytes]
ENGINES = ("html", "pdf")


@dataclass(frozen=True)
class Format:
    """One kind of output: its manifest name, file name suffix, renderer and what the index calls it."""

    name: str
    suffix: str
    render: Renderer
    label: str  # e.g. "large print PDF"; the site index's link text is "<audience> — <label>, <size>"
    engine: str  # "html" or "pdf"
    module: str = __name__  # where the renderer's code lives: PDF workers import it before their first job
    link_back: str = ""  # the words of an embed's link back to this format; "" when embeds do not link to it

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"format {self.name!r}: engine must be one of {', '.join(ENGINES)}")

    @property
    def is_pdf(self) -> bool:
        return self.engine == "pdf"


def _html(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.html import render_page

    return render_page(env, pub, briefing, version).encode("utf-8")


def _pdf(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.package_data import TEMPLATES
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
    "html": Format("html", ".html", _html, "web page", "html", "briefings.render.html", link_back="web page"),
    "pdf": Format("pdf", ".pdf", _pdf, "PDF", "pdf", "briefings.render.pdf", link_back="PDF"),
    "large-print": Format("large-print", "-large-print.pdf", _large_print, "large print PDF", "pdf", "briefings.render.large_print",
                          link_back="large print PDF"),
    "handout": Format("handout", "-handout.pdf", _handout, "handout to print (PDF)", "pdf", "briefings.render.handout",
                      link_back="summary to print (PDF)"),
    "embed": Format("embed", "-embed.html", _embed, "HTML to paste into your site", "html", "briefings.render.embed"),
    "iframe": Format("iframe", "-iframe.html", _iframe, "page for an iframe", "html", "briefings.render.embed"),
}


def output_path(slug: str, audience: str, name: str) -> str:
    """Return where one format of one audience's briefing is written, relative to the output folder."""
    return f"{slug}/{audience}{FORMATS[name].suffix}"


def html_formats() -> tuple[str, ...]:
    """The formats whose engine is HTML (milliseconds each: rendered in the main process, first in `serve`)."""
    return tuple(name for name, fmt in FORMATS.items() if not fmt.is_pdf)
