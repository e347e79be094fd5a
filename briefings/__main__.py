"""Allow `python -m briefings`."""

from briefings.cli import main

raise SystemExit(main())
