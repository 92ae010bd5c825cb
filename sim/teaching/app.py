"""The teaching page: Mesa's SolaraViz around ``TeachingModel``.

Start it with ``python -m sim.teaching`` (which runs ``solara run sim/teaching/app.py`` with this checkout on
the path). The sidebar holds Mesa's
controls (Reset, Play, Step) and one input per knob (``sim.teaching.knobs.KNOBS``); changed knobs take
effect at the next Reset. The main area shows the explanation, the run's status (or the reason it cannot
run) with the current values, and one plot per measure, one point per simulated month.
"""

from __future__ import annotations

import html
import math

import markdown
import solara
from mesa.visualization import SolaraViz, make_plot_component

from sim.teaching.knobs import DAYS_PER_STEP, EXTRA_OVERRIDES, KNOBS, MEASURE_BY_COLUMN, MEASURES, PLOTS, model_params
from sim.teaching.model import TeachingModel

TITLE = "The specialisation dilemma: coordinators and interfaces (teaching page)"

EXPLANATION = f"""
A simulated health cluster (by default **40,000 inhabitants**, about 4,600 chronic patients). When a patient
leaves hospital, care is **handed off** to the GP, to home nursing and, the more specialised the hospital,
to more **hospital units**. Each handoff can fail. Specialised units treat better, but more units mean more
handoffs, and people who know each other less. **Coordinators** repair failing handoffs, but each is one more
actor: a link to the patient and links to the other coordinators that can fail too, others who leave
coordination to them, and a caseload that makes new patients **queue**.
A discharge is an **adverse transition** when the patient leaves with an untreated problem, a failed handoff or
a failed coordinator link; it raises the risk of **readmission**.

Change knobs, press **Reset**, then **Step** (one step = {DAYS_PER_STEP} simulated days) or **▶** (to the end).
Each point is the value over the months simulated so far (after a 90-day warm-up), so the first months are noisy.
"""

WHAT_TO_TRY = """
1. **Specialisation** 1 → 6 with no coordinators: adverse transitions first fall (better care), then rise
   (more handoffs, eroding relations). Where is the bottom?
2. **Coordinators per patient** 0 → 1 → 4: the first helps, more add links and diffusion; with
   **must agree = mesh** the links grow as M(M-1)/2. Watch the cost too.
3. Compare **1 condition** with **3+ conditions**: complex patients gain from coordination, simple ones barely.
4. **Design = specialised**: a patient with three conditions gets three disease-specific coordinators.
5. **Responsibility diffusion** off: the same coordinators look better. What does that say about real teams?
6. **Case length 0** (open-ended) with **who = everyone**: cases never close, the waiting list grows, new
   patients wait months for a coordinator.
7. **Management fixes reported problems**: the slow loop that lowers system-level failures over the years.
8. Change only the **seed**: how much is chance? Designs compared at one seed share their patients and events
   (common random numbers).
"""


def knob_table() -> str:
    rows = "\n".join(f"| {k.label} | {', '.join(f'`{key}`' for key in k.keys)} | {k.help} |" for k in KNOBS)
    return "| Knob | Config key | Meaning |\n|---|---|---|\n" + rows


def rendered(text: str):
    """Markdown rendered on the server: solara.Markdown would load KaTeX from a CDN in the browser, and the
    page must work without network."""
    return solara.HTML(tag="div", unsafe_innerHTML=markdown.markdown(text, extensions=["tables"]),
                       classes=["teaching-text"])


@solara.component
def Explanation(model: TeachingModel):
    with solara.Column() as column:
        solara.Title(TITLE)
        rendered(EXPLANATION)
        with solara.Row():
            with solara.Details("What to try"):
                rendered(WHAT_TO_TRY)
            with solara.Details("The knobs and the config keys they set"):
                rendered(knob_table())
    return column


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"


def status_html(model: TeachingModel) -> str:
    """The current values as an HTML table; ``data-series`` carries the plotted series (read by the tests)."""
    series = model.series()
    rows = []
    for m in MEASURES:
        values = series[m.column].tolist()
        data = ",".join("nan" if math.isnan(v) else repr(float(v)) for v in values)
        rows.append(f'<tr data-measure="{m.column}" data-value="{values[-1]!r}" data-series="{data}">'
                    f"<td>{html.escape(m.label)}</td><td style='text-align:right'>{_fmt(values[-1])}</td>"
                    f"<td>{html.escape(m.unit)}</td></tr>")
    return (f'<table id="teaching-values" data-day="{model.results_day:g}" data-steps="{len(series) - 1}" '
            f'style="width:100%">' + "".join(rows) + "</table>")


def settings_text(model: TeachingModel) -> str:
    """The knob values this run was built with (the sidebar may already show new ones, applied at Reset)."""
    shown = [f"{k.label}: {model.knobs[k.name]}" for k in KNOBS]
    if model.knobs[EXTRA_OVERRIDES]:
        shown.append(f"extra: {model.knobs[EXTRA_OVERRIDES]}")
    return "This run: " + "; ".join(shown)


def RunStatus(model: TeachingModel):
    with solara.Card("Run") as card:
        if model.error is not None:
            solara.Error(model.error, icon=True, classes=["teaching-error"])
            solara.Text("Change the knobs and press Reset; the page keeps working.")
        else:
            # the page cannot tell "paused" from "playing", so it names what it knows: started or not, finished
            done = ("finished" if not model.running
                    else "not started: press Step or Play" if model.results_day == 0 else "in progress")
            solara.Text(f"Day {model.results_day:g} of {model.results_days:g} of the results window ({done}).",
                        classes=["teaching-day"])
            solara.HTML(tag="div", unsafe_innerHTML=status_html(model))
        solara.Text(settings_text(model), classes=["teaching-settings"])
    return card


def _labelled(title: str, columns: tuple[str, ...]):
    """Title, unit and legend for a plot of ``columns`` (Mesa labels with column names; it labels the x axis
    "Step" after this runs, and one step is a month, which the explanation says)."""
    measures = [MEASURE_BY_COLUMN[c] for c in columns]

    def post_process(ax):
        ax.set_title(title, fontsize=11)
        ax.set_ylabel(measures[0].unit)
        if len(measures) > 1:
            ax.legend([m.label for m in measures], loc="best", fontsize=8)
        else:
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
        ax.set_xlim(left=0)

    return post_process


COMPONENTS = [
    (RunStatus, 0),
    *(make_plot_component(list(columns) if len(columns) > 1 else columns[0], post_process=_labelled(title, columns))
      for title, columns in PLOTS),
]


@solara.component
def Page():
    # one model per browser session, so two students on one server do not step each other's run
    model = solara.use_memo(TeachingModel, dependencies=[])
    Explanation(model)
    SolaraViz(model, components=COMPONENTS, model_params=model_params(), name=TITLE, play_interval=50)
