"""The preview server: reload script only in served pages, rebuild on edit, last good site kept on errors."""

from __future__ import annotations

import http.client
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from html import unescape
from pathlib import Path

from conftest import ROOT

from briefings.serve import RELOAD_HASH, RELOAD_JS, allow_reload_script, inject_reload

PAGE = """<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy"
 content="default-src &#39;none&#39;; script-src &#39;none&#39;; style-src &#39;sha256-abc=&#39;">
</head><body><p>Hello</p></body></html>"""


def test_reload_script_goes_before_body_end_and_into_the_policy() -> None:
    served = inject_reload(PAGE)
    assert served.index(RELOAD_JS) < served.index("</body>")
    policy = unescape(re.search(r'content="([^"]*)"', served)[1])
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["script-src"] == [RELOAD_HASH], "'none' gives way to exactly our script"
    assert directives["connect-src"] == ["'self'"]
    assert directives["style-src"] == ["'sha256-abc='"] and directives["default-src"] == ["'none'"]


def test_reload_policy_keeps_the_page_s_own_scripts() -> None:
    policy = allow_reload_script("default-src 'none'; script-src 'sha256-own='; connect-src 'none'")
    assert "script-src 'sha256-own=' " + RELOAD_HASH in policy
    assert "connect-src 'self'" in policy


def test_a_fragment_without_body_is_served_as_it_is() -> None:
    assert inject_reload("<p>fragment</p>") == "<p>fragment</p>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`build.py serve` in a subprocess, with its output lines in a queue."""

    def __init__(self, content: Path, out: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--out", str(out),
             "--port", str(self.port), "--jobs", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.seen)
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.seen)}")

    def get(self, path: str) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, (path, response.status)
        return response.read().decode("utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def test_serve_rebuilds_on_edit_and_keeps_the_last_good_site(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    server = Server(minimal, out)
    try:
        server.wait_for(r"pages: \d+ rebuilt")
        page = server.get("/minimal/survivors.html")
        assert RELOAD_JS in page
        assert RELOAD_JS not in (out / "minimal" / "survivors.html").read_text(encoding="utf-8"), "never on disk"
        assert RELOAD_JS in server.get("/")

        events = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        events.request("GET", "/__briefings/events")
        stream = events.getresponse()
        assert stream.getheader("Content-Type") == "text/event-stream"
        assert stream.readline().startswith(b": connected")

        note = minimal / "audiences" / "survivors.yaml"
        note.write_text(note.read_text(encoding="utf-8").replace("This page talks about a review.",
                                                                 "This page talks about a new review."), encoding="utf-8")
        while not (line := stream.readline()).startswith(b"event: reload"):
            assert line, "the event stream ended"
        assert "a new review" in server.get("/minimal/survivors.html")
        events.close()

        note.write_text(note.read_text(encoding="utf-8") + "\nnot_a_key: 1\n", encoding="utf-8")
        error = server.wait_for(r"survivors\.yaml:\d+:\d+: ")
        assert "not_a_key" in error
        server.wait_for("still serving the last good version")
        assert "a new review" in server.get("/minimal/survivors.html")
    finally:
        server.stop()
    assert server.process.returncode == 0
