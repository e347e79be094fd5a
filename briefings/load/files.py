"""Read a content file only when it is an ordinary file inside its briefing folder, and not too large.

A briefing folder is the trust boundary: a file in it that is a symbolic link leading out of it
(to someone's SSH keys, /etc/shadow, another project's content) is refused unread, as a source
text outside the folder is. Anything that is not a regular file is refused by its type before it
is read: a named pipe would block the build forever, a device such as /dev/zero never ends.
The type is checked with stat before opening, and again on the open file (opened non-blocking,
so that a pipe swapped in between cannot block), so a race cannot slip one past.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_YAML_BYTES = 2 * 1024 * 1024  # far beyond any real content file; stops runaway input early


class Refused(Exception):
    """A content file that is not read: the message says why, in words for the editor."""


def kind_of(mode: int) -> str:
    """Name what a file that is not a regular file is, for a message."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every link on the way followed, is inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def read_inside(path: Path, folder: Path, limit: int) -> bytes:
    """Return the bytes of `path`, a regular file inside `folder` of at most `limit` bytes; raise Refused otherwise."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise Refused("file is a link to a file outside the briefing folder")
    try:
        before = os.stat(resolved)
        if not stat.S_ISREG(before.st_mode):
            raise Refused(f"not a regular file ({kind_of(before.st_mode)})")
        fd = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise Refused("file not found (a link that leads nowhere?)") from None
    except OSError as err:
        raise Refused(f"cannot read file: {err.strerror}") from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode):
            raise Refused(f"not a regular file ({kind_of(now.st_mode)})")
        if now.st_size > limit:
            raise Refused(f"file is too large ({now.st_size:,} bytes; the limit is {limit:,})")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # it grew while we read it
                raise Refused(f"file is too large (over {limit:,} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as err:
        raise Refused(f"cannot read file: {err.strerror}") from None
    finally:
        os.close(fd)


def describe_special(path: Path, folder: Path) -> str | None:
    """For hashing a folder: a stand-in for a file that must not be read (a link out of the folder, not a regular file), else None."""
    try:
        info = os.stat(path)
    except OSError as err:
        return f"unreadable:{err.errno}"
    if path.is_symlink() and not inside(path, folder):
        return f"outside:{os.readlink(path)}"
    if not stat.S_ISREG(info.st_mode):
        return f"special:{stat.S_IFMT(info.st_mode):o}"
    return None
