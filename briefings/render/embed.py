"""Render a briefing for other sites: an HTML fragment to paste in, and a page to show in an iframe.

The fragment (format `embed`) is one root element with its own scoped <style> (templates/embed.css):
no script, no web font, no request of any kind, ids prefixed so they cannot clash with the host's,
headings one level down so that they sit under the host page's own h1. Survivors keep the quick
exit as a plain link with target="_top".

The iframe page (format `iframe`) is the standalone page plus a small script that posts the
document's height to the parent (templates/iframe-height.js), after the quick-exit script, which
already leaves through window.top. Links out of the page open in the top window, not in the frame.
"""

from __future__ import annotations

import re

from jinja2 import Environment
from markupsafe import Markup

from briefings.model import AudienceBriefing, Publication
from briefings.package_data import TEMPLATES
from briefings.render.environment import script
from briefings.render.formats import FORMATS, output_path
from briefings.render.html import content_security_policy, page_context
from briefings.render.provenance import provenance

# Attributes that hold an id or an in-page reference, in the markup our own templates write.
_ID_ATTRIBUTE = re.compile(r'\b(id|aria-labelledby|aria-describedby)="([^"]+)"')
_FRAGMENT_LINK = re.compile(r'\bhref="#([^"]+)"')
_HEADING = re.compile(r"<(/?)h([1-5])\b")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_EXTERNAL_LINK = re.compile(r'<a href="(https?://[^"]*)"(?![^>]*\btarget=)')


def root_id(pub: Publication, briefing: AudienceBriefing) -> str:
    """Return the fragment's root id, unique per briefing and audience."""
    return f"briefing-{pub.slug}-{briefing.audience}"


def embed_css(root: str) -> Markup:
    """Return the fragment's stylesheet with every rule scoped to `#root`."""
    css = _CSS_COMMENT.sub("", (TEMPLATES / "embed.css").read_text(encoding="utf-8"))  # keep what people paste short
    return Markup("\n".join(line for line in css.replace("ROOT", f"#{root}").splitlines() if line.strip()))  # noqa: S704 - our own CSS


def scope_ids(html: str, root: str) -> str:
    """Prefix every id and in-page reference with `root`, so that the host page's own ids never clash."""
    html = _ID_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="' + " ".join(f"{root}-{i}" for i in m.group(2).split()) + '"', html)
    html = _FRAGMENT_LINK.sub(lambda m: f'href="#{root}-{m.group(1)}"', html)
    # The root keeps its own id: it was prefixed with itself above.
    return html.replace(f'id="{root}-{root}"', f'id="{root}"', 1)


def demote_headings(html: str) -> str:
    """Move every heading one level down (h1 -> h2), to sit under the host page's h1."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def render_fragment(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the fragment to paste into another site."""
    root = root_id(pub, briefing)
    links = [(name, fmt.link_back, pub.public_url(output_path(pub.slug, briefing.audience, name)))
             for name, fmt in FORMATS.items() if fmt.link_back]
    context = {
        "pub": pub,
        "b": briefing,
        "root_id": root,
        "css": embed_css(root),
        "prov": provenance(pub, content_version),
        "canonical_url": pub.public_url(output_path(pub.slug, briefing.audience, "html")),
        "links": [link for link in links if link[2]],
        "key_points_heading": briefing.policy.key_points_heading,
        "cite_numbers": {f: i + 1 for i, f in enumerate(briefing.cited)},
        "show_citations": any(blk.kind == "fact_table" for s in briefing.sections for blk in s.blocks),
        "abbreviations": {t["term"]: t["expansion"] for t in briefing.terms if "expansion" in t},
        "quick_exit": pub.quick_exit_url if briefing.policy.quick_exit else "",
    }
    html = env.get_template("embed.html.j2").render(context)
    return demote_headings(scope_ids(html, root)).strip() + "\n"


def render_iframe_page(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the standalone page for an iframe: the page, its height posted to the parent, links out to the top window."""
    context = page_context(pub, briefing, content_version)
    page_js = Markup(str(context["page_js"]) + "\n" + str(script("iframe-height.js")))  # noqa: S704 - our own files
    context.update(page_js=page_js, csp=content_security_policy([context["css"]], [page_js]))
    html = env.get_template("briefing.html.j2").render(context)
    return _EXTERNAL_LINK.sub(r'<a href="\1" target="_top"', html)


def fragment_bytes(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `embed` format."""
    return render_fragment(env, pub, briefing, content_version).encode("utf-8")


def iframe_bytes(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `iframe` format."""
    return render_iframe_page(env, pub, briefing, content_version).encode("utf-8")
