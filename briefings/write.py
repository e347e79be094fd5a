"""Write outputs atomically and describe them in manifest.json."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


def write_temp(path: Path, data: bytes) -> Path:
    """Write `data` to a hidden temporary file next to `path` and return it; `commit` renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any new file
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def commit(tmp: Path, path: Path) -> None:
    """Move a file made by `write_temp` over its target, atomically."""
    os.replace(tmp, path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over the target."""
    tmp = write_temp(path, data)
    try:
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def file_sha256(path: Path) -> str | None:
    """Return the sha256 of a file's bytes, or None when there is no such file."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


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


def json_bytes(data: Any) -> bytes:
    """JSON the way every file we publish is written: indented, UTF-8, ending in a newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, data: Any) -> bytes:
    """Write JSON as `json_bytes` makes it, atomically; return its bytes."""
    text = json_bytes(data)
    write_atomic(path, text)
    return text


def write_site(out: Path, briefings: list[tuple[str, str, list[Output]]], extra: dict[str, bytes]) -> None:
    """Write every output, then extra files (report), then the manifest last."""
    for _, _, outputs in briefings:
        for o in outputs:
            write_atomic(out / o.path, o.data)
    for name, data in extra.items():
        write_atomic(out / name, data)
    write_json(out / "manifest.json", manifest(briefings))
