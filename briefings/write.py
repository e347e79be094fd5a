"""Write outputs atomically and describe them in manifest.json."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once: mkstemp's private 0600 mode is wrong for files meant to be published


@dataclass
class Output:
    """One file the build made."""

    audience: str
    format: str
    path: str
    data: bytes
    readability: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def manifest(briefings: list[tuple[str, str, list[Output]]]) -> dict[str, Any]:
    """Build the manifest: stable keys that later features and other tools read."""
    return {
        "briefings": [
            {
                "slug": slug,
                "title": title,
                "outputs": [
                    {"audience": o.audience, "format": o.format, "path": o.path, "sha256": o.sha256, "readability": o.readability}
                    for o in outputs
                ],
            }
            for slug, title, outputs in briefings
        ]
    }


def write_site(out: Path, briefings: list[tuple[str, str, list[Output]]], extra: dict[str, bytes]) -> None:
    """Write every output, then extra files (report), then the manifest last."""
    for _, _, outputs in briefings:
        for o in outputs:
            write_atomic(out / o.path, o.data)
    for name, data in extra.items():
        write_atomic(out / name, data)
    text = json.dumps(manifest(briefings), indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / "manifest.json", text.encode("utf-8"))
