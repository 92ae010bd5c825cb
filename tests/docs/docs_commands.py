"""The commands the documentation shows, read from its Markdown, and how the tests run them.

What counts as a documented command (the harness's contract with doc writers):

* every line of a fenced block tagged ``bash`` (or ``sh``) in README.md and docs/**/*.md is one command;
  blank lines and lines that are only a comment are ignored, and a trailing ``# comment`` (a ``#`` after
  whitespace, outside quotes) is cut off;
* a line ending in a backslash continues on the next line, as in the shell: the command is the lines
  joined with single spaces (leading indentation of the continuation dropped);
* a fenced block tagged ``python`` is one snippet, named by its first line that is not an import
  (``from``/``import``) or a comment;
* a fenced block tagged ``yaml`` whose leading comment lines include ``# configs/<path>.yaml`` is a file the
  docs ask the reader to create; the harness writes it into its copy of the repository before running
  commands there. (A Hydra ``# @package`` line must stay the file's first line, so the path may follow it.)

Output examples go in untagged blocks (``````` alone); they are not run.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(\w*)\s*$")
SHELL_LANGUAGES = {"bash", "sh"}
CONFIG_FILE_HEADER = re.compile(r"^#\s*(configs/\S+\.yaml)\s*$")


@dataclass(frozen=True)
class Documented:
    """One command or snippet and where the docs show it (the first place, for messages)."""

    text: str
    where: str  # "README.md:123"


def documentation_files(root: Path = REPO_ROOT) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def fenced_blocks(markdown: str) -> list[tuple[str, int, list[str]]]:
    """(language, line number of the first content line, lines) of every fenced block."""
    blocks, language, start, lines = [], None, 0, []
    for number, line in enumerate(markdown.splitlines(), start=1):
        fence = FENCE.match(line.strip()) if line.lstrip().startswith("```") else None
        if language is None and fence:
            language, start, lines = fence.group(1).lower(), number + 1, []
        elif language is not None and line.strip().startswith("```"):
            blocks.append((language, start, lines))
            language = None
        elif language is not None:
            lines.append(line)
    return blocks


def strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a ``#`` at the start or after whitespace, outside quotes)."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def shell_commands(lines: list[str]) -> list[tuple[int, str]]:
    """(offset of the first line, command) of a shell block, continuation lines joined."""
    commands, pending, first = [], [], 0
    for offset, raw in enumerate(lines):
        line = strip_comment(raw).strip()
        if not pending:
            first = offset
        if not line and not pending:
            continue
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        pending.append(line)
        commands.append((first, " ".join(part for part in pending if part)))
        pending = []
    if pending:
        commands.append((first, " ".join(pending)))
    return commands


def snippet_name(lines: list[str]) -> str:
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith(("from ", "import ", "#")):
            return stripped
    raise ValueError("a python block with nothing but imports and comments")


def config_file_path(lines: list[str]) -> str | None:
    """``configs/...yaml`` named in the block's leading comment lines, if any."""
    for line in lines:
        if not line.startswith("#"):
            return None
        if match := CONFIG_FILE_HEADER.match(line.strip()):
            return match.group(1)
    return None


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def documented(root: Path = REPO_ROOT) -> tuple[dict[str, Documented], dict[str, Documented], dict[str, str]]:
    """Shell commands, python snippets (name -> code) and config files to create (path -> text)."""
    commands: dict[str, Documented] = {}
    snippets: dict[str, Documented] = {}
    files: dict[str, str] = {}
    for path in documentation_files(root):
        for language, start, lines in fenced_blocks(path.read_text(encoding="utf-8")):
            where = f"{_relative(path, root)}:{start}"
            if language in SHELL_LANGUAGES:
                for offset, command in shell_commands(lines):
                    commands.setdefault(command, Documented(command, f"{_relative(path, root)}:{start + offset}"))
            elif language == "python":
                code = "\n".join(lines) + "\n"
                snippets.setdefault(snippet_name(lines), Documented(code, where))
            elif language == "yaml" and (target := config_file_path(lines)):
                text = "\n".join(lines) + "\n"
                if files.get(target, text) != text:
                    raise ValueError(f"{where}: {target} is shown twice with different contents")
                files[target] = text
    return commands, snippets, files


# -- making a documented command smaller -----------------------------------------------------------------
def _key(token: str) -> str | None:
    """The Hydra override key of ``key=value`` (also ``+key=...``/``~key``), None for other arguments."""
    if token.startswith("-") or "=" not in token:
        return None
    return token.split("=", 1)[0].lstrip("+~")


def smaller(args: list[str], changes: tuple[str, ...]) -> list[str]:
    """``args`` with each change applied: ``key=value`` replaces the override of that key (or is added);
    ``--option value`` replaces that option's value (or is added); ``--flag`` is added if missing."""
    args = list(args)
    for change in changes:
        parts = shlex.split(change)
        head = parts[0]
        if head.startswith("--"):
            if head in args:
                i = args.index(head)
                args[i + 1:i + 1 + len(parts) - 1] = parts[1:]
            else:
                args += parts
            continue
        keys = [_key(a) for a in args]
        if _key(head) in keys:
            args[keys.index(_key(head))] = head
        else:
            args.append(head)
    return args
