"""The runs a class compares and how the page draws them (no browser): earlier runs kept and named by the
settings that differ, fixed axes that do not move from step to step, faded lines for the earlier runs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from sim.teaching import plots, runs
from sim.teaching.knobs import DAYS_PER_STEP, MEASURES, PLOTS, knob_values


def run(number: int, steps: int, level: float = 0.3, **knobs) -> runs.Run:
    rows = {"day": [DAYS_PER_STEP * k for k in range(steps + 1)]}
    for m in MEASURES:
        rows[m.column] = [math.nan] + [level * m.y_max * (1 + 0.01 * k) for k in range(1, steps + 1)]
    return runs.Run(number, knob_values(knobs), pd.DataFrame(rows))


def test_earlier_runs_are_the_last_three_with_a_step():
    kept: list[runs.Run] = []
    for n in range(1, 6):
        kept = runs.remember(kept, run(n, 2, specialisation=n))
    assert [r.number for r in kept] == [3, 4, 5] == [r.number for r in kept][-runs.EARLIER_RUNS:]
    assert runs.remember(kept, None) == kept                     # a run without a step is not kept


def test_runs_are_named_by_the_settings_that_differ():
    a, b = run(1, 2, specialisation=2), run(2, 2, specialisation=6, coordinators=3)
    assert runs.labels([a, b]) == ["specialisation 2, coordinators per patient 0",
                                   "specialisation 6, coordinators per patient 3"]
    assert runs.labels([a, run(2, 2, specialisation=2)]) == ["run 1 (same settings)", "run 2 (same settings)"]
    assert runs.labels([run(1, 1, diffusion=True), run(2, 1, diffusion=False)]) == ["responsibility diffusion on",
                                                                                    "responsibility diffusion off"]


def _axes(fig):
    return fig.axes[0]


@pytest.mark.parametrize("title,columns", PLOTS)
def test_axes_are_fixed_from_the_first_step_to_the_last(title, columns):
    early = _axes(plots.figure(title, columns, run(1, 1), [], 12))
    late = _axes(plots.figure(title, columns, run(1, 12), [], 12))
    assert early.get_ylim() == late.get_ylim() == (0.0, max(plots.MEASURE_BY_COLUMN[c].y_max for c in columns))
    assert early.get_xlim() == late.get_xlim() == (0.0, 12.0)


def test_a_run_above_the_fixed_range_raises_it_to_a_round_number():
    high = run(1, 3, level=1.7)                 # cost 1.7 x 35,000 x (1.01 to 1.03): at most 61,285 DKK
    ax = _axes(plots.figure("Cost per patient-year (DKK)", ("cost_per_patient_year_dkk",), high, [], 12))
    assert ax.get_ylim()[1] == 100_000.0        # the round number above 61,285 x 1.05
    assert [plots.nice_ceiling(v) for v in (0.7, 3.0, 12.5, 40_000)] == [1.0, 5.0, 20.0, 50_000.0]


def test_earlier_runs_are_faded_and_the_legend_names_every_run():
    current, earlier = run(3, 4, specialisation=6), [run(1, 12, specialisation=2), run(2, 12, specialisation=4)]
    fig = plots.figure("30-day readmissions (share of discharges)", ("readmission_rate_30d",), current, earlier, 12)
    drawn = [line for line in _axes(fig).get_lines() if len(line.get_xdata())]
    alphas = sorted(line.get_alpha() or 1.0 for line in drawn)
    assert alphas[-1] == 1.0 and all(a < 0.6 for a in alphas[:-1]) and len(drawn) == 3
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["this run: specialisation 6", "specialisation 4", "specialisation 2"]
    # the current run's first point is month 1 (row 0 is the end of the warm-up, before any KPI)
    bold = next(line for line in drawn if (line.get_alpha() or 1.0) == 1.0)
    assert list(bold.get_xdata()) == [1.0, 2.0, 3.0, 4.0]
    assert to_rgba(bold.get_color()) == to_rgba(plots.COLOURS[0])


def test_measures_with_several_lines_have_distinct_colour_blind_safe_colours():
    fig = plots.figure(*PLOTS[0], run(1, 3), [], 12)
    colours = [line.get_color() for line in _axes(fig).get_lines() if len(line.get_xdata())]
    assert len(set(colours)) == len(PLOTS[0][1]) and set(colours) <= set(plots.COLOURS)
    assert np.isfinite(_axes(fig).get_ylim()).all()
