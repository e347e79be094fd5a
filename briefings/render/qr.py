"""QR codes for printed handouts, drawn as SVG with segno (pure Python, no network, no image library)."""

from __future__ import annotations


def qr_svg_data_uri(url: str) -> str:
    """Return a QR code for `url` as an SVG data: URI: black on white, with the standard 4-module quiet zone.

    Error correction of level M or better (segno raises it when the code does not grow) survives
    a smudge or a poor photocopy; `omitsize` gives the SVG a
    viewBox instead of a fixed size, so the page's CSS decides how large it prints.
    """
    import segno

    code = segno.make_qr(url, error="m")
    return code.svg_data_uri(border=4, dark="#000", light="#fff", omitsize=True)


def qr_alt(url: str) -> str:
    """Alt text for a QR code: what it is and where it goes."""
    return f"QR code linking to {url}"
