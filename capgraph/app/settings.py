"""All configuration, from the environment (CAPGRAPH_*), read when asked for and never at import time.

This is the only place that reads the environment: everything else is handed a `Settings` (or the value
it needs from one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from capgraph.graph.cypher import MAX_TIMEOUT_S

Backend = Literal["networkx", "neo4j"]
NEO4J_SCHEMES = frozenset({"neo4j", "bolt", "neo4j+s", "neo4j+ssc", "bolt+s", "bolt+ssc"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAPGRAPH_", extra="ignore")

    store: str = Field("./data", description="a folder (embedded store) or neo4j://host:port (Neo4j)")
    model: str | None = Field(None, description="a local sentence-transformers model folder; default: the bundled one")
    aliases: str | None = Field(None, description="a JSON file of extra model aliases (alias -> canonical name)")
    api_key: SecretStr | None = Field(None, description="when set, POST and DELETE need it in X-API-Key")
    debug: bool = Field(False, description="let the CLI show tracebacks of unexpected errors")
    max_body_bytes: int = Field(5 * 1024 * 1024, ge=1, description="largest accepted request body")
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_password_file: Path | None = Field(
        None, description="a file holding the Neo4j password (neo4j-server/server.sh writes .neo4j/password)"
    )
    neo4j_database: str | None = None
    cypher_timeout_s: float = Field(10.0, gt=0, le=MAX_TIMEOUT_S)
    cypher_row_limit: int = Field(1000, ge=1)
    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("store")
    @classmethod
    def _store_location(cls, value: str) -> str:
        """Fail at start-up, not at the first query: a URL must be a Neo4j one, a path must not be a file."""
        value = value.strip()
        if not value:
            raise ValueError("the store location is empty: give a folder or a neo4j:// URL")
        if "://" in value:
            scheme = value.split("://", 1)[0].lower()
            if scheme not in NEO4J_SCHEMES:
                raise ValueError(f"{value!r} is not a Neo4j URL (use one of {', '.join(sorted(NEO4J_SCHEMES))})")
        elif Path(value).is_file():
            raise ValueError(f"{value!r} is a file; the embedded store needs a folder")
        return value

    @model_validator(mode="after")
    def _password_from_file(self) -> Settings:
        """An explicit password wins; otherwise the file's first line, so no secret sits in the environment."""
        if self.neo4j_password is None and self.neo4j_password_file is not None:
            try:
                secret = self.neo4j_password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(f"cannot read CAPGRAPH_NEO4J_PASSWORD_FILE {self.neo4j_password_file}: {exc}") from exc
            self.neo4j_password = SecretStr(secret)
        return self

    @property
    def backend(self) -> Backend:
        return "neo4j" if "://" in self.store else "networkx"

    def with_store(self, store: str | None) -> Settings:
        """A copy pointing at another store (the CLI's --store), validated like the environment's."""
        return self if not store else Settings.model_validate({**self.model_dump(), "store": store})
