"""Publish an output folder all-or-nothing: a reader sees the old site or the new one, never a mix.

A build never writes inside the published folder. It fills a staging folder beside it
(`.site.briefings-next-<pid>-<random>/` for `site/`): the new and changed files first, then hard
links to every file of the published folder that this build keeps (unchanged outputs, and any
file that is not ours), so unchanged files cost no copying. Then one atomic step switches the
two folders: `renameat2(RENAME_EXCHANGE)` on Linux. What was published is now in the staging
folder's place, and is deleted.

Where the file system cannot exchange two folders, the switch is two renames with a journal:
the published folder is renamed to `.site.briefings-old/`, then the staging folder to `site/`.
The next build (under the output lock) completes what a killed one left: it puts the old folder
back if the new one never arrived, and deletes staging and old folders either way.

Fault injection, for tests only: with `BRIEFINGS_FAULT=<step>` in the environment the process
dies at that named step (`os._exit`, as a `kill -9` would leave it), so a test can stop a build
at every step of the switch without timing anything.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

from briefings.build.lock import OutputLocked

# The files a build or a merge writes for the whole folder, beside the outputs.
MANIFEST, REPORT, INDEX = "manifest.json", "build-report.txt", "index.html"
REPORT_JSON, REPORT_PAGE = "build-report.json", "report.html"  # the report as data, and as a page to read
# What every index.html the tool renders carries (templates/index.html.j2): known as the tool's even
# when no cache lists it (the cache deleted to build everything again, or from a version that did not).
GENERATOR = b'<meta name="generator" content="briefings">'

FAULT_ENV = "BRIEFINGS_FAULT"
FAULT_EXIT = 70
# The steps of a publication at which a test can stop the process (see `fault`).
STEPS = ("staged", "carried", "before-switch", "switched", "old-removed")

# A published path is relative, in plain path characters, with no empty, "." or ".." parts, so it
# can never leave the output folder and never reads as a URL with a scheme ("javascript:…").
_SAFE_PART = r"[A-Za-z0-9_][A-Za-z0-9._-]*"
SAFE_PATH = re.compile(rf"^{_SAFE_PART}(/{_SAFE_PART})*$")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class UnsafePath(ValueError):
    """A path that would leave its folder, go through a link, or read as a URL."""


class NotOurs(OutputLocked):
    """A file where the tool writes, that the tool did not write: a publisher's own index.html. Like a held lock, it
    keeps the build out of the folder (exit 2; serve waits until it is moved)."""


def check_index_is_ours(out: Path, sha256: str | None) -> None:
    """Refuse to replace out/index.html unless the tool wrote it: it has the bytes the cache lists (sha256), or it
    carries GENERATOR (a build killed before it saved its cache, a cache deleted). Raise NotOurs, saying what to do."""
    from briefings.build.write import file_sha256

    path = out / INDEX
    if not os.path.lexists(path):
        return
    ours = False
    if not path.is_symlink() and path.is_file():
        with path.open("rb") as handle:
            ours = GENERATOR in handle.read(4096) or (sha256 is not None and file_sha256(path) == sha256)
    if not ours:
        raise NotOurs(f"{out}/{INDEX} is not one this tool wrote (your own page?): move it out of the output folder, "
                      f"or delete it, and build again; the tool writes its own {INDEX} there")


def fault(step: str) -> None:
    """Die here, as a killed process would, when the environment names this step (tests only)."""
    if os.environ.get(FAULT_ENV) == step:
        os._exit(FAULT_EXIT)


def is_safe_path(path: object) -> bool:
    """Whether `path` is a relative output path that stays inside its folder and reads as no URL."""
    return isinstance(path, str) and bool(SAFE_PATH.match(path)) and not any(part in (".", "..") for part in path.split("/"))


def check_path(path: object) -> str:
    """Return `path` if it is a safe relative output path; raise UnsafePath otherwise."""
    if not is_safe_path(path):
        raise UnsafePath(f"{path!r} is not a relative path inside the output folder (letters, digits, '.', '_', '-' and '/')")
    return path


def no_link_on_the_way(root: Path, path: str) -> Path:
    """Return root/path, refusing a symbolic link at any step below `root` (the last step included)."""
    here = root
    for part in check_path(path).split("/"):
        here = here / part
        if here.is_symlink():
            raise UnsafePath(f"{path!r} goes through a symbolic link ({here})")
    return here


def sibling(out: Path, suffix: str) -> Path:
    """A hidden path beside the output folder: `.site<suffix>` for `site/`."""
    return out.parent / f".{out.name}{suffix}"


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); OSError where that cannot be done."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise OSError(errno.ENOSYS, "renameat2 is not available") from None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new(path: Path, data: bytes) -> None:
    """Write a new file (never through an existing one: a hard link's other names keep their bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any file
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


class Staging:
    """The next version of an output folder, built beside it and switched in with `publish`."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.old = sibling(self.out, ".briefings-old")
        self.path: Path | None = None

    @property
    def prefix(self) -> str:
        return f".{self.out.name}.briefings-next-"

    def recover(self) -> list[Path]:
        """Finish what a killed build left beside the output folder; return what was cleaned up."""
        cleaned = []
        if self.old.exists() and not self.out.exists():
            os.rename(self.old, self.out)  # killed between the two renames: the old site goes back
        if self.old.exists():
            shutil.rmtree(self.old)
            cleaned.append(self.old)
        if self.out.parent.is_dir():
            for entry in self.out.parent.iterdir():
                if entry.name.startswith(self.prefix) and entry != self.path:
                    shutil.rmtree(entry, ignore_errors=True)
                    cleaned.append(entry)
                elif entry.name.startswith(f".{self.out.name}.briefings-") and entry.name.endswith(".tmp"):
                    entry.unlink(missing_ok=True)  # a cache file half-written (briefings.build.write.write_temp)
                    cleaned.append(entry)
        for name in (MANIFEST, REPORT, REPORT_JSON):  # rewritten in place by a build that changed nothing
            for entry in self.out.glob(f".{name}.*.tmp"):
                entry.unlink(missing_ok=True)
                cleaned.append(entry)
        return cleaned

    def begin(self) -> Path:
        """Make an empty staging folder (call under the output lock); return it."""
        self.recover()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        path = self.out.parent / f"{self.prefix}{os.getpid()}-{secrets.token_hex(4)}"
        os.mkdir(path, 0o777)
        if self.out.is_dir():
            os.chmod(path, stat.S_IMODE(self.out.stat().st_mode))
        self.path = path
        return path

    def target(self, path: str) -> Path:
        """Where the output `path` (relative to the output folder) is written in the staging folder."""
        assert self.path is not None, "begin() first"
        return no_link_on_the_way(self.path, path)

    def write(self, path: str, data: bytes) -> Path:
        target = self.target(path)
        write_new(target, data)
        return target

    def carry_over(self, drop: set[str]) -> None:
        """Hard-link into staging every file of the published folder that staging lacks, except `drop`.

        A folder left empty only because its files were dropped goes too (a translation no longer
        published leaves no empty <slug>/<lang>/); a folder of your own that was empty stays.
        """
        assert self.path is not None, "begin() first"
        if not self.out.is_dir():
            return
        emptied: list[Path] = []
        for root, dirs, files in os.walk(self.out):
            here = Path(root)
            rel = here.relative_to(self.out)
            into = self.path / rel
            if rel.parts:
                if into.is_symlink() or (into.exists() and not into.is_dir()):
                    dirs[:] = []  # this build made a file where the old site had a folder
                    continue
                into.mkdir(exist_ok=True)
                os.chmod(into, stat.S_IMODE(here.stat().st_mode))
            for name in files + [d for d in dirs if (here / d).is_symlink()]:
                source, target = here / name, into / name
                if (rel / name).as_posix() in drop:
                    emptied.append(into)
                    continue
                if target.exists() or target.is_symlink():
                    continue
                if source.is_symlink():
                    os.symlink(os.readlink(source), target)
                else:
                    os.link(source, target)
            dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for folder in sorted(set(emptied), key=lambda f: -len(f.parts)):
            while folder != self.path and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def publish(self) -> None:
        """Switch the staging folder in for the published one in one step, then delete the old version."""
        assert self.path is not None, "begin() first"
        staged, self.path = self.path, None
        fault("before-switch")
        if not self.out.exists():  # the first publication: nothing to switch with
            os.rename(staged, self.out)
            _fsync_dir(self.out.parent)
            return
        else:
            try:
                _exchange(staged, self.out)
            except OSError as err:
                if err.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
                    raise
                os.rename(self.out, self.old)  # the journal: recover() puts it back if we die now
                fault("switched")
                os.rename(staged, self.out)
                staged = self.old
        _fsync_dir(self.out.parent)
        fault("switched")
        shutil.rmtree(staged)
        fault("old-removed")

    def discard(self) -> None:
        """Delete the staging folder: nothing of this build is published."""
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
