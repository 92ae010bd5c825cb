"""A Morris screening's results (``python -m experiments.sensitivity``): every run as one table with its design,
saved and loaded as Parquet, and their analysis: the screened outputs, mu, mu* and sigma per parameter and
output, and the noise level that says which effects stand out from the simulation's noise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import morris
from experiments.sensitivity_factors import Factor
from sim.io import write_parquet

KPIS = ("readmission_rate_30d", "bed_days_per_1000py", "cost_per_patient_year_dkk")
BASELINE = "baseline"


def outputs(scenario: str) -> list[tuple[str, str, str]]:
    """The screened outputs: (id, KPI, label). Differences are scenario minus usual care, replication by replication."""
    base = [(kpi, kpi, f"{kpi} (usual care)") for kpi in KPIS]
    diff = [(f"{kpi} difference", kpi, f"{kpi}: {scenario} - usual care") for kpi in KPIS]
    return base + diff


@dataclass
class Results:
    """Every run of a screening: one row per trajectory x point x scenario x replication x KPI, plus the design."""
    table: pd.DataFrame
    design: morris.Design
    factors: list[Factor]
    scenario: str
    replications: int
    years: float
    population: str
    seconds: float = float("nan")

    def save(self, path: Path) -> None:
        table = self.table.copy()
        table.attrs = {"points": self.design.points.tolist(), "moved": self.design.moved.tolist(),
                       "levels": self.design.levels, "factors": [asdict(f) for f in self.factors],
                       "scenario": self.scenario, "replications": self.replications, "years": self.years,
                       "population": self.population, "seconds": self.seconds}
        write_parquet(Path(path), table)

    @classmethod
    def load(cls, path: Path) -> Results:
        table = pd.read_parquet(path)
        meta = table.attrs
        if "points" not in meta:
            raise ValueError(f"{path} has no Morris design in its metadata: was it written with --save?")
        design = morris.Design(np.array(meta["points"], dtype=float), np.array(meta["moved"], dtype=int), int(meta["levels"]))
        return cls(table, design, [Factor(**f) for f in meta["factors"]], meta["scenario"], int(meta["replications"]),
                   float(meta["years"]), meta["population"], float(meta.get("seconds", float("nan"))))

    def outputs(self) -> list[tuple[str, str, str]]:
        """The screened outputs of this screening's scenario (see :func:`outputs`)."""
        return outputs(self.scenario)

    def output_values(self) -> dict[str, np.ndarray]:
        """Per output id: values at the design points, shape r x (k+1) x R (replications)."""
        r, n, _ = self.design.points.shape
        wide = self.table.pivot_table(index=["trajectory", "point", "replication"], columns=["scenario", "kpi"],
                                      values="value", aggfunc="first")
        out = {}
        for oid, kpi, _ in outputs(self.scenario):
            base = wide[(BASELINE, kpi)].to_numpy()
            value = wide[(self.scenario, kpi)].to_numpy() - base if oid.endswith("difference") else base
            out[oid] = value.reshape(r, n, self.replications)
        return out

    def summary(self) -> pd.DataFrame:
        """mu, mu*, sigma per factor and output, and the output's noise level (typical SE of one elementary effect)."""
        rows = []
        for oid, values in self.output_values().items():
            ee = morris.elementary_effects(self.design, values)          # r x k x R: per replication
            s = morris.screen(ee.mean(axis=2))                            # on the replication means
            r = self.design.trajectories
            noise = noise_level(ee)
            floor = morris.noise_floor(noise, r)
            for i, f in enumerate(self.factors):
                own = morris.noise_floor(noise_level(ee[:, i:i + 1]), r)  # steps of this factor only
                rows.append((oid, f.name, s.mu[i], s.mu_star[i], s.sigma[i], noise, floor, own,
                             bool(s.mu_star[i] > 0 and not own >= s.mu_star[i])))
        return pd.DataFrame(rows, columns=["output", "factor", "mu", "mu_star", "sigma", "noise", "noise_floor",
                                           "factor_noise_floor", "signal"])


def noise_level(per_replication_effects: np.ndarray) -> float:
    """Root mean square standard error of one elementary effect (r x k x R: effects per replication).

    Steps that leave the simulation unchanged (a unit cost for a count, a scenario parameter for usual
    care) give identical effects in every replication under common random numbers and are left out.
    NaN with a single replication (no spread to measure).
    """
    ee = np.asarray(per_replication_effects, dtype=float)
    if ee.shape[-1] < 2:
        return float("nan")
    se = ee.std(axis=-1, ddof=1) / np.sqrt(ee.shape[-1])
    spread = np.ptp(ee, axis=-1) > 1e-12 * np.maximum(1.0, np.abs(ee).max(axis=-1))
    return float(np.sqrt(np.mean(se[spread] ** 2))) if spread.any() else 0.0
