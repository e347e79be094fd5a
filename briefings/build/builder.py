"""The build: check what changed, render what is stale (PDFs in worker processes), then write it all.

1. Plan. Hash every briefing folder's files. A briefing whose check key is unchanged keeps its
   problems, report and readability from the cache; an output whose key is unchanged, and whose
   file still has the sha256 we wrote, is skipped. A build with nothing stale stops here: it
   imports neither the content loaders nor the renderers.
2. Check and render. Every other briefing is loaded, resolved, checked and scored here, as
   `check` does. As soon as a briefing has resolved, its stale outputs are rendered: HTML here,
   PDFs in a pool of worker processes, each into a staging folder beside the output folder.
3. Publish, only if the content has no errors (and no warnings with --strict) and every output
   rendered: complete the staging folder (hard links to what is kept, build-report.txt,
   build-report.json, manifest.json, index.html, report.html; outputs the last build wrote that
   no longer exist are left out) and switch it in for the output folder in one atomic step
   (briefings.build.publish), then write the cache. Otherwise the staging folder is deleted and
   the output folder is left as it was. A build that changes nothing publishes nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefings.build.cache import (
    Cache,
    FolderRecord,
    OutputRecord,
    audience_version,
    briefing_version,
    cache_bytes,
    cache_path,
    check_key,
    file_hashes,
    load_cache,
    output_key,
    site_key,
    templates_fingerprint,
    tool_fingerprint,
)
from briefings.build.progress import Progress
from briefings.build.publish import INDEX, MANIFEST, REPORT, REPORT_JSON, REPORT_PAGE, Staging, check_index_is_ours, fault
from briefings.build.shard import Shard, quick_slug
from briefings.build.workers import Rendered, RenderJob, WorkerPool, available_cores
from briefings.build.write import OutputUnwritable, file_sha256, is_environmental, json_bytes, write_atomic
from briefings.load.content import display_path, find_briefings
from briefings.problems import Problems
from briefings.render.formats import FORMATS, outputs_of
from briefings.today import day_key

# The formats a build makes, each for every audience: every format in the registry.
BUILT_FORMATS: tuple[str, ...] = tuple(FORMATS)


@dataclass
class Options:
    """What to build, where, and how."""

    content: Path
    out: Path
    jobs: int = 0  # worker processes for PDFs; 0: one per core
    strict: bool = False
    shard: Shard | None = None
    formats: tuple[str, ...] | None = None  # render only these now (the preview server does HTML first); None: all
    progress: Progress | None = None
    should_stop: Callable[[], bool] | None = None  # checked between files: abandon the build (newer edits arrived)
    memo: dict[str, Any] | None = None  # serve: briefings this process has resolved, by folder, to reuse


@dataclass
class Planned:
    """One output of this build: skipped (up to date), stale (to render), kept (a format not built now) or built."""

    record: OutputRecord
    status: str
    key: str  # the key this build gives it
    file: Path | None = None  # where it was rendered, in the staging folder
    seconds: float = 0.0


@dataclass
class PlannedFolder:
    """One briefing folder in this build."""

    folder: Path
    files: dict[str, str]
    record: FolderRecord
    reused: bool  # the check results come from the cache
    resolved: bool = True  # False when its content has errors that stop it resolving
    old: dict[str, OutputRecord] = field(default_factory=dict)  # outputs as the last build left them, by path
    outputs: list[Planned] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def stale(self) -> list[Planned]:
        return [p for p in self.outputs if p.status == "stale"]

    def version(self, audience: str, language: str = "") -> str:
        """The content version of one audience's outputs, in the original or in one translation (see cache.audience_version);
        for audience "", of the outputs made from the whole briefing, every audience included (the source pages:
        cache.briefing_version)."""
        key = f"{language}/{audience}"
        if key not in self.versions:
            self.versions[key] = audience_version(self.files, audience, language) if audience else briefing_version(self.files)
        return self.versions[key]


@dataclass
class Result:
    """What a build did, for the command line, the preview server and the benchmark."""

    ok: bool = False
    cancelled: bool = False
    problems: Problems = field(default_factory=Problems)
    report: str = ""
    entries: list[PlannedFolder] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    published: bool = False  # the output folder was replaced (False: nothing in it changed)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (output path, error, traceback)
    environment: set[str] = field(default_factory=set)  # the failures the machine caused (memory, disk), not the tool
    workers: int = 0
    worker_rss_kb: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries for p in e.outputs if p.status == status)

    def stats(self) -> dict[str, Any]:
        """The figures the benchmark reads (`--stats FILE`)."""
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "built": self.count("built"),
            "skipped": self.count("skipped"),
            "removed": len(self.removed),
            "checked": sum(1 for e in self.entries if not e.reused),
            "workers": self.workers,
            "worker_peak_rss_mb": sorted(round(kb / 1024, 1) for kb in self.worker_rss_kb.values()),
            "built_paths": sorted(p.record.path for e in self.entries for p in e.outputs if p.status == "built"),
        }


def readability_key(audience: str, language: str = "") -> str:
    """Where a folder record keeps one audience's scores: by id for the original, "<language>/<id>" for a translation."""
    return f"{language}/{audience}" if language else audience


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _expected_cost(entry: PlannedFolder, output: OutputRecord) -> float:
    """Guess how long an output takes: longer audience files make longer PDFs; a handout is one sheet."""
    size = os.path.getsize(entry.folder / "audiences" / f"{output.audience}.yaml") if FORMATS[output.format].is_pdf else 0
    return size * (0.2 if output.format == "handout" else 1.0)


class _Build:
    """One run of `build`: the state shared by its stages."""

    def __init__(self, opts: Options, pool: WorkerPool | None) -> None:
        self.opts = opts
        self.wanted = opts.formats or tuple(FORMATS)
        self.result = Result()
        self.progress = opts.progress or Progress(enabled=False)
        self.tool = tool_fingerprint()
        self.templates = templates_fingerprint()
        self.external_pool = pool
        self.pool: WorkerPool | None = pool
        self.by_path: dict[str, Planned] = {}
        self.cache = Cache()
        self.staging = Staging(opts.out)

    def stop_requested(self) -> bool:
        return bool(self.opts.should_stop and self.opts.should_stop())

    # --- 1. plan -------------------------------------------------------------

    def plan_output(self, entry: PlannedFolder, audience: str, fmt: str, path: str, source: str = "", language: str = "") -> Planned:
        """Decide whether one output is up to date, from its key and the file on disk (`source`: an output of a source;
        `language`: an output of a translation)."""
        # A page of an audience links to the briefing's other published languages: publishing or withdrawing one changes it.
        # A source page is published in its own words only, with no language switcher.
        languages = "" if source else f" {','.join(entry.record.languages)}"
        key = output_key(self.tool, self.templates, fmt, path, f"{entry.version(audience, language)}{languages}", os.environ)
        old = entry.old.get(path)
        if fmt not in self.wanted:  # not built now: listed as it was, if it is still there as it was
            if old and old.sha256 and file_sha256(self.opts.out / path) == old.sha256:
                return Planned(OutputRecord(audience, fmt, path, old.key, old.sha256, source, language), "kept", key)
            return Planned(OutputRecord(audience, fmt, path, source=source, language=language), "kept", key)
        if old and old.key == key and old.sha256 and file_sha256(self.opts.out / path) == old.sha256:
            return Planned(OutputRecord(audience, fmt, path, key, old.sha256, source, language), "skipped", key)
        return Planned(OutputRecord(audience, fmt, path, source=source, language=language), "stale", key)

    def plan(self, problems: Problems) -> list[PlannedFolder]:
        """Hash the content and decide, per briefing, what the cache still answers."""
        self.cache = load_cache(self.opts.out, self.tool)
        cache = self.cache.briefings
        day = day_key(os.environ)
        entries = []
        for folder in find_briefings(self.opts.content, problems):
            files = file_hashes(folder)
            key = check_key(self.tool, display_path(folder), day, files)
            cached = cache.get(str(folder.resolve()))
            reused = cached is not None and cached.check_key == key
            slug = cached.slug if reused and cached else quick_slug(folder)
            if self.opts.shard and not self.opts.shard.has(slug):
                continue
            record = cached if reused and cached else FolderRecord(str(folder.resolve()), key, slug, "")
            entry = PlannedFolder(folder, files, record, reused, old={o.path: o for o in cached.outputs} if cached else {})
            # The outputs the last build planned; a briefing that is checked again is planned afresh.
            entry.outputs = [self.plan_output(entry, o.audience, o.format, o.path, o.source, o.language)
                             for o in (cached.outputs if cached else [])]
            if entry.stale():
                entry.reused = False
            entries.append(entry)
        return entries

    def expected_pdfs(self, entries: list[PlannedFolder]) -> int:
        """Guess how many PDFs this build renders, before checking anything (to start workers early)."""
        count = 0
        for entry in entries:
            if entry.reused:
                continue
            if entry.old:
                count += sum(1 for p in entry.stale() if FORMATS[p.record.format].is_pdf)
            else:
                count += 2  # a new briefing: several PDFs at least
        return count

    # --- 2. check and render ---------------------------------------------------

    def render(self, entry: PlannedFolder, pub: Any, languages: Any) -> None:
        """Hand every stale output of a resolved briefing (and of its published translations) to be rendered, the slowest PDFs first."""
        from briefings.build.workers import render_job

        by_audience = {("", b.audience): (pub, b) for b in pub.briefings}
        for lang, translated in languages.published.items():
            by_audience.update({(lang, b.audience): (translated, b) for b in translated.briefings})
        for planned in sorted(entry.stale(), key=lambda p: -_expected_cost(entry, p.record)):
            if planned.record.path in self.by_path:  # two briefings with one slug: reported, never both written
                continue
            audience, language = planned.record.audience, planned.record.language
            if self.staging.path is None:
                self.staging.begin()
            if planned.record.source:  # an output of a source: of the original publication, with the source's id
                which, subject = pub, planned.record.source
            else:
                which, subject = by_audience[(language, audience)]
            job = RenderJob(planned.record.path, self.staging.target(planned.record.path), planned.record.format, which,
                            subject, entry.version(audience, language))
            self.by_path[job.path] = planned
            self.progress.add(1)
            if FORMATS[job.fmt].is_pdf and self.pool is not None:
                self.pool.submit(job)
            else:  # HTML takes milliseconds: render it here
                self.finish(render_job(job, self.pool.environment() if self.pool is not None else None))

    def check(self, entry: PlannedFolder, problems: Problems) -> None:
        """Load, resolve, check and score one briefing, rendering its stale outputs once it has resolved."""
        from briefings.check import publication as pipeline
        from briefings.check.report import briefing_data, report_lines

        memo = self.opts.memo
        hit = memo.get(entry.record.folder) if memo is not None else None
        if hit is not None and hit[0] == entry.record.check_key:  # checked by this process already (serve)
            pub, checked, languages = hit[1], hit[2], hit[3]
            entry.record.title, entry.record.report, entry.record.readability, entry.record.problems = (
                checked.title, checked.report, checked.readability, checked.problems)
            entry.record.report_data = checked.report_data
            self.plan_resolved(entry, pub, languages)
            problems.items.extend(entry.record.problems)
            if not problems.errors:
                self.render(entry, pub, languages)
            return
        local = Problems()
        loaded, pub = pipeline.load_and_resolve(entry.folder, local)
        languages = None
        if pub is not None:
            languages = pipeline.translations(loaded, pub, local)
            self.plan_resolved(entry, pub, languages)
            if not local.errors and not problems.errors:  # a build that will fail renders nothing more
                self.render(entry, pub, languages)
            item = pipeline.check_resolved(loaded, pub, local, languages=languages)
            entry.record.report_data = briefing_data(item)
            entry.record.report = report_lines(entry.record.report_data)
            entry.record.readability = {a: r.overall.as_dict() for a, r in item.readability.items()}
            entry.record.readability.update({readability_key(a, lang): s.as_dict() for lang, scores in item.translated.items()
                                             for a, s in scores.items()})
        else:
            entry.resolved, entry.outputs = False, []
        entry.record.problems = list(local.items)
        problems.items.extend(local.items)
        if memo is not None and pub is not None:
            memo[entry.record.folder] = (entry.record.check_key, pub, entry.record, languages)

    def plan_resolved(self, entry: PlannedFolder, pub: Any, languages: Any) -> None:
        """Plan every output of a resolved briefing: each audience in each format, in its own language and each published
        translation, and each source it republishes (in the source's own words only)."""
        entry.record.slug, entry.record.title = pub.slug, pub.title
        entry.record.audiences = {b.audience: b.label for b in pub.briefings}
        entry.record.names = {b.audience: b.policy.name for b in pub.briefings}
        entry.record.sources = {ident: pub.sources[ident]["title"] for ident in pub.republished}
        entry.record.language, entry.record.languages = pub.language, list(languages.published)
        entry.outputs = [
            self.plan_output(entry, audience, name, path, source, which.output_language)
            for which in [pub, *languages.published.values()]
            for name, audience, source, path in outputs_of(which)
        ]

    def finish(self, done: Rendered) -> None:
        """Record one rendered output (or the error that stopped it)."""
        planned = self.by_path[done.path]
        planned.file, planned.seconds = done.file, done.seconds
        if done.pid and done.pid != os.getpid():
            self.result.worker_rss_kb[done.pid] = max(done.max_rss_kb, self.result.worker_rss_kb.get(done.pid, 0))
            fault("worker-rendered")  # tests: die while the pool is up (its workers must die too)
        if done.problems:  # the content's fault (a PDF past its page limit): reported with its line, nothing published
            planned.status = "failed"
            self.result.problems.items.extend(done.problems)
        elif done.error:
            planned.status = "failed"
            self.result.failures.append((done.path, done.error, done.details))
            if done.environment:
                self.result.environment.add(done.path)
        else:
            planned.status = "built"
            planned.record.key, planned.record.sha256 = planned.key, done.sha256
        self.progress.done(done.path)

    # --- 3. write ----------------------------------------------------------------

    def discard(self) -> None:
        """Delete what this build staged (it is not going to publish anything)."""
        if self.pool is not None:
            self.pool.cancel()
            for _ in self.pool.drain():  # wait for running jobs: none may write into staging after this
                pass
        self.staging.discard()

    def vanished(self, planned: set[str]) -> list[str]:
        """Outputs the tool wrote before, that this build no longer makes, still as the tool wrote them."""
        gone = []
        for path, sha256 in sorted(self.cache.written.items()):
            if path in planned or path in (INDEX, MANIFEST, REPORT) or (self.opts.shard and not self.opts.shard.has(path.split("/")[0])):
                continue
            if file_sha256(self.opts.out / path) == sha256:  # a file someone changed or replaced is theirs now
                gone.append(path)
        return gone

    def write(self, entries: list[PlannedFolder]) -> None:
        """Stage reports, manifest, index and report page beside the new outputs, publish the folder if anything changed,
        then the cache."""
        from briefings.check.report import report_json

        out = self.opts.out
        planned_paths = {p.record.path for e in entries for p in e.outputs}
        removed = self.vanished(planned_paths)
        report = self.result.report.encode("utf-8")
        manifest: dict[str, Any] = {"briefings": [
            {
                "slug": e.record.slug,
                "title": e.record.title,
                "audiences": [{"id": audience, "label": label, "name": e.record.names.get(audience, "")}
                              for audience, label in e.record.audiences.items()],
                "sources": [{"id": source, "title": title} for source, title in e.record.sources.items()],
                "languages": [e.record.language, *e.record.languages],
                "outputs": [
                    {"audience": p.record.audience, "format": p.record.format, "path": p.record.path,
                     "language": p.record.language or e.record.language, "sha256": p.record.sha256,
                     "readability": e.record.readability.get(readability_key(p.record.audience, p.record.language), {})}
                    if not p.record.source else
                    {"audience": None, "source": p.record.source, "format": p.record.format, "path": p.record.path,
                     "sha256": p.record.sha256, "readability": {}}
                    for p in e.outputs
                    if p.record.sha256
                ],
            }
            for e in entries
        ]}
        report_data = report_json([e.record.report_data for e in entries])
        if self.opts.shard:
            manifest["shard"] = report_data["shard"] = {"index": self.opts.shard.index, "count": self.opts.shard.count}
        previous_bytes, previous = self.previous_manifest()
        # The same manifest again: reuse its bytes (json's indenting encoder is slow on a large manifest).
        manifest_bytes = previous_bytes if manifest == previous else json_bytes(manifest)
        previous_report, previous_data = self.previous_manifest(REPORT_JSON)
        report_bytes = previous_report if report_data == previous_data else json_bytes(report_data)
        page_key = site_key(self.tool, self.templates, manifest_bytes, report_bytes)
        old_page = self.cache.site.get(REPORT_PAGE)
        page_current = bool(old_page and old_page.key == page_key and file_sha256(out / REPORT_PAGE) == old_page.sha256)
        index_key = site_key(self.tool, self.templates, manifest_bytes)
        old_index = self.cache.site.get(INDEX)
        index_current = bool(old_index and old_index.key == index_key and file_sha256(out / INDEX) == old_index.sha256)
        changed = (any(p.status == "built" for e in entries for p in e.outputs) or removed or not index_current
                   or not page_current or manifest_bytes != previous_bytes or report_bytes != previous_report
                   or file_sha256(out / REPORT) != _sha256(report))
        index, page = old_index, old_page
        if changed:
            staging = self.staging.path or self.staging.begin()
            fault("staged")
            self.staging.carry_over(set(removed) | {MANIFEST, REPORT, REPORT_JSON} | (set() if index_current else {INDEX})
                                    | (set() if page_current else {REPORT_PAGE}))
            fault("carried")
            self.staging.write(REPORT, report)
            self.staging.write(REPORT_JSON, report_bytes)
            self.staging.write(MANIFEST, manifest_bytes)
            if not index_current:
                from briefings.render.index import render_index

                data = render_index(manifest, staging)
                self.staging.write(INDEX, data)
                index = OutputRecord("", "index", INDEX, index_key, _sha256(data))
            if not page_current:
                from briefings.render.report_page import render_report

                data = render_report(report_data, manifest)
                self.staging.write(REPORT_PAGE, data)
                page = OutputRecord("", "report", REPORT_PAGE, page_key, _sha256(data))
            self.staging.publish()
            self.result.published = True
        else:  # the same bytes again, in place: downstream tools see that a build ran, and no reader sees a change
            write_atomic(out / REPORT, report)
            write_atomic(out / REPORT_JSON, report_bytes)
            write_atomic(out / MANIFEST, manifest_bytes)
        self.result.removed = removed
        written = {path: sha for path, sha in self.cache.written.items() if path not in removed and path not in planned_paths}
        for entry in entries:
            entry.record.outputs = [p.record for p in entry.outputs]
            written.update((p.record.path, p.record.sha256) for p in entry.outputs if p.record.sha256)
        assert index is not None and page is not None
        written[INDEX] = index.sha256  # index.html is the tool's (check_index_is_ours), across tool versions too
        cache = Cache({e.record.folder: e.record for e in entries}, {INDEX: index, REPORT_PAGE: page}, written)
        write_atomic(cache_path(out), cache_bytes(self.tool, cache))

    def previous_manifest(self, name: str = MANIFEST) -> tuple[bytes, Any]:
        """Read the manifest (or another JSON file) the last build published (b"" and None if there is none or it is unreadable)."""
        try:
            data = (self.opts.out / name).read_bytes()
            return data, json.loads(data)
        except (OSError, ValueError):
            return b"", None

    # --- the whole build -----------------------------------------------------------

    def run(self) -> Result:
        result = self.result
        problems = result.problems
        entries = self.plan(problems)
        result.entries = entries
        self.staging.recover()  # what a killed build left beside the output folder
        site_index = self.cache.site.get(INDEX)
        check_index_is_ours(self.opts.out, site_index.sha256 if site_index else self.cache.written.get(INDEX))
        to_check = [e for e in entries if not e.reused]
        for entry in entries:
            if entry.reused:
                problems.items.extend(entry.record.problems)
        if to_check and self.pool is None and not any(FORMATS[name].is_pdf for name in self.wanted):
            self.pool = WorkerPool(1, memory_limit=None)  # no PDF asked for (serve's first pass): the HTML renders here, no worker starts
        elif to_check and self.pool is None:
            workers = self.opts.jobs or available_cores()
            expected = self.expected_pdfs(entries)
            self.pool = WorkerPool(min(workers, expected) if expected >= 2 else 1)
            self.pool.start()  # the workers import WeasyPrint while this process checks
        result.workers = self.pool.workers if self.pool and self.pool.parallel else (1 if to_check else 0)
        try:
            if to_check:
                for entry in to_check:
                    if self.stop_requested():
                        return self.abandon()
                    self.check(entry, problems)
            if to_check:  # briefings all reused from one successful build cannot clash
                from briefings.check.placeholders import check_titles
                from briefings.check.publication import check_slugs

                check_slugs([(e.record.slug, e.folder) for e in entries if e.resolved], problems)
                check_titles([(e.record.title, e.folder) for e in entries if e.resolved], problems)
            from briefings.check.report import report_text

            result.report = report_text([e.record.report for e in entries if e.resolved])
            if problems.errors or (self.opts.strict and problems.warnings) or not all(e.resolved for e in entries):
                self.discard()
                return result
            if self.pool is not None:
                for done in self.pool.results():
                    self.finish(done)
                    if self.stop_requested():
                        return self.abandon()
            if result.failures or problems.errors:
                self.discard()
                return result
            self.write(entries)
            result.ok = True
            return result
        except OSError as err:  # a disk full or a read-only folder: staging goes, the site stays as it was
            self.discard()
            if is_environmental(err):
                raise OutputUnwritable(err, result.published) from err
            raise
        except BaseException:
            self.discard()
            raise
        finally:
            self.progress.close()
            if self.pool is not None and self.pool is not self.external_pool:
                self.pool.close()

    def abandon(self) -> Result:
        self.discard()
        self.result.cancelled = True
        return self.result


def build(opts: Options, pool: WorkerPool | None = None) -> Result:
    """Build incrementally; see the module's docstring. `pool` lets the preview server keep its workers."""
    from briefings.build.lock import output_lock

    started = time.perf_counter()
    try:
        with output_lock(opts.out):  # raises OutputLocked while another build writes here
            result = _Build(opts, pool).run()
    except OSError as err:  # the lock itself cannot be made (a read-only folder)
        if is_environmental(err):
            raise OutputUnwritable(err, False) from err
        raise
    result.seconds = time.perf_counter() - started
    return result
