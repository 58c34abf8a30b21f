"""Settings read the Neo4j password from a file when it is not given directly."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from capgraph.app.settings import Settings


def test_password_file_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret-from-file\n", encoding="utf-8")
    settings = Settings(neo4j_password_file=secret)
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == "s3cret-from-file"


def test_explicit_password_wins(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("from-file", encoding="utf-8")
    settings = Settings(neo4j_password=SecretStr("explicit"), neo4j_password_file=secret)
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == "explicit"


def test_missing_password_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CAPGRAPH_NEO4J_PASSWORD_FILE"):
        Settings(neo4j_password_file=tmp_path / "absent")
