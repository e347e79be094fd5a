"""Render outputs in a pool of worker processes that import WeasyPrint once.

Workers start from a fork server that has already imported WeasyPrint, pikepdf and our
renderers (`forkserver` with preloading): the import is paid once per build, not once per
worker or per document, and it overlaps with the checks running in the main process. Forking
from that small, single-threaded server is safe, unlike forking the main process (which has
loaded the whole content, textstat's dictionary and perhaps a progress-bar thread). Each worker
keeps one Jinja2 environment and one WeasyPrint FontConfiguration for all its documents
(see briefings.render.pdf), so fonts are loaded once per worker; the fork server decompresses the
WOFF2 faces every page carries and compiles the templates before it forks any worker (briefings.render.fork_server).

A job carries the resolved publication and writes its result into the build's staging folder
(see briefings.build.publish), which is published whole only when everything has succeeded.
"""

from __future__ import annotations

import os
import resource
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefings.problems import PageLimit, Problem

if TYPE_CHECKING:  # imported when a pool starts: a build with nothing to render never needs them
    from concurrent.futures import Future, ProcessPoolExecutor


def preload() -> list[str]:
    """What the fork server imports once, so that every worker starts with it loaded: first briefings.render.fork_server
    (Ctrl+C ignored, the faces every page carries decompressed, the templates compiled), then the PDF formats' code."""
    from briefings.render.formats import FORMATS

    modules = [fmt.module for fmt in FORMATS.values() if fmt.is_pdf]
    return ["briefings.render.fork_server", "weasyprint", "pikepdf", "jinja2", "briefings.render.formats", *dict.fromkeys(modules)]


@dataclass
class RenderJob:
    """One output to render: format `fmt` of its subject, written to `target` in the staging folder."""

    path: str
    target: Path
    fmt: str
    pub: Any
    subject: Any  # the audience's briefing, or (a per-source format) the source's id
    version: str


@dataclass
class Rendered:
    """What a job left behind: the file it wrote in the staging folder, or the error that stopped it."""

    path: str
    file: Path | None = None
    sha256: str = ""
    size: int = 0
    seconds: float = 0.0
    pid: int = 0
    max_rss_kb: int = 0
    error: str = ""
    details: str = ""
    environment: bool = False  # the error came from the machine (memory, a dead worker), not from the tool
    problems: list[Problem] = field(default_factory=list)  # content problems only rendering finds (a PDF past its page limit)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=1)
def _environment() -> Any:
    """A worker process's one Jinja2 environment (with its cached stylesheets and scripts), for all its jobs."""
    from briefings.render.environment import make_environment

    return make_environment()


# Each PDF worker's address space is limited (RLIMIT_AS), so that one document cannot take the machine
# down: a worker renders in about 120 MB, and a document beyond the content limits (briefings.load.limits)
# used to take 4.4 GB. BRIEFINGS_WORKER_MEMORY_MB sets another limit (0: none). The build's own process is
# never limited (the limit would bind the checks, and serve's server, too), so while there is a limit every
# PDF is rendered in a worker, even with --jobs 1 or a single PDF to make; only with no limit does a pool of
# one render in the build's own process.
MEMORY_ENV = "BRIEFINGS_WORKER_MEMORY_MB"
DEFAULT_WORKER_MEMORY = 2 << 30
# Why a job failed when the worker rendering it died, rather than raised an error (the OOM killer, a crash in C).
DIED = "the worker process rendering it died (out of memory, or killed)"


def worker_memory_limit() -> int | None:
    """The address-space limit of each PDF worker in bytes (None: no limit), from BRIEFINGS_WORKER_MEMORY_MB."""
    text = os.environ.get(MEMORY_ENV, "").strip()
    if not text.isdigit():
        return DEFAULT_WORKER_MEMORY
    return int(text) << 20 if int(text) else None


def _memory_error(limit: int | None) -> str:
    shown = f"the limit is {limit >> 20:,} MB per worker; set {MEMORY_ENV} to change it" if limit else "no limit is set"
    return f"ran out of memory ({shown})"


def _worker_fault(path: str) -> None:
    """Tests only (BRIEFINGS_FAULT, see briefings.build.publish): in a worker, die or run out of memory rendering `path`."""
    import multiprocessing

    step = os.environ.get("BRIEFINGS_FAULT", "")
    if not step.endswith(f":{path}") or multiprocessing.parent_process() is None:  # never the build itself
        return
    if step.startswith("worker-dies:"):
        os._exit(70)  # as the OOM killer or a crash in C would leave it
    if step.startswith("worker-memory:"):
        raise MemoryError


_limit: int | None = None  # this worker's memory limit (set by _start_worker)


def render_job(job: RenderJob, env: Any = None) -> Rendered:
    """Render one output into the staging folder (in a worker, or here with the pool's `env` when there is no worker)."""
    import hashlib

    from briefings.build.publish import write_new
    from briefings.build.write import is_environmental
    from briefings.render.formats import FORMATS

    started = time.perf_counter()
    done = Rendered(job.path, pid=os.getpid())
    try:
        _worker_fault(job.path)
        data = FORMATS[job.fmt].make(env or _environment(), job.pub, job.subject, job.version)
        try:
            write_new(job.target, data)
        except OSError as err:
            if not is_environmental(err):
                raise
            done.error, done.environment = f"cannot write it: {err.strerror}", True  # a disk full, a read-only folder
        else:
            done.file = job.target
            done.sha256, done.size = hashlib.sha256(data).hexdigest(), len(data)
    except PageLimit as err:  # the content's fault, with its line: reported as a content problem
        done.problems = list(err.problems.items)
    except MemoryError:  # what the render held is let go with its frames, before this line
        done.error, done.environment = _memory_error(_limit), True
    except Exception as err:  # reported by the build with what it was making; never a silent skip
        done.error, done.details = f"{err.__class__.__name__}: {err}", traceback.format_exc()
    done.seconds = time.perf_counter() - started
    done.max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return done


def _limit_memory(limit: int | None) -> None:
    """Limit this process's address space to `limit` bytes (never above a limit it already has)."""
    global _limit
    if not limit:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _limit = limit


def _start_worker(memory_limit: int | None, environ: dict[str, str], cwd: str) -> None:
    """Prepare a worker: take the build's environment and working folder, leave Ctrl+C to the build, die with the fork
    server, limit its memory, release its fonts at exit, and load them now.

    A worker is forked from the fork server, which is started once per process, by its first build, and keeps the
    environment and folder it started with. A later build in the same process (serve, a test, a program that calls
    `build` twice) may have others: SOURCE_DATE_EPOCH above all, which decides the date each output prints. Without
    taking `environ` and `cwd` (the pool owner's), the PDFs of that build would print the first build's date while its HTML printed its own.

    Ctrl+C in a terminal signals the whole process group. A worker that took it raised KeyboardInterrupt in the middle of
    a render (or of waiting for one), printed its traceback, and handed the exception to the build as the job's result:
    the build (or serve) is the one to stop, cancelling what is queued and discarding what was staged.
    """
    import signal
    from multiprocessing.util import Finalize

    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    from briefings.build.die_with_parent import FORK_SERVER, die_with_parent
    from briefings.render.pdf import release_fonts, warm_up

    die_with_parent(FORK_SERVER if FORK_SERVER != os.getpid() else os.getppid())  # and so with the build (see the module)
    _limit_memory(memory_limit)

    Finalize(None, release_fonts, exitpriority=10)  # workers leave with os._exit: atexit would not run
    _environment()
    warm_up()


def _ping() -> int:
    return os.getpid()


class WorkerPool:
    """Render jobs in `workers` processes, each under the memory limit; in this one only when `workers` is 1 and there is no limit."""

    def __init__(self, workers: int, memory_limit: int | None | bool = True) -> None:
        self.workers = max(1, workers)
        self.memory_limit = worker_memory_limit() if memory_limit is True else (memory_limit or None)
        self.pool: ProcessPoolExecutor | None = None
        self.local: list[RenderJob] = []
        self._env: Any = None
        self.pending: dict[Future[Rendered], RenderJob] = {}
        self.orphans: list[RenderJob] = []  # jobs of a pool that broke (a worker died): rendered again, one by one

    @property
    def parallel(self) -> bool:
        """Whether jobs run in worker processes: more than one, or one under the memory limit (never this process)."""
        return self.workers > 1 or self.memory_limit is not None

    def start(self) -> None:
        """Start the workers now, so that they import WeasyPrint while the main process is still checking."""
        if not self.parallel or self.pool is not None:
            return
        import multiprocessing
        from multiprocessing import forkserver

        from briefings.build.die_with_parent import PARENT_ENV

        context = multiprocessing.get_context("forkserver")
        # The fork server's first preload makes it die with this process (briefings.build.die_with_parent). It is
        # started here, not in the thread below: the kernel kills it when the thread that started it ends.
        context.set_forkserver_preload(["briefings.build.die_with_parent", *preload()])
        os.environ[PARENT_ENV] = str(os.getpid())
        forkserver.ensure_running()
        pool = self.pool = self._executor(self.workers)

        def spawn() -> None:  # the pool starts a worker per submission until it has them all
            try:
                for _ in range(self.workers):
                    pool.submit(_ping)
            except Exception:  # noqa: S110 - nothing to tell here: see below
                # The build ended (failed checks; serve stopped, its fork server gone with Ctrl+C) before its workers had
                # started; or a worker cannot start, which the build's own submissions meet and report.
                pass

        # Starting a worker waits for the fork server to finish its imports: not in this thread.
        threading.Thread(target=spawn, name="start-workers", daemon=True).start()

    def _executor(self, workers: int) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"), initializer=_start_worker,
                                   initargs=(self.memory_limit, dict(os.environ), os.getcwd()))

    def environment(self) -> Any:
        """The Jinja2 environment for jobs rendered in this process: the pool's own, dropped with the pool."""
        if self._env is None:
            from briefings.render.environment import make_environment

            self._env = make_environment()
        return self._env

    def submit(self, job: RenderJob) -> None:
        if not self.parallel:
            self.local.append(job)
            return
        self.start()
        assert self.pool is not None
        from concurrent.futures.process import BrokenProcessPool

        try:
            self.pending[self.pool.submit(render_job, job)] = job
        except BrokenProcessPool:  # a worker died while the build was still checking
            self.orphans.append(job)

    def results(self) -> Iterator[Rendered]:
        """Yield each job's result as it finishes.

        A worker that dies (the OOM killer, a crash in C) breaks its pool, and with it every job the
        pool still had. Those jobs are rendered again, each alone in a fresh worker: a job that kills
        that worker too is reported as failed, with DIED; every other job still renders.
        """
        for job in self.local:
            yield render_job(job, self.environment())
        self.local = []
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        while self.pending:
            finished, _ = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in finished:
                job = self.pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    self.orphans.append(job)
        if self.orphans:
            yield from self._render_alone()

    def _render_alone(self) -> Iterator[Rendered]:
        """Render the jobs of a broken pool one at a time, each in a worker of its own; then start afresh."""
        from concurrent.futures.process import BrokenProcessPool

        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None  # the next submit starts a whole pool again
        alone = None
        try:
            while self.orphans:
                job = self.orphans.pop(0)
                alone = alone or self._executor(1)
                try:
                    yield alone.submit(render_job, job).result()
                except BrokenProcessPool:
                    alone.shutdown(wait=True)
                    alone = None
                    yield Rendered(job.path, error=DIED, environment=True)
        finally:
            if alone is not None:
                alone.shutdown(wait=True, cancel_futures=True)

    def cancel(self) -> None:
        """Drop jobs that have not started; the running ones finish and are discarded by the caller."""
        self.local, self.orphans = [], []
        for future in self.pending:
            future.cancel()

    def drain(self) -> Iterator[Rendered]:
        """Yield the results of jobs that were already running when cancelled (to clean up their files)."""
        for future in self.pending:
            if not future.cancelled():
                try:
                    yield future.result()
                except BaseException:  # noqa: S112 - an interrupted or broken worker left no file of ours
                    continue
        self.pending = {}

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
