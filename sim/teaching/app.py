"""The teaching page, built from Mesa's SolaraViz parts around ``TeachingModel``.

Start it with ``python -m sim.teaching`` (which runs ``solara run sim/teaching/app.py`` with this checkout on
the path). The sidebar holds Mesa's model controller (Reset, Play, Step) and one input per knob
(``sim.teaching.knobs.KNOBS``) showing its value; changed knobs take effect at the next Reset. SolaraViz's
own controls for developers (play and render interval, threads, page tabs, a draggable grid) are left out: a
class needs none of them. The main area shows the explanation, the run's status (or the reason it cannot run)
with its values, the runs compared so far, and one plot per ``knobs.PLOTS`` entry with the earlier runs as
faded lines (``plots.py``, ``runs.py``). Before the first step there is a hint instead of empty axes.
"""

from __future__ import annotations

import html
import math

import markdown
import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from sim.teaching import plots, runs
from sim.teaching.knobs import DAYS_PER_STEP, EXTRA_OVERRIDES, KNOBS, MEASURES, PLOTS, knob_values, model_params
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
The last runs stay on the plots as faded lines, named by the settings that differ, so two settings can be
compared at a glance; the table of values keeps their final values beside this run's.
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
def Explanation():
    with solara.Column(style={"max-width": "1100px"}) as column:
        solara.Title(TITLE)
        rendered(EXPLANATION)
        with solara.Details("What to try"):
            rendered(WHAT_TO_TRY)
        with solara.Details("The knobs and the config keys they set"):
            rendered(knob_table())
    return column


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}"


def status_html(model: TeachingModel, earlier: list | None = None) -> str:
    """The values as an HTML table: one row per measure, a column per earlier run (its final value, named by
    the settings that differ) and the current run's value last. ``data-*`` attributes carry the current run's
    series and each earlier run's label and value (read by the tests)."""
    series, earlier = model.series(), list(earlier or [])
    names = runs.labels([*earlier, *([runs.Run(model_number(earlier), dict(model.knobs), series)])]) if earlier else []
    head = ("<tr><th></th>" + "".join(f'<th class="earlier" data-label="{html.escape(n)}">{html.escape(n)}</th>'
                                       for n in names[:-1])
            + (f"<th>this run: {html.escape(names[-1])}</th>" if names else "<th></th>") + "<th></th></tr>")
    rows = []
    for m in MEASURES:
        values = series[m.column].tolist()
        data = ",".join("nan" if math.isnan(v) else repr(float(v)) for v in values)
        before = "".join(f"<td class='earlier' style='text-align:right;color:#666' data-value='{r.last(m.column)!r}'>"
                         f"{_fmt(r.last(m.column))}</td>" for r in earlier)
        rows.append(f'<tr data-measure="{m.column}" data-value="{values[-1]!r}" data-series="{data}">'
                    f"<td>{html.escape(m.label)}</td>{before}<td style='text-align:right'><b>{_fmt(values[-1])}</b></td>"
                    f"<td>{html.escape(m.unit)}</td></tr>")
    return (f'<table id="teaching-values" data-day="{model.results_day:g}" data-steps="{len(series) - 1}" '
            f'data-earlier="{len(earlier)}" class="teaching-runs">' + head + "".join(rows) + "</table>")


def settings_text(model: TeachingModel) -> str:
    """The knob values this run was built with (the sidebar may already show new ones, applied at Reset)."""
    shown = [f"{k.label}: {model.knobs[k.name]}" for k in KNOBS]
    if model.knobs[EXTRA_OVERRIDES]:
        shown.append(f"extra: {model.knobs[EXTRA_OVERRIDES]}")
    return "This run: " + "; ".join(shown)


def paragraph(text: str, cls: str = ""):
    """A paragraph of plain text (solara.Text is an inline span: two in a row run together)."""
    return solara.HTML(tag="p", unsafe_innerHTML=html.escape(text), classes=[cls] if cls else [])


@solara.component
def RunStatus(model: TeachingModel, earlier: list):
    update_counter.get()   # redrawn after every step (Mesa's controller bumps it)
    with solara.Card("Values") as card:
        if model.error is not None:
            solara.Error(model.error, icon=True, classes=["teaching-error"])
            paragraph("Change the knobs and press Reset; the page keeps working.")
        else:
            # the page cannot tell "paused" from "playing", so it names what it knows: started or not, finished
            done = ("finished" if not model.running
                    else "not started: press Step or ▶" if model.results_day == 0 else "in progress")
            paragraph(f"Day {model.results_day:g} of {model.results_days:g} of the results window ({done}).",
                      "teaching-day")
            solara.HTML(tag="div", unsafe_innerHTML=status_html(model, earlier), style={"overflow-x": "auto"})
            if not earlier:
                paragraph("Change a knob and press Reset: this run stays on the plots as a faded line and its final "
                          f"values stay in this table (the last {runs.EARLIER_RUNS} runs are kept).", "teaching-lines")
        paragraph(settings_text(model), "teaching-settings")
    return card


@solara.component
def Plots(model: TeachingModel, earlier: list):
    update_counter.get()
    current = runs.from_model(model, model_number(earlier))
    if current is None and not earlier:
        solara.Info("The plots appear after the first step: press Step (one month) or ▶ (the whole run).",
                    classes=["teaching-hint"])
        return
    months = (model.results_days or 365) / DAYS_PER_STEP
    shown = [*earlier, *([current] if current else [])]
    names = runs.labels(shown)
    paragraph("Bold: this run" + (f" ({names[-1]})" if current else " (no step yet)")
              + ("; faded: " + "; ".join(names[:len(earlier)]) if earlier else ""), "teaching-lines")
    with solara.GridFixed(columns=2):
        for title, columns in PLOTS:
            solara.FigureMatplotlib(plots.figure(title, columns, current, earlier, months), format="png")


def model_number(earlier: list) -> int:
    """The current run's number: one after the last run kept."""
    return (earlier[-1].number + 1) if earlier else 1


def _shown(value) -> str:
    return html.escape(f"{value:g}" if isinstance(value, float) else str(value))


def KnobInputs(values: solara.Reactive):
    """One input per knob, each showing its value: a slider's label line gives its value and its range."""
    def setter(name):
        return lambda value: values.set({**values.value, name: value})

    for name, p in model_params().items():
        if p["type"] in ("SliderInt", "SliderFloat"):
            slider = solara.SliderInt if p["type"] == "SliderInt" else solara.SliderFloat
            value = values.value[name]
            with solara.Column(gap="0px", classes=["teaching-knob", f"knob-{name}"]):
                solara.HTML(tag="div", unsafe_innerHTML=f"{html.escape(p['label'])}: <b class='knob-value'>"
                            f"{_shown(value)}</b> <span class='knob-range'>({_shown(p['min'])} to {_shown(p['max'])})</span>",
                            classes=["knob-label"])
                slider("", value=value, min=p["min"], max=p["max"], step=p["step"], on_value=setter(name),
                       thumb_label=True)
        elif p["type"] == "Select":
            solara.Select(p["label"], value=values.value[name], values=p["values"], on_value=setter(name))
        elif p["type"] == "Checkbox":
            solara.Checkbox(label=p["label"], value=values.value[name], on_value=setter(name))
        else:
            solara.InputText(p["label"], value=values.value[name], on_value=setter(name))


CSS = """
.teaching-runs td, .teaching-runs th { padding: 2px 6px; font-size: 13px; border-bottom: 1px solid #ddd; }
.teaching-lines { font-size: 14px; color: #333; margin: 4px 0; }
.knob-label { font-size: 14px; color: #333; } .knob-range { color: #777; font-size: 12px; }
.teaching-knob .v-input__slot { margin-bottom: 0; }
"""


@solara.component
def Page():
    # one model and one list of earlier runs per browser session, so two students on one server do not step
    # each other's run
    first = solara.use_memo(TeachingModel, dependencies=[])
    model = solara.use_reactive(first)
    knobs = solara.use_reactive(knob_values({}))
    earlier = solara.use_reactive([])
    shown = solara.use_ref(first)
    # Mesa's controller reads these as reactive values; the page fixes them (a class has no use for tuning them)
    play_interval, render_interval, threads = solara.use_reactive(50), solara.use_reactive(1), solara.use_reactive(False)

    def keep_the_replaced_run():
        if model.value is not shown.current:
            earlier.set(runs.remember(earlier.value, runs.from_model(shown.current, model_number(earlier.value))))
            shown.current = model.value

    solara.use_effect(keep_the_replaced_run, [model.value])
    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run the model"):
            ModelController(model, model_parameters=knobs, play_interval=play_interval, render_interval=render_interval,
                            use_threads=threads)
        with solara.Card("Knobs (applied at Reset)"):
            KnobInputs(knobs)
    with solara.Column(style={"max-width": "1280px"}):
        Explanation()
        RunStatus(model.value, earlier.value)
        Plots(model.value, earlier.value)
