"""Write files atomically, and the bytes of the JSON files we publish."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

# Why a write fails when the machine, not the tool, is at fault: a disk or quota full, a read-only file
# system or folder, no permission, an I/O error, too many files open, a file or name too large.
ENVIRONMENT_ERRNOS = frozenset({
    errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG,
    errno.EMFILE, errno.ENFILE, errno.EMLINK, errno.EXDEV, errno.ENAMETOOLONG, errno.ENOMEM,
})


def is_environmental(err: BaseException) -> bool:
    """Whether an error comes from the machine (a full disk, a read-only folder…) rather than from a bug in the tool."""
    return isinstance(err, OSError) and err.errno in ENVIRONMENT_ERRNOS


class OutputUnwritable(Exception):
    """The machine refused a write of the build (see ENVIRONMENT_ERRNOS); says whether the new site was published first."""

    def __init__(self, error: OSError, published: bool) -> None:
        after = ("the new site was published, but the next build cannot tell what is current and makes everything again"
                 if published else "nothing was published: the output folder is as it was")
        where = error.filename if error.filename is not None else "the output"
        super().__init__(f"cannot write {where}: {error.strerror} ({after})")
        self.error, self.published = error, published


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


def json_bytes(data: Any) -> bytes:
    """JSON the way every file we publish is written: indented, UTF-8, ending in a newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, data: Any) -> bytes:
    """Write JSON as `json_bytes` makes it, atomically; return its bytes."""
    text = json_bytes(data)
    write_atomic(path, text)
    return text
