#!/usr/bin/env python3
"""Measure the build against the WeasyPrint floor: `python bench/bench.py [--briefings 50] [--jobs N]`.

For the default content and for a synthetic corpus (copies of the default briefing, each with
its own slug), in temporary folders:

- cold build: `build.py` in a fresh process into an empty folder, divided by the floor, where
  floor = `import weasyprint` (fresh process) + the sum of warm WeasyPrint renders of the very
  HTML documents the build prints, measured in this run, divided by the number of workers.
  A second ratio counts our PDF/UA repair (pikepdf) in the floor too.
- no-op rebuild (median of three) and rebuild after editing one audience's file;
- each worker's peak memory (RSS high-water mark, reported by the workers) and the PDF sizes.

It prints figures and ratios and asserts nothing: timings on a shared machine are noisy. For a
large corpus the floor is timed on the documents of `--sample` briefings and scaled up (the
copies differ only in their slug).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build.py"
DEFAULT = ROOT / "content" / "operation-amazon"


def run_build(content: Path, out: Path, jobs: int, stats: Path) -> tuple[float, dict]:
    """Run a build as a user would, in a fresh process; return its wall time and its --stats."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BUILD), "build", "--content", str(content), "--out", str(out),
                           "--jobs", str(jobs), "--stats", str(stats)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, json.loads(stats.read_text(encoding="utf-8"))


def import_time() -> float:
    """Median over three fresh processes of `import weasyprint`."""
    code = "import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                  check=True).stdout) for _ in range(3))


def floor_renders(content: Path, sample: int, workers: int, work: Path) -> dict:
    """Time plain WeasyPrint on the HTML each PDF is printed from: in one process, and in `workers` at once."""
    documents = work / "documents.json"
    subprocess.run([sys.executable, __file__, "--capture", str(content), "--sample", str(sample), "--to", str(documents)],
                   check=True)
    alone = json.loads(subprocess.run([sys.executable, __file__, "--time", str(documents), "--part", "1/1"],
                                      capture_output=True, text=True, check=True).stdout)
    started = time.perf_counter()
    parts = [subprocess.Popen([sys.executable, __file__, "--time", str(documents), "--part", f"{k}/{workers}"],
                              stdout=subprocess.PIPE, text=True) for k in range(1, workers + 1)]
    together = [json.loads(p.communicate()[0]) for p in parts]
    return {**alone, "parallel": together, "parallel_wall": time.perf_counter() - started}


def _capture(content: Path, sample: int, to: Path) -> None:
    """(In its own process.) Save the HTML each PDF of the first `sample` briefings is printed from."""
    from briefings.build.cache import audience_version, file_hashes
    from briefings.check.publication import load_and_resolve
    from briefings.load.content import find_briefings
    from briefings.problems import Problems
    from briefings.render import pdf as pdf_module
    from briefings.render.environment import TEMPLATES, make_environment
    from briefings.render.formats import FORMATS

    pubs = [load_and_resolve(folder, Problems())[1] for folder in find_briefings(content, Problems())[:sample]]
    documents: list[tuple[str, tuple[Path, ...], Path]] = []

    def capture(html: str, allowed: tuple[Path, ...] = (TEMPLATES,), base_url: Path = TEMPLATES,
                page_words: dict[str, str] | None = None) -> tuple[bytes, list[set[str]]]:
        documents.append((html, allowed, base_url))
        return b"", []

    # Every PDF is printed through render_pdf_pages (render_pdf calls it), which the renderers import when called.
    pdf_module.render_pdf_pages = capture
    env = make_environment()
    for pub in pubs:
        files = file_hashes(pub.folder)
        for b in pub.briefings:
            for fmt in FORMATS.values():
                if fmt.is_pdf and fmt.per == "audience":
                    fmt.make(env, pub, b, audience_version(files, b.audience))
    saved = [(html, [str(p) for p in allowed], str(base_url)) for html, allowed, base_url in documents]
    to.write_text(json.dumps({"briefings": len(pubs), "documents": saved}), encoding="utf-8")


def _time(documents_file: Path, part: str) -> None:
    """(In its own process.) Import WeasyPrint, then time plain renders (and our PDF/UA repair) of a share of the documents."""
    import hashlib

    started = time.perf_counter()
    from weasyprint import CSS, HTML

    imported = time.perf_counter() - started
    from briefings.render import pdf as pdf_module
    from briefings.render.environment import TEMPLATES
    from briefings.render.pdf_artifacts import artifact_untagged_content

    saved = json.loads(documents_file.read_text(encoding="utf-8"))
    index, count = (int(x) for x in part.split("/"))
    share = saved["documents"][index - 1::count]
    documents = [(html, tuple(Path(p) for p in allowed), Path(base)) for html, allowed, base in share]

    def plain(html: str, allowed: tuple[Path, ...], base_url: Path) -> bytes:
        """WeasyPrint as render_pdf calls it, without our shared fonts and without the PDF/UA repair."""
        fetcher = pdf_module._fetcher_class()(allowed)
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        paged = CSS(filename=str(TEMPLATES / "pdf.css"), url_fetcher=fetcher)
        return HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).write_pdf(
            stylesheets=[paged], pdf_variant="pdf/ua-1", pdf_identifier=identifier)

    plain(*documents[0])  # warm up: the floor counts warm renders
    renders, repairs = [], []
    for document in documents:
        started = time.perf_counter()
        data = plain(*document)
        middle = time.perf_counter()
        artifact_untagged_content(data)
        renders.append(middle - started)
        repairs.append(time.perf_counter() - middle)
    print(json.dumps({"briefings": saved["briefings"], "documents": len(saved["documents"]), "import": imported,
                      "renders": renders, "repairs": repairs}))


def synthetic_corpus(folder: Path, count: int) -> Path:
    """Copy the default briefing `count` times, each with its own slug."""
    corpus = folder / "corpus"
    for i in range(count):
        target = corpus / f"briefing-{i:03d}"
        shutil.copytree(DEFAULT, target)
        config = target / "briefing.yaml"
        text, found = re.subn(r"^slug:.*$", f"slug: briefing-{i:03d}", config.read_text(encoding="utf-8"), count=1, flags=re.M)
        assert found == 1, "briefing.yaml has no slug line"
        config.write_text(text, encoding="utf-8")
    return corpus


def measure(name: str, content: Path, work: Path, jobs: int, sample: int, import_s: float) -> dict:
    """Run every measurement on one content folder and print them."""
    out, stats = work / f"out-{name}", work / f"stats-{name}.json"
    print(f"\n== {name}: {content}", flush=True)
    cold, cold_stats = run_build(content, out, jobs, stats)
    noop_runs = [run_build(content, out, jobs, stats) for _ in range(3)]
    # A no-op that built files means the code or templates changed during the benchmark.
    noops, noop_built = [r[0] for r in noop_runs], [r[1]["built"] for r in noop_runs]
    briefing = sorted(p.parent for p in content.glob("**/briefing.yaml"))[0]
    audience = briefing / "audiences" / "survivors.yaml"
    audience.write_text(audience.read_text(encoding="utf-8") + "\n# edited by bench.py\n", encoding="utf-8")
    one, one_stats = run_build(content, out, jobs, stats)
    floor = floor_renders(content, sample, max(cold_stats["workers"], 1), work)
    briefings = len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["briefings"])
    scale = briefings / floor["briefings"]
    workers = max(cold_stats["workers"], 1)
    render_sum, repair_sum = sum(floor["renders"]) * scale, sum(floor["repairs"]) * scale
    floor_s = import_s + render_sum / workers
    floor_repair_s = import_s + (render_sum + repair_sum) / workers
    # WeasyPrint alone in `workers` processes at once, on this machine as loaded as it is now.
    parallel_s = max(p["import"] + sum(p["renders"]) * scale for p in floor["parallel"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sizes: dict[str, list[int]] = {}
    for b in manifest["briefings"]:
        for o in b["outputs"]:
            if o["path"].endswith(".pdf"):
                sizes.setdefault(o["format"], []).append((out / o["path"]).stat().st_size)
    figures = {
        "briefings": briefings,
        "files": cold_stats["built"],
        "pdfs": sum(len(v) for v in sizes.values()),
        "workers": workers,
        "cold_s": cold,
        "floor_s": floor_s,
        "floor_with_repair_s": floor_repair_s,
        "parallel_floor_s": parallel_s,
        "noop_s": statistics.median(noops),
        "one_audience_s": one,
        "one_audience_built": one_stats["built"],
        "worker_peak_rss_mb": max(cold_stats["worker_peak_rss_mb"] or [0]),
        "sizes_kb": {f: (min(v) // 1024, round(statistics.median(v) / 1024), max(v) // 1024) for f, v in sizes.items()},
        "floor_sampled": f"{floor['briefings']} of {briefings} briefings ({floor['documents']} documents)",
    }
    print(f"briefings {briefings}, files built cold {figures['files']} ({figures['pdfs']} PDFs), workers {workers}")
    print(f"floor: import weasyprint {import_s:.2f} s + warm renders {render_sum:.1f} s / {workers} = {floor_s:.1f} s"
          f"  (timed on {figures['floor_sampled']}; PDF/UA repair adds {repair_sum:.1f} s of work)")
    print(f"cold build {cold:.1f} s = {cold / floor_s:.2f} x floor ({cold / floor_repair_s:.2f} x floor counting the repair)")
    print(f"WeasyPrint alone in {workers} processes at once, measured now: {parallel_s:.1f} s;"
          f" cold build = {cold / parallel_s:.2f} x that")
    print(f"no-op rebuild {figures['noop_s']:.2f} s (runs: {', '.join(f'{s:.2f}' for s in noops)};"
          f" files rebuilt: {', '.join(str(n) for n in noop_built)})")
    print(f"one audience edited: {one:.1f} s, {one_stats['built']} file(s) rebuilt, {one_stats['skipped']} skipped")
    print(f"peak RSS per worker {figures['worker_peak_rss_mb']:.0f} MB (all: {cold_stats['worker_peak_rss_mb']})")
    for fmt, (low, mid, high) in figures["sizes_kb"].items():
        print(f"PDF sizes, {fmt}: {low}-{high} KB (median {mid} KB)")
    return figures


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--briefings", type=int, default=50, help="size of the synthetic corpus (0 to skip it)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    p.add_argument("--sample", type=int, default=5, help="corpus briefings whose documents are timed for the floor")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--capture", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--to", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--time", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--part", default="1/1", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.capture:
        _capture(args.capture, args.sample, args.to)
        return
    if args.time:
        _time(args.time, args.part)
        return
    from briefings.build.workers import available_cores

    jobs = args.jobs or available_cores()
    print(f"bench: {available_cores()} core(s), --jobs {jobs}, Python {sys.version.split()[0]}, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    import_s = import_time()
    print(f"import weasyprint (fresh process, median of 3): {import_s:.2f} s", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="briefings-bench-") as tmp:
        work = Path(tmp)
        default = work / "default" / "operation-amazon"
        shutil.copytree(DEFAULT, default)
        results["default"] = measure("default content", default.parent, work, jobs, 1000, import_s)
        if args.briefings:
            corpus = synthetic_corpus(work, args.briefings)
            results["corpus"] = measure(f"synthetic corpus of {args.briefings}", corpus, work, jobs, args.sample, import_s)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
