"""Every output format the build can make, by name: what it is called and how it is rendered.

The pipeline asks this registry for a format's renderer; adding a format means adding a
function here and its templates, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import Environment

from briefings.render.environment import TEMPLATES
from briefings.resolve import AudienceBriefing, Publication


@dataclass(frozen=True)
class Format:
    """One kind of output: its manifest name, file name suffix and renderer."""

    name: str
    suffix: str
    render: Callable[[Environment, Publication, AudienceBriefing, str], bytes]


def _html(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.html import render_page

    return render_page(env, pub, briefing, version).encode("utf-8")


def _pdf(env: Environment, pub: Publication, briefing: AudienceBriefing, version: str) -> bytes:
    from briefings.render.html import render_page
    from briefings.render.pdf import render_pdf

    return render_pdf(render_page(env, pub, briefing, version), allowed=(TEMPLATES, pub.folder))


FORMATS: dict[str, Format] = {
    "html": Format("html", ".html", _html),
    "pdf": Format("pdf", ".pdf", _pdf),
}
