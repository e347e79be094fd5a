"""Imported by the PDF workers' fork server only (briefings.build.workers.preload): do once what every worker needs.

It ignores Ctrl+C, decompresses the fonts every page carries (briefings.render.fonts.decompress_base)
and compiles the templates (briefings.render.environment.COMPILED_TEMPLATES), so that every worker
the server forks starts with both, where each used to decompress every face it loaded and compile
every template it rendered. A worker decompresses any other face the first time one of its
documents needs it (briefings.render.fonts.sfnt). Nothing else imports this module.
"""

from __future__ import annotations

import signal

from briefings.render.environment import compile_templates
from briefings.render.fonts import decompress_base

# Ctrl+C in a terminal reaches the fork server too. multiprocessing has it ignore SIGINT once its
# preloads are done; this is its first after die_with_parent, so none of them is interrupted (with
# a KeyboardInterrupt traceback on the terminal) when a build is stopped while its workers start.
# A stopped build still takes the server with it (briefings.build.die_with_parent).
signal.signal(signal.SIGINT, signal.SIG_IGN)
decompress_base()
compile_templates()
