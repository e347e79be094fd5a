"""Split a large build across machines (`--shard k/n`) and merge the shards' output folders.

A briefing belongs to shard 1 + (sha256 of its slug) mod n: the same on every machine and
Python version, and independent of which other briefings exist, so adding a briefing never
moves another one. Two briefings with the same slug land in the same shard, so that shard
still reports the clash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings.build.publish import (
    INDEX,
    MANIFEST,
    REPORT,
    REPORT_JSON,
    REPORT_PAGE,
    Staging,
    UnsafePath,
    check_index_is_ours,
    is_safe_path,
    no_link_on_the_way,
)
from briefings.build.write import file_sha256, json_bytes

_SLUG_LINE = re.compile(r"^slug:[ \t]*['\"]?([^'\"#\s]+)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (both from 1)."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def has(self, slug: str) -> bool:
        return shard_of(slug, self.count) == self.index


def shard_of(slug: str, count: int) -> int:
    """Return the shard (1..count) a slug belongs to."""
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """Parse `k/n` for argparse."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(f"'{text}' is not k/n with 1 <= k <= n (for example 2/4)")
    return Shard(int(match[1]), int(match[2]))


def quick_slug(folder: Path) -> str:
    """Read a briefing's slug without parsing YAML; the folder's name when it cannot be found.

    Only used to pick a shard: a briefing whose slug is unreadable is still built (and its
    problems reported) by exactly one shard.
    """
    try:
        from briefings.load.files import MAX_YAML_BYTES, Refused, read_inside

        match = _SLUG_LINE.search(read_inside(folder / "briefing.yaml", folder, MAX_YAML_BYTES).decode("utf-8"))
    except (Refused, UnicodeDecodeError):
        match = None
    return match[1] if match else folder.name


class MergeError(Exception):
    """The shards cannot be merged; the message says why."""


def _shard_manifest(folder: Path) -> dict[str, Any]:
    """Read and check one shard's manifest: its slugs and paths are safe, and each path is in its briefing's folder."""
    where = f"{folder}/manifest.json"
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise MergeError(f"{where}: cannot read it ({err})") from err
    try:
        briefings = data["briefings"]
        assert isinstance(briefings, list)
        for briefing in briefings:
            slug = briefing["slug"]
            assert isinstance(slug, str) and is_safe_path(slug) and "/" not in slug
            for o in briefing["outputs"]:
                path = o["path"]
                if not is_safe_path(path) or not path.startswith(f"{slug}/"):
                    raise MergeError(f"{where}: output path {path!r} is not a plain path inside its briefing's folder '{slug}/'")
                assert isinstance(o["sha256"], str)
        shard = data.get("shard")
        assert shard is None or (isinstance(shard["index"], int) and isinstance(shard["count"], int))
    except (KeyError, TypeError, AssertionError) as err:
        raise MergeError(f"{where}: not a manifest written by a briefings build") from err
    return data


def merge(shards: list[Path], out: Path) -> dict[str, Any]:
    """Publish the shards' outputs into `out` with one manifest.json, build-report.txt, build-report.json, index.html
    and report.html for them all.

    Everything is staged beside `out` and switched in at once (briefings.build.publish): a merge
    that is refused, or fails half-way, leaves `out` exactly as it was. An index.html in `out`
    that the tool did not write (a publisher's own page) stops the merge before anything is
    staged (NotOurs, as for a build).
    """
    from briefings.render.index import render_index
    from briefings.render.report_page import render_report

    check_index_is_ours(out, None)  # a merge keeps no cache: the tool's own index.html carries its generator line
    staging = Staging(out)
    staging.begin()
    try:
        merged = _merge_into(shards, staging)
        staging.carry_over({MANIFEST, REPORT, INDEX, REPORT_JSON, REPORT_PAGE})
        staging.write(MANIFEST, json_bytes(merged["manifest"]))
        staging.write(REPORT, "\n".join(merged["reports"]).encode("utf-8"))
        staging.write(REPORT_JSON, json_bytes(merged["report"]))
        assert staging.path is not None
        staging.write(INDEX, render_index(merged["manifest"], staging.path))
        staging.write(REPORT_PAGE, render_report(merged["report"], merged["manifest"]))
        staging.publish()
    except BaseException:
        staging.discard()
        raise
    return merged["manifest"]


def _merge_into(shards: list[Path], staging: Staging) -> dict[str, Any]:
    """Copy every shard's outputs into the staging folder, checking each against its shard's manifest."""
    from briefings.check.report import report_json

    briefings: list[dict[str, Any]] = []
    reports: list[str] = []
    scored: list[dict[str, Any]] = []  # the briefings' entries in build-report.json
    seen: dict[str, Path] = {}
    counts: set[int] = set()
    indexes: list[int] = []
    for folder in shards:
        data = _shard_manifest(folder)
        shard = data.get("shard")
        if shard:
            counts.add(shard["count"])
            indexes.append(shard["index"])
        for briefing in data["briefings"]:
            if briefing["slug"] in seen:
                raise MergeError(f"briefing '{briefing['slug']}' is in both {seen[briefing['slug']]} and {folder}")
            seen[briefing["slug"]] = folder
            for o in briefing["outputs"]:
                try:
                    source = no_link_on_the_way(folder, o["path"])
                except UnsafePath as err:
                    raise MergeError(f"{folder}/manifest.json: {err}") from err
                if file_sha256(source) != o["sha256"]:
                    raise MergeError(f"{source}: missing, or changed since its shard was built (sha256 differs)")
                target = staging.target(o["path"])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            briefings.append(briefing)
        report = folder / REPORT
        if report.is_file() and not report.is_symlink():
            reports.append(report.read_text(encoding="utf-8"))
        scored.extend(_shard_report(folder, {b["slug"] for b in data["briefings"]}))
    if len(counts) > 1:
        raise MergeError(f"the shards come from different splits ({', '.join(f'n={c}' for c in sorted(counts))})")
    if counts and sorted(indexes) != list(range(1, counts.pop() + 1)):
        raise MergeError(f"shards {', '.join(map(str, sorted(indexes)))} given: each shard of the split is needed once")
    return {"manifest": {"briefings": sorted(briefings, key=lambda b: b["slug"])}, "reports": reports,
            "report": report_json(sorted(scored, key=lambda b: b["slug"]))}


def _shard_report(folder: Path, slugs: set[str]) -> list[dict[str, Any]]:
    """One shard's entries in build-report.json, for the briefings its manifest lists (none if it has no such file)."""
    from briefings.check.report import REPORT_FORMAT

    path = folder / REPORT_JSON
    if not path.is_file() or path.is_symlink():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["briefings"]
        assert data["format"] == REPORT_FORMAT and isinstance(entries, list)
        assert all(isinstance(b, dict) and isinstance(b["slug"], str) and isinstance(b["audiences"], list) for b in entries)
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as err:
        raise MergeError(f"{path}: not a build report written by this version of briefings") from err
    return [b for b in entries if b["slug"] in slugs]
