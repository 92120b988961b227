"""Source declarations: what to poll, how to parse it, how often.

Declared in a TOML file (``FRONTWIRE_SOURCES_FILE``) as ``[[sources]]`` tables, or
through the API. A bad declaration is rejected with the table and field named.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Kind = Literal["auto", "jsonld", "microdata", "feed", "text", "html"]


class SourceError(ValueError):
    """A source declaration is malformed; the message names it."""


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=100, description="Short stable name, e.g. 'kyiv-live'.")
    url: str = Field(description="http(s) URL, file:// URL or local path of the page or feed.")
    kind: Kind = Field(default="auto", description="Parser to use; 'auto' detects it.")
    interval: float = Field(default=30.0, ge=0.2, le=86400, description="Seconds between polls.")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
            raise ValueError("use letters, digits, '.', '_' and '-' only")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme in ("http", "https"):
            if not parts.hostname:
                raise ValueError("URL has no host")
            return value
        if parts.scheme in ("file", ""):
            return value
        raise ValueError(f"unsupported scheme {parts.scheme!r}: use http(s), file:// or a path")

    @property
    def is_local(self) -> bool:
        return urlsplit(self.url).scheme in ("file", "")

    @property
    def path(self) -> Path:
        parts = urlsplit(self.url)
        return Path(parts.path if parts.scheme == "file" else self.url)


def load_sources_file(path: Path) -> list[SourceSpec]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"cannot read sources file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"sources file {path} is not valid TOML: {exc}") from None
    tables = doc.get("sources", [])
    if not isinstance(tables, list):
        raise SourceError(f"{path}: 'sources' must be an array of tables ([[sources]])")
    specs: list[SourceSpec] = []
    for n, table in enumerate(tables, 1):
        try:
            specs.append(SourceSpec.model_validate(table))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(table)"
            raise SourceError(f"{path}: source #{n} ({table.get('id', '?')}): "
                              f"{field}: {err['msg']}") from None
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise SourceError(f"{path}: source id {spec.id!r} is declared twice")
        seen.add(spec.id)
    return specs
