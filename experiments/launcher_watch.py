"""Workers stop when their launcher dies: a killed sweep must not leave processes computing cells.

``kill -9`` of the launcher left the joblib (loky) workers running, re-parented to PID 1: they went on taking
the jobs already queued for ten minutes and more, and a re-run computed the same cells again meanwhile. The
launcher puts its pid in the environment (:data:`LAUNCHER_ENV`, inherited by the workers it starts); a job
that runs in another process on the same host starts, once per process, a daemon thread that ends the
process as soon as the launcher is gone: for a direct child (joblib/loky, submitit's local executor) when
its parent changes, otherwise (a local Ray instance) when the launcher's pid no longer exists. A job that
finds its launcher already gone does not start at all. Jobs on other hosts (a Ray cluster, Slurm) are left
to their scheduler.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time

LAUNCHER_ENV = "CHRONIC_CARE_SWEEP_LAUNCHER"   # "<pid>@<host>" of the process that launched the jobs
POLL_SECONDS = 0.2
_watching = False


def launcher_environment() -> dict[str, str]:
    return {LAUNCHER_ENV: f"{os.getpid()}@{socket.gethostname()}"}


def _launcher() -> int | None:
    value = os.environ.get(LAUNCHER_ENV, "")
    pid, _, host = value.partition("@")
    if not pid.isdigit() or host != socket.gethostname() or int(pid) == os.getpid():
        return None   # no launcher recorded, another host's, or this process is the launcher (basic launcher)
    return int(pid)


def _gone(launcher: int, direct_child: bool) -> bool:
    if direct_child:
        return os.getppid() != launcher
    try:
        os.kill(launcher, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _stop(launcher: int) -> None:
    print(f"sweep worker {os.getpid()}: its launcher (pid {launcher}) has ended; stopping", file=sys.stderr, flush=True)
    os._exit(3)   # immediately: a half-written cell has no manifest and is computed again by the next run


def watch_launcher() -> None:
    """Call at the start of every job: stop now if the launcher is gone, else watch it (once per process)."""
    global _watching
    launcher = _launcher()
    if launcher is None or _watching:
        return
    direct_child = os.getppid() == launcher
    if _gone(launcher, direct_child=False) or (not direct_child and os.getppid() == 1):
        _stop(launcher)

    def watch() -> None:
        while not _gone(launcher, direct_child):
            time.sleep(POLL_SECONDS)
        _stop(launcher)

    threading.Thread(target=watch, name="launcher-watch", daemon=True).start()
    _watching = True
