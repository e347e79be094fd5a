#!/usr/bin/env python3
"""Build the briefings: a thin shim over `briefings.cli` (see README)."""

from briefings.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
