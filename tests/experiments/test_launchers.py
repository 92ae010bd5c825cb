"""The same sweep on every launcher gives identical tables (issue 6: determinism across launchers).

The reference is the basic launcher (every job in this process); joblib is compared in test_sweep.py. Ray
(a local instance the launcher starts, and an existing cluster it joins) and submitit's local executor
need the optional extras ``[ray]`` and ``[slurm]`` (both in ``[dev]``, so ``make test`` has them); without
them these tests are skipped and say which extra to install. Each starts its engine (Ray about 5-10 s), so
they are marked slow.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from processes import descendants, listening_addresses, loopback
from sweeping import (BASIC, RAY_CLUSTER, RAY_LOCAL, SLURM, SUBMITIT_LOCAL, TINY, args_of, cli_env, manifests,
                      run_cli, run_in_process, tables)


def needs(module: str, extra: str):
    return pytest.importorskip(module, reason=f"the {extra} extra is not installed: pip install '.[{extra}]'")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("basic")
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert run_in_process(args_of(BASIC) + TINY, monkeypatch, cwd) == 0
    return tables(cwd / "sweeps" / "smoke")


def assert_same_tables(sweep_dir: Path, reference) -> None:
    kpis, series, meta = tables(sweep_dir)
    reference_kpis, reference_series, reference_meta = reference
    pd.testing.assert_frame_equal(kpis, reference_kpis)
    pd.testing.assert_frame_equal(series, reference_series)
    assert meta["failed"] == [] and [c["cell"] for c in meta["cells"]] == [c["cell"] for c in reference_meta["cells"]]


@pytest.mark.slow
@pytest.mark.long
def test_ray_launcher_on_a_local_ray_instance_gives_identical_tables(reference, tmp_path):
    """...and the local instance listens on the loopback interface only (its processes are polled while the
    sweep runs: Ray's GCS, raylet, workers and agents listened on all interfaces before)."""
    needs("hydra_plugins.hydra_ray_launcher", "ray")
    with open(tmp_path / "out.txt", "w") as out:
        sweep = subprocess.Popen([sys.executable, "-m", "experiments.sweep", *args_of(RAY_LOCAL), *TINY], cwd=tmp_path,
                                 env=cli_env(), stdout=out, stderr=subprocess.STDOUT, text=True)
        addresses: set[str] = set()
        deadline = time.monotonic() + 600
        while sweep.poll() is None and time.monotonic() < deadline:
            addresses |= listening_addresses(descendants(sweep.pid) | {sweep.pid})
            time.sleep(0.5)
        if sweep.poll() is None:
            sweep.kill()
        sweep.wait()
    output = (tmp_path / "out.txt").read_text()
    assert sweep.returncode == 0, output[-3000:]
    assert "Started a local Ray instance" in output
    assert addresses, "no listening socket of the Ray instance was seen"
    assert all(loopback(a) for a in addresses), f"the local Ray instance listened beyond loopback: {sorted(addresses)}"
    assert_same_tables(tmp_path / "sweeps" / "smoke", reference)


@pytest.fixture
def ray_head(tmp_path):
    """An existing Ray cluster (one head node, 2 CPUs) the sweep can join, as ``ray start --head`` gives on a
    real cluster; with its own authentication token (Ray >= 2.59 requires one), passed to the sweep the way
    every node of a cluster gets it (RAY_AUTH_MODE=token, RAY_AUTH_TOKEN). Stopped by closing its stdin
    (ray.shutdown at exit stops every process it started)."""
    env = cli_env(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32))
    script = ("import sys, ray; ray.init(num_cpus=2, include_dashboard=False); "
              "print(ray.get_runtime_context().gcs_address, flush=True); sys.stdin.read()")
    with open(tmp_path / "head.log", "w") as log:
        head = subprocess.Popen([sys.executable, "-c", script], env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            address = head.stdout.readline().strip()
            assert address, (tmp_path / "head.log").read_text()[-2000:]
            yield address, env
        finally:
            head.stdin.close()
            try:
                head.wait(timeout=60)
            except subprocess.TimeoutExpired:
                head.kill()
                head.wait()


@pytest.mark.slow
@pytest.mark.long
def test_ray_launcher_joins_an_existing_ray_cluster_and_gives_identical_tables(reference, ray_head, tmp_path):
    needs("hydra_plugins.hydra_ray_launcher", "ray")
    address, env = ray_head
    args = [a.replace("HEAD:6379", address) for a in args_of(RAY_CLUSTER)] + TINY
    done = run_cli(args, tmp_path, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Connecting to existing Ray cluster at address: {address}" in done.stdout + done.stderr
    assert_same_tables(tmp_path / "sweeps" / "smoke", reference)


@pytest.mark.slow
@pytest.mark.long
def test_submitit_local_executor_gives_identical_tables(reference, tmp_path):
    needs("hydra_plugins.hydra_submitit_launcher", "slurm")
    done = run_cli(args_of(SUBMITIT_LOCAL) + TINY, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    sweep_dir = tmp_path / "sweeps" / "smoke"
    assert list((sweep_dir / ".submitit").iterdir()), "submitit kept no job folders"
    # one process per job, none of them this one
    assert len({m["pid"] for m in manifests(sweep_dir).values()}) == 4
    assert_same_tables(sweep_dir, reference)


def test_slurm_preset_composes_a_submitit_slurm_launcher():
    # No Slurm here: check that the README's Slurm command composes into submitit's Slurm launcher with the
    # preset's resources and the partition given on the command line (submitting needs sbatch).
    needs("hydra_plugins.hydra_submitit_launcher", "slurm")
    from hydra import compose, initialize_config_dir

    import experiments.sweep  # noqa: F401 - registers the sweep schema
    from sim.hydra_app import CONFIG_DIR

    overrides = [a.replace("PARTITION", "short") for a in args_of(SLURM) if a != "-m"]
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="sweep", overrides=overrides, return_hydra_config=True)
    launcher = cfg.hydra.launcher
    assert launcher._target_ == "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"
    assert (launcher.partition, launcher.cpus_per_task, launcher.timeout_min, launcher.array_parallelism) == ("short", 1, 120, 64)
