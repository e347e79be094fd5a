"""What every output says about where it came from: content version, build date and sources."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from briefings.model import Publication
from briefings.today import build_date


@dataclass(frozen=True)
class Provenance:
    """Where one publication's outputs came from, printed on each of them."""

    version: str  # hash of the content files this audience is built from (build_cache.audience_version)
    built: str  # YYYY-MM-DD
    built_from: str  # "SOURCE_DATE_EPOCH" or "content" (the content's own `updated` date)
    primary: dict[str, Any]
    others: list[dict[str, Any]]

    @property
    def source_count(self) -> int:
        return 1 + len(self.others)


def provenance(pub: Publication, version: str, environ: Mapping[str, str] | None = None) -> Provenance:
    """Describe one publication's build: `environ` defaults to this process's environment."""
    built, built_from = build_date(os.environ if environ is None else environ, pub.updated)
    primary_id = pub.primary_source.get("id")
    others = [s for ident, s in pub.sources.items() if ident != primary_id]
    return Provenance(version, built, built_from, pub.primary_source, others)
