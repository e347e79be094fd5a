"""One build at a time per output folder: an advisory lock beside the folder.

The lock file sits next to the output folder (`.site.briefings-lock` for `site/`), so a
build that fails its checks still leaves no trace inside the folder. The kernel drops an
flock when its process dies, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputLocked(Exception):
    """Another build is writing into the same output folder."""


def lock_path(out: Path) -> Path:
    """Where the lock for an output folder lives."""
    out = out.resolve()
    return out.parent / f".{out.name}.briefings-lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the duration; raise OutputLocked if it is taken."""
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputLocked(f"another build is writing to {out}/ (lock {path}); wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
