"""Preview the briefings while editing: rebuild on every change and reload the browser.

`briefings serve` builds into the output folder and serves it on 127.0.0.1 only. It watches
the content and templates folders (watchfiles: the operating system's change notifications,
with its own debouncing and editor-swap-file filter). On a change it rebuilds the HTML first,
tells open pages to reload, then rebuilds the PDFs in the background; a newer change abandons a
rebuild in progress and starts again. Pages learn about rebuilds through Server-Sent Events from
a one-line script added to each page as it is served (and to that page's Content-Security-Policy)
— never to the files on disk. A build with content errors prints them (path:line:col) and writes
nothing, so the last good site stays up.
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Mapping
from functools import partial
from html import escape, unescape
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from briefings.package_data import TEMPLATES

EVENTS_PATH = "/__briefings/events"
IDLE_SECONDS = 10.0  # a connection that sends no request for this long is closed (IDLE_ENV sets another time)
IDLE_ENV = "BRIEFINGS_SERVE_IDLE_SECONDS"
MAX_IDLE_SECONDS = 3600.0  # an idle connection holds one of MAX_CONNECTIONS: an hour at most
MAX_CONNECTIONS = 32  # connections served at once; more are refused (503), so idle sockets cannot pile up threads
RETRY_SECONDS = 1.0  # how soon to try again when another build holds the output folder's lock
NOT_REBUILT = "Not rebuilt: still serving the last good version."
RELOAD_JS = f'new EventSource("{EVENTS_PATH}").addEventListener("reload",function(){{location.reload()}});'
RELOAD_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(RELOAD_JS.encode("utf-8")).digest()).decode("ascii") + "'"
_CSP = re.compile(r'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE)


def idle_seconds(environ: Mapping[str, str]) -> float:
    """How long an idle connection is kept, from BRIEFINGS_SERVE_IDLE_SECONDS (unset or empty: IDLE_SECONDS).

    Raises ValueError, saying what is wrong, for anything but a positive number of seconds up to MAX_IDLE_SECONDS.
    """
    text = environ.get(IDLE_ENV, "").strip()
    if not text:
        return IDLE_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_IDLE_SECONDS:  # also refuses nan and inf
        raise ValueError(f"{IDLE_ENV}={text!r} is not a number of seconds above 0 and at most {MAX_IDLE_SECONDS:g} "
                         f"(for example {IDLE_ENV}=1; leave it unset for {IDLE_SECONDS:g})")
    return value


def allow_reload_script(policy: str) -> str:
    """Extend a page's Content-Security-Policy by exactly what the reload script needs."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0].lower() for d in directives]
    for name, source in (("script-src", RELOAD_HASH), ("connect-src", "'self'")):
        if name in names:
            i = names.index(name)
            sources = [s for s in directives[i].split()[1:] if s != "'none'"]
            directives[i] = " ".join([name, *sources, source])
        else:
            directives.append(f"{name} {source}")
    return "; ".join(directives)


def inject_reload(html: str) -> str:
    """Add the reload script to a served page (never to the file on disk)."""
    end = html.rfind("</body>")
    if end == -1:
        return html
    html = html[:end] + f"<script>{RELOAD_JS}</script>\n" + html[end:]
    return _CSP.sub(lambda m: m[1] + escape(allow_reload_script(unescape(m[2])), quote=True) + m[3], html, count=1)


class Site:
    """The served site's generation: bumped after each rebuild that changed something."""

    def __init__(self) -> None:
        self.generation = 0
        self.changed = threading.Condition()
        self.stopping = False

    def bump(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


class Handler(SimpleHTTPRequestHandler):
    """Serve the output folder, pages with the reload script, and the reload events.

    Only to this machine, by name: a request whose Host header is not 127.0.0.1, localhost or [::1]
    with our port is refused (a web page elsewhere cannot read the preview through DNS rebinding).
    Hidden files and folders (a dot at the start of any part of the path) are never served.
    """

    site: Site
    timeout = IDLE_SECONDS  # socket timeout: an idle or stalled connection is dropped, not kept forever

    def __init__(self, *args: Any, site: Site, idle: float = IDLE_SECONDS, **kwargs: Any) -> None:
        self.site = site
        self.timeout = idle  # before the base class sets up the connection with it
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal is for content problems and rebuilds, not for every request

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def host_allowed(self) -> bool:
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        return host in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        if self.refused():
            return
        super().do_HEAD()

    def refused(self) -> bool:
        """Answer a request we will not serve (wrong host, hidden path, malformed path); True if so."""
        if not self.host_allowed():
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "This preview answers only to 127.0.0.1 and localhost")
            return True
        from urllib.parse import unquote, urlsplit

        path = unquote(urlsplit(self.path).path)
        if "\x00" in path or any(ord(ch) < 32 for ch in path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return True
        if any(part.startswith(".") for part in path.split("/") if part):
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return True
        return False

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.refused():
            return
        if self.path.split("?")[0] == EVENTS_PATH:
            self.events()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = inject_reload(path.read_text(encoding="utf-8")).encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def events(self) -> None:
        """Stream a `reload` event after every rebuild, until the browser or the server goes away."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = self.site.generation
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while not self.site.stopping:
                generation = self.site.wait(seen, timeout=15)
                message = f"event: reload\ndata: {generation}\n\n" if generation != seen else ": still here\n\n"
                seen = generation
                self.wfile.write(message.encode("ascii"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass


class Server(ThreadingHTTPServer):
    """A thread per connection, up to MAX_CONNECTIONS; a dropped connection is not an error worth a traceback."""

    daemon_threads = True
    # Connections the kernel holds until they are accepted (socketserver's default is 5: a burst beyond it waits for
    # TCP's SYN retries, 1 s then 3 s and more, before the server even sees it and can serve it or refuse it with 503).
    request_queue_size = 128

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError, TimeoutError, socket.timeout)):
            return  # the browser went away, or sent nothing: nothing to report
        super().handle_error(request, client_address)


class Rebuilder:
    """Rebuild on every change: HTML first, then PDFs; a newer change abandons the rebuild in progress."""

    def __init__(self, content: Path, out: Path, jobs: int, strict: bool, site: Site) -> None:
        from briefings.render.formats import html_formats

        self.content, self.out, self.jobs, self.strict, self.site = content, out, jobs, strict, site
        self.html_formats = html_formats()
        self.dirty = threading.Event()
        self.templates_changed = False
        self.memo: dict[str, Any] = {}
        self.pool: Any = None
        self.waiting = False  # another build holds the lock: retrying

    def should_stop(self) -> bool:
        """Abandon the build in progress: a newer change arrived, or the server is stopping."""
        return self.dirty.is_set() or self.site.stopping

    def changed(self, paths: set[str]) -> None:
        """Note a change (from the watcher thread)."""
        if any(Path(p).resolve().is_relative_to(TEMPLATES) for p in paths):
            self.templates_changed = True
        self.dirty.set()

    def build(self, formats: tuple[str, ...] | None) -> Any:
        """Build once; say what went wrong, if anything, and never raise for it: the last good site stays up.

        The machine's refusals (a full disk, a read-only folder, no permission: what the command line
        reports as exit 4) are said as such; only the tool's own failures are called internal errors.
        """
        from briefings.build.builder import Options, Result, build
        from briefings.build.lock import OutputLocked
        from briefings.build.write import OutputUnwritable

        try:
            result = build(Options(self.content, self.out, self.jobs, self.strict, formats=formats,
                                   should_stop=self.should_stop, memo=self.memo), pool=self.pool)
        except OutputLocked as err:  # a build from another terminal: say so, and try again until it is done
            if not self.waiting:
                print(f"briefings: {err}; the preview will rebuild when it is done", file=sys.stderr, flush=True)
            self.waiting = True
            timer = threading.Timer(RETRY_SECONDS, self.dirty.set)
            timer.daemon = True
            timer.start()
            return Result(cancelled=True)
        except OutputUnwritable as err:  # the machine refused a write: not the content, not a bug
            self.waiting = False
            print(f"briefings: {err}", file=sys.stderr)
            print(NOT_REBUILT if not err.published else "Serving the new version; fix that and save again to rebuild.",
                  file=sys.stderr, flush=True)
            return Result()
        self.waiting = False
        if not result.cancelled:
            result.problems.report(self.strict)
            for path, error, _ in result.failures:
                if path in result.environment:  # memory, a full disk, a read-only folder: the machine's
                    print(f"{self.out}/{path}: could not be rendered: {error}", file=sys.stderr)
                else:
                    print(f"{self.out}/{path}: internal error while rendering: {error}", file=sys.stderr)
            if not result.ok:
                print(NOT_REBUILT, file=sys.stderr, flush=True)
        return result

    def rebuild(self) -> None:
        """One rebuild: the HTML, then (if that succeeded) the PDFs, saying what went wrong (see `build`)."""
        from briefings.build.workers import WorkerPool, available_cores

        if self.templates_changed or self.pool is None:
            self.templates_changed = False
            if self.pool is not None:
                self.pool.close()  # the pool and its workers own the environments that hold the old templates
            self.pool = None
            pool = WorkerPool(self.jobs or available_cores())
            pool.start()
            self.pool = pool
        started = time.perf_counter()
        pages = self.build(self.html_formats)
        if pages.cancelled or not pages.ok:
            return
        built = pages.count("built")
        if built:
            self.site.bump()
        print(f"{time.strftime('%H:%M:%S')} pages: {built} rebuilt in {time.perf_counter() - started:.1f} s; PDFs next…",
              flush=True)
        started = time.perf_counter()
        pdfs = self.build(None)
        if pdfs.ok:
            if pdfs.count("built"):
                self.site.bump()
            print(f"{time.strftime('%H:%M:%S')} PDFs: {pdfs.count('built')} rebuilt in {time.perf_counter() - started:.1f} s",
                  flush=True)

    def run(self) -> None:
        """Loop forever (in its own thread): wait for a change, rebuild."""
        while not self.site.stopping:
            if not self.dirty.wait(timeout=0.5):
                continue
            self.dirty.clear()
            self.rebuild_safely()

    def rebuild_safely(self) -> None:
        """Rebuild; whatever goes wrong is said, and the thread, and the last good site, live on."""
        from briefings.build.write import is_environmental

        try:
            self.rebuild()
        except Exception as err:  # noqa: BLE001 - the preview outlives any one rebuild
            if is_environmental(err):  # the machine refused (see build.write): not a bug, as the command line says (exit 4)
                where = f": {err.filename}" if getattr(err, "filename", None) is not None else ""
                print(f"briefings: {err.strerror}{where}", file=sys.stderr)
            else:
                import traceback

                traceback.print_exc(file=sys.stderr)
                print(f"briefings: internal error while rebuilding: {err.__class__.__name__}: {err} (a bug in the tool)",
                      file=sys.stderr)
            print(NOT_REBUILT, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def watch(paths: list[Path], rebuilder: Rebuilder, stop: threading.Event) -> None:
    """Tell the rebuilder about every change under `paths` (in its own thread)."""
    import watchfiles

    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=400, raise_interrupt=False):
        rebuilder.changed({path for _, path in changes})


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _stop(number: int, frame: Any) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> dict[int, Any]:
    """Stop the server cleanly on Ctrl+C (SIGINT) and on SIGTERM (`kill`, a service manager); return the handlers before.

    Explicitly, because Python turns SIGINT into KeyboardInterrupt only when the process did not start with it ignored,
    and a shell script's `&` starts its commands with SIGINT ignored: `kill -INT` then did nothing, and serve ran on.
    SIGTERM would otherwise kill it at once, leaving its staging folder. Only the main thread can set handlers (main()
    may be called from another thread): there, nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {number: signal.signal(number, _stop) for number in STOP_SIGNALS}
    return {number: signal.SIG_DFL if handler is None else handler for number, handler in previous.items()}  # None: set outside Python


def serve(content: Path, out: Path, port: int, jobs: int = 0, strict: bool = False) -> int:
    """Serve `out` on http://127.0.0.1:port/ and keep it up to date with `content`; return the exit code."""
    try:
        idle = idle_seconds(os.environ)
    except ValueError as err:
        print(f"briefings: {err}", file=sys.stderr)
        return 2  # a usage error: nothing is built or served
    site = Site()
    out.mkdir(parents=True, exist_ok=True)
    try:
        server = Server(("127.0.0.1", port), partial(Handler, site=site, idle=idle, directory=str(out)))
    except OSError as err:
        print(f"briefings: cannot serve on 127.0.0.1:{port}: {err.strerror} (try another --port)", file=sys.stderr)
        return 2
    rebuilder = Rebuilder(content, out, jobs, strict, site)
    stop = threading.Event()
    threads = [
        threading.Thread(target=rebuilder.run, name="rebuild", daemon=True),
        threading.Thread(target=watch, args=([content, TEMPLATES], rebuilder, stop), name="watch", daemon=True),
    ]
    rebuilder.dirty.set()  # the first build
    for thread in threads:
        thread.start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    previous = stop_on_signals()
    try:
        print(f"Serving {out}/ at {address} (build report: {address}report.html) — watching {content}/ and the templates;"
              " Ctrl+C to stop.", flush=True)
        if idle != IDLE_SECONDS:  # said, so that whoever set it sees it taken
            print(f"Idle connections close after {idle:g} s ({IDLE_ENV}).", flush=True)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        for number in previous:  # stopping: a second Ctrl+C or SIGTERM quits at once, without the tidying below
            signal.signal(number, signal.SIG_DFL)
        stop.set()
        site.stop()
        server.server_close()
        threads[0].join(timeout=30)
        rebuilder.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0
