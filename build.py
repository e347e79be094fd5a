#!/usr/bin/env python3
"""Build the briefings: a thin shim over `briefings.cli` (see README), run as `python -m briefings` runs it."""

import sys
from pathlib import Path


def _run() -> int:
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)  # this checkout's package, even under `python -I` or `-P`
    from briefings.__main__ import run

    return run()


if __name__ == "__main__":
    raise SystemExit(_run())
