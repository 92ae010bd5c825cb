"""One sweep per folder at a time: ``<sweep dir>/sweep.lock`` names the sweep that holds the folder.

Two sweeps writing one folder overwrote each other's plan and tables, and computed every cell twice. The
launcher therefore takes the folder's lock after it has validated every job and before it writes anything
(``plan.json``), and holds it until its tables are written; ``python -m experiments.sweep --aggregate``
takes it too. A second sweep is refused with the holder's pid, host, start time and command.

The lock is an exclusive ``flock`` on the file, which the operating system releases when its process ends,
however it ends (SIGKILL included), so a lock left by a killed sweep is stale by construction: the next sweep
takes it over and says so. The file holds the owner's pid, host, start and command for the messages; on
file systems without ``flock`` (some network mounts) the pid is checked instead, on the same host.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

LOCK = "sweep.lock"


class SweepFolderBusy(RuntimeError):
    """Another live sweep holds the folder."""


def _describe(owner: dict[str, Any]) -> str:
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(owner.get("started", 0)))
    command = " ".join(owner.get("command", [])) or "unknown command"
    return f"pid {owner.get('pid', '?')} on {owner.get('host', '?')}, started {started} ({command})"


def _read(path: Path) -> dict[str, Any]:
    try:
        owner = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def _alive(owner: dict[str, Any]) -> bool:
    """Whether the recorded owner still runs (only knowable on its own host; an empty record is stale)."""
    if not owner.get("pid"):
        return False
    if owner.get("host") != socket.gethostname():
        return True
    try:
        os.kill(int(owner.get("pid", -1)), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError, TypeError):
        return True
    return True


class SweepLock:
    """The held lock of one sweep folder; :meth:`release` (or the end of the process) gives it up."""

    def __init__(self, sweep_dir: Path, fd: int, path: Path):
        self.sweep_dir, self.fd, self.path = Path(sweep_dir), fd, path

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            self.path.unlink(missing_ok=True)   # while still held, so no other sweep can take a lock on it meanwhile
        finally:
            os.close(self.fd)
            self.fd = -1


def acquire(sweep_dir: Path) -> SweepLock:
    """Take the folder's lock or raise :class:`SweepFolderBusy` naming the sweep that holds it."""
    sweep_dir = Path(sweep_dir)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    path = sweep_dir / LOCK
    for _ in range(10):   # the holder may remove the file between our open and our lock: try again
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise SweepFolderBusy(_busy(sweep_dir, _read(path))) from None
            return _by_pid(sweep_dir, path)   # no flock on this file system
        if os.path.exists(path) and os.stat(path).st_ino == os.fstat(fd).st_ino:
            break
        os.close(fd)
    else:
        raise SweepFolderBusy(f"{sweep_dir}: could not take its lock ({path} keeps changing)")
    previous = _read(path)
    if previous.get("pid"):
        print(f"note: {sweep_dir}: the sweep that held this folder ({_describe(previous)}) ended without "
              "releasing it (killed?); taking it over", file=sys.stderr, flush=True)
    _write(fd)
    return SweepLock(sweep_dir, fd, path)


def _busy(sweep_dir: Path, owner: dict[str, Any]) -> str:
    return (f"{sweep_dir} is in use by another sweep ({_describe(owner)}): wait for it to finish, stop it "
            f"(kill {owner.get('pid', 'PID')}), or give this sweep another folder (sweep.name=... or hydra.sweep.dir=...)")


def _write(fd: int) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time(),
             "command": ["python -m experiments.sweep", *sys.argv[1:]]}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(owner).encode(), 0)
    os.fsync(fd)


def _by_pid(sweep_dir: Path, path: Path) -> SweepLock:
    """The fallback without flock: exclusive creation, a live recorded owner refuses, a dead one is stale."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _read(path)
            if _alive(owner):
                raise SweepFolderBusy(_busy(sweep_dir, owner)) from None
            print(f"note: {sweep_dir}: removing the stale lock of a sweep that no longer runs ({_describe(owner)})",
                  file=sys.stderr, flush=True)
            path.unlink(missing_ok=True)
            continue
        _write(fd)
        return SweepLock(sweep_dir, fd, path)
    raise SweepFolderBusy(f"{sweep_dir}: could not take its lock")


# The lock this process holds (the launcher's), released by ``python -m experiments.sweep`` when it ends.
HELD: SweepLock | None = None


def hold(sweep_dir: Path) -> None:
    """Take the folder's lock for this process, unless it holds it already."""
    global HELD
    if HELD is not None and HELD.fd >= 0 and HELD.sweep_dir.resolve() == Path(sweep_dir).resolve():
        return
    release_held()
    HELD = acquire(sweep_dir)


def release_held() -> None:
    global HELD
    if HELD is not None:
        HELD.release()
        HELD = None
