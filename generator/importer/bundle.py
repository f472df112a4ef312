"""Multi-file sources: bundle a document's relative file references with the spec loader's bundler.

A local file is bundled in place by ``generator.spec.loader.load_document`` (the one bundler
``generate`` uses). A URL source, or a docs page embedding a document, is first mirrored: every
file it references, transitively, is fetched relative to the source's address into a temporary
folder with the same layout, and that folder is bundled. References are confined to the source's
folder, as the loader confines them for local files.
"""

from __future__ import annotations

import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError, escape_pointer_token
from generator.importer import DEFAULT_TIMEOUT
from generator.importer.errors import ImportError_
from generator.spec.loader import MAX_FILE_BYTES, load_document, parse_text

# A multi-file spec as large as DigitalOcean's has 2,907 files; far more is a runaway.
MAX_FILES = 20_000


def external_refs(node: Any, local: bool = False) -> list[tuple[str, str]]:
    """``(pointer, ref)`` for each ``$ref`` naming another file, outside ``x-`` extensions and ``example`` values.

    With ``local``, also those naming something in the same document outside ``#/components``
    (``#/$defs/X``, ``#/paths/...``): the spec loader resolves those too.
    """
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        current, ptr = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and (not ref.startswith("#") or (local and not ref.startswith("#/components/"))):
                found.append((ptr + "/$ref", ref))
            for key, value in current.items():
                if isinstance(value, (dict, list)) and not str(key).startswith("x-") and key != "example":
                    stack.append((value, f"{ptr}/{escape_pointer_token(str(key))}"))
        elif isinstance(current, list):
            stack.extend((value, f"{ptr}/{i}") for i, value in enumerate(current) if isinstance(value, (dict, list)))
    return found


def bundle_file(path: Path) -> dict[str, Any]:
    """A local document with every file it references bundled into its ``components``."""
    try:
        return load_document(path).data
    except GeneratorError as exc:
        raise ImportError_(str(exc)) from None


def bundle_remote(location: str, text: str, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """A document fetched from ``location`` (URL or file) with the files it references, fetched relative to it."""
    from generator.importer.source import fetch_text, is_url

    base_url = location if is_url(location) else Path(location).resolve().as_uri()
    folder = base_url.rsplit("/", 1)[0] + "/"
    root_name = urllib.parse.unquote(base_url.rsplit("/", 1)[1]) or "openapi.yaml"
    with tempfile.TemporaryDirectory(prefix=".import-bundle-") as tmp:
        mirror = Path(tmp)
        (mirror / root_name).write_text(text, encoding="utf-8")
        queue = [(base_url, text)]
        seen = {base_url}
        total = len(text)
        while queue:
            url, body = queue.pop()
            try:
                data = parse_text(body, Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)))
            except GeneratorError as exc:
                raise ImportError_(f"{url}: {getattr(exc, 'message', exc)}") from None
            for pointer, ref in external_refs(data):
                parts = urllib.parse.urlsplit(ref)
                if parts.scheme or parts.netloc or not parts.path:
                    continue  # remote references and in-file ones: the loader says what it makes of them
                target = urllib.parse.urljoin(url, parts.path)
                if not target.startswith(folder) or target in seen:
                    continue  # outside the source's folder: the loader refuses it, located
                seen.add(target)
                if len(seen) > MAX_FILES:
                    raise ImportError_(f"{location}: references more than {MAX_FILES} files; refusing to fetch more")
                try:
                    fetched = fetch_text(target if is_url(target) else _file_path(target), timeout)
                except ImportError_ as exc:
                    raise ImportError_(f"{url}: at {pointer}: $ref {ref!r}: {exc}") from None
                total += len(fetched)
                if total > MAX_FILE_BYTES:
                    raise ImportError_(f"{location}: the files it references exceed {MAX_FILE_BYTES} bytes together")
                relative = urllib.parse.unquote(target[len(folder) :])
                destination = (mirror / relative).resolve()
                if not destination.is_relative_to(mirror.resolve()):
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_text(fetched, encoding="utf-8")
                queue.append((target, fetched))
        try:
            return load_document(mirror / root_name).data
        except GeneratorError as exc:
            message = str(exc).replace(str(mirror.resolve()) + "/", folder).replace(str(mirror) + "/", folder)
            raise ImportError_(message) from None


def _file_path(uri: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(uri).path)
