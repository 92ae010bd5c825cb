"""Self-contained HTML pages: inline CSS, PNGs embedded as base64 data URIs, no scripts and no external
resources, so a steering group can open them offline (and a browser logs no errors). Sections fold with
``<details>`` (no script needed); a table of contents links to them."""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path
from typing import Iterable, Sequence

CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 1.2rem auto; max-width: 1320px;
       padding: 0 1.2rem; color: #1d1d1d; line-height: 1.4; font-size: 16px; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #0072B2; font-size: 1.35rem; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: .25rem .45rem; text-align: right; vertical-align: top; }
th { background: #eef3f8; } td.text, th.text { text-align: left; }
tr.nd td { color: #6b6b6b; } .nd-label { font-style: italic; color: #6b6b6b; }
.scroll { overflow-x: auto; } .note { color: #444; font-size: 14px; } .lede { color: #333; margin: .2rem 0 .6rem; }
.summary { background: #f6f8fa; border-left: 4px solid #0072B2; padding: .4rem 1rem; }
.warning { background: #fff4e5; border-left: 4px solid #D55E00; padding: .4rem 1rem; }
ul.warnings { background: #fff4e5; border-left: 4px solid #D55E00; padding: .4rem 1rem .4rem 2rem; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; margin: .4rem 0; }
nav.toc ul { columns: 3; margin: .3rem 0; } nav.toc { background: #f6f8fa; padding: .3rem 1rem; }
details { margin: .6rem 0; } details > summary { cursor: pointer; }
details > summary > h2, details > summary > h3, details > summary > h4 { display: inline; border: none; }
details.section { border-top: 2px solid #0072B2; padding-top: .3rem; margin-top: 1.4rem; }
table.decision { width: 100%; font-size: 14px; } table.decision td, table.decision th { padding: .2rem .35rem; }
table.decision tr.group th { background: #dde8f3; text-align: left; font-size: 15px; }
table.decision td.better { background: #e6f4ea; } table.decision td.worse { background: #fde8e4; }
table.decision .ci { display: block; color: #555; font-size: 12px; white-space: nowrap; }
table.decision td.nd { color: #6b6b6b; } table.decision ul { margin: 0; padding-left: 1rem; text-align: left; }
table.decision td.warn { color: #9a3a00; text-align: left; font-size: 13px; }
"""


class Raw(str):
    """Markup built by this module or by code that escaped its own text: not escaped again."""


def slug(text: str) -> str:
    """An id for an anchor: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def link(href: str, text: str) -> Raw:
    return Raw(f'<a href="{escape(href)}">{escape(text)}</a>')


def details(heading: str, inner: str, anchor: str = "", level: int = 2, open_: bool = False, cls: str = "") -> str:
    """A section that folds: its heading is the clickable summary."""
    attrs = (f' id="{escape(anchor)}"' if anchor else "") + (" open" if open_ else "") + (f' class="{cls}"' if cls else "")
    return f"<details{attrs}><summary><h{level}>{escape(heading)}</h{level}></summary>{inner}</details>"


def toc(entries: Iterable[tuple[str, str]]) -> str:
    """``entries``: (anchor or href, text)."""
    items = "".join(f'<li><a href="{escape(a if a.endswith(".html") else "#" + a)}">{escape(t)}</a></li>' for a, t in entries)
    return f'<nav class="toc" id="contents"><b>Contents</b><ul>{items}</ul></nav>'


def image(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def table(header: Sequence[str], rows: Iterable[Sequence[str]], text_columns: int = 1,
          row_classes: Iterable[str] | None = None) -> str:
    """A plain table; the first ``text_columns`` columns left-aligned, the rest right-aligned."""
    def cell(tag: str, i: int, value: str) -> str:
        # numbers right-aligned for comparison; words (verdicts, names) left-aligned
        numeric = str(value)[:1] in set("0123456789+-−[.>") or str(value).startswith("n/a")
        cls = ' class="text"' if i < text_columns or (tag == "td" and not numeric) else ""
        return f"<{tag}{cls}>{value if isinstance(value, Raw) else escape(str(value))}</{tag}>"

    classes = list(row_classes) if row_classes is not None else None
    head = "<tr>" + "".join(cell("th", i, h) for i, h in enumerate(header)) + "</tr>"
    body = []
    for n, row in enumerate(rows):
        cls = f' class="{classes[n]}"' if classes and classes[n] else ""
        body.append(f"<tr{cls}>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>")
    return '<div class="scroll"><table>' + head + "".join(body) + "</table></div>"


def paragraph(text: str, cls: str = "") -> str:
    return f'<p{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{escape(text)}</p>'


def bullets(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{i if isinstance(i, Raw) else escape(i)}</li>" for i in items) + "</ul>"


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{escape(title)}</title>"
            "<link rel=\"icon\" href=\"data:,\">"
            f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")
