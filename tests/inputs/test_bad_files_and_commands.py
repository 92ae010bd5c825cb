"""Bad files (scenario, population, costs, payment and experiment files that try to run code, read the
environment or are malformed), combinations of scenario files, sweep and comparison command lines: each is
refused clearly and leaves nothing behind (the cases: bad_file_cases.py; the checks: refusal.py)."""

from __future__ import annotations

import pytest

from bad_file_cases import CASES
from refusal import assert_refused_clearly


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_bad_file_or_command_is_refused_clearly_and_leaves_nothing(case, tmp_path, monkeypatch, capsys):
    assert_refused_clearly(case, tmp_path, monkeypatch, capsys)
