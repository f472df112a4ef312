"""Fetch a source (file or http(s) URL) and find the OpenAPI document in it.

A source is either a whole OpenAPI document (YAML or JSON) or a vendor docs page that embeds
one in a fenced block: ```` ```yaml ```` or ```` ````yaml specs/x.yml post /path ```` as the
seeds in ``shared/seeds`` show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError
from generator.importer import DEFAULT_TIMEOUT
from generator.importer.errors import ImportError_
from generator.importer.yamlio import load_layout
from generator.spec.loader import MAX_FILE_BYTES, parse_text, read_text

_FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_OPENAPI_LINE = re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)
_DOCUMENT_START = re.compile(r"""^(\{|["']?(openapi|swagger|info|paths|components)["']?\s*:)""")
_SPEC_LANGS = {"", "yaml", "yml", "json", "openapi"}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):/")


@dataclass
class Source:
    """An OpenAPI document read from a source, plain and (for YAML) with its layout."""

    label: str
    document: dict[str, Any]
    # The same document loaded by ruamel.yaml (comments and scalar styles kept), or the plain one for JSON.
    layout: Any
    text: str
    # 1-based line of the document's first line inside the fetched text (1 for whole documents).
    first_line: int = 1
    from_page: bool = False
    # The whole fetched page when the document was embedded in one.
    page: str = ""

    @property
    def is_json(self) -> bool:
        """True when the document is written in JSON (a new vendor's spec is then written in JSON too)."""
        return self.text.lstrip("\ufeff \t\r\n").startswith("{")


def is_url(source: str) -> bool:
    """True for http(s) URLs."""
    return source.startswith(("http://", "https://"))


def fetch_text(source: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The text of a local file or an http(s) URL; clear errors for every failure."""
    scheme = _SCHEME.match(source)
    if scheme and not is_url(source):
        raise ImportError_(
            f"{source}: unsupported URL scheme {scheme.group(1)!r}; SOURCE must be a local file or an http(s) URL "
            "(download it first and import the file)"
        )
    if not is_url(source):
        try:
            return read_text(Path(source))
        except GeneratorError as exc:
            raise ImportError_(f"cannot read source: {exc}") from None
    import httpx  # only for URL sources; keeps every other command's start-up fast

    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            response = client.get(source, headers={"Accept": "application/yaml, application/json, text/*;q=0.9"})
            response.raise_for_status()
    except httpx.TimeoutException:
        raise ImportError_(f"cannot fetch {source}: no answer within {timeout:g} s") from None
    except httpx.HTTPStatusError as exc:
        raise ImportError_(f"cannot fetch {source}: HTTP {exc.response.status_code}") from None
    except httpx.HTTPError as exc:
        raise ImportError_(f"cannot fetch {source}: {exc.__class__.__name__}: {exc}") from None
    if len(response.content) > MAX_FILE_BYTES:
        raise ImportError_(f"cannot use {source}: over the {MAX_FILE_BYTES} byte limit")
    return response.text


def load_source(source: str, timeout: float = DEFAULT_TIMEOUT) -> Source:
    """Fetch ``source`` and return the OpenAPI document it holds or embeds, its file references bundled."""
    from generator.importer.bundle import bundle_file, bundle_remote, external_refs

    found = parse_source(source, fetch_text(source, timeout))
    if not external_refs(found.document, local=True):
        return found
    # A multi-file document, or one referring outside #/components (`#/$defs/X`): what is
    # imported is the bundle, as the spec loader reads it for `generate`.
    if is_url(source) or found.from_page:
        bundled = bundle_remote(source, found.text, timeout)
    else:
        bundled = bundle_file(Path(source))
    return _checked(Source(found.label, bundled, None, found.text, found.first_line, found.from_page, found.page))


def parse_source(label: str, text: str) -> Source:
    """Find the OpenAPI document in fetched text: the whole text, or one fenced block of a page."""
    whole = _try_parse(text, label)
    if isinstance(whole, dict) and ("openapi" in whole or "swagger" in whole):
        return _checked(Source(label, whole, _layout(text, label), text))
    blocks = list(_fenced_blocks(text))
    spec_blocks = [b for b in blocks if b[2] in _SPEC_LANGS and _OPENAPI_LINE.search(b[3])]
    if not spec_blocks:
        if _looks_like_document(text):
            # A document that does not parse: report the parser's located error.
            _parse(text, label, 1)
            raise ImportError_(f"{label}: not an OpenAPI document: no top-level `openapi` field")
        raise ImportError_(
            f"{label}: no OpenAPI document found: the text is not one, and it embeds no ```yaml or ```json block "
            "with an `openapi:` field. The vendor seems to document this API only in prose; write the spec by "
            "hand (see specs/clarityq/openapi.yaml for one transcribed from such a page, each fact annotated "
            "with its source)."
        )
    if len(spec_blocks) > 1:
        lines = ", ".join(str(b[0]) for b in spec_blocks)
        raise ImportError_(
            f"{label}: the page embeds {len(spec_blocks)} OpenAPI blocks (lines {lines}); "
            "save the one to import to a file and import that"
        )
    start, closed, _lang, body = spec_blocks[0]
    if not closed:
        raise ImportError_(f"{label}:{start}: the OpenAPI block opened here is never closed; the page looks truncated")
    data = _parse(body, label, start + 1)
    if not isinstance(data, dict) or "openapi" not in data:
        raise ImportError_(f"{label}:{start + 1}: the embedded block is not an OpenAPI document")
    return _checked(Source(label, data, _layout(body, label), body, first_line=start + 1, from_page=True, page=text))


def _checked(source: Source) -> Source:
    doc = source.document
    if "swagger" in doc and "openapi" not in doc:
        raise ImportError_(f"{source.label}: Swagger 2.0 documents are not supported; convert to OpenAPI 3 first")
    if not str(doc.get("openapi", "")).startswith("3."):
        raise ImportError_(f"{source.label}: unsupported OpenAPI version {doc.get('openapi')!r}")
    if not isinstance(doc.get("paths"), dict) or not doc["paths"]:
        raise ImportError_(f"{source.label}: the document has no `paths`, so there is nothing to import")
    return source


def _layout(text: str, label: str) -> Any:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) or label.lower().endswith(".json"):
        return None
    return load_layout(text)


def _try_parse(text: str, label: str) -> Any:
    try:
        return parse_text(text, Path(label))
    except GeneratorError:
        return None


def _parse(text: str, label: str, first_line: int) -> Any:
    try:
        return parse_text(text, Path(label))
    except GeneratorError as exc:
        line = getattr(exc, "line", None)
        message = getattr(exc, "message", str(exc))
        where = f"{label}:{first_line + line - 1}" if line is not None else label
        raise ImportError_(f"{where}: {message}") from None


def _looks_like_document(text: str) -> bool:
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        return bool(_DOCUMENT_START.match(line))
    return False


def _fenced_blocks(text: str) -> Any:
    """Yield ``(line_of_opening_fence, closed, language, body)`` for each fenced block (CommonMark rules)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match or (match.group("fence")[0] == "`" and "`" in match.group("info")):
            i += 1
            continue
        fence = match.group("fence")
        info = match.group("info").strip()
        lang = info.split()[0].lower() if info else ""
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        yield i + 1, j < len(lines), lang, "\n".join(lines[i + 1 : j]) + "\n"
        i = j + 1
