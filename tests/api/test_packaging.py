"""The installed distribution: one `capgraph` namespace, with the Browser assets inside it.

Built as a real (non-editable) wheel and imported from where pip put it, so a missing package-data
entry or a stray top-level module fails here rather than in a user's Docker image.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SERVED_FROM_WHEEL = """
import sys
from fastapi.testclient import TestClient
import capgraph
from capgraph.api.app import create_app
assert capgraph.__file__.startswith(sys.argv[1]), capgraph.__file__
client = TestClient(create_app())
for name in ("guide.html", "capgraph.grass"):
    r = client.get("/browser/" + name)
    assert r.status_code == 200, (name, r.status_code, r.text)
    assert len(r.content) > 100, name
try:
    import api  # noqa: F401
except ModuleNotFoundError:
    print("ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out)]
    subprocess.run([*build, str(ROOT)], check=True, cwd=out)
    (built,) = out.glob("capgraph-*.whl")
    return built


def test_wheel_exposes_only_the_capgraph_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"capgraph"}
    assert "capgraph/api/static/browser/guide.html" in names
    assert "capgraph/api/static/browser/capgraph.grass" in names


def test_installed_wheel_serves_the_browser_assets(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)], check=True
    )
    env = {**os.environ, "PYTHONPATH": str(site), "CAPGRAPH_STORE": str(tmp_path / "store")}
    done = subprocess.run(
        [sys.executable, "-c", SERVED_FROM_WHEEL, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok"), "`import api` must fail outside the repository"
