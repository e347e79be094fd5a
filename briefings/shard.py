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

from briefings.write import file_sha256, write_atomic, write_json

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
        match = _SLUG_LINE.search((folder / "briefing.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        match = None
    return match[1] if match else folder.name


class MergeError(Exception):
    """The shards cannot be merged; the message says why."""


def merge(shards: list[Path], out: Path) -> dict[str, Any]:
    """Copy the shards' outputs into `out` and write one manifest.json and build-report.txt for them all."""
    briefings: list[dict[str, Any]] = []
    reports: list[str] = []
    seen: dict[str, Path] = {}
    counts: set[int] = set()
    indexes: list[int] = []
    for folder in shards:
        try:
            data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise MergeError(f"{folder}/manifest.json: cannot read it ({err})") from err
        shard = data.get("shard")
        if shard:
            counts.add(shard["count"])
            indexes.append(shard["index"])
        for briefing in data["briefings"]:
            if briefing["slug"] in seen:
                raise MergeError(f"briefing '{briefing['slug']}' is in both {seen[briefing['slug']]} and {folder}")
            seen[briefing["slug"]] = folder
            for o in briefing["outputs"]:
                source = folder / o["path"]
                if file_sha256(source) != o["sha256"]:
                    raise MergeError(f"{source}: missing, or changed since its shard was built (sha256 differs)")
                target = out / o["path"]
                if target.resolve() != source.resolve():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    tmp = target.with_name(f".{target.name}.merge.tmp")
                    shutil.copyfile(source, tmp)
                    tmp.replace(target)
            briefings.append(briefing)
        report = folder / "build-report.txt"
        if report.is_file():
            reports.append(report.read_text(encoding="utf-8"))
    if len(counts) > 1:
        raise MergeError(f"the shards come from different splits ({', '.join(f'n={c}' for c in sorted(counts))})")
    if counts and sorted(indexes) != list(range(1, counts.pop() + 1)):
        raise MergeError(f"shards {', '.join(map(str, sorted(indexes)))} given: each shard of the split is needed once")
    merged = {"briefings": sorted(briefings, key=lambda b: b["slug"])}
    write_atomic(out / "build-report.txt", "\n".join(reports).encode("utf-8"))
    write_json(out / "manifest.json", merged)
    return merged
