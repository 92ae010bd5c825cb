"""docs/ODD.md and docs/STRESS-DES.md must keep naming things that exist.

Every backticked name in the two documents is classified and checked against the code:

* repository paths (``sim/...``, ``experiments/...``, ``configs/...``, ``docs/...``, ``tests/...``) exist;
* dotted Python names (``sim.streams.Streams.patient``, ``mesa.Model.step``) import and resolve;
* ``Class``, ``Class.attribute`` and ``function`` resolve in a module the document cites by path;
* config keys (``pathways.p_handoff_fail_gp``, ``scenario.coordinator.*``, ``population=small``) exist in
  the composed default config, a scenario file, or the sweep schema;
* bare snake_case names are KPIs of ``sim.outcomes.KPI_SCHEMA`` or other things the model defines
  (fact tables, daily series columns, stream names, agent attributes); names shaped like KPIs must be KPIs;
* commands (``python -m ...``, ``make ...``) and output file names appear in README.md or its guides, where every
  documented command is exercised by a test;
* table rows ``| `key` | default | unit |`` state the schema's default and unit;
* the ODD has its seven elements in order and the eleven design concepts in order; STRESS-DES has its six
  sections and every checklist item in order.

A name that fits none of these fails, so the documents cannot drift into naming things nobody checks.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import re
from pathlib import Path

import pytest
import yaml

from sim import recorder, streams
from sim.config import SimConfig, iter_params
from sim.docs import _fmt, flatten_keys
from sim.hydra_app import compose_config
from sim.outcomes import KPI_BY_NAME

ROOT = Path(__file__).resolve().parents[2]
ODD = ROOT / "docs" / "ODD.md"
STRESS = ROOT / "docs" / "STRESS-DES.md"

ODD_ELEMENTS = ("1 Purpose and patterns", "2 Entities, state variables and scales", "3 Process overview and scheduling",
                "4 Design concepts", "5 Initialization", "6 Input data", "7 Submodels")
DESIGN_CONCEPTS = ("Basic principles", "Emergence", "Adaptation", "Objectives", "Learning", "Prediction", "Sensing",
                   "Interaction", "Stochasticity", "Collectives", "Observation")
STRESS_SECTIONS = ("1 Objectives", "2 Logic", "3 Data", "4 Experimentation", "5 Implementation", "6 Code access")
STRESS_ITEMS = ("1.1 Purpose of the model", "1.2 Model outputs", "1.3 Experimentation aims",
                "2.1 Base model overview diagram", "2.2 Base model logic", "2.3 Scenario logic", "2.4 Algorithms",
                "2.5 Components", "2.5.1 Entities", "2.5.2 Activities", "2.5.3 Resources", "2.5.4 Queues",
                "2.5.5 Entry and exit points", "3.1 Data sources", "3.2 Pre-processing", "3.3 Input parameters",
                "3.4 Assumptions", "4.1 Initialisation", "4.2 Run length", "4.3 Estimation approach",
                "5.1 Software or programming language", "5.2 Random sampling", "5.3 Model execution",
                "5.4 System specification", "6.1 Computer model sharing statement")

REPO_DIRS = ("sim", "experiments", "configs", "docs", "tests", "hydra_plugins")
PYTHON_ROOTS = ("sim", "experiments", "mesa", "simpy", "numpy", "random")
CONFIG_GROUPS = ("population", "scenario", "payment", "costs")
# KPI groups (sim.outcomes.patient_groups, team and move groups): "tier=high" names a group, not a key
KPI_GROUP_PREFIXES = ("tier", "condition", "vulnerable", "conditions", "team", "move")
# Expressions about the two clocks that are code, not names; anything else unclassified fails.
CODE_EXPRESSIONS = {"env.now", "model.time", "env.run(until=self.time)", "env.run(until=t)", "env.now == model.time",
                    "(seed, replication)", "scenario=[a,b]", "--precision"}
KPI_SHAPES = ("_per_1000py", "_dkk", "_rate_30d", "_occupancy", "_utilisation", "_fraction", "_wait_mean_days",
              "_wait_mean_hours_all", "_compliance_all", "_share")


# -- what the code defines ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def readme() -> str:
    """README.md and the guides it links to (docs/guides/), where the commands and output files moved."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs" / "guides").glob("*.md"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


@functools.lru_cache(maxsize=None)
def config_keys() -> frozenset[str]:
    """Dotted keys of the composed default config, of every scenario file, and of the sweep schema."""
    from experiments.sweep_config import SweepConfig

    keys = set(flatten_keys(dataclasses.asdict(compose_config([]))))
    for preset in (ROOT / "configs" / "scenario").glob("*.yaml"):
        data = yaml.safe_load(preset.read_text()) or {}
        data.pop("sources", None)
        keys |= {f"scenario.{k}" for k in flatten_keys(data)}
    keys |= {f"sweep.{f.name}" for f in dataclasses.fields(SweepConfig)}
    return frozenset(keys)


@functools.lru_cache(maxsize=None)
def known_terms() -> frozenset[str]:
    """Bare names the model defines: KPIs, fact tables, daily series, streams, agent attributes, config literals."""
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "sim").rglob("*.py")}
    model = sources[ROOT / "sim" / "model.py"]
    terms = set(KPI_BY_NAME) | set(recorder.FACT_TABLES) | set(recorder.EVENT_LOG_COLUMNS) | set(streams.PATIENT_PURPOSES)
    terms |= set(re.findall(r'"(\w+)": lambda m', model))                       # daily series columns
    for text in sources.values():
        terms |= set(re.findall(r'streams\.numpy\(f?"(\w+)', text))              # model-level streams
        terms |= set(re.findall(r"self\.(\w+)\s*(?::[^=\n]+)?=(?!=)", text))     # attributes agents keep
    for path in (ROOT / "sim" / "config").glob("*.py"):                         # policy names and other literals
        terms |= set(re.findall(r'"(\w+)"', sources[path]))
    terms |= {f.name for f in dataclasses.fields(SimConfig)}
    return frozenset(terms)


def resolve_dotted(name: str):
    """Import the longest importable module prefix of ``name`` and getattr the rest (AttributeError if absent)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


def cited_modules(tokens: list[str]) -> list:
    """The Python modules a document cites by path (``sim/agents/patient.py`` -> ``sim.agents.patient``)."""
    modules = []
    for token in tokens:
        if re.fullmatch(r"(sim|experiments)/[\w/]+\.py", token) and (ROOT / token).exists():
            modules.append(importlib.import_module(token[:-3].replace("/", ".")))
    return modules


def tables(text: str):
    """Markdown tables as (header cells, [row cells])."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|[-| :]+\|", lines[i + 1]):
            header = [c.strip() for c in lines[i].strip("|").split("|")]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip("|").split("|")])
                i += 1
            yield header, rows
        else:
            i += 1


# -- the checker ---------------------------------------------------------------------------------------
def backticked(text: str) -> list[str]:
    prose = re.sub(r"```.*?```", "", text, flags=re.S)  # the Mermaid diagram is not prose
    return re.findall(r"`([^`\n]+)`", prose)


def check_config_key(key: str) -> str | None:
    keys = config_keys()
    if key.endswith(".*"):
        prefix = key[:-1]
        return None if any(k.startswith(prefix) for k in keys) else f"no config keys under `{key}`"
    if "*" in key:
        prefix = key.split("*")[0]
        return None if any(k.startswith(prefix) for k in keys) else f"no config key matches `{key}`"
    return None if key in keys else f"config key `{key}` does not exist"


def check_token(token: str, names: dict[str, object]) -> str | None:
    """None if ``token`` names something that exists, else the problem."""
    top_config = {f.name for f in dataclasses.fields(SimConfig)} | {"sweep"}
    if token in CODE_EXPRESSIONS:
        return None
    if token.startswith(("python -m ", "make ")):
        return None if token in readme() else f"command `{token}` is not documented in README.md"
    if re.fullmatch(r"(%s)/[\w./-]*" % "|".join(REPO_DIRS), token):
        return None if (ROOT / token).exists() else f"path `{token}` does not exist"
    if token == "pyproject.toml":
        return None if (ROOT / token).exists() else "pyproject.toml does not exist"
    if "=" in token and " " not in token:
        key, value = token.split("=", 1)
        if key in CONFIG_GROUPS:
            if value.startswith("["):
                return None
            return None if (ROOT / "configs" / key / f"{value}.yaml").exists() else f"no preset `{token}`"
        if key in KPI_GROUP_PREFIXES:
            return None
        if "." in key and key.split(".")[0] in top_config:
            return check_config_key(key)
        return f"`{token}` is neither a preset nor a config override"
    if "/" in token or re.search(r"\.(json|parquet|yaml|toml|md|py|html|csv)$", token):
        # output files and folders of a run or a sweep: the README documents them
        return None if token in readme() else f"`{token}` is not a repository path or an output the README documents"
    if re.fullmatch(r"[A-Za-z_][\w.]*", token) and token.split(".")[0] in PYTHON_ROOTS and "." in token:
        try:
            resolve_dotted(token)
        except (ImportError, AttributeError) as err:
            return f"`{token}` does not resolve ({err})"
        return None
    if re.fullmatch(r"[a-z_][\w]*(\.[\w*]+)+", token) and token.split(".")[0] in top_config:
        return check_config_key(token)
    if re.fullmatch(r"[A-Z]\w*(\.\w+)*", token):
        head, *rest = token.split(".")
        cls = names.get(head)
        if not isinstance(cls, type):
            return f"class `{head}` is not defined in a module this document cites by path"
        obj = cls
        for attr in rest:
            if not hasattr(obj, attr):
                return f"`{token}`: {head} has no attribute {attr!r}"
            obj = getattr(obj, attr)
        return None
    if re.fullmatch(r"[a-z_][a-z0-9_]*", token):
        if token.endswith(KPI_SHAPES) and token not in KPI_BY_NAME:
            return f"`{token}` looks like a KPI but is not in sim.outcomes.KPI_SCHEMA"
        if token in known_terms() or callable(names.get(token)):  # a function of a module cited by path
            return None
        return f"`{token}` is not a KPI, a name the model defines, or a function of a module cited by path"
    return f"`{token}` is not a name this test can check (rephrase it, or teach the test)"


def problems(text: str) -> list[str]:
    tokens = backticked(text)
    names: dict[str, object] = {}  # classes and functions of the modules the document cites by path
    for module in cited_modules(tokens):
        names.update({name: obj for name, obj in vars(module).items() if isinstance(obj, type) or callable(obj)})
    found = [p for p in (check_token(t, names) for t in dict.fromkeys(tokens)) if p]
    defaults, meta = SimConfig(), dict(iter_params())
    for header, rows in tables(text):
        if header[:3] != ["parameter", "default", "unit"]:
            continue
        for key_cell, default, unit, *_ in rows:
            key = key_cell.strip("`")
            if key not in meta:
                found.append(f"table row `{key}` is not a parameter")
                continue
            value = functools.reduce(getattr, key.split("."), defaults)
            if default != _fmt(value):
                found.append(f"`{key}`: the table says default {default}, the schema {_fmt(value)}")
            if unit != meta[key].metadata["unit"]:
                found.append(f"`{key}`: the table says unit {unit!r}, the schema {meta[key].metadata['unit']!r}")
    return found


def headings(text: str, level: int) -> list[str]:
    return re.findall(r"^%s (.+)$" % ("#" * level), text, flags=re.M)


# -- the tests -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("doc", [ODD, STRESS], ids=["ODD", "STRESS-DES"])
def test_every_name_in_the_document_exists(doc):
    assert problems(doc.read_text(encoding="utf-8")) == []


def test_odd_has_its_seven_elements_and_eleven_design_concepts_in_order():
    text = ODD.read_text(encoding="utf-8")
    assert headings(text, 2) == list(ODD_ELEMENTS)
    concepts = text.split("## 4 Design concepts", 1)[1].split("## 5 Initialization", 1)[0]
    assert headings(concepts, 3) == list(DESIGN_CONCEPTS)
    # "not modelled" must be said plainly where the code has no such mechanism
    for concept in ("Objectives", "Learning", "Prediction"):
        body = concepts.split(f"### {concept}", 1)[1].split("###", 1)[0]
        assert "Not modelled" in body, concept


def test_stress_des_has_its_six_sections_and_every_item_in_order():
    text = STRESS.read_text(encoding="utf-8")
    assert headings(text, 2) == list(STRESS_SECTIONS)
    positions = [text.find(f"{item}.") for item in STRESS_ITEMS]
    assert all(p >= 0 for p in positions), [i for i, p in zip(STRESS_ITEMS, positions) if p < 0]
    assert positions == sorted(positions), "STRESS-DES items out of order"
    assert "```mermaid" in text, "2.1 needs the base model diagram"


def test_the_checker_catches_names_that_moved():
    """The checks above can fail: each kind of drift, made in a copy of the ODD, is reported by name."""
    text = ODD.read_text(encoding="utf-8")
    drifts = {  # what changes in the text -> what the report must mention
        ("`sim/agents/patient.py`", "`sim/agents/patients.py`"): "sim/agents/patients.py",   # a moved file
        ("`Patient.lifecycle`", "`Patient.life_cycle`"): "life_cycle",                         # a renamed method
        ("`sim.streams.PATIENT_PURPOSES`", "`sim.streams.PURPOSES`"): "sim.streams.PURPOSES",  # a renamed constant
        ("`pathways.p_handoff_fail_gp`", "`pathways.p_handoff_failure_gp`"): "p_handoff_failure_gp",  # a config key
        ("`readmission_rate_30d`", "`readmission_rate_30_days`"): "readmission_rate_30_days",  # a renamed KPI
        ("| `run.warmup_days` | 270 | days |", "| `run.warmup_days` | 180 | days |"): "default 180",  # a default
        ("`python -m sim.warmup population=small`", "`python -m sim.warmup --fast`"): "sim.warmup --fast",  # a command
    }
    assert problems(text) == []
    for (old, new), expected in drifts.items():
        assert old in text, f"the drift test needs {old} in docs/ODD.md"
        found = problems(text.replace(old, new))
        assert any(expected in p for p in found), (new, found)
    assert headings(text.replace("## 6 Input data", "## 6 Inputs"), 2) != list(ODD_ELEMENTS)
