"""Render one audience's briefing as a standalone, accessible HTML page."""

from __future__ import annotations

import base64
import hashlib

from jinja2 import Environment

from briefings.model import AudienceBriefing, Publication
from briefings.render.environment import script, stylesheet
from briefings.render.formats import output_path
from briefings.render.provenance import provenance


def content_security_policy(styles: list[str], scripts: list[str]) -> str:
    """Allow exactly our own inline style and script (by hash), data: fonts and images, and nothing else."""

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    script_src = " ".join(digest(s) for s in scripts) or "'none'"
    return (
        f"default-src 'none'; style-src {' '.join(digest(s) for s in styles)}; script-src {script_src}; "
        "font-src data:; img-src data:; base-uri 'none'; form-action 'none'"
    )


def page_context(pub: Publication, briefing: AudienceBriefing, content_version: str) -> dict[str, object]:
    """Return the template variables for one briefing."""
    has_table = any(blk.kind == "fact_table" for s in briefing.sections for blk in s.blocks)
    quick_exit = pub.quick_exit_url if briefing.policy.quick_exit else ""
    css, js = stylesheet(), script("quick-exit.js")
    return {
        "csp": content_security_policy([css], [js] if quick_exit else []),
        "pub": pub,
        "b": briefing,
        "css": css,
        "cite_numbers": {f: i + 1 for i, f in enumerate(briefing.cited)},
        "show_citations": has_table,
        "key_points_heading": briefing.policy.key_points_heading,
        "content_version": content_version,
        "abbreviations": {t["term"]: t["expansion"] for t in briefing.terms if "expansion" in t},
        # Readers who may be at risk need to leave in a hurry; other audiences do not get the button.
        "quick_exit": quick_exit,
        # The page's one inline script (the iframe page appends its auto-height script to it).
        "page_js": js if quick_exit else "",
        "prov": provenance(pub, content_version),
        "canonical_url": pub.public_url(output_path(pub.slug, briefing.audience, "html")),
    }


def render_page(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the full HTML page for one audience."""
    return env.get_template("briefing.html.j2").render(page_context(pub, briefing, content_version))


def page_bytes(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `html` format: the standalone page."""
    return render_page(env, pub, briefing, content_version).encode("utf-8")


def page_pdf(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> bytes:
    """The `pdf` format: the same page, printed by WeasyPrint as tagged PDF/UA-1."""
    from briefings.package_data import TEMPLATES
    from briefings.render.pdf import render_pdf

    return render_pdf(render_page(env, pub, briefing, content_version), allowed=(TEMPLATES, pub.folder))
