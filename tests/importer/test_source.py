"""Finding the OpenAPI document in a source, and rendering conflicts."""

from __future__ import annotations

import pytest

from generator.importer.errors import ImportError_
from generator.importer.merge import unified_diff
from generator.importer.source import parse_source
from tests.importer.conftest import seed

DOC = (
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
    "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n"
)


def test_whole_yaml_and_json_documents() -> None:
    assert parse_source("x.yaml", DOC).document["paths"]
    json_doc = '{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {}}}'
    source = parse_source("x.json", json_doc)
    assert source.layout is None and not source.from_page


@pytest.mark.parametrize("fence", ["```yaml", "````yaml specs/x.yml post /a", "~~~yml"])
def test_fenced_blocks(fence: str) -> None:
    close = fence.split()[0].rstrip("yaml").rstrip("yml")
    page = f"# Title\n\nSome prose: `code`.\n\n```python\nprint(1)\n```\n\n{fence}\n{DOC}{close}\n\nmore prose\n"
    source = parse_source("page.md", page)
    assert source.from_page and source.first_line == 10
    assert list(source.document["paths"]) == ["/a"]


def test_seed_pages() -> None:
    for prefix in ("000", "002", "003"):
        assert parse_source(prefix, seed(prefix).read_text(encoding="utf-8")).from_page


def test_errors_in_an_embedded_block_are_located_in_the_page() -> None:
    page = "# t\n\n```yaml\nopenapi: 3.1.0\ninfo: [unclosed\n```\n"
    with pytest.raises(ImportError_, match=r"^page.md:[56]: invalid YAML"):
        parse_source("page.md", page)


def test_two_blocks_are_refused() -> None:
    page = f"```yaml\n{DOC}```\n\n```yaml\n{DOC}```\n"
    with pytest.raises(ImportError_, match="2 OpenAPI blocks"):
        parse_source("page.md", page)


def test_unified_diff_marks_differences() -> None:
    text = unified_diff({"type": "object", "a": 1, "b": 2}, {"type": "object", "a": 2, "b": 2}, "old", "new")
    assert text.splitlines()[:2] == ["--- old", "+++ new"]
    assert "-a: 1" in text.splitlines() and "+a: 2" in text.splitlines()
    assert " b: 2" in text.splitlines()
