"""The one "today" of a build: the day SOURCE_DATE_EPOCH names, else the content's own `updated` date.

Never the wall clock, so that the same content checks and builds to the same bytes whenever it
is run. Provenance prints it, the checks measure support contacts' age against it, and the build
cache keys checks with it. To check contacts against the real date, set SOURCE_DATE_EPOCH (for
example `SOURCE_DATE_EPOCH=$(date +%s) briefings check`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

ENV = "SOURCE_DATE_EPOCH"


def build_date(environ: Mapping[str, str], updated: str) -> tuple[str, str]:
    """Return today as YYYY-MM-DD, and where it came from: "SOURCE_DATE_EPOCH" or "content"."""
    epoch = environ.get(ENV, "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat(), ENV
    return updated, "content"


def build_day(environ: Mapping[str, str], updated: str) -> date | None:
    """Today as a date; None when it comes from content whose `updated` is not a real date (reported by resolve)."""
    try:
        return date.fromisoformat(build_date(environ, updated)[0])
    except ValueError:
        return None


def day_key(environ: Mapping[str, str]) -> str:
    """What, besides the content's own files, decides the day the checks run for: part of the cache's check key."""
    epoch = environ.get(ENV, "").strip()
    return f"epoch {epoch}" if epoch.isdigit() else "content"
