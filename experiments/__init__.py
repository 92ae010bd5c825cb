"""Experiments and tools built on the simulator (benchmarks, sweeps)."""
