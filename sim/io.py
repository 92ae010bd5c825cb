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
from omegaconf import OmegaConf

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


def write_run(out_dir: Path, cfg: SimConfig, results: list, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write KPIs (JSON + Parquet), time series, event log and, last, the manifest."""
    from .outcomes import as_nested

    out_dir = Path(out_dir)
    kpis = pd.concat([r.tidy_kpis(cfg) for r in results], ignore_index=True)
    write_parquet(out_dir / "kpis.parquet", kpis)
    write_json(out_dir / "kpis.json", {
        "scenario": cfg.scenario.name, "seed": cfg.seed,
        "replications": {str(r.replication): as_nested(r.kpis) for r in results},
    })
    files = ["kpis.parquet", "kpis.json"]
    if cfg.run.timeseries:
        write_parquet(out_dir / "timeseries.parquet", pd.concat([r.timeseries for r in results], ignore_index=True))
        files.append("timeseries.parquet")
    logs = [r.event_log for r in results if r.event_log is not None]
    if logs:
        write_parquet(out_dir / "events.parquet", pd.concat(logs, ignore_index=True))
        files.append("events.parquet")
    write_text(out_dir / "config.yaml", OmegaConf.to_yaml(OmegaConf.structured(cfg)))
    files.append("config.yaml")
    manifest = {
        "config_hash": config_hash(cfg),
        "config": config_dict(cfg),
        "scenario": cfg.scenario.name,
        "seed": cfg.seed,
        "replications": [r.replication for r in results],
        "wall_seconds": [round(r.wall_seconds, 3) for r in results],
        "files": files,
        "versions": package_versions(),
        "git": git_commit(),
        **(extra or {}),
    }
    write_json(out_dir / "manifest.json", manifest)
    return manifest
