"""Imported by the PDF workers' fork server only (briefings.build.workers.preload): decompress the bundled fonts once.

Every worker the server forks then starts with them (briefings.render.fonts.sfnt), where each used
to decompress every face it loaded. Nothing else imports this module.
"""

from __future__ import annotations

from briefings.render.fonts import decompress_bundled

decompress_bundled()
