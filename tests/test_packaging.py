"""Generated packages and the generator itself install and run outside the checkout (issue 16 item 8).

Each test makes a real virtual environment and installs with pip, as a user would; PyPI is
reachable for the build backends and, for the generated package, its two dependencies.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from generator import __version__ as GENERATOR_VERSION
from generator.emit.package import distribution_version
from tests.clients.conftest import VENDORS
from tests.clients.spec_server import Reply, SpecServer

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "generator", "feedback", "templates")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def venv(path: Path) -> Path:
    """A fresh virtual environment at ``path``; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=120)
    return path / "bin" / "python"


def pip_install(python: Path, *args: str) -> None:
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("spec_version", "expected"),
    [("1.0.0", "1.0.0"), ("v2", "2"), ("2024-01-05", "2024.1.5"), ("1.0.0-beta.2", "1.0.0"), ("latest", "0")],
)
def test_distribution_version_is_the_spec_release_plus_the_generator_suffix(spec_version: str, expected: str) -> None:
    assert distribution_version(spec_version) == f"{expected}+codegen.{GENERATOR_VERSION}"


def test_generated_pyproject_names_the_package_and_needs_only_httpx_and_pydantic() -> None:
    for package in sorted(p.parent for p in (REPO / "generated").glob("*/__init__.py")):
        project = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert project["name"] == package.name
        assert project["version"].endswith(f"+codegen.{GENERATOR_VERSION}")
        assert sorted(d.split(">")[0] for d in project["dependencies"]) == ["httpx", "pydantic"]


def test_pip_install_generated_package_into_a_fresh_venv_and_call_loopback(tmp_path: Path) -> None:
    # `pip install generated/algolia` failed: there was no pyproject.toml.
    before = sorted(p.name for p in (REPO / "generated" / "algolia").iterdir() if p.name != "__pycache__")
    python = venv(tmp_path / "venv")
    pip_install(python, str(REPO / "generated" / "algolia"))
    after = sorted(p.name for p in (REPO / "generated" / "algolia").iterdir() if p.name != "__pycache__")
    assert after == before  # the build leaves nothing behind for `check` to trip over

    server = SpecServer("algolia", prefix=VENDORS["algolia"].prefix)
    try:
        server.script(
            Reply(
                201,
                json={
                    "id": "fb_1", "agentId": "a1", "messageId": "m1", "vote": 1, "tags": [],
                    "createdAt": "2026-07-01T12:34:56Z", "updatedAt": "2026-07-01T12:34:56Z",
                },
            )
        )  # fmt: skip
        script = (
            "import json, sys, importlib.metadata as md\n"
            "import algolia\n"
            "with algolia.Client(application_id='myapp', api_key=sys.argv[2], base_url=sys.argv[1]) as client:\n"
            "    created = client.feedback.create_feedback(agent_id='a1', message_id='m1', vote=1)\n"
            "print(json.dumps({'file': algolia.__file__, 'id': created.id, 'version': algolia.__version__,\n"
            "                  'requires': md.requires('algolia')}))\n"
        )
        done = subprocess.run(
            [str(python), "-c", script, server.url, "algolia-key-SECRET-0123456789abcdef"],
            capture_output=True,
            text=True,
            cwd=tmp_path,  # nowhere near the checkout
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert Path(report["file"]).is_relative_to(tmp_path / "venv")
        assert report["id"] == "fb_1"
        assert sorted(re.split(r"[<>=!~;, ]", r)[0] for r in report["requires"]) == ["httpx", "pydantic"]
        assert server.requests[0].headers["user-agent"].startswith(f"algolia/{report['version']} python/")
        assert server.violations == []
    finally:
        server.stop()


def test_pip_install_generator_non_editable_runs_from_any_directory(tmp_path: Path) -> None:
    # The `vendor-codegen` entry point of a non-editable install could not find templates/.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=IGNORE)
        else:
            shutil.copy(REPO / name, source / name)
    python = venv(tmp_path / "venv")
    # The generator's pinned dependencies come from this checkout's environment (a path entry, not an
    # install), so the test installs only the generator itself: fast, and no second copy of ruff.
    site = Path(sysconfig.get_paths(vars={"base": str(tmp_path / "venv")})["purelib"])
    (site / "checkout_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip_install(python, "--no-deps", str(source))
    shutil.rmtree(source)  # nothing may be read from the source tree any more

    specs, out = tmp_path / "specs", tmp_path / "out"
    shutil.copytree(REPO / "specs", specs, ignore=IGNORE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cli = tmp_path / "venv" / "bin" / "vendor-codegen"
    generated = subprocess.run(
        [str(cli), "generate", "-q", "--specs", str(specs), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    for vendor in ("algolia", "moveworks"):
        for name in ("_client.py", "pyproject.toml", "README.md"):
            assert (out / vendor / name).read_text() == (REPO / "generated" / vendor / name).read_text()
    checked = subprocess.run(
        [str(cli), "check", "--full", "--specs", str(specs), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    where = subprocess.run(
        [str(python), "-c", "import generator.emit.templates as t; print(t.templates_dir())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv") and (Path(where) / "client.py.jinja").is_file()
