"""The report's sections below the first screen (``page.py`` assembles them), from a
:class:`experiments.compare.Report`."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from sim.outcomes import kpi_by_name

from . import html, narrative
from .analysis import MAX_REPLICATIONS_SHOWN, NOT_DISTINGUISHABLE, PAYER_KPIS, Variant
from .narrative import fmt, kpi_label, kpi_words


def _ci_text(low: float, high: float, unit: str) -> str:
    return "n/a (one replication)" if np.isnan(low) else f"[{fmt(low, unit)}, {fmt(high, unit)}]"


def _difference_rows(rows: pd.DataFrame):
    out, classes = [], []
    for r in rows.itertuples(index=False):
        out.append([kpi_words(r.kpi), r.unit, fmt(r.baseline_mean, r.unit), fmt(r.scenario_mean, r.unit),
                    fmt(r.difference, r.unit), _ci_text(r.ci_low, r.ci_high, r.unit), r.verdict])
        classes.append("nd" if r.verdict == NOT_DISTINGUISHABLE else "")
    return out, classes


DIFF_HEADER = ["KPI", "unit", "baseline", "scenario", "difference", "95% CI of the difference", "verdict"]


def run_warnings(report) -> str:
    sweep, parts = report.sweep, []
    if sweep.single_replication:
        parts.append("One replication only: confidence intervals cannot be computed. The tables give point "
                     "estimates; no difference can be judged distinguishable from zero. Run the sweep with more replications.")
    failed = sweep.meta.get("failed") or []
    if failed:
        shown = "; ".join(str(f) for f in failed[:10])
        parts.append(f"{len(failed)} cell(s) of the sweep failed and are missing from the tables: {shown}"
                     + (" ..." if len(failed) > 10 else ""))
    orphans = [v.label for v in sweep.variants if sweep.baseline_of(v) is None]
    if orphans:
        parts.append("No baseline under the same parameters, so not compared: " + ", ".join(orphans))
    return "".join(html.paragraph(p, "warning") for p in parts)


def scenario_section(report, variant: Variant, anchor: str) -> str:
    sweep = report.sweep
    descriptions, assumptions = narrative.describe(variant.scenario, variant.parameters)
    parts = [f'<h3 id="{escape(anchor)}">{escape(variant.label)}</h3>']
    parts += [html.paragraph(d) for d in descriptions]
    caveats = report.decision.caveats.get(variant.label, [])
    if caveats:
        parts.append('<ul class="warnings">' + "".join(f"<li>{escape(c.text)}</li>" for c in caveats) + "</ul>")
    if variant.scenario == sweep.baseline:
        parts.append(html.paragraph("The reference every scenario is compared with (same replications, same random streams)."))
        return "".join(parts)
    diffs = report.differences
    mine = diffs[(diffs.label == variant.label) & (diffs.group == "all")] if not diffs.empty else diffs
    verdict = report.decision.verdicts.get(variant.label)
    if mine.empty or verdict is None:
        parts.append(html.paragraph("Not compared: no baseline under the same parameters.", "warning"))
    else:
        rule = report.rule[report.rule.label == variant.label] if not report.rule.empty else report.rule
        warm = [c for c in caveats if c.kind == "warm-up"]
        lines = narrative.summary(mine, report.headline, int(mine.replications.max()),
                                  float(sweep.meta["warmup_days"]), narrative.precision_note(rule, report.precision),
                                  verdict.text, "Warm-up: not covered (see the warning above)." if warm else
                                  "Warm-up: covered (MSER-5 truncation within the warm-up for every series).")
        parts.append('<div class="summary">' + "".join(html.paragraph(line) for line in lines) + "</div>")
        shown = mine[mine.kpi.isin([*report.headline, *PAYER_KPIS])]
        rows, classes = _difference_rows(shown)
        parts.append("<p><b>Paired differences against the baseline</b> (all patients):</p>")
        parts.append(html.table(DIFF_HEADER, rows, text_columns=2, row_classes=classes))
    if assumptions:
        table = html.table(["setting", "value", "source"], [[a.key, a.value, a.source] for a in assumptions], text_columns=3)
        files = ", ".join(f"configs/scenario/{p}.yaml" for p in variant.scenario.split("+"))
        parts.append(html.details(f"Assumptions that drive it ({files})", table, level=4))
    parts.append('<p class="note"><a href="#decision">back to the decision summary</a></p>')
    return "".join(parts)


def _levels(t, kpis) -> str:
    rows = []
    for label, g in t[t.kpi.isin(kpis)].groupby("label", sort=False):
        by = g.set_index("kpi")
        rows.append([label, *(html.Raw(f"{escape(fmt(by.loc[k, 'mean'], by.loc[k, 'unit']))}<br><span class=\"note\">"
                                       f"{escape(_ci_text(by.loc[k, 'ci_low'], by.loc[k, 'ci_high'], by.loc[k, 'unit']))}</span>")
                              for k in kpis)])
    return html.table(["scenario", *(kpi_label(k) for k in kpis)], rows)


def scenario_table(report) -> str:
    t = report.scenario_table
    kpis = list(dict.fromkeys(t.kpi))
    outcomes, payers = [k for k in kpis if k not in PAYER_KPIS], [k for k in kpis if k in PAYER_KPIS]
    return (html.paragraph("Mean over replications with its 95% t-interval below it (all patients; a share's interval "
                           "is clipped to [0, 1]). Use it for levels and the paired differences for comparisons. "
                           "File: scenario_table.csv.", "note")
            + _levels(t, outcomes) + (html.paragraph("Net spending by payer over the results window (DKK):", "note")
                                      + _levels(t, payers) if payers else ""))


def _figure(report, key: str, alt: str) -> str:
    path = report.figures.get(key)
    return html.image(path, alt) + html.paragraph(f"File: {path.name}", "note") if path else ""


def plane_section(report) -> str:
    return (_figure(report, "plane", "cost against outcome plane")
            + html.paragraph("Each point is a scenario's paired difference from the baseline: cost per patient-year "
                             "(up: costs more) against the 30-day readmission rate and acute admissions (left: fewer). "
                             "Crosses are 95% CIs; a value far beyond the others is drawn at the edge with its number. "
                             "The legend gives each scenario's verdict group, the same as in the decision summary.", "note"))


def forest_section(report) -> str:
    return (html.paragraph("Each row is a scenario; the dot is the mean paired difference from the baseline and the "
                           "bar its 95% CI (filled: the CI excludes 0; hollow grey: not distinguishable from zero). "
                           "File: paired_differences.csv (every KPI compared, with its verdict).")
            + _figure(report, "forest", "forest plot of headline KPIs")
            + _figure(report, "forest_payers", "forest plot of net spending by payer"))


def waits_section(report) -> str:
    t = report.wait_table
    rows = [[r.label, kpi_words(r.kpi), r.unit, fmt(r.mean, r.unit), _ci_text(r.ci_low, r.ci_high, r.unit),
             fmt(r.min, r.unit), fmt(r.max, r.unit)] for r in t.itertuples(index=False)]
    return (html.paragraph("Waits per scenario across replications: GP, first outpatient appointment (mean and 95th "
                           "percentile, all referrals), the share seen within the 30-day right, boarding for a bed, "
                           "sub-acute visits and coordinator or team intake (per kind of team, weighted by the cases each team started). File: waits.csv.")
            + _figure(report, "waits", "wait distributions")
            + html.table(["scenario", "wait", "unit", "mean", "95% CI", "lowest replication", "highest replication"],
                         rows, text_columns=3))


def series_link(report) -> str:
    keys = [k for k in report.figures if k.startswith("series_")]
    if not keys:
        return html.paragraph("The sweep has no timeseries.parquet: no daily series to show.", "warning")
    return html.paragraph("Daily occupancy and queue series (one panel per scenario, the warm-up shaded, MSER-5's "
                          "truncation dashed) are on a page of their own: ") + html.bullets(
        [html.link(f"series.html#{k}", k.removeprefix("series_").replace("_", " ")) for k in keys])


def series_page(report) -> str:
    keys = [k for k in report.figures if k.startswith("series_")]
    if not keys:
        return ""
    return (html.paragraph("Daily occupancy and queue series from the first simulated day (the warm-up shaded), the "
                           "mean over replications with its 95% band; the dashed line is the MSER-5 truncation point. "
                           "Look for queues that keep growing to the end.") + '<p><a href="report.html">back to the report</a></p>'
            + "".join(f'<section id="{k}"><h2>{escape(k.removeprefix("series_").replace("_", " "))}</h2>'
                      + _figure(report, k, k.removeprefix("series_").replace("_", " ")) + "</section>" for k in keys))


def tier_section(report) -> str:
    t = report.tier_differences
    if t.empty:
        return html.paragraph("No risk-tier groups in the sweep's KPI table.", "warning")
    rows, classes = [], []
    for r in t.itertuples(index=False):
        rows.append([r.label, r.group.split("=", 1)[1], kpi_words(r.kpi), fmt(r.baseline_mean, r.unit),
                     fmt(r.difference, r.unit), _ci_text(r.ci_low, r.ci_high, r.unit), r.verdict])
        classes.append("nd" if r.verdict == NOT_DISTINGUISHABLE else "")
    return (html.paragraph("Paired differences per risk tier at entry (the tier a patient had when they became a "
                           "chronic patient). File: tier_differences.csv.")
            + _figure(report, "tiers", "differences by risk tier")
            + html.table(["scenario", "tier", "KPI", "baseline", "difference", "95% CI", "verdict"], rows,
                         text_columns=3, row_classes=classes))


def method_section(report) -> str:
    sweep, rule, warm = report.sweep, report.rule, report.warmup
    n = len(sweep.replications)
    parts = [html.paragraph(
        f"Replications and pairing: {n} replications per scenario; replication k of every scenario draws from the "
        "same named random streams (common random numbers), so each scenario is compared with the baseline replication "
        "by replication. A paired difference is the mean of the per-replication differences with its 95% t-interval "
        "(t with R−1 degrees of freedom; what scipy.stats.ttest_rel gives). A difference whose interval contains 0 is "
        f"labelled '{NOT_DISTINGUISHABLE}'. Intervals are per comparison, not corrected for the number of scenarios.")]
    warmup_used = float(sweep.meta["warmup_days"])
    if warm.empty:
        parts.append(html.paragraph("Warm-up: no daily series in the sweep, so MSER-5 could not be applied.", "warning"))
    else:
        worst = warm.groupby("series").mser5_truncation_days.max()
        ok = bool(warm.covered.all())
        parts.append(html.paragraph(
            f"Warm-up: {warmup_used:g} days were deleted before the results window. MSER-5 (White 1997; Hoad, Robinson "
            "& Davies 2010), applied to each scenario's mean-over-replications daily series from the first day, "
            f"truncates at most {int(worst.max())} days (" + ", ".join(f"{s.replace('_', ' ')} {int(d)}" for s, d in worst.items())
            + "). " + ("The warm-up used covers every scenario's truncation point." if ok else
                       "The warm-up used is SHORTER than MSER-5's truncation for some series (marked 'no' below): "
                       "lengthen run.warmup_days (python -m sim.warmup gives a recommendation).")))
        table = warm.pivot_table(index="label", columns="series", values="mser5_truncation_days", sort=False)
        covered = warm.groupby("label", sort=False).covered.all()
        series = list(table.columns)
        rows = [[label, *(("" if np.isnan(v) else str(int(v))) for v in table.loc[label]), f"{warmup_used:g}",
                 "yes" if covered[label] else "no"] for label in table.index]
        parts.append(html.table(["scenario", *(f"MSER-5: {c.replace('_', ' ')}" for c in series),
                                 "warm-up used (days)", "covered"], rows, text_columns=1))
        if bool(warm.at_search_limit.any()):
            parts.append(html.paragraph("Some truncation points lie at the end of MSER-5's search range (the first "
                                        "half of the series): those series may not settle within the run.", "warning"))
    if rule.empty or sweep.single_replication:
        parts.append(html.paragraph("Number of replications: with one replication there is no spread, so the "
                                    "CI-width rule cannot be applied.", "warning"))
    else:
        met = int(rule.meets_target.sum())
        resolvable = rule[rule.verdict != NOT_DISTINGUISHABLE]
        need = resolvable.replications_needed.max() if len(resolvable) else float("nan")
        parts.append(html.paragraph(
            f"Number of replications (CI-width rule, the confidence-interval method of Hoad, Robinson & Davies 2007): "
            f"a key paired difference (readmission rate, acute admissions, cost per patient-year) is resolved when its "
            f"95% half-width is at most {report.precision:.0%} of its size. With {n} replications {met} of {len(rule)} "
            "are resolved; "
            + (f"the distinguishable ones that are not would need up to {int(need):,} replications"
               if not np.isnan(need) and need > n else "every distinguishable one is")
            + ". Differences not distinguishable from zero cannot be resolved to a share of their size: they are too "
            "small for these replications, which is itself the answer. The last two columns show what common random "
            "numbers buy: the paired half-width against the half-width an unpaired comparison of the same runs would have."))
        crn = report.differences.set_index(["label", "kpi"]).half_width_unpaired
        rows = []
        for r in rule.itertuples(index=False):
            needed = "n/a" if r.replications_needed is None or np.isnan(r.replications_needed) else (
                f"> {MAX_REPLICATIONS_SHOWN:,}" if r.replications_needed > MAX_REPLICATIONS_SHOWN else f"{int(r.replications_needed):,}")
            unpaired = crn.get((r.label, r.kpi), float("nan"))
            rows.append([r.label, kpi_words(r.kpi), fmt(r.difference, kpi_by_name()[r.kpi].unit),
                         "n/a" if not np.isfinite(r.relative_half_width) else f"{r.relative_half_width:.0%}",
                         needed, r.verdict, fmt(r.half_width, kpi_by_name()[r.kpi].unit), fmt(unpaired, kpi_by_name()[r.kpi].unit)])
        parts.append(html.table(["scenario", "key difference", "difference", "relative half-width",
                                 f"replications for ±{report.precision:.0%}", "verdict", "half-width paired (CRN)",
                                 "half-width unpaired"], rows, text_columns=2))
    return "".join(parts)


def files_section(report) -> str:
    names = sorted({p.name for p in report.files} | {"report.html"})
    return html.paragraph("Everything in this report is also in the report folder: ") + html.bullets(names)
