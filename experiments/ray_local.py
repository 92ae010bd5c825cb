"""A local Ray instance (``hydra/launcher=ray``) listens on the loopback interface only.

Ray's processes (GCS, raylet, object manager, workers, dashboard agent) listen on all interfaces by default,
so a sweep on a laptop opened ports to the whole network for its duration. Ray's single-machine mode, switched
on by its environment variable ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0`` (on Linux it is the only way: an
explicit ``_node_ip_address=127.0.0.1`` is resolved back to the host's address), makes the node's address
127.0.0.1 and every process binds there. The sweep sets it before Hydra starts the launcher, only when Ray
starts its own instance (``hydra/launcher=ray`` without an address); a cluster (``ray_cluster``, or an
address) needs its nodes reachable and is left alone (README, "Launchers").
"""

from __future__ import annotations

LOOPBACK_ONLY = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


def starts_local_ray(argv: list[str]) -> bool:
    """Does this sweep command start its own Ray instance?"""
    local = any(a.replace(" ", "") == "hydra/launcher=ray" for a in argv)
    address = [a.split("=", 1)[1] for a in argv if a.lstrip("+").startswith("hydra.launcher.ray.init.address=")]
    return local and all(value in ("null", "None", "") for value in address)


def ray_environment(argv: list[str]) -> dict[str, str]:
    """The environment the sweep adds for Ray: loopback only when it starts a local instance."""
    return dict(LOOPBACK_ONLY) if starts_local_ray(argv) else {}
