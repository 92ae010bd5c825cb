"""Bad values on the command line are refused clearly and leave nothing behind: numbers (non-finite, out of
range, impossible capacities and populations), types (flags given as 2 or yes), enumerations, keys and names
(the cases: bad_input_cases.py; the checks: refusal.py). With test_bad_files_and_commands.py, well over 120
distinct bad inputs, split in two modules so the suite's two workers share them."""

from __future__ import annotations

import pytest

from bad_file_cases import CASES as FILE_CASES
from bad_input_cases import ENUMS, KEYS, NAMES, NUMBERS, TYPES
from refusal import assert_refused_clearly

CASES = [*NUMBERS, *TYPES, *ENUMS, *KEYS, *NAMES]


def test_the_tables_hold_well_over_120_distinct_cases():
    every = [*CASES, *FILE_CASES]
    ids = [c.id for c in every]
    assert len(ids) == len(set(ids)) >= 150
    assert len({(c.command, c.args, tuple(c.files.items())) for c in every}) == len(every)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_bad_value_is_refused_clearly_and_leaves_nothing(case, tmp_path, monkeypatch, capsys):
    assert_refused_clearly(case, tmp_path, monkeypatch, capsys)
