"""Hostile content is escaped everywhere, links are limited, and rendering never reaches the network."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from briefings.render.environment import TEMPLATES, inline_markdown
from briefings.render.pdf import _fetcher_class, render_pdf

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted" </p>'


def _poison(value, key=""):
    """Append the payload to every free-text string (ids, dates, enums and paths keep their form)."""
    keep = {"id", "slug", "source", "speaker", "language", "updated", "checked", "primary_source", "kind", "audience",
            "text_file", "phone", "email", "url", "term", "value", "quote", "expansion"}
    id_lists = {"facts", "audiences", "sources", "support"}

    def kept(k, v):
        return k in keep or not isinstance(v, (str, list, dict)) or (k in id_lists and (isinstance(v, str) or all(isinstance(x, str) for x in v)))

    if isinstance(value, dict):
        return {k: (v if kept(k, v) else _poison(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    if isinstance(value, str) and key not in keep and not value.startswith("sources/"):
        return value + " " + PAYLOAD
    return value


def test_markup_in_every_field_is_escaped(minimal: Path, tmp_path: Path) -> None:
    for path in [*minimal.glob("*.yaml"), *minimal.glob("audiences/*.yaml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "sources.yaml":
            for s in data["sources"]:
                s["title"] += " " + PAYLOAD
        elif path.name != "briefing.yaml":
            data = _poison(data)
        else:
            data["title"] += " " + PAYLOAD
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(minimal), "--out", str(out), "--debug")
    assert result.returncode == 0, result.stderr
    pages = list(out.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in html and "<img src=x" not in html, page
        assert "&lt;script&gt;alert(" in html, page
        scripts = html.count("<script")
        assert scripts <= 1, "only our own quick-exit script"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", "[click](javascript:alert(1))"),
        ("[click](JaVaScRiPt:alert(1))", "[click](JaVaScRiPt:alert(1))"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](data:text/html;base64,PHNjcmlwdD4=)"),
        ("[x](file:///etc/passwd)", "[x](file:///etc/passwd)"),
        ("[ok](https://example.org/a?b=1&c=2)", '<a href="https://example.org/a?b=1&amp;c=2">ok</a>'),
        ("[mail](mailto:a@example.org)", '<a href="mailto:a@example.org">mail</a>'),
        ("[call](tel:08088010331)", '<a href="tel:08088010331">call</a>'),
        ("<b>bold</b> *em*", "&lt;b&gt;bold&lt;/b&gt; <em>em</em>"),
        ("![img](https://example.org/x.png)", "!<a href=\"https://example.org/x.png\">img</a>"),  # never an <img>
    ],
)
def test_only_safe_links_and_no_raw_html(text: str, expected: str) -> None:
    assert str(inline_markdown(text)) == expected


def test_pdf_fetcher_refuses_network_and_outside_files(tmp_path: Path) -> None:
    fetcher = _fetcher_class()((TEMPLATES,))
    with pytest.raises(ValueError, match="never reach the network"):
        fetcher.fetch("http://127.0.0.1:9/x.png")
    with pytest.raises(ValueError, match="outside the templates and content folders"):
        fetcher.fetch("file:///etc/passwd")
    inside = fetcher.fetch((TEMPLATES / "fonts" / "OFL.txt").resolve().as_uri())
    assert inside is not None


def test_pdf_render_makes_no_request() -> None:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (f'<!DOCTYPE html><html lang="en"><head><title>t</title><link rel="stylesheet" href="{url}/a.css"></head>'
                f'<body><h1>t</h1><img src="{url}/x.png" alt="x"><img src="file:///etc/hostname" alt="y"></body></html>')
        pdf = render_pdf(html)
        assert pdf.startswith(b"%PDF")
    finally:
        server.shutdown()
    assert hits == []
