"""Render HTML to tagged PDF/UA-1 with WeasyPrint.

WeasyPrint is imported here and only here, on first use, so that `check` and
`--help` never pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefings.render.environment import TEMPLATES


def render_pdf(html: str, base_url: Path = TEMPLATES, **options: Any) -> bytes:
    """Render one HTML document to a PDF/UA-1 file and return its bytes."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(base_url)).write_pdf(pdf_variant="pdf/ua-1", **options)
    return finish_pdf(pdf)


def finish_pdf(pdf: bytes) -> bytes:
    """Mark WeasyPrint's untagged page furniture (page numbers, running heads) as artifacts."""
    try:
        from briefings.render.pdf_artifacts import artifact_untagged_content
    except ImportError:  # pragma: no cover - the module ships with the package
        return pdf
    return artifact_untagged_content(pdf)
