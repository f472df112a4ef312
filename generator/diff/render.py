"""Render a report as text, JSON, Markdown (a PR comment), a changelog, or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from json.encoder import encode_basestring as _string  # what json.dumps(ensure_ascii=False) writes a str as
from operator import attrgetter

from generator.diff.gc_pause import gc_paused
from generator.diff.model import JSON_FIELDS, Finding, level_rank
from generator.diff.rollup import API_WIDE, Rollup, change_text, operations_text, rollup, summary

FORMATS = ("text", "json", "markdown", "html", "changelog", "github")
MARKDOWN_LIMIT = 65_536  # GitHub's limit on a pull-request comment
_TOP = 10  # rules and schemas listed in a roll-up
_ROLLUP_FROM = 6  # fewer findings than this read fine without a roll-up

Renderer = Callable[[Sequence[Finding], str, str, Sequence[str]], str]
# Every renderer runs with the cyclic collector paused (``gc_pause``): a report builds thousands of
# small tuples and lists, and each collection they set off would walk the diff's trees again.


def _groups(findings: Iterable[Finding]) -> Iterable[tuple[str, list[Finding]]]:
    ordered = sorted(findings, key=lambda f: f.sort_key)
    for key, items in groupby(ordered, key=lambda f: f.operation):
        yield key, list(items)


@gc_paused()
def render_text(findings: Sequence[Finding], old: str, new: str, notes: Sequence[str] = ()) -> str:
    """A roll-up, the changes repeated across operations once each, then the rest by operation."""
    lines = [f"note: {n}" for n in notes] + ([""] if notes else [])
    if not findings:
        return "\n".join([*lines, f"no differences between {old} and {new}", ""])
    r = rollup(findings)
    lines += [f"{old} → {new}: {r.total} finding(s) ({summary(r.by_level)})", ""]
    if r.total >= _ROLLUP_FROM:
        lines.append("by rule:")
        lines += [f"  {level:<4} {rule}: {n}" for rule, level, n in r.by_rule[:_TOP]]
        lines += [f"  ... {len(r.by_rule) - _TOP} more rule(s)"] if len(r.by_rule) > _TOP else []
        if r.by_schema:
            lines.append("by schema:")
            lines += [f"  {schema}: {n}" for schema, n in r.by_schema[:_TOP]]
            lines += [f"  ... {len(r.by_schema) - _TOP} more schema(s)"] if len(r.by_schema) > _TOP else []
        lines.append("")
    if r.repeated:
        lines.append("repeated across operations:")
        for rep in r.repeated:
            f = rep.first
            lines.append(f"  {f.level:<4} {f.id}: `{rep.subject}`: {change_text(f)}")
            lines.append(f"       in {len(rep.operations)} operations: {operations_text(rep.operations)}")
            lines.append(f"       client: {f.impact}")
        lines.append("")
    for operation, items in _groups(r.rest):
        op_id = items[0].operation_id
        lines.append(f"{operation or API_WIDE}" + (f"  [{op_id}]" if op_id else ""))
        for f in items:
            lines.append(f"  {f.level:<4} {f.id}: {f.message}")
            lines.append(f"       client: {f.impact}")
        lines.append("")
    return "\n".join(lines)


@gc_paused()
def render_json(findings: Sequence[Finding], old: str, new: str, notes: Sequence[str] = ()) -> str:
    """Machine-readable: every field of every finding, the roll-up counts and the notes."""
    r = rollup(findings)
    head = {
        "old": old,
        "new": new,
        "summary": {level: r.by_level[level] for level in ("ERR", "WARN", "INFO")},
        "by_rule": {rule: n for rule, _, n in r.by_rule},
        "by_schema": dict(r.by_schema),
        "repeated": [
            {"id": rep.first.id, "schema": rep.first.schema, "field": rep.first.field, "operations": rep.operations}
            for rep in r.repeated
        ],
    }
    members = [(key, [_indented(value, "\n  ")]) for key, value in head.items()]
    members.append(("findings", _findings_json(r.ordered, "\n  ")))
    members.append(("notes", [_indented(list(notes), "\n  ")]))
    # What ``_indented`` writes for the whole report, joined once: a report runs to megabytes, and
    # every concatenation of the whole would copy it again.
    out = ["{"]
    for i, (key, pieces) in enumerate(members):
        out.append(("," if i else "") + "\n  " + _string(key) + ": ")
        out += pieces
    out.append("\n}\n")
    return "".join(out)


_finding_values = attrgetter(*JSON_FIELDS)


def _findings_json(findings: Sequence[Finding], indent: str) -> list[str]:
    """The pieces of ``_indented([f.to_json() for f in findings], indent)``, in order.

    Most of a large report is findings, and most of their fields are strings: they are written
    column by column (one field of every finding at a time, strings escaped by the C encoder
    in one pass), then each finding from a template of its keys, with no dict built per finding.
    """
    if not findings:
        return ["[]"]
    inner, field_indent = indent + "  ", indent + "    "
    template = (
        "{"
        + field_indent
        + ("," + field_indent).join(_string(name).replace("%", "%%") + ": %s" for name in JSON_FIELDS)
        + inner
        + "}"
    )
    columns = []
    for column in zip(*map(_finding_values, findings), strict=True):
        if set(map(type, column)) == {str}:
            columns.append(list(map(_string, column)))
        else:
            columns.append([_string(v) if type(v) is str else _indented(v, field_indent) for v in column])
    pieces = ["," + inner] * (2 * len(findings) - 1)
    pieces[::2] = map(template.__mod__, zip(*columns, strict=True))
    return ["[", inner, *pieces, indent, "]"]


def _indented(value: object, indent: str = "\n") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, written out directly.

    The json module indents with its pure-Python encoder, the slow part of a large report; this
    covers what a report holds (mappings with string keys, lists, tuples, strings, integers, None,
    booleans) and hands anything else to json.
    """
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    inner = indent + "  "
    if type(value) is dict:
        if not value:
            return "{}"
        if not all(type(key) is str for key in value):
            return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", indent)
        parts = [
            f"{_string(key)}: {_string(item) if type(item) is str else _indented(item, inner)}"
            for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(parts) + indent + "}"
    if type(value) is list or type(value) is tuple:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + indent + "]"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", indent)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


_ICON = {"ERR": "🔴", "WARN": "🟡", "INFO": "🔵"}
_TABLE_HEAD = ["| level | rule | change | client impact |", "| --- | --- | --- | --- |"]


def _md_row(f: Finding) -> str:
    return f"| {_ICON[f.level]} {f.level} | `{f.id}` | {_md(f.message)} | {_md(f.impact)} |"


def _md_rollup(r: Rollup) -> list[str]:
    if r.total < _ROLLUP_FROM:
        return []
    out = ["<details><summary>By rule</summary>", "", "| rule | level | findings |", "| --- | --- | --- |"]
    out += [f"| `{rule}` | {level} | {n} |" for rule, level, n in r.by_rule]
    out += ["", "</details>", ""]
    if r.by_schema:
        out += ["<details><summary>By schema</summary>", "", "| schema | findings |", "| --- | --- |"]
        out += [f"| `{_md(schema)}` | {n} |" for schema, n in r.by_schema]
        out += ["", "</details>", ""]
    return out


@gc_paused()
def render_markdown(findings: Sequence[Finding], old: str, new: str, notes: Sequence[str] = ()) -> str:
    """A pull-request comment: roll-up, repeated changes, then one collapsed section per operation.

    It never exceeds GitHub's 65,536 characters: past the limit, sections are left out and
    counted ("N more"), pointing to ``--format html`` or ``json`` for everything.
    """
    if not findings:
        return f"### API diff\n\nNo differences between `{old}` and `{new}`.\n" + _markdown_notes(notes)
    r = rollup(findings)
    head = [f"### API diff: `{old}` → `{new}`", "", f"**{r.total} finding(s)**: {summary(r.by_level)}", ""]
    head += _md_rollup(r)
    # Sections of rows, each row with the number of findings it stands for, so that the limit can cut
    # inside a section and still close its markup and count what it left out.
    sections: list[tuple[str, list[tuple[str, int]], str]] = []
    if r.repeated:
        opening = "\n".join(
            [
                f"<details open><summary>Repeated across operations ({len(r.repeated)})</summary>",
                "",
                "| level | rule | field | change | operations |",
                "| --- | --- | --- | --- | --- |",
                "",
            ]
        )
        rows = [
            (
                f"| {_ICON[rep.first.level]} {rep.first.level} | `{rep.first.id}` | `{_md(rep.subject)}` | "
                f"{_md(change_text(rep.first))} | {len(rep.operations)}: {_md(operations_text(rep.operations))} |\n",
                len(rep.operations),
            )
            for rep in r.repeated
        ]
        sections.append((opening, rows, "\n</details>\n"))
    for operation, items in _groups(r.rest):
        op_id = items[0].operation_id
        counts = {lvl: sum(1 for f in items if f.level == lvl) for lvl in ("ERR", "WARN", "INFO")}
        worst = max(items, key=lambda f: level_rank(f.level)).level
        title = f"`{operation}`" + (f" ({_md(op_id)})" if op_id else "") if operation else API_WIDE
        line = f"{_ICON[worst]} {title}: " + ", ".join(f"{n} {lvl}" for lvl, n in counts.items() if n)
        opening = "\n".join([f"<details><summary>{line}</summary>", "", *_TABLE_HEAD, ""])
        sections.append((opening, [(_md_row(f) + "\n", 1) for f in items], "\n</details>\n"))
    tail = _markdown_notes(notes)
    if len(tail) > MARKDOWN_LIMIT // 8:
        tail = f"\n_{len(notes)} note(s) on the specs: see `--format text`, `json` or `html`._\n"
    text = "\n".join(head) + "\n"
    budget = MARKDOWN_LIMIT - len(tail) - 400  # room for the closing "N more" line
    left_out = left_sections = 0
    for opening, rows, closing in sections:
        if left_out or len(text) + len(opening) + len(closing) > budget:
            left_out += sum(n for _, n in rows)
            left_sections += 1
            continue
        text += opening
        for index, (row, _n) in enumerate(rows):
            if len(text) + len(row) + len(closing) + 120 > budget:
                rest = sum(n for _, n in rows[index:])
                text += f"\n_… and {rest} more finding(s) here._\n"
                left_out += rest
                break
            text += row
        text += closing + "\n"
    if left_out:
        text += (
            f"\n_… and {left_out} more finding(s)"
            + (f" in {left_sections} more section(s)" if left_sections else "")
            + " left out to fit a GitHub comment (65,536 characters): `--format html` or `--format json` has them "
            "all._\n"
        )
    return text + tail


def _markdown_notes(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    items = "\n".join(f"- {_md(n)}" for n in notes)
    return f"\n<details><summary>{len(notes)} note(s) on the specs</summary>\n\n{items}\n\n</details>\n"


@gc_paused()
def render_changelog(findings: Sequence[Finding], old: str, new: str, notes: Sequence[str] = ()) -> str:
    """Grouped by operation, as oasdiff's changelog: one line per change, the most severe first."""
    word = {"ERR": "error", "WARN": "warning", "INFO": "info"}
    lines = [f"# API Changelog {old} vs. {new}", ""]
    if not findings:
        lines.append("No changes.")
    for operation, items in _groups(findings):
        lines += [f"## {operation or API_WIDE}", ""]
        lines += [f"- :{word[f.level]}: [{f.id}] {change_text(f)}" + _at(f) for f in items]
        lines.append("")
    if notes:
        lines += ["## Notes on the specs", "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _at(f: Finding) -> str:
    return f" (at {f.location})" if f.location and not f.location.startswith(("operationId", "tags")) else ""


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@gc_paused()
def render_github(findings: Sequence[Finding], old: str, new: str, notes: Sequence[str] = ()) -> str:
    """GitHub Actions workflow commands: one annotation per finding, on the file and line of the change."""
    command = {"ERR": "error", "WARN": "warning", "INFO": "notice"}
    lines = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        props = []
        if f.file:
            props.append(f"file={_escape_property(f.file)}")
            if f.line is not None:
                props.append(f"line={f.line}")
        title = f"{f.id}" + (f" ({f.operation})" if f.operation else "")
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{command[f.level]} {','.join(props)}::{_escape_data(f'{f.message}. Client: {f.impact}')}")
    lines.extend(f"::notice title=spec note::{_escape_data(n)}" for n in notes)
    return "\n".join(lines) + ("\n" if lines else "")


def renderer(name: str) -> Renderer:
    """The renderer of a ``--format``."""
    if name == "html":
        # Only an HTML report pays for importing its renderer (and the html module).
        from generator.diff.render_html import render_html

        return render_html
    return _RENDERERS[name]


_RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "changelog": render_changelog,
    "github": render_github,
}
