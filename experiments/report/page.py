"""The report's pages. ``report.html`` opens with what a steering group decides on: the decision summary (one
row per scenario, grouped by verdict, each linking to its detail) and the cost-outcome plane; then a table of
contents, each scenario's block, and every other table and figure in sections that fold. The daily series
(a long grid per series) go to ``series.html``."""

from __future__ import annotations

from html import escape

import numpy as np

from . import html, sections
from .analysis import NO_CI, NOT_DISTINGUISHABLE
from .decision import COLUMNS, wait_changes
from .verdicts import BETTER, GROUPS, WORSE

HOW_TO_READ = (
    "Each row compares a scenario with usual care (the baseline) on the same synthetic patients and random draws "
    "(common random numbers): the paired difference, scenario minus baseline, and its 95% confidence interval below "
    "it. Grey: not distinguishable from zero. Green: better; red: worse. The verdict uses one rule everywhere in "
    "this report: cost per patient-year against the outcomes (30-day readmission rate, acute admissions, bed days, "
    "and the GP, outpatient and ward-bed waits when they change by at least 10%). The price of a trade-off is a "
    "point estimate. Warnings come from the results: read them before the numbers.")


def _cell(row, kpi: str):
    """A difference and its CI, coloured by what it means (outcomes and cost: lower is better)."""
    r = row.get(kpi)
    if r is None:
        return html.Raw('<td class="nd">n/a</td>')
    scale = COLUMNS[kpi][2]
    value = f"{r.difference * scale:+,.3g}" if abs(r.difference * scale) < 1000 else f"{r.difference * scale:+,.0f}"
    if np.isnan(r.ci_low):
        ci = "no CI"
    else:
        ci = f"[{r.ci_low * scale:+,.3g}, {r.ci_high * scale:+,.3g}]" if abs(r.ci_high * scale) < 1000 else \
            f"[{r.ci_low * scale:+,.0f}, {r.ci_high * scale:+,.0f}]"
    cls = "nd" if r.verdict in (NOT_DISTINGUISHABLE, NO_CI) else ("better" if r.difference < 0 else "worse")
    return html.Raw(f'<td class="{cls}">{escape(value)}<span class="ci">{escape(ci)}</span></td>')


def _list(items: list[str], empty: str) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else escape(empty)


def decision_table(report) -> str:
    decision, diffs = report.decision, report.differences
    if decision.table.empty:
        return html.paragraph("No scenario could be compared with the baseline.", "warning")
    header = ["scenario", *(f"{title} ({unit})" for title, unit, _ in COLUMNS.values()),
              "Δ waits (by 10% or more; days, hours)", "verdict", "warm-up covered", "warnings"]
    head = "<tr>" + "".join(f'<th class="text">{escape(h)}</th>' for h in header) + "</tr>"
    body = []
    for group, g in decision.table.groupby("group", sort=False):
        title, meaning = GROUPS[group]
        body.append(f'<tr class="group" id="group-{group}"><th colspan="{len(header)}">{escape(title)} '
                    f'<span class="note">({escape(meaning)})</span></th></tr>')
        for t in g.itertuples(index=False):
            rows = {r.kpi: r for r in diffs[(diffs.label == t.label) & (diffs.group == "all")].itertuples(index=False)}
            verdict = decision.verdicts[t.label]
            warnings = [c.short for c in decision.caveats.get(t.label, []) if c.kind != "warm-up"]
            covered = ("n/a" if t.warmup_covered != t.warmup_covered else
                       "yes" if t.warmup_covered else f"no: {t.warmup_not_covered}")
            vclass = {BETTER: "better", WORSE: "worse"}.get(verdict.group, "")
            cells = [f'<td class="text">{html.link("#" + anchor(t.label), t.label)}</td>',
                     *(_cell(rows, k) for k in COLUMNS),
                     f'<td class="text">{_list([w for w, _ in wait_changes(rows)], "none")}</td>',
                     f'<td class="text {vclass}">{escape(verdict.short)}</td>',
                     f'<td class="text{" warn" if covered.startswith("no") else ""}">{escape(covered)}</td>',
                     f'<td class="warn">{_list(warnings, "")}</td>']
            body.append(f'<tr data-scenario="{escape(t.label)}" data-group="{group}">' + "".join(cells) + "</tr>")
    return f'<table class="decision">{head}{"".join(body)}</table>'


def anchor(label: str) -> str:
    return "scenario-" + html.slug(label)


def _facts(report) -> str:
    m, sweep = report.sweep.meta, report.sweep
    n, years = len(sweep.replications), float(m["years"])
    return (f"Catchment {m['population']}; {n} paired replication{'s' if n != 1 else ''} per scenario; warm-up "
            f"{float(m['warmup_days']):g} days; results window {years:g} year{'s' if years != 1 else ''}; baseline: "
            f"{sweep.baseline}; root seed {m['seed']}.")


def _baseline_warnings(report) -> str:
    sweep = report.sweep
    base = sweep.baselines[0].label if sweep.baselines else None
    cav = report.decision.caveats.get(base, []) if base else []
    if not cav:
        return ""
    return html.Raw(f'<p class="warning">The baseline itself: {escape("; ".join(c.short for c in cav))} '
                    f'(<a href="#{anchor(base)}">details</a>).</p>')


def first_screen(report) -> str:
    return (html.paragraph(_facts(report), "lede") + sections.run_warnings(report)
            + '<section id="decision"><h2>Decision summary</h2>' + html.paragraph(HOW_TO_READ, "note")
            + _baseline_warnings(report) + decision_table(report) + "</section>"
            + '<section id="plane"><h2>Cost against outcome</h2>' + sections.plane_section(report) + "</section>")


def write_html(report) -> None:
    sweep = report.sweep
    scenarios = "".join(sections.scenario_section(report, v, anchor(v.label))
                        for v in [*sweep.baselines[:1], *sweep.variants])
    folded = [("differences", "Paired differences (forest plots)", sections.forest_section(report)),
              ("table", "Scenario table (levels, not differences)", sections.scenario_table(report)),
              ("waits", "Waiting times", sections.waits_section(report)),
              ("series", "Occupancy and queues over time", sections.series_link(report)),
              ("tiers", "Results per risk tier", sections.tier_section(report)),
              ("method", "Statistical method", sections.method_section(report)),
              ("files", "Files", sections.files_section(report))]
    contents = [("decision", "Decision summary"), ("plane", "Cost against outcome"),
                ("scenarios", "Scenarios in detail"), *((a, h) for a, h, _ in folded)]
    if report.figures and any(k.startswith("series_") for k in report.figures):
        contents.append(("series.html", "Daily series (a page of its own)"))
    body = (first_screen(report) + html.toc(contents)
            + f'<section id="scenarios"><h2>Scenarios in detail</h2>{scenarios}</section>'
            + "".join(html.details(h, inner, a, cls="section") for a, h, inner in folded))
    report.html.write_text(html.page(f"Scenario comparison: {sweep.path.name}", body), encoding="utf-8")
    series = sections.series_page(report)
    if series:
        report.series_html.write_text(html.page(f"Daily series: {sweep.path.name}", series), encoding="utf-8")
