"""The fingerprint tool (python -m experiments.fingerprint): a changed output is named and fails the check,
an unknown case is refused. Its documented commands run under the docs harness (tests/docs)."""

from __future__ import annotations

import json

import pytest

from experiments import fingerprint


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = tmp_path_factory.mktemp("fp") / "fingerprints.json"
    assert fingerprint.main(["--write", str(path), "--cases", "baseline", "--jobs", "1"]) == 0
    return path


def test_a_check_of_the_same_code_is_identical(written, capsys):
    assert fingerprint.main(["--check", str(written), "--cases", "baseline", "--jobs", "1"]) == 0
    assert "1 cases, 6 outputs: all identical" in capsys.readouterr().out


def test_a_changed_output_is_named_and_fails(written, tmp_path, capsys):
    data = json.loads(written.read_text())
    data["baseline"]["kpis/1"] = "0" * 64
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    assert fingerprint.main(["--check", str(changed), "--cases", "baseline", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "differs: baseline kpis/1" in out and "1 differ" in out


def test_an_unknown_case_is_refused(written):
    with pytest.raises(SystemExit) as exit_:
        fingerprint.main(["--check", str(written), "--cases", "no_such_scenario"])
    assert exit_.value.code == 2
