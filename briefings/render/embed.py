"""Render a briefing for other sites: an HTML fragment to paste in, and a page to show in an iframe.

The fragment (format `embed`) is one root element with its own scoped <style> (templates/embed.css):
no script, no web font, no request of any kind, ids prefixed so they cannot clash with the host's,
headings one level down so that they sit under the host page's own h1. Survivors keep the quick
exit as a plain link with target="_top". The templates write it that way themselves: every id and
in-page reference goes through id(), every heading's tag through h(), and the fragment's context
sets the root id as `id_prefix` and a `heading_offset` of 1 (see environment.scoped_id).

The iframe page (format `iframe`) is the standalone page plus a small script that posts the
document's height to the parent (templates/iframe-height.js), after the quick-exit script, which
already leaves through window.top. Links out of the page open in the top window, not in the frame
(its context's `link_target`).
"""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from briefings.model import AudienceBriefing, Publication
from briefings.render.environment import assets
from briefings.render.formats import FORMATS, publication_path
from briefings.render.html import addressed_source_pages, briefing_context, other_languages, render_briefing_page


def root_id(pub: Publication, briefing: AudienceBriefing) -> str:
    """Return the fragment's root id, unique per briefing and audience."""
    return f"briefing-{pub.slug}-{briefing.audience}"


def fragment_context(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> dict[str, object]:
    """Return the template variables for the fragment: the shared ones, scoped to its root, and its links back."""
    root = root_id(pub, briefing)
    links = [(name, fmt.link_back, pub.public_url(publication_path(pub, briefing.audience, name)))
             for name, fmt in FORMATS.items() if fmt.link_back]
    context = briefing_context(env, pub, briefing, content_version)
    context.update({
        "root_id": root,
        "id_prefix": root,  # every id inside is "<root>-<id>"; the root keeps its own
        "heading_offset": 1,  # under the host page's h1
        "css": assets(env).embed_css(root),
        "page_js": "",  # no script: the quick exit is a plain link
        "source_pages": addressed_source_pages(pub),  # pasted into another site: absolute links, or printed places
        "links": [link for link in links if link[2]],
    })
    return context


def render_fragment(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the fragment to paste into another site."""
    html = env.get_template("embed.html.j2").render(fragment_context(env, pub, briefing, content_version))
    return html.strip() + "\n"


def render_iframe_page(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the standalone page for an iframe: the page, its height posted to the parent, links out to the top window."""
    context = briefing_context(env, pub, briefing, content_version)
    page_js = Markup(str(context["page_js"]) + "\n" + str(assets(env).script("iframe-height.js")))  # noqa: S704 - our own files
    context.update(page_js=page_js, link_target="_top", other_languages=other_languages(pub, briefing.audience, "iframe"))
    return render_briefing_page(env, context)


def fragment_bytes(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `embed` format."""
    return render_fragment(env, pub, briefing, content_version).encode("utf-8")


def iframe_bytes(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `iframe` format."""
    return render_iframe_page(env, pub, briefing, content_version).encode("utf-8")
