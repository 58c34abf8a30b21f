"""The installed distribution: one namespace (`capgraph.*`), and the Browser assets served from the
installed (non-editable) wheel, not from the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHECK = """
import importlib.util, sys
sys.path.insert(0, {site!r})
import capgraph
assert capgraph.__file__.startswith({site!r}), capgraph.__file__
for name in ("api", "graph", "ingest", "embeddings", "app"):
    assert importlib.util.find_spec(name) is None, name
from fastapi.testclient import TestClient
from capgraph.api.app import create_app
from capgraph.app.settings import Settings
with TestClient(create_app(Settings(store={store!r})), base_url="http://localhost") as c:
    for name, marker in (("capgraph.grass", "node.Model"), ("guide.html", "<article")):
        r = c.get("/browser/" + name)
        assert r.status_code == 200 and marker in r.text, (name, r.status_code, r.text[:200])
print("ok")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy of the tracked files, like a fresh clone, so no build/ folder lands in the repo
    src = out / "src"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    for name in tracked.splitlines():
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    (built,) = out.glob("capgraph-*.whl")
    return built


def test_wheel_holds_one_namespace_and_the_browser_assets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")} == {"capgraph"}
    assert {"capgraph/api/static/browser/capgraph.grass", "capgraph/api/static/browser/guide.html"} <= set(names)


def test_installed_wheel_serves_the_browser_assets(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q", "--target", str(site)]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True, timeout=300)
    script = CHECK.format(site=str(site), store=str(tmp_path / "store"))
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-2000:]
