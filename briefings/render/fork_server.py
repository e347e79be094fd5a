"""Imported by the PDF workers' fork server only (briefings.build.workers.preload): do once what every worker needs.

It decompresses the bundled fonts (briefings.render.fonts.sfnt) and compiles the templates
(briefings.render.environment.COMPILED_TEMPLATES), so that every worker the server forks starts
with both, where each used to decompress every face it loaded and compile every template it
rendered. Nothing else imports this module.
"""

from __future__ import annotations

from briefings.render.environment import compile_templates
from briefings.render.fonts import decompress_bundled

decompress_bundled()
compile_templates()
