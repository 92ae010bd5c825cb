"""One self-contained HTML page: inline CSS, PNGs embedded as base64 data URIs, no scripts and no external
resources, so a steering group can open it offline (and a browser logs no errors)."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Iterable, Sequence

CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem auto; max-width: 1280px;
       padding: 0 1.5rem; color: #1d1d1d; line-height: 1.45; font-size: 17px; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; } h2 { margin-top: 2.4rem; border-bottom: 2px solid #1f5f9e; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: 15px; }
th, td { border: 1px solid #ccc; padding: .3rem .55rem; text-align: right; vertical-align: top; }
th { background: #eef3f8; } td.text, th.text { text-align: left; }
tr.nd td { color: #6b6b6b; } .nd-label { font-style: italic; color: #6b6b6b; }
.scroll { overflow-x: auto; } .note { color: #444; font-size: 15px; }
.summary { background: #f6f8fa; border-left: 4px solid #1f5f9e; padding: .5rem 1rem; }
.warning { background: #fff4e5; border-left: 4px solid #d9822b; padding: .5rem 1rem; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; margin: .5rem 0; }
nav ul { columns: 2; }
"""


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
        return f"<{tag}{cls}>{escape(str(value))}</{tag}>"

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
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def page(title: str, sections: list[tuple[str, str, str]], intro: str = "") -> str:
    """``sections``: (anchor id, heading, inner HTML)."""
    nav = "<nav><ul>" + "".join(f'<li><a href="#{escape(a)}">{escape(h)}</a></li>' for a, h, _ in sections) + "</ul></nav>"
    body = "".join(f'<section id="{escape(a)}"><h2>{escape(h)}</h2>{inner}</section>' for a, h, inner in sections)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{escape(title)}</title>"
            "<link rel=\"icon\" href=\"data:,\">"
            f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{intro}{nav}{body}</body></html>")
