"""Every output format the build can make, by name: the whole truth about each.

A format declares its manifest name, file name suffix, what the index calls it, its renderer,
its engine, whether embeds link back to it and whether it is a fragment to paste rather than a
page (the index offers a fragment as a download, so that it never opens as a page without a
title or language). The engine decides the rest: "pdf" outputs are
rendered in worker processes (which import the format's module in advance), cost more to plan
for, and come second in `serve`'s HTML-first pass. Adding a format means one entry here (or in
FORMATS at run time) and its templates; the build, the manifest and the index follow.

A format names its renderer as "module:function" and this module imports it only when an
output is rendered: planning a build stays light, and the renderers, which ask this registry
where outputs go, are imported by nothing here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from briefings.model import AudienceBriefing, Publication

Renderer = Callable[["Environment", "Publication", "AudienceBriefing", str], bytes]
ENGINES = ("html", "pdf")


@dataclass(frozen=True)
class Format:
    """One kind of output: its manifest name, file name suffix, renderer and what the index calls it."""

    name: str
    suffix: str
    render: Renderer | str  # "module:function" (imported when first used), or the function itself
    label: str  # e.g. "large print PDF"; the site index's link text is "<audience> — <label>, <size>"
    engine: str  # "html" or "pdf"
    link_back: str = ""  # the words of an embed's link back to this format; "" when embeds do not link to it
    fragment: bool = False  # not a page of its own but code to paste: the index offers it as a download

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"format {self.name!r}: engine must be one of {', '.join(ENGINES)}")

    @property
    def is_pdf(self) -> bool:
        return self.engine == "pdf"

    @property
    def module(self) -> str:
        """Where the renderer's code lives: PDF workers import it before their first job."""
        return self.render.partition(":")[0] if isinstance(self.render, str) else self.render.__module__

    def make(self, env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
        """Render one audience's briefing in this format."""
        render = self.render
        if isinstance(render, str):
            module, _, function = render.partition(":")
            render = getattr(importlib.import_module(module), function)
        return render(env, pub, briefing, version)


FORMATS: dict[str, Format] = {
    "html": Format("html", ".html", "briefings.render.html:page_bytes", "web page", "html", link_back="web page"),
    "pdf": Format("pdf", ".pdf", "briefings.render.html:page_pdf", "PDF", "pdf", link_back="PDF"),
    "large-print": Format("large-print", "-large-print.pdf", "briefings.render.large_print:render_large_print", "large print PDF", "pdf",
                          link_back="large print PDF"),
    "handout": Format("handout", "-handout.pdf", "briefings.render.handout:render_handout", "handout to print (PDF)", "pdf",
                      link_back="summary to print (PDF)"),
    "embed": Format("embed", "-embed.html", "briefings.render.embed:fragment_bytes", "HTML to paste into your site", "html",
                    fragment=True),
    "iframe": Format("iframe", "-iframe.html", "briefings.render.embed:iframe_bytes", "page for an iframe", "html"),
}


def output_path(slug: str, audience: str, name: str, language: str = "") -> str:
    """Return where one format of one audience's briefing is written, relative to the output folder.

    A translation's outputs have the same names in a folder of their language: `<slug>/<language>/`.
    """
    folder = f"{slug}/{language}" if language else slug
    return f"{folder}/{audience}{FORMATS[name].suffix}"


def publication_path(pub: Publication, audience: str, name: str) -> str:
    """Where one format of one audience's briefing of `pub` (the original or a translation) is written."""
    return output_path(pub.slug, audience, name, pub.output_language)


def html_formats() -> tuple[str, ...]:
    """The formats whose engine is HTML (milliseconds each: rendered in the main process, first in `serve`)."""
    return tuple(name for name, fmt in FORMATS.items() if not fmt.is_pdf)
