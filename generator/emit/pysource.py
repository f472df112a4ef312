"""Safe rendering of spec text as Python source: string literals and docstrings."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufeff]")


def py_literal(value: object) -> str:
    """A Python literal for a JSON value (str, int, float, bool, None, list, dict)."""
    if isinstance(value, str):
        # repr() always yields a valid, self-contained literal, whatever the text holds.
        return repr(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "None"
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    return repr(str(value))


def docstring_text(text: str) -> str:
    """Text that is safe inside a triple-double-quoted docstring.

    Backslashes are doubled, quotes that could close the string are escaped, and control
    characters are written as escapes, so spec prose cannot end the docstring early.
    """
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )
    # A final quote would meet the closing quotes; it is escaped unless an escape already covers
    # it (an odd run of backslashes before it: `\"""` became `\"\"\"` above).
    backslashes = len(text) - 1 - len(text[:-1].rstrip("\\"))
    if text.endswith('"') and backslashes % 2 == 0:
        text = text[:-1] + '\\"'
    return text


def docstring(lines: list[str], indent: str) -> str:
    """A complete docstring statement, indented, from lines of (unescaped) prose."""
    body = [docstring_text(part.rstrip()) for line in lines for part in line.splitlines() or [""]]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    if not body:
        return ""
    if len(body) == 1:
        return f'{indent}"""{body[0]}"""'
    rest = "\n".join(indent + line if line.strip() else "" for line in body[1:])
    return f'{indent}"""{body[0]}\n{rest}\n{indent}"""'
