"""Render one audience's full briefing in large print, as tagged PDF/UA-1.

The same page as the standard PDF with one more stylesheet (templates/large-print.css),
following RNIB's clear print guidance: 16pt or more, left-aligned, line spacing of about 1.5,
no italics, nothing set in small print.
"""

from __future__ import annotations

from jinja2 import Environment

from briefings.model import AudienceBriefing, Publication
from briefings.package_data import TEMPLATES
from briefings.render.environment import PageWords, assets
from briefings.render.html import addressed_source_pages, briefing_context, easy_read_css, render_briefing_page
from briefings.words import EDITION_LARGE_PRINT


def render_large_print_html(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the briefing page with the large print rules appended to its stylesheet (and its links to the source
    pages absolute, or printed, as in the PDF)."""
    context = briefing_context(env, pub, briefing, content_version)
    easy_read = easy_read_css(briefing)
    context.update(css=assets(env).page_css(easy_read, "large-print.css", easy_read and "easy-read-large-print.css"),
                   edition=PageWords(pub.words)(EDITION_LARGE_PRINT), source_pages=addressed_source_pages(pub))
    return render_briefing_page(env, context)


def render_large_print(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """Render one audience's large print PDF."""
    from briefings.render.pdf import render_pdf

    return render_pdf(render_large_print_html(env, pub, briefing, content_version), allowed=(TEMPLATES, pub.folder),
                      page_words=pub.words)
