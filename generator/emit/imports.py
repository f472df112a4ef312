"""Drop the names a generated module's import block imports but its code never uses.

Templates import everything any vendor might need; ruff's F401 fix would remove the rest, but
each fix round costs ruff another full lint of the file, and a 3 MB spec's client is 9 MB of
Python (three lints instead of one: about a quarter of a large run). This pass removes them
first, so ruff usually finds nothing to fix. It only ever removes a name that appears nowhere
in the code outside docstrings, so it cannot remove a used one; what it leaves, ruff still fixes.
"""

from __future__ import annotations

import ast

LINE_LENGTH = 120  # as the format pass (emit/formatting.py) sets it
_IDENTIFIER = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def drop_unused_imports(source: str) -> str:
    """``source`` without unused names in its top-level import block (unchanged if it cannot tell)."""
    lines = source.split("\n")
    statements, end = _import_block(lines)
    if not statements:
        return source
    code = _code_outside_docstrings(lines[end:])
    if code is None:
        return source
    out = lines[: statements[0][0]]
    previous = statements[0][0]
    for start, stop in statements:
        out.extend(lines[previous:start])
        previous = stop
        kept = _keep_used("\n".join(lines[start:stop]), code)
        if kept:
            out.extend(kept.split("\n"))
    out.extend(lines[previous:])
    return "\n".join(out)


def _import_block(lines: list[str]) -> tuple[list[tuple[int, int]], int]:
    """(start, stop) line ranges of the top-level import statements, and the line after the block."""
    statements: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(("from ", "import ")):
            stop = i + 1
            if line.rstrip().endswith("("):
                while stop < len(lines) and lines[stop - 1].strip() != ")":
                    stop += 1
            statements.append((i, stop))
            i = stop
            continue
        if statements and line.strip() and not line.startswith("#"):
            break  # the first statement after the block
        i += 1
    return statements, i


def _code_outside_docstrings(lines: list[str]) -> str | None:
    """The lines that are not docstrings, joined; None if a docstring seems never to close.

    Generated docstrings open with a line starting ``\"\"\"`` and close at a line ending with it
    (emit/pysource.py escapes quotes inside, so no text line ends that way).
    """
    code: list[str] = []
    inside = False
    for line in lines:
        stripped = line.strip()
        if inside:
            inside = not stripped.endswith('"""')
            continue
        if stripped.startswith('"""'):
            inside = not (len(stripped) >= 6 and stripped.endswith('"""'))
            continue
        code.append(line)
    return None if inside else "\n".join(code)


def _keep_used(statement: str, code: str) -> str:
    """``statement`` with only the names ``code`` uses ("" when none; unchanged when all)."""
    if "# noqa" in statement:  # kept on purpose (a re-export), as ruff keeps it
        return statement
    try:
        node = ast.parse(statement).body[0]
    except (SyntaxError, IndexError):
        return statement
    if not isinstance(node, (ast.Import, ast.ImportFrom)) or (
        isinstance(node, ast.ImportFrom) and node.module == "__future__"
    ):
        return statement
    used = [a for a in node.names if _is_used((a.asname or a.name).split(".")[0], code)]
    if len(used) == len(node.names):
        return statement
    if not used:
        return ""
    names = [f"{a.name} as {a.asname}" if a.asname else a.name for a in used]
    if isinstance(node, ast.Import):
        return "\n".join(f"import {n}" for n in names)
    module = "." * node.level + (node.module or "")
    one_line = f"from {module} import {', '.join(names)}"
    if len(one_line) <= LINE_LENGTH:
        return one_line
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"


def _is_used(name: str, code: str) -> bool:
    """Whether ``name`` occurs in ``code`` as a whole identifier, not as an attribute (``x.name``)."""
    start = code.find(name)
    while start != -1:
        before = code[start - 1] if start else " "
        after_index = start + len(name)
        after = code[after_index] if after_index < len(code) else " "
        if before not in _IDENTIFIER and before != "." and after not in _IDENTIFIER:
            return True
        start = code.find(name, start + 1)
    return False
