"""Release metadata agrees with the package: CITATION.cff, CHANGELOG.md, LICENSE and pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_citation_names_the_package_version_and_licence():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # The fields GitHub's "Cite this repository" and cffconvert require.
    for field in ("cff-version", "message", "title", "authors", "version", "license"):
        assert citation.get(field), field
    assert str(citation["version"]) == project()["version"]
    assert citation["license"] == project()["license"]


def test_changelog_has_an_entry_for_the_package_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, flags=re.MULTILINE)
    assert project()["version"] in released
    assert "## [Unreleased]" in changelog


def test_licence_file_is_the_declared_licence():
    assert project()["license"] == "MIT" and project()["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
