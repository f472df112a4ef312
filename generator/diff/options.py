"""The oasdiff options that shape what is compared: path filters, path prefixes, excluded elements.

Each is applied to a parsed document before it is modelled, so every rule family sees the same
view. Names follow oasdiff's flags (``--match-path``, ``--strip-prefix-base``...) for people who switch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.errors import GeneratorError

# Elements --exclude-elements accepts. The diff never reports descriptions, examples, titles or
# summaries, so excluding them changes nothing; "extensions" drops every x-* key (x-sunset,
# x-stability-level...) before the comparison; "endpoints" drops endpoint added/removed findings.
ELEMENTS = ("description", "examples", "title", "summary", "extensions", "endpoints")
ENDPOINT_RULES = frozenset(
    {
        "endpoint-added",
        "api-path-removed-without-deprecation",
        "api-path-removed-before-sunset",
        "api-path-removed-with-deprecation",
        "api-removed-without-deprecation",
        "api-removed-before-sunset",
        "api-removed-with-deprecation",
        "api-path-sunset-parse",
    }
)

# Mappings whose keys are names chosen by the author, not keywords: an "x-" key there is a name.
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "paths", "responses", "headers", "schemas", "parameters",
        "requestBodies", "securitySchemes", "examples", "links", "callbacks", "webhooks", "variables", "scopes",
        "mapping", "dependentSchemas", "dependentRequired", "content", "encoding", "pathItems", "$defs",
        "definitions",
    }
)  # fmt: skip


@dataclass(frozen=True)
class DocumentOptions:
    """How one side's document is cut down before the comparison."""

    match_path: re.Pattern[str] | None = None
    unmatch_path: re.Pattern[str] | None = None
    strip_prefix: str = ""
    add_prefix: str = ""
    exclude: frozenset[str] = frozenset()

    def apply(self, doc: dict[str, Any]) -> None:
        """Filter and re-prefix the paths of ``doc`` and drop excluded elements, in place."""
        paths = doc.get("paths")
        if isinstance(paths, dict):
            kept: dict[str, Any] = {}
            for path, item in paths.items():
                key = str(path)
                if self.match_path is not None and not self.match_path.search(key):
                    continue
                if self.unmatch_path is not None and self.unmatch_path.search(key):
                    continue
                if self.strip_prefix and key.startswith(self.strip_prefix):
                    key = key[len(self.strip_prefix) :] or "/"
                kept[self.add_prefix + key] = item
            doc["paths"] = kept
        if "extensions" in self.exclude:
            _drop_extensions(doc, "")


def _drop_extensions(node: Any, parent_key: str) -> None:
    if isinstance(node, dict):
        if parent_key not in _NAME_MAPS:
            for key in [k for k in node if isinstance(k, str) and k.startswith("x-")]:
                del node[key]
        for key, value in node.items():
            _drop_extensions(value, str(key) if parent_key not in _NAME_MAPS else "")
    elif isinstance(node, list):
        for item in node:
            _drop_extensions(item, "")


def compile_path_pattern(pattern: str | None, flag: str) -> re.Pattern[str] | None:
    """A path regex from the command line, or a clear error naming the flag."""
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise GeneratorError(f"{flag}: not a regular expression: {exc}") from None


def parse_elements(values: list[str] | None) -> frozenset[str]:
    """``--exclude-elements`` values (comma-separated or repeated), checked against ``ELEMENTS``."""
    names = {v.strip() for value in values or () for v in value.split(",") if v.strip()}
    unknown = sorted(names - set(ELEMENTS))
    if unknown:
        raise GeneratorError(f"--exclude-elements: unknown {', '.join(unknown)} (choose from {', '.join(ELEMENTS)})")
    return frozenset(names)
