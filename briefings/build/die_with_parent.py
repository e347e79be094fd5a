"""Make the PDF fork server and its workers die with the build that started them (Linux).

A killed build (kill -9, the OOM killer, a closed terminal) used to leave its fork server and
every worker running, about 100 MB each: multiprocessing keeps a fork server alive while any
process it forked lives, and an idle worker waits on its job queue for ever. The kernel can
instead send a process a signal when its parent dies (prctl PR_SET_PDEATHSIG):

- the fork server asks for SIGKILL when the build dies: it imports this module first of its
  preloads, when the build has put its own pid in BRIEFINGS_POOL_PARENT (see
  briefings.build.workers.WorkerPool.start, which starts the fork server from its own thread:
  the kernel watches the thread that started a process, not the whole process);
- each worker asks for SIGKILL when the fork server, its parent, dies (`die_with_parent` in the
  worker initializer).

So the build's death kills the fork server, and that kills the workers. Either asks only after
it has started, so each checks that its parent is still the one it should be, and leaves at
once if that parent is gone already.
"""

from __future__ import annotations

import ctypes
import os
import signal

PARENT_ENV = "BRIEFINGS_POOL_PARENT"
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> bool:
    """Have the kernel kill this process when its parent dies; exit now if the parent is no longer `parent`.

    Returns False where the kernel offers no such thing (not Linux): the process then lives as before.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return False
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # it died before we asked: nothing would tell us now
        os._exit(1)
    return True


# This module's import is the fork server's first preload; the workers it forks inherit it imported.
FORK_SERVER = os.getpid()
if os.environ.get(PARENT_ENV, "").isdigit() and int(os.environ[PARENT_ENV]) != os.getpid():
    die_with_parent(int(os.environ[PARENT_ENV]))
