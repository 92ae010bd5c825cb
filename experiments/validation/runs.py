"""Run what the chosen facts need: paired scenario runs against baseline, and the specialisation-dilemma curves.

Replication k of the baseline and of every scenario (and of every dilemma point) uses the same random
streams (common random numbers), through ``experiments.paired_scenarios.paired_runs`` and
``experiments.specialisation_dilemma.run_points``: nothing here runs the model by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from experiments.paired_scenarios import paired_runs
from experiments.specialisation_dilemma import Point, run_points, universal_coordinators

from .facts import Fact, Inputs
from .measures import figures


@dataclass(frozen=True)
class Settings:
    """How much to run. The paired part and the dilemma curves have their own replications and horizon."""
    replications: int
    years: float
    dilemma_replications: int
    dilemma_years: float
    levels: tuple[int, ...]          # specialisation levels of the U over specialisation
    coordinators: tuple[int, ...]    # coordinator functions per patient of the U over coordinators
    population: str = "small"
    seed: int = 0
    jobs: int = 1


# the full run: 10 paired replications of 2 years; every point of the teaching curves (docs/specialisation-
# dilemma.md) with 6 replications of 1.5 years, so that the whole run fits in about 20 minutes on a busy 2-core
# machine (the dilemma's points are the costly part: up to 6 coordinator functions per patient)
FULL = Settings(replications=10, years=2.0, dilemma_replications=6, dilemma_years=1.5,
                levels=(1, 2, 3, 4, 5, 6), coordinators=(0, 1, 2, 3, 4, 5, 6))
# the reduced run for CI: 8 paired replications of 2 years (the persistence of high cost compares two results
# years), and the dilemma on the points, replications and horizon tests/validation/ used for it before
QUICK = Settings(replications=8, years=2.0, dilemma_replications=5, dilemma_years=1.0,
                 levels=(1, 2, 5), coordinators=(0, 2, 4, 6))


def dilemma_points(settings: Settings) -> list[Point]:
    out = [Point("level", "no coordinators", s, (f"scenario.specialisation.level={s}",)) for s in settings.levels]
    return out + [Point("coordinators", "diffusion on", m, universal_coordinators(m)) for m in settings.coordinators]


def run(facts: Sequence[Fact], settings: Settings, progress: Callable[[str], None] | None = None) -> Inputs:
    scenarios = list(dict.fromkeys(s for f in facts for s in f.scenarios))
    inputs = Inputs()
    if any(not f.dilemma for f in facts):
        if progress:
            progress(f"paired runs: baseline and {len(scenarios)} scenarios x {settings.replications} replications "
                     f"({settings.population}, {settings.years:g} years)")
        paired, inputs.baseline = paired_runs(scenarios, settings.replications, settings.years, settings.population,
                                              settings.seed, progress=progress or (lambda _: None), jobs=settings.jobs,
                                              figures=figures)
        inputs.paired = {p.scenario: p for p in paired}
    if any(f.dilemma for f in facts):
        if progress:
            progress(f"specialisation dilemma: {len(settings.levels) + len(settings.coordinators)} points x "
                     f"{settings.dilemma_replications} replications ({settings.dilemma_years:g} years)")
        inputs.dilemma = run_points(dilemma_points(settings), settings.dilemma_replications, settings.dilemma_years,
                                    settings.jobs, (f"population={settings.population}", f"seed={settings.seed}"),
                                    progress=progress)
    return inputs
