"""All configuration, from the environment (CAPGRAPH_*), read when asked for and never at import time.

This is the only place that reads the environment: everything else is handed a `Settings` (or the value
it needs from one).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from capgraph.graph.cypher import MAX_TIMEOUT_S

Backend = Literal["networkx", "neo4j"]
NEO4J_SCHEMES = frozenset({"neo4j", "bolt", "neo4j+s", "neo4j+ssc", "bolt+s", "bolt+ssc"})
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]
KEY_FILE_NAME = "api-key"


def _user_config_dir() -> Path:
    """$XDG_CONFIG_HOME/capgraph, else ~/.config/capgraph: where a Neo4j store's API key is kept."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "capgraph"


def _user_cache_dir() -> Path:
    """$XDG_CACHE_HOME/capgraph, else ~/.cache/capgraph: where the model's ONNX export is kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "capgraph"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAPGRAPH_", extra="ignore")

    store: str = Field("./data", description="a folder (embedded store) or neo4j://host:port (Neo4j)")
    model: str | None = Field(None, description="a local sentence-transformers model folder; default: the bundled one")
    encoder_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="how the model runs: onnx (onnxruntime on a local export, ~2x faster, same vectors), torch "
        "(sentence-transformers), auto (onnx when onnxruntime is installed and the export works, else torch)",
    )
    model_cache: Path = Field(
        default_factory=_user_cache_dir, description="where the ONNX export of the model is kept (made once)"
    )
    aliases: str | None = Field(None, description="a JSON file of extra model aliases (alias -> canonical name)")
    api_key: SecretStr | None = Field(
        None, description="the key POST and DELETE need in X-API-Key; unset: a generated one (see api_key_file)"
    )
    api_key_file: Path | None = Field(
        None,
        description="where the generated API key is kept (mode 0600); default: <store>/api-key for a folder, "
        "<config_dir>/api-key for Neo4j",
    )
    open_writes: bool = Field(
        False, description="let POST and DELETE through without a key (an explicit operator choice)"
    )
    config_dir: Path = Field(default_factory=_user_config_dir, description="per-user files of capgraph")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(LOOPBACK_HOSTS),
        description="Host header names the API answers (port ignored; '*' for any): stops DNS rebinding",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="origins (scheme://host[:port]) allowed to write besides the API's own; others get 403",
    )
    neo4j_http_port: int = Field(
        7474,
        ge=1,
        le=65535,
        # the variable neo4j-server/server.sh reads too, so one setting moves both the server and the origin
        validation_alias=AliasChoices("neo4j_http_port", "CAPGRAPH_NEO4J_HTTP_PORT", "NEO4J_HTTP_PORT"),
        description="the Neo4j Browser's HTTP port: the default browser_origins are loopback on it",
    )
    browser_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Neo4j Browser origins allowed to read the guide and style (CORS, GET only); "
        "default: http://127.0.0.1:<neo4j_http_port> and http://localhost:<neo4j_http_port>",
    )
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
    use_server: bool = Field(
        True, description="read commands of the CLI ask a running `capgraph serve` of the same store, if one is up"
    )
    count_matches: bool = Field(
        True, description="count the models search, resolve and alternatives return (times matched)"
    )
    rank_weights: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description='per artifact kind ("*" = any other), component weights over the defaults of graph.rank, '
        'e.g. {"Model": {"benchmarks": 0.4}}',
    )
    rank_feedback_bound: float = Field(5.0, ge=0, le=20, description="most points feedback can move a rank")
    rank_feedback_half_life_days: float = Field(30.0, gt=0)
    rank_freshness_half_life_days: float = Field(365.0, gt=0)

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

    @field_validator("allowed_hosts", "allowed_origins", "browser_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """The environment gives `a,b` (or a JSON list); names compare without case or trailing slash."""
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else text.split(",")
        if isinstance(value, list):
            return [str(v).strip().lower().rstrip("/") for v in value if str(v).strip()]
        return value

    @model_validator(mode="after")
    def _browser_origins_from_port(self) -> Settings:
        """No origins given: the Browser served by the configured Neo4j, so the guide works on any port."""
        if not self.browser_origins:
            port = self.neo4j_http_port
            self.browser_origins = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
        return self

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

    @property
    def store_fingerprint(self) -> str:
        """sha256 of the store's absolute folder (or its URL): lets the CLI tell whether a running server serves
        the store it means, without the server publishing the path."""
        where = self.store if self.backend == "neo4j" else str(Path(self.store).expanduser().resolve())
        return hashlib.sha256(where.encode()).hexdigest()

    @property
    def key_file(self) -> Path:
        """Where the generated API key lives: beside the data it guards, or per user for a Neo4j store."""
        if self.api_key_file is not None:
            return self.api_key_file
        if self.backend == "networkx":
            return Path(self.store) / KEY_FILE_NAME
        return self.config_dir / KEY_FILE_NAME

    def with_store(self, store: str | None) -> Settings:
        """A copy pointing at another store (the CLI's --store), validated like the environment's."""
        return self if not store else Settings.model_validate({**self.model_dump(), "store": store})
