"""Looking at processes from a test (Linux /proc): a sweep's descendants, whether they still live, and which
addresses they listen on. Used by the kill tests (no worker may outlive its launcher) and the local-Ray test
(nothing may listen beyond the loopback interface)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children, ...), now."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The pids that still run (zombies, waiting for their parent to reap them, do not count)."""
    living = set()
    for pid in pids:
        try:
            state = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def _listening_inodes() -> dict[str, str]:
    """socket inode -> local IP of every listening TCP socket."""
    out = {}
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != "0A":   # LISTEN
                continue
            raw = bytes.fromhex(fields[1].split(":")[0])
            # /proc/net prints each 32-bit word in host (little-endian) order
            words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            out[fields[9]] = str(ipaddress.ip_address(words))
    return out


def listening_addresses(pids: set[int]) -> set[str]:
    """The local IPs the given processes listen on (TCP)."""
    inodes = _listening_inodes()
    found = set()
    for pid in pids:
        try:
            fds = list((PROC / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(fd)
            except OSError:   # closed meanwhile
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                found.add(inodes[link[8:-1]])
    return found


def loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)
