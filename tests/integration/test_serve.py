"""The preview server: reload script only in served pages, rebuild on edit, last good site kept on errors."""

from __future__ import annotations

import http.client
import os
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

import pytest
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


IGNORING_SIGINT = ["sh", "-c", "trap '' INT; exec \"$@\"", "sh"]  # as a shell script's `cmd &` starts cmd


def test_the_wrapper_starts_python_with_sigint_ignored() -> None:
    shown = subprocess.run([*IGNORING_SIGINT, sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"],
                           capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "True"


class Server:
    """`build.py serve` in a subprocess, with its output lines in a queue."""

    def __init__(self, content: Path, out: Path, env: dict[str, str] | None = None, sigint_ignored: bool = False,
                 own_group: bool = False) -> None:
        self.port = free_port()
        wrapper = IGNORING_SIGINT if sigint_ignored else []
        self.process = subprocess.Popen(
            [*wrapper, sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--out", str(out),
             "--port", str(self.port), "--jobs", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})},
            start_new_session=own_group)  # own_group: stop() signals its whole group, as Ctrl+C in a terminal does
        self.own_group = own_group
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

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

    def said(self) -> str:
        """Everything the stopped server printed: read to the end of its output first, so that its last lines are in."""
        self.reader.join(timeout=60)  # a guard: its output ends when serve, its fork server and its workers have gone
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)

    def stop(self, number: int = signal.SIGINT) -> None:
        if self.process.poll() is None:
            if self.own_group:
                os.killpg(self.process.pid, number)  # serve, its fork server and its workers
            else:
                self.process.send_signal(number)
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


@pytest.mark.parametrize(("number", "how"), [pytest.param(signal.SIGINT, how, id=how) for how in ("sigint-ignored-at-start",
                                                                                                  "ctrl-c-in-a-terminal")]
                         + [pytest.param(signal.SIGTERM, "sigterm", id="sigterm")])
def test_serve_stops_cleanly_on_ctrl_c_started_in_the_background_and_on_sigterm(minimal: Path, tmp_path: Path,
                                                                                   number: int, how: str) -> None:
    """Python raises KeyboardInterrupt for SIGINT only if the process did not start with it ignored, as a script's `&`
    starts it: serve then ran on after `kill -INT` (it failed two tests when the suite ran from such a script). SIGTERM
    killed it at once, in the middle of a PDF pass, leaving its staging folder beside the site. Ctrl+C in a terminal
    reaches the PDF workers too: each printed a KeyboardInterrupt traceback, and one came back as a job's result."""
    out = tmp_path / "out"
    server = Server(minimal, out, sigint_ignored=how == "sigint-ignored-at-start", own_group=how == "ctrl-c-in-a-terminal")
    try:
        server.wait_for(r"pages: \d+ rebuilt")  # the PDF pass is starting: its staging folder is there or on its way
    finally:
        server.stop(number)
    said = server.said()
    assert server.process.returncode == 0, said
    assert "Stopped." in said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said
    assert "Idle connections" not in said, "the idle time is said only when the environment sets it"
    assert not list(tmp_path.glob(".out.briefings-next-*")), "the build in progress tidied its staging folder away"


def raw_request(port: int, request: bytes) -> bytes:
    """Send `request` as it is and return the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_serve_answers_only_to_this_machine_and_never_serves_hidden_files(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    server = Server(minimal, out)
    try:
        server.wait_for(r"pages: \d+ rebuilt")
        (out / ".secret").write_text("hidden", encoding="utf-8")
        port = server.port
        assert status(raw_request(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())) == 200
        assert status(raw_request(port, f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n".encode())) == 200
        rebinding = raw_request(port, b"GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
        assert status(rebinding) == 421 and b"Plain-language" not in rebinding
        for path in ("/.secret", "/minimal/.x", "/%2esecret"):
            assert status(raw_request(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())) == 404
        assert status(raw_request(port, f"GET /%00 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())) == 400
        # A connection dropped mid-answer is not an error worth a traceback.
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(f"GET /minimal/survivors.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        assert status(raw_request(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())) == 200
    finally:
        server.stop()
    said = server.said()
    assert "Traceback" not in said, said


def test_serve_closes_idle_connections_and_bounds_its_threads(minimal: Path, tmp_path: Path) -> None:
    """No clock is read: the server says the idle time it took from the environment (the value its handlers get), and
    the socket timeouts below are guards against a hang, long enough for any load, not measurements."""
    from briefings.serve import IDLE_ENV, MAX_CONNECTIONS

    out = tmp_path / "out"
    server = Server(minimal, out, env={IDLE_ENV: "1"})  # idle connections closed after 1 s, not the default 10 s
    try:
        server.wait_for(rf"Idle connections close after 1 s \({IDLE_ENV}\)\.")
        server.wait_for(r"pages: \d+ rebuilt")
        with socket.create_connection(("127.0.0.1", server.port)) as probe:
            probe.settimeout(120)
            assert probe.recv(1) == b"", "the server closes a connection that sends nothing"
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(MAX_CONNECTIONS * 3)]
        try:
            threads = int(re.search(r"Threads:\s+(\d+)", Path(f"/proc/{server.process.pid}/status").read_text())[1])
            assert threads <= MAX_CONNECTIONS + 16, f"{threads} threads for {len(idle)} idle connections"
            idle[0].settimeout(120)
            assert idle[0].recv(1) == b"", "idle connections beyond the limit are closed too"
        finally:
            for sock in idle:
                sock.close()
    finally:
        server.stop()


@pytest.mark.parametrize("value", ["0", "-1", "ten", "nan", "inf", "1e9", "\x1b[2J1"])
def test_an_idle_time_that_is_not_a_positive_number_is_a_usage_error(value: str, tmp_path: Path) -> None:
    """BRIEFINGS_SERVE_IDLE_SECONDS is refused before anything is made (here the port is taken too: without the check, serve
    would make --out and then say that it cannot serve)."""
    from conftest import run_cli

    from briefings.serve import IDLE_ENV

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = run_cli("serve", "--content", str(ROOT / "tests/fixtures/minimal"), "--out", str(tmp_path / "site"),
                       "--port", str(taken.getsockname()[1]), env={IDLE_ENV: value})
    assert done.returncode == 2, done.stderr
    assert f"briefings: {IDLE_ENV}={value!r} is not a number of seconds above 0 and at most 3600" in done.stderr, done.stderr
    assert "\x1b" not in done.stderr, "a control character is printed escaped"
    assert not (tmp_path / "site").exists(), "nothing is made"


def test_the_idle_time_is_read_from_the_environment() -> None:
    from briefings.serve import IDLE_ENV, IDLE_SECONDS, idle_seconds

    assert idle_seconds({}) == idle_seconds({IDLE_ENV: ""}) == idle_seconds({IDLE_ENV: "  "}) == IDLE_SECONDS == 10
    assert idle_seconds({IDLE_ENV: "1"}) == 1.0
    assert idle_seconds({IDLE_ENV: " 0.5 "}) == 0.5
    assert idle_seconds({IDLE_ENV: "3600"}) == 3600.0
    with pytest.raises(ValueError, match="leave it unset for 10"):
        idle_seconds({IDLE_ENV: "3601"})


def test_serve_waits_for_a_command_line_build_instead_of_going_stale(minimal: Path, tmp_path: Path) -> None:
    from briefings.build.lock import output_lock

    out = tmp_path / "out"
    with output_lock(out):
        server = Server(minimal, out)
        try:
            server.wait_for("another build is writing to")
        except BaseException:
            server.stop()
            raise
    try:
        server.wait_for(r"pages: \d+ rebuilt")
        assert "A small test publication" in server.get("/")
    finally:
        server.stop()
    assert server.process.returncode == 0


def test_a_port_out_of_range_is_a_usage_error() -> None:
    from conftest import run_cli

    result = run_cli("serve", "--port", "99999")
    assert result.returncode == 2 and "'99999' is not a port number (0 to 65535)" in result.stderr


# --- the machine refuses a write: said as such (as the command line's exit 4), and the preview lives on -----------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refusing(name_ends: str, code: int):
    """briefings.build.publish.write_new, failing for one file as a full disk (ENOSPC), a read-only folder (EROFS) or
    a folder without permission (EACCES) would."""
    import os

    from briefings.build import publish

    real = publish.write_new

    def write_new(path: Path, data: bytes) -> None:
        if str(path).endswith(name_ends):
            raise OSError(code, os.strerror(code), str(path))
        real(path, data)

    return write_new


@pytest.fixture()
def preview(minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A Rebuilder (serve's rebuild thread, called here in-process) over a site built once, after an edit to rebuild."""
    from conftest import edit

    from briefings.build.builder import Options, build
    from briefings.build.workers import MEMORY_ENV
    from briefings.render.formats import html_formats
    from briefings.serve import Rebuilder, Site

    monkeypatch.setenv(MEMORY_ENV, "0")  # one job renders in this process: the patched write applies to every file
    out = tmp_path / "out"
    assert build(Options(minimal, out, jobs=1, formats=html_formats())).ok
    edit(minimal / "facts.yaml", "statement: The review looked at 12 cases.", "statement: The review looked at twelve cases.")
    rebuilder = Rebuilder(minimal, out, 1, False, Site())
    yield rebuilder, out
    rebuilder.close()


@pytest.mark.parametrize(("name", "code", "said"), [
    ("minimal/survivors.html", 28, "{out}/minimal/survivors.html: could not be rendered: cannot write it: No space left on device"),
    ("minimal/journalists-embed.html", 30, "{out}/minimal/journalists-embed.html: could not be rendered: cannot write it: "
                                           "Read-only file system"),
    ("manifest.json", 28, "briefings: cannot write {staging}manifest.json: No space left on device (nothing was published"),
    ("index.html", 13, "briefings: cannot write {staging}index.html: Permission denied (nothing was published"),
], ids=["enospc-rendering", "erofs-rendering", "enospc-publishing", "eacces-publishing"])
def test_serve_says_the_machine_refused_a_write_and_keeps_the_last_good_site(
        name: str, code: int, said: str, preview, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from briefings.build import publish

    rebuilder, out = preview
    before = _snapshot(out)
    monkeypatch.setattr(publish, "write_new", _refusing(name, code))
    rebuilder.rebuild_safely()  # what the rebuild thread runs on each change: it must not raise
    err = capsys.readouterr().err
    expected = said.format(out=out, staging=f"{out.parent}/.{out.name}.briefings-next-")
    lines = [re.sub(r"briefings-next-\d+-[0-9a-f]+/", "briefings-next-", line) for line in err.splitlines()]
    assert any(line.startswith(expected) for line in lines), err
    assert "internal error" not in err and "a bug in the tool" not in err and "Traceback" not in err
    assert "Not rebuilt: still serving the last good version." in err
    assert _snapshot(out) == before and not [p for p in out.parent.iterdir() if ".briefings-next-" in p.name]


def test_a_bug_while_rebuilding_is_said_and_the_preview_lives_on(preview, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from briefings.build import builder

    rebuilder, out = preview
    before = _snapshot(out)

    def broken(*args, **kwargs):
        raise RuntimeError("the tool broke")

    monkeypatch.setattr(builder, "build", broken)
    rebuilder.rebuild_safely()
    err = capsys.readouterr().err
    assert "briefings: internal error while rebuilding: RuntimeError: the tool broke (a bug in the tool)" in err
    assert "Not rebuilt: still serving the last good version." in err
    assert _snapshot(out) == before
