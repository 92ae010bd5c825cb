"""Writing results: atomic files and a manifest that says exactly what produced them.

Every file is written to a temporary name in the same folder and moved into place with
``os.replace`` (atomic on POSIX), so a crash never leaves a half-written file. The manifest is
written last: a run folder with a manifest is complete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .config import SimConfig

PACKAGES = ("mesa", "simpy", "numpy", "pandas", "scipy", "pyarrow", "hydra-core", "omegaconf", "matplotlib")
REPO_ROOT = Path(__file__).resolve().parent.parent


def config_dict(cfg: SimConfig) -> dict[str, Any]:
    return dataclasses.asdict(cfg)


def config_hash(cfg: SimConfig) -> str:
    """SHA-256 of the canonical JSON of the resolved config (identifies a sweep cell)."""
    canonical = json.dumps(config_dict(cfg), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> dict[str, Any]:
    """The commit of the code that ran, and whether the work tree had uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=10)
        if head.returncode == 0:
            return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        pass
    return {"commit": "unknown", "dirty": None}


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it into place: a reader never
    sees a half-written file, and a failed write leaves nothing behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path: Path, obj: Any) -> None:
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, indent=2, sort_keys=True, default=str)
            fh.write("\n")
    atomic_write(Path(path), write)


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    atomic_write(Path(path), lambda tmp: df.to_parquet(tmp, index=False))


def write_text(path: Path, text: str) -> None:
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
    atomic_write(Path(path), write)
