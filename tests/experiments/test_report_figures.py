"""Every figure of a report, rendered from constructed results with outliers, checked for what a projector
needs: titles that do not collide with each other, the panels or the legends; no offset or exponent on any
axis; each unit once per panel; shares drawn within [0, 1] and their intervals clipped to it; a value far
beyond the others drawn at the edge and labelled instead of squashing the rest; a colour-blind-safe palette
with a distinct colour-and-marker pair per scenario on the cost-outcome plane."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Annotation

from experiments.compare import build_report
from experiments.report.analysis import load_sweep, scenario_table
from experiments.report.figure_style import PALETTE
from experiments.report.figures import figure_plan

from constructed_sweep import group_rows, series_rows, write_constructed

SCENARIOS = ["baseline", *(f"scenario_{i}" for i in range(8)), "referral_shift"]
UNITS = ("days", "hours", "DKK", "percentage points", "per 1,000 patient-years", "patients")


def _series(r, day, scenario):
    level = 400 * day / day.max() if scenario == "referral_shift" else 5 + np.sin(day / 9.0 + r)
    return {"boarding": level, "medical_beds_occupied": 100 + 5 * np.sin(day / 20.0), "team_waiting_list": 0 * day}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("figures")
    effects = {s: {"cost_per_patient_year_dkk": 50.0 * i, "readmission_rate_30d": -0.002 * i,
                   "acute_admissions_per_1000py": [-i, i / 2, -i, i / 2],
                   "outpatient_new_referral_wait_mean_days_all": [0.5 * i, -0.2 * i, 0.4 * i, 0.1],
                   "boarding_wait_mean_hours_all": [i, -0.5 * i, 0.5, 0.2 * i],
                   # payers' differences in millions of DKK: matplotlib would write them as 1e6 multiples
                   "net_spending_region_dkk": [3.1e6 * i, 2.9e6 * i, 3.3e6 * i, 3.0e6 * i],
                   "net_spending_hospital_dkk": [1.0e8 + 1e6 * i, 1.02e8, 1.01e8, 1.03e8]} for i, s in enumerate(SCENARIOS)}
    # the referral shift: outpatient waits 200 days longer, ward-bed waits 600 hours longer (the outliers)
    effects["referral_shift"].update({"outpatient_new_referral_wait_mean_days_all": 200.0,
                                      "boarding_wait_mean_hours_all": 600.0, "rtt_compliance_all": -0.5,
                                      "cost_per_patient_year_dkk": 20_000.0})
    series = pd.concat([series_rows(s, 4, 400, lambda r, d, s=s: _series(r, d, s)) for s in SCENARIOS])
    extra = [group_rows("scenario_3", "team=coordinator", {"team_intake_wait_mean_days": [10, 12, 11, 13],
                                                          "team_cases_started": [40] * 4})]
    # net spending in the hundreds of millions: the axis must not switch to an offset or 1e8
    levels = {"net_spending_region_dkk": 3.1e8, "net_spending_hospital_dkk": 1.2e8}
    sweep = write_constructed(tmp / "sweep", effects, extra=extra, series=series, levels=levels,
                              groups=("all", "tier=high", "tier=moderate", "tier=low"))
    return build_report(sweep, tmp / "report")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _figures(report):
    return {spec.key: spec.build() for spec in figure_plan(report)}


def _overlap(a, b, tolerance: float = 1.0) -> bool:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w > tolerance and h > tolerance


def test_every_planned_figure_is_drawn(report):
    assert {"forest", "forest_payers", "plane", "tiers", "waits", "series_boarding"} <= set(report.figures)
    assert set(report.figures) == {spec.key for spec in figure_plan(report)}


def test_titles_do_not_collide_with_titles_panels_or_legends(report):
    for name, fig in _figures(report).items():
        fig.canvas.draw()
        axes = [ax for ax in fig.axes if ax.get_visible()]
        boxes = [ax.get_window_extent() for ax in axes]
        titles = [(i, t.get_window_extent()) for i, ax in enumerate(axes)
                  for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
        legends = [leg.get_window_extent() for leg in fig.legends]
        if fig._suptitle is not None:
            top = fig._suptitle.get_window_extent()
            assert not any(_overlap(top, b) for b in boxes + [t for _, t in titles] + legends), name
        for i, title in titles:
            assert not any(_overlap(title, b) for j, b in enumerate(boxes) if j != i), (name, i)
            assert not any(_overlap(title, t) for j, t in titles if j != i), (name, i)
        for legend in legends:
            assert not any(_overlap(legend, b) for b in boxes), name


def test_no_offset_or_exponent_and_each_unit_once(report):
    for name, fig in _figures(report).items():
        fig.canvas.draw()
        for ax in (a for a in fig.axes if a.get_visible()):
            for axis in (ax.xaxis, ax.yaxis):
                assert axis.get_offset_text().get_text() == "", (name, ax.get_title(loc="left"))
                labels = [t.get_text() for t in axis.get_ticklabels()]
                assert not any("e+" in t or "e-" in t or "×10" in t for t in labels), (name, labels)
            words = " ".join([ax.get_title(loc="left"), ax.get_title(), ax.get_xlabel(), ax.get_ylabel()])
            for unit in UNITS:
                assert words.count(unit) <= 1, (name, words)


def test_shares_are_drawn_within_0_and_1_and_their_intervals_clipped(report):
    waits = _figures(report)["waits"]
    share = [ax for ax in waits.axes if "share" in ax.get_title(loc="left")]
    assert share and all(0.0 <= ax.get_xlim()[0] and ax.get_xlim()[1] <= 1.0 for ax in share)
    # a share near 1 whose t-interval would pass 1 (the 0.9965 [0.9854, 1.0076])
    sweep = load_sweep(report.sweep.path)
    table = scenario_table(sweep, ("rtt_compliance_all",))
    assert (table.ci_high <= 1.0).all() and (table.ci_low >= 0.0).all()


def _annotations(ax) -> list[str]:
    return [c.get_text() for c in ax.get_children() if isinstance(c, Annotation)]


def test_an_outlier_is_marked_at_the_edge_and_does_not_squash_the_rest(report):
    figs = _figures(report)
    panel = next(ax for ax in figs["forest"].axes if ax.get_title(loc="left").startswith("mean wait for a first outpatient"))
    assert panel.get_xlim()[1] < 200 and any(text.startswith("+200") for text in _annotations(panel))
    waits = next(ax for ax in figs["waits"].axes if ax.get_title(loc="left").startswith("mean wait for a ward bed"))
    assert waits.get_xlim()[1] < 600 and any("median" in text for text in _annotations(waits))
    plane = figs["plane"].axes[0]
    assert plane.get_ylim()[1] < 20_000 and any("referral_shift" in text for text in _annotations(plane))
    boarding = {ax.get_title(loc="left"): ax for ax in figs["series_boarding"].axes if ax.get_visible()}
    assert "referral_shift (own y scale)" in boarding and boarding["baseline"].get_ylim()[1] < 50


def test_plane_palette_is_colour_blind_safe_with_a_distinct_marker_per_scenario(report):
    fig = _figures(report)["plane"]
    ax = fig.axes[0]
    points = [(line.get_color(), line.get_marker()) for line in ax.get_lines()
              if not line.get_label().startswith("_") and line.get_marker() not in (None, "None", "")]
    assert len(points) == len(SCENARIOS) - 1
    assert len(set(points)) == len(points)
    assert all(colour in PALETTE for colour, _ in points)
