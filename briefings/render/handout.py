"""Render one audience's printable handout: one A4 sheet (two sides at most) as tagged PDF/UA-1.

It carries the key points, where to read the full briefing (address and QR code) and the
support contacts that support.yaml lists for the audience. It is designed for black-and-white printers: no meaning is
carried by colour, and every shade is a grey with strong contrast.
"""

from __future__ import annotations

from jinja2 import Environment

from briefings.model import AudienceBriefing, Publication
from briefings.package_data import TEMPLATES
from briefings.render.environment import PageWords, assets
from briefings.render.formats import publication_path
from briefings.render.html import addressed_source_pages, briefing_context, easy_read_css, render_with_fonts
from briefings.render.qr import qr_svg_data_uri
from briefings.words import QR_ALT


def handout_context(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> dict[str, object]:
    """Return the template variables for one handout: the shared ones, and its own."""
    context = briefing_context(env, pub, briefing, content_version)
    url = str(context["canonical_url"])  # the web page, printed with its QR code
    contacts = [contact for contact in pub.contacts.values() if briefing.audience in contact["audiences"]]
    if briefing.policy.easy_read:  # at 16pt, two sides hold the few contacts the Easy Read shows first
        first = next((block.value for section in briefing.sections for block in section.blocks if block.kind == "support_summary"), None)
        contacts = first if first is not None else contacts
    context.update({
        "css": assets(env).page_css("handout.css", easy_read_css(briefing)),
        # The handout has no fact table to cite into, so key points carry no citation links.
        "show_citations": False,
        "grey_pictures": True,  # printed in black and white: the Easy Read's pictures in greys, as everything else is
        "cite_numbers": {},
        "qr_src": qr_svg_data_uri(url) if url else "",
        "qr_alt": PageWords(pub.words)(QR_ALT, address=url) if url else "",
        "other_urls": {
            name: pub.public_url(path) or path
            for name in ("html", "pdf", "large-print")
            for path in [publication_path(pub, briefing.audience, name)]
        },
        "contacts": contacts,
        "support_heading": briefing.policy.support_heading,
        "source_pages": addressed_source_pages(pub),  # a printed sheet: absolute links, or printed places
    })
    return context


def render_handout_html(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the handout's HTML, the input to WeasyPrint."""
    return render_with_fonts(env, "handout.html.j2", handout_context(env, pub, briefing, content_version))


def render_handout(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """Render one audience's handout as a tagged PDF."""
    from briefings.render.pdf import render_pdf

    return render_pdf(render_handout_html(env, pub, briefing, content_version), allowed=(TEMPLATES, pub.folder), page_words=pub.words)
