"""``--format html``: one self-contained page (no external assets) with filters by level and operation."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from generator.diff.gc_pause import gc_paused
from generator.diff.model import Finding
from generator.diff.rollup import API_WIDE, change_text, operations_text, rollup, summary

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1f2328}
table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{font:12px ui-monospace,monospace}
.ERR{color:#cf222e;font-weight:600}.WARN{color:#9a6700;font-weight:600}.INFO{color:#0969da}
#filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #d0d7de}
.hidden{display:none}
"""

# Rows carry data-level and data-op; the filters hide rows that do not match.
_SCRIPT = """
function applyFilters(){
  const levels=new Set([...document.querySelectorAll('#filters input[type=checkbox]:checked')].map(e=>e.value));
  const op=document.getElementById('op').value;
  const text=document.getElementById('text').value.toLowerCase();
  let shown=0;
  for(const row of document.querySelectorAll('tr[data-level]')){
    const ok=levels.has(row.dataset.level)&&(!op||row.dataset.op===op)&&
      (!text||row.textContent.toLowerCase().includes(text));
    row.classList.toggle('hidden',!ok); if(ok) shown++;
  }
  document.getElementById('count').textContent=shown+' shown';
}
document.querySelectorAll('#filters input,#filters select').forEach(e=>e.addEventListener('input',applyFilters));
applyFilters();
"""


@gc_paused()
def render_html(findings: Sequence[Finding], old: str, new: str, notes: Sequence[str] = ()) -> str:
    """The whole report as one HTML page: roll-up, repeated changes, and every finding with filters."""
    r = rollup(findings)
    title = f"API diff: {old} → {new}"
    ops = sorted({f.operation for f in findings})
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p><strong>{r.total} finding(s)</strong>: {escape(summary(r.by_level))}</p>",
    ]
    if notes:
        out.append(f"<details><summary>{len(notes)} note(s) on the specs</summary><ul>")
        out += [f"<li>{escape(n)}</li>" for n in notes]
        out.append("</ul></details>")
    if findings:
        out.append("<details><summary>By rule</summary><table><tr><th>rule</th><th>level</th><th>findings</th></tr>")
        out += [
            f'<tr><td><code>{escape(rule)}</code></td><td class="{level}">{level}</td><td>{n}</td></tr>'
            for rule, level, n in r.by_rule
        ]
        out.append("</table></details>")
    if r.by_schema:
        out.append("<details><summary>By schema</summary><table><tr><th>schema</th><th>findings</th></tr>")
        out += [f"<tr><td><code>{escape(s)}</code></td><td>{n}</td></tr>" for s, n in r.by_schema]
        out.append("</table></details>")
    if r.repeated:
        out.append("<h2>Repeated across operations</h2><table>")
        out.append("<tr><th>level</th><th>rule</th><th>field</th><th>change</th><th>operations</th></tr>")
        for rep in r.repeated:
            f = rep.first
            out.append(
                f'<tr><td class="{f.level}">{f.level}</td><td><code>{escape(f.id)}</code></td>'
                f"<td><code>{escape(rep.subject)}</code></td><td>{escape(change_text(f))}</td>"
                f'<td title="{escape(", ".join(rep.operations))}">{len(rep.operations)}: '
                f"{escape(operations_text(rep.operations))}</td></tr>"
            )
        out.append("</table>")
    out.append('<h2>All findings</h2><div id="filters">')
    out += [f'<label><input type="checkbox" value="{lvl}" checked> {lvl}</label> ' for lvl in ("ERR", "WARN", "INFO")]
    out.append('<select id="op"><option value="">all operations</option>')
    out += [f'<option value="{escape(op)}">{escape(op or API_WIDE)}</option>' for op in ops]
    out.append('</select> <input id="text" type="search" placeholder="filter text"> <span id="count"></span></div>')
    out.append("<table><tr><th>operation</th><th>level</th><th>rule</th><th>change</th><th>client impact</th></tr>")
    for f in sorted(findings, key=lambda f: f.sort_key):
        out.append(
            f'<tr data-level="{f.level}" data-op="{escape(f.operation)}"><td><code>{escape(f.operation or API_WIDE)}'
            f'</code></td><td class="{f.level}">{f.level}</td><td><code>{escape(f.id)}</code></td>'
            f"<td>{escape(f.message)}</td><td>{escape(f.impact)}</td></tr>"
        )
    out.append(f"</table><script>{_SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"
