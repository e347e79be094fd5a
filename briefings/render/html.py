"""Render one audience's briefing as a standalone, accessible HTML page."""

from __future__ import annotations

from jinja2 import Environment

from briefings.render.environment import script, stylesheet
from briefings.resolve import AudienceBriefing, Publication

KEY_POINTS_HEADING = {"survivors": "In short", "journalists": "Key findings", "councillors": "Key findings"}


def page_context(pub: Publication, briefing: AudienceBriefing, content_version: str) -> dict[str, object]:
    """Return the template variables for one briefing."""
    has_table = any(blk.kind == "fact_table" for s in briefing.sections for blk in s.blocks)
    return {
        "pub": pub,
        "b": briefing,
        "css": stylesheet(),
        "cite_numbers": {f: i + 1 for i, f in enumerate(briefing.cited)},
        "show_citations": has_table,
        "key_points_heading": KEY_POINTS_HEADING[briefing.audience],
        "content_version": content_version,
        "abbreviations": {t["term"]: t["expansion"] for t in briefing.terms},
        # Survivors may need to leave in a hurry; the other audiences do not get the button.
        "quick_exit": pub.quick_exit_url if briefing.audience == "survivors" else "",
        "quick_exit_js": script("quick-exit.js"),
    }


def render_page(env: Environment, pub: Publication, briefing: AudienceBriefing, content_version: str) -> str:
    """Render the full HTML page for one audience."""
    return env.get_template("briefing.html.j2").render(page_context(pub, briefing, content_version))
