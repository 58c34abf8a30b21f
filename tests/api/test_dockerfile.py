"""The API image, checked statically (no Docker engine runs where the tests run): it runs unprivileged
and its user can write the data folder, where the generated API key is kept."""

from __future__ import annotations

import re
import shlex

from tests.conftest import ROOT


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical = re.sub(r"\\\n\s*", " ", text)  # join continued lines
    lines = [line.strip() for line in logical.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_the_server_runs_as_an_unprivileged_user() -> None:
    steps = _instructions()
    users = [(i, arg) for i, (op, arg) in enumerate(steps) if op == "USER"]
    assert users, "no USER: the container would run as root"
    last_index, user = users[-1]
    name, _, group = user.partition(":")
    assert name not in {"root", "0"} and group not in {"root", "0"}, user
    cmd = max(i for i, (op, _) in enumerate(steps) if op in {"CMD", "ENTRYPOINT"})
    assert last_index < cmd, "USER must come before the command it should apply to"
    # the uid the image switches to is the one it creates and gives /data to
    run = " ".join(arg for op, arg in steps if op == "RUN")
    uid = re.search(r"useradd\b[^&]*--uid\s+(\d+)", run)
    assert uid and name in {uid.group(1), "capgraph"}, run
    assert re.search(r"chown\s+capgraph(:capgraph)?\s+/data", run), run


def test_the_key_lives_in_the_data_volume() -> None:
    env: dict[str, str] = {}
    for op, arg in _instructions():
        if op == "ENV":
            env.update(token.split("=", 1) for token in shlex.split(arg) if "=" in token)
    assert env["CAPGRAPH_STORE"] == "/data" and env["CAPGRAPH_API_KEY_FILE"].startswith("/data/")
    assert ("VOLUME", '["/data"]') in _instructions()
