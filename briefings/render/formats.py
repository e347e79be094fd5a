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

Most formats make one output per audience (`per="audience"`: `<slug>/<audience><suffix>`,
rendered from that audience's briefing). A format `per="source"` makes one output per source
whose full text the briefing republishes (`<slug>/sources/<source-id><suffix>`, rendered from
the source's id): the source pages, which belong to the briefing, not to one audience.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from briefings.model import AudienceBriefing, Publication

# A renderer gets the output's subject: the audience's briefing (per="audience") or the source's id (per="source").
Renderer = Callable[["Environment", "Publication", "AudienceBriefing | str", str], bytes]
ENGINES = ("html", "pdf")
SUBJECTS = ("audience", "source")


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
    per: str = "audience"  # one output per "audience", or per "source" whose full text the briefing republishes

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"format {self.name!r}: engine must be one of {', '.join(ENGINES)}")
        if self.per not in SUBJECTS:
            raise ValueError(f"format {self.name!r}: per must be one of {', '.join(SUBJECTS)}")

    @property
    def is_pdf(self) -> bool:
        return self.engine == "pdf"

    @property
    def module(self) -> str:
        """Where the renderer's code lives: PDF workers import it before their first job."""
        return self.render.partition(":")[0] if isinstance(self.render, str) else self.render.__module__

    def make(self, env: Environment, pub: Publication, subject: AudienceBriefing | str, version: str) -> bytes:
        """Render one output in this format: of an audience's briefing, or (per="source") of the source with this id."""
        render = self.render
        if isinstance(render, str):
            module, _, function = render.partition(":")
            render = getattr(importlib.import_module(module), function)
        return render(env, pub, subject, version)


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
    "source": Format("source", ".html", "briefings.render.source:source_page_bytes", "full text of the source (web page)", "html",
                     per="source"),
}

SOURCES_FOLDER = "sources"  # where a briefing's source pages go, inside its folder


def output_path(slug: str, audience: str, name: str, language: str = "") -> str:
    """Return where one format of one audience's briefing is written, relative to the output folder.

    A translation's outputs have the same names in a folder of their language: `<slug>/<language>/`.
    """
    folder = f"{slug}/{language}" if language else slug
    return f"{folder}/{audience}{FORMATS[name].suffix}"


def publication_path(pub: Publication, audience: str, name: str) -> str:
    """Where one format of one audience's briefing of `pub` (the original or a translation) is written."""
    return output_path(pub.slug, audience, name, pub.output_language)


def source_path(slug: str, source: str, name: str = "source") -> str:
    """Return where a per-source format of one source is written, relative to the output folder."""
    return f"{slug}/{SOURCES_FOLDER}/{source}{FORMATS[name].suffix}"


def outputs_of(pub: Publication, names: tuple[str, ...] | None = None) -> list[tuple[str, str, str, str]]:
    """Every output a publication makes in the formats `names` (default: all), as (format, audience, source, path).

    A per-audience output has source "", a per-source one audience "". Each audience's outputs come
    first, audience by audience, then the sources'. A translation (published in `<slug>/<language>/`)
    makes its audiences' outputs only: a source page is published once, in the source's own words.
    """
    names = names or tuple(FORMATS)
    found = [(name, b.audience, "", publication_path(pub, b.audience, name))
             for b in pub.briefings for name in names if FORMATS[name].per == "audience"]
    if not pub.output_language:
        found += [(name, "", source, source_path(pub.slug, source, name))
                  for source in pub.republished for name in names if FORMATS[name].per == "source"]
    return found


def html_formats() -> tuple[str, ...]:
    """The formats whose engine is HTML (milliseconds each: rendered in the main process, first in `serve`)."""
    return tuple(name for name, fmt in FORMATS.items() if not fmt.is_pdf)
