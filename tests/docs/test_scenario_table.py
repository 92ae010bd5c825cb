"""The README's scenario table is generated from configs/scenario/*.yaml and cannot go stale.

``python -m sim.docs`` writes it between the README's ``scenarios:start``/``scenarios:end`` markers;
``python -m sim.docs --check`` (tests/unit/test_docs.py) fails when it is stale. These tests check what
the generator promises: every scenario file has its row with its own description, a file added to the
folder gets a row, and the sources column names the documents and lines the file cites.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim import docs

README = docs.README.read_text(encoding="utf-8")
SCENARIO_FILES = sorted((docs.CONFIGS / "scenario").glob("*.yaml"))


def readme_table() -> str:
    start = README.index(docs.SCENARIO_TABLE_START) + len(docs.SCENARIO_TABLE_START)
    return README[start:README.index(docs.SCENARIO_TABLE_END)]


def test_the_readme_table_is_the_generated_one():
    assert readme_table().strip() == docs.scenario_table_markdown().strip(), (
        "README.md's scenario table is stale: run `python -m sim.docs`")


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_scenario_file_has_its_row(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = [line for line in readme_table().splitlines() if f"[`{path.stem}`](configs/scenario/{path.name})" in line]
    assert len(rows) == 1, f"{path.name}: {len(rows)} rows in the README's scenario table"
    assert data["description"] in rows[0]


def test_a_new_scenario_file_gets_a_row(tmp_path: Path):
    for path in SCENARIO_FILES[:2]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "my_plan.yaml").write_text(
        'name: my_plan\ndescription: "A plan | with a bar."\ncoordinator:\n  enabled: true\n'
        'sources:\n  coordinator.enabled: "SST 2013 l.1902-1921 (a coach), l.1944-1946; assumption: staff"\n',
        encoding="utf-8")
    table = docs.scenario_table_markdown(tmp_path)
    row = next(line for line in table.splitlines() if "my_plan" in line)
    assert "A plan \\| with a bar." in row  # a | in a description cannot break the table
    assert "SST 2013 l.1902-1921, l.1944-1946; assumptions (see the file)" in row
    assert table.splitlines()[2].startswith("| [`baseline`]")  # usual care first, then by file name


def test_sources_name_documents_and_lines_in_order_of_mention():
    sources = {"a": "VIVE 2018 l.1-2 (x); Buch (DSI) l.3", "b": "Slides l.4, l.5 and VIVE 2018 l.6"}
    assert docs.main_sources(sources) == "VIVE 2018 l.1-2, l.6; Buch (DSI) l.3; Slides l.4, l.5"
    assert docs.main_sources({}) == "none (usual care)"


def test_missing_markers_are_an_error():
    with pytest.raises(ValueError, match="scenario table markers"):
        docs.readme_with_scenario_table("# a README without the markers\n")
